@long-polling
Feature: Holding a poll until there is news
  In long-polling the client asks as in polling, but a server with nothing
  new holds the request ("hanging GET") until a message exists, then answers
  at once; if none comes, the server itself ends the hold after its hold time.

  Background:
    Given a fresh channel

  # RFC 6202 §2.1: the server holds the request when it has no data for the client.
  @LP-HOLD-IDLE @must @waits
  Scenario: A poll with nothing new is held, not answered empty at once
    Given a client that has caught up with the channel
    When the client polls and nothing is published
    Then the poll was held for at least half of the declared hold time

  # RFC 6202 §2.1: when an event occurs, the server completes the held request; the saving over polling is latency.
  @LP-DELIVER-PROMPT @must
  Scenario: A message published while a poll is held ends the hold and is delivered at once
    Given a client that has caught up with the channel
    When the client polls and a message is published while the poll is held
    Then that poll was answered with the message before its hold time ran out

  # RFC 6202 §5.4, §5.5; model M-4: a complete, normal answer at the end of the hold, not a reset, a hang or a 5xx.
  @LP-TIMEOUT-EMPTY @must @waits
  Scenario: With nothing new, the server itself ends the hold with the declared empty answer
    Given a client that has caught up with the channel
    When the client polls and nothing is published
    Then the server itself ended the hold within the declared hold time
    And the answer is the declared empty answer
    And the cursor to send next is the one that was sent

  # RFC 6202 §5.5 names 408 as the failure to avoid; RFC 9110 §15.5.9: a 408 means the server closes the connection.
  @LP-TIMEOUT-NOT-408 @should @waits
  Scenario: An expired hold is answered as a success, not as 408 Request Timeout
    Given a client that has caught up with the channel
    When the client polls and nothing is published
    Then the expired hold was answered as a success, not as 408 Request Timeout

  # Model M-4 and M-10: the server MUST end an idle hold within its declared hold time, so an intermediary that cuts connections idle a little longer never cuts a held poll.
  @LP-HOLD-WITHIN-IDLE-TIMEOUT @must @waits
  Scenario: An idle hold is answered before an intermediary whose idle timeout is just longer than the declared hold cuts the connection
    Given the client's connections pass through an intermediary that cuts connections idle for longer than the declared hold
    And a client that has caught up with the channel
    When the client polls through the intermediary and nothing is published
    Then the hold ended with the declared empty answer before the intermediary cut the idle connection

  # RFC 6202 §5.5: "generally 30 seconds is a safer value"; a hold must never be unbounded.
  @LP-MAX-HOLD @should @waits
  Scenario: The server caps every hold at its declared maximum, and that maximum is at most 30 s
    Given a client that has caught up with the channel
    When the client asks to be held longer than the declared maximum
    Then the server ended the hold by its declared maximum
    And the declared maximum hold is at most 30 s
