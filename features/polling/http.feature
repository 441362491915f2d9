@polling
Feature: Polls as good HTTP citizens
  Polls cross caches and proxies like any request, and there are many of
  them: answers must not be cached, and connections should be reused.

  Background:
    Given a fresh channel

  # RFC 6202 §5.6: suppress caching of poll requests and responses; RFC 9111 §5.2.2 defines the directives.
  @POLL-NOT-CACHEABLE @should
  Scenario: Poll answers forbid caching
    Given a client that has caught up with the channel
    When 1 message is published
    And the client polls
    And the client polls
    Then every answer the client received forbids caching

  # RFC 6202 §2.2: a persistent connection saves a TCP setup per poll.
  @POLL-CONNECTION-REUSE @should
  Scenario: Successive polls can reuse one persistent connection
    Given a client that has caught up with the channel
    When the client polls 5 times
    Then the client's polls all travelled over one connection
