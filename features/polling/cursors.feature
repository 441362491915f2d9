@polling
Feature: Cursors the server cannot serve
  A cursor names the last message a client has. A cursor that is not a
  cursor at all, or one older than what the server still keeps, must be
  answered so that the client knows what happened.

  Background:
    Given a fresh channel

  # Model M-1; RFC 9110 §15.5: bad input is the client's error (4xx), said at once, never a 5xx or a hang.
  @POLL-MALFORMED-CURSOR @must @cursor
  Scenario: A malformed cursor is refused at once with a client error, and nothing stored is lost
    Given a client that has caught up with the channel
    When 2 messages are published
    And another client polls with a malformed cursor
    Then that answer is a client error, given within 1000 ms
    When the client catches up
    Then the client has received all 2 messages exactly once, in publish order

  # Model M-5: a client whose next message was evicted must learn that it missed messages.
  @POLL-GAP-SIGNALLED @should @history-limit
  Scenario: A cursor behind the retained history is signalled, not skipped silently
    Given clients "early" and "late" that have caught up with the channel
    When 2 messages are published
    And "late" catches up
    And as many messages as the channel retains are published
    And "early" polls
    And "late" catches up
    Then "early" was told that messages were missed
    And "late" has received every message published since it caught up, exactly once, in publish order
