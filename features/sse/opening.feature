@sse
Feature: Opening an event stream
  A client opens a Server-Sent Events stream with an ordinary GET and keeps
  reading. Any status but 200, or any type but text/event-stream, makes a
  client give up for good; a stream that opens late looks like a dead server.

  Background:
    Given a fresh channel

  # WHATWG HTML §9.2.3: a response whose status is not 200 fails the connection; the client never reconnects.
  @SSE-STATUS-200 @must
  Scenario: The event stream is answered with status 200
    When a client opens the event stream
    Then the stream opened with status 200

  # WHATWG HTML §9.2.3: a Content-Type whose essence is not text/event-stream fails the connection.
  @SSE-CONTENT-TYPE @must
  Scenario: The event stream's content type is text/event-stream
    When a client opens the event stream
    Then the stream's content type is text/event-stream

  # WHATWG HTML §9.2.7; real servers hold the head until the first event, so clients see no "open" while idle.
  @SSE-OPENS-AT-ONCE @should
  Scenario: The stream opens at once, before any event
    When a client opens the event stream and nothing is published
    Then the stream opened within 1000 ms, before any event

  # WHATWG HTML §9.2.3 fetches with cache mode no-store; a cached stream would replay old news.
  @SSE-NOT-CACHEABLE @should
  Scenario: The event stream forbids caching
    When a client opens the event stream
    Then the stream forbids caching

  # WHATWG HTML §9.2.3: the request is a potential-CORS request; Last-Event-ID is not a CORS-safelisted header.
  @SSE-CORS @should @cors
  Scenario: A stream opened from an allowed origin carries CORS headers, and a preflight may send Last-Event-ID
    When a client from the declared origin opens the event stream
    Then the stream allows that origin
    And a preflight from that origin is allowed to send Last-Event-ID
