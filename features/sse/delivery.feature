@sse
Feature: Delivering events as they happen
  The point of a stream is that news arrives when it happens: every event is
  written at once, and an idle stream shows it is alive.

  Background:
    Given a fresh channel

  # WHATWG HTML §9.2.7: buffering or compressing layers unaware of timing hold events back.
  @SSE-PROMPT @must
  Scenario: Each event arrives as soon as it is published, not held back by buffering or compression
    Given a client that accepts compressed answers has opened the event stream
    When 5 messages are published 200 ms apart
    Then each event arrived before the next message was published

  # WHATWG HTML §9.2.7: proxies drop idle connections, so authors "can" send a comment line every 15 seconds or so.
  @SSE-KEEPALIVE @may @keep-alive @waits
  Scenario: While idle, a comment line comes at least as often as declared
    Given a client that has opened the event stream
    When nothing is published while the stream is watched for at most 2 keep-alive intervals
    Then the stream was never silent for longer than the declared keep-alive interval

  # WHATWG HTML §9.2.7 advises a comment every 15 s or so against proxies that drop idle connections; model M-10 puts an idle timeout of twice the declared interval on the path.
  @SSE-KEEPALIVE-THROUGH-IDLE-TIMEOUT @may @keep-alive @waits
  Scenario: The declared keep-alive keeps an idle stream open through an intermediary that cuts connections idle for twice that interval
    Given the client's connection passes through an intermediary that cuts connections idle for twice the declared keep-alive interval
    And a client that has opened the event stream
    When nothing is published for longer than the intermediary's idle timeout
    And 1 message is published
    Then the stream was not cut, and the message arrived on it

  # Model M-10: a buffering intermediary breaks promptness for any server behind it; what it does to this server's events is reported, never failed.
  @SSE-BUFFERING-INTERMEDIARY @may @cleartext
  Scenario: Through an intermediary that buffers what the server sends, how many events are held back is reported
    Given the client's connection passes through an intermediary that holds what the server sends until 8 KiB are waiting
    And a client that has opened the event stream
    When messages are published one at a time until the first reaches the client
    Then the events that arrived are the first ones published, in order, and how many were held back is reported

  # Model M-8: unsent data for a client that stops reading must be bounded; the client resumes with Last-Event-ID.
  @SSE-SLOW-CLIENT @should @slow-client-bound @replay
  Scenario: A client that stops reading is disconnected past the declared bound, and resumes without loss
    Given a client that has opened the event stream, received a first message, and stopped reading
    When more data than the declared bound is published
    Then the server dropped the slow client's connection
    And a client resuming from the last event the slow client received gets every later message, exactly once
