@long-polling
Feature: Errors and cut connections
  A failed poll is no reason to hammer the server, nor to lose a message: a
  long-polling client backs off after errors, waits as long as Retry-After
  asks, and after a poll whose connection was cut polls again with the same
  cursor, so the message it would have got still reaches it.

  # RFC 6202 §2.2 (Allocated Resources) and §6 (a client's requests are the server's load; denial of service): Informational, no keyword. pushspec's rule: after an error answer a client waits before polling again, longer as errors go on; a SHOULD. The bound: at most 10 polls in 2 s, all answered 500 (a client that re-polls at once makes hundreds).
  @LPC-BACKOFF @should
  Scenario: After error answers, the client backs off
    Given the long-poll server answers every other poll with status 500
    When the client long-polls
    Then the client makes at most 10 polls in the 2000 ms after its first

  # RFC 9110 §10.2.3: "Servers send the "Retry-After" header field to indicate how long the user agent ought to wait before making a follow-up request." "ought to", no keyword: a SHOULD.
  @LPC-RETRY-AFTER @should
  Scenario: After a 503 with Retry-After, the client waits that long
    Given the long-poll server answers poll 1 with status 503 and the header "Retry-After: 1"
    And the long-poll server answers poll 2 with the messages "one"
    When the client long-polls
    Then the client waits at least 1000 ms after the answer to poll 1 before it polls again

  # pushspec model M-5 and M-8 (after RFC 6202 §2.2): "no loss: every message MUST appear"; "with explicit cursors the next poll with the old cursor receives it". A client that drops its poll on a cut, or polls again with another cursor, loses what the cut poll would have got: a MUST.
  @LPC-RESUME-AFTER-CUT @must
  Scenario: After a cut poll, the client polls again with the same cursor and loses nothing
    Given the long-poll server answers poll 1 with the messages "one"
    And the long-poll server cuts the connection of poll 2 after 200 ms
    And the long-poll server answers poll 3 with the messages "two"
    And the long-poll server answers poll 4 with the end marker
    When the client long-polls
    Then after the cut, poll 3 carries the cursor poll 2 carried
    And the client reported the messages "one", "two"
