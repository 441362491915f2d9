@long-polling
Feature: Delivering messages by long-polling
  Between one answer and the next poll the client holds no request: the
  server must keep what is published in that gap for the next poll.

  Background:
    Given a fresh channel

  # RFC 6202 §2.2: events published between polls must be queued; model M-5: no loss, no duplicate, publish order.
  @LP-NO-GAP-LOSS @must
  Scenario: Messages published between polls arrive in the next poll, none lost, none twice, in order
    Given a client that has caught up with the channel
    When 1000 messages are published one after another while the client keeps polling
    Then the client has received all 1000 messages exactly once, in publish order

  # RFC 6202 §2.2: under load, queued events go out as a batch in one response.
  @LP-BATCH-ORDER @must @batching
  Scenario: Messages waiting when a poll arrives are answered at once, together, in publish order
    Given a client that has caught up with the channel
    When 10 messages are published
    And the client polls
    Then that answer holds all 10 messages, in publish order

  # RFC 6202 §2.2: one held request per client; a publish must reach every one of them.
  @LP-BROADCAST-ALL @must
  Scenario: One publish wakes every one of 500 polls held on the channel
    Given 500 clients that have caught up with the channel
    When all of them poll and a message is published while every poll is held
    Then every one of those polls was answered with the message
