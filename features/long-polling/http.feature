@long-polling
Feature: Long-polls as good HTTP citizens
  A long-poll crosses caches and proxies like any request, and a bad one must
  be refused at once rather than held.

  Background:
    Given a fresh channel

  # RFC 6202 §5.6: suppress caching of long-poll requests and responses; RFC 9111 §5.2.2 defines the directives.
  @LP-NOT-CACHEABLE @should @waits
  Scenario: Long-poll answers forbid caching, whether a message or the timeout ended the hold
    Given a client that has caught up with the channel
    When the client polls and a message is published while the poll is held
    And the client polls and nothing is published
    Then every answer the client received forbids caching

  # Model M-1; RFC 9110 §15.5: bad input is the client's error, said at once; holding it would hide the mistake.
  @LP-MALFORMED-CURSOR @must @cursor
  Scenario: A malformed cursor is refused at once with a client error, not held
    When another client polls with a malformed cursor
    Then that answer is a client error, given within 1000 ms
