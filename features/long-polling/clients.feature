@long-polling
Feature: Clients that leave, and clients that poll twice
  Held polls are resources. A client may walk away from one, or hold two with
  one cursor (two tabs of a browser): the server must stay correct and free
  what it no longer needs.

  Background:
    Given a fresh channel

  # Model M-8: with a client-held cursor, nothing is lost when a client abandons a held poll.
  @LP-ABORT-RESUME @must
  Scenario: A client that walks away from a held poll loses nothing
    Given a client that has caught up with the channel
    When the client walks away from a held poll
    And 2 messages are published
    And the client catches up
    Then the client has received all 2 messages exactly once, in publish order

  # RFC 6202 §6: held requests are the server's resources; model M-8: an abandoned poll is released.
  @LP-ABORT-RELEASED @should @held-count
  Scenario: Polls their clients walked away from are released at once
    Given the number of polls the server holds
    When 20 clients walk away from their held polls at once
    Then the number of held polls returns to what it was

  # RFC 6202 §5.1 (two polls from one client); model M-7: a declared policy, never a silent starvation.
  @LP-SAME-CURSOR @must
  Scenario: Two polls held with the same cursor are both answered as the server declares
    Given a client that has caught up with the channel
    When the client polls twice at once with the same cursor and a message is published while both are held
    Then both polls are answered as the server declares for concurrent polls, neither starved
