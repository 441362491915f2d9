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
  @SSE-KEEPALIVE @may @keep-alive
  Scenario: While idle, a comment line comes at least as often as declared
    Given a client that has opened the event stream
    When nothing is published while the stream is watched for at most 2 keep-alive intervals
    Then the stream was never silent for longer than the declared keep-alive interval

  # Model M-8: unsent data for a client that stops reading must be bounded; the client resumes with Last-Event-ID.
  @SSE-SLOW-CLIENT @should @slow-client-bound @replay
  Scenario: A client that stops reading is disconnected past the declared bound, and resumes without loss
    Given a client that has opened the event stream, received a first message, and stopped reading
    When more data than the declared bound is published
    Then the server dropped the slow client's connection
    And a client resuming from the last event the slow client received gets every later message, exactly once
