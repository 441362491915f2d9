@polling
Feature: Answering a poll
  In Ajax polling the client asks the server for news at regular intervals.
  The server answers every request at once: with what is new since the
  client's cursor, or with an empty answer when nothing is.

  Background:
    Given a fresh channel

  # RFC 6202 §2.1: in short polling the server answers at once, with an empty response when it has no data.
  @POLL-ANSWER-AT-ONCE @must
  Scenario: A poll with nothing new is answered at once, not held
    Given a client that has caught up with the channel
    When the client polls
    Then the answer came within 1000 ms

  # RFC 6202 §5.4; model M-3: the empty answer takes the form the adapter declares (200 + empty batch, 204 or 304).
  @POLL-EMPTY-ANSWER @must
  Scenario: With nothing new, the answer is the declared empty answer and the cursor stays where it was
    Given a client that has caught up with the channel
    When the client polls
    Then the answer is the declared empty answer
    And the cursor to send next is the one that was sent

  # Model M-1: without a cursor a client starts from now ("newest") or from the oldest retained message ("oldest").
  @POLL-START-POLICY @must
  Scenario: A first poll without a cursor starts where the server declares
    Given 3 messages were published
    When a new client polls without a cursor
    And 2 messages are published
    And the new client catches up
    Then the new client has received exactly the messages its declared starting point promises, in publish order
