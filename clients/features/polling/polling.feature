@polling
Feature: Polling at the declared interval
  An Ajax polling client asks again and again, at the interval it is set to,
  sending back the cursor of the last answer (and the validator, when the
  server offers one), and reads an answer with nothing new (an empty batch,
  204 No Content, 304 Not Modified) as just that: no message, and it goes on
  polling. pushspec plays the server and records each poll.

  # Design note, Ajax polling: "The requested webpage sends requests to the server at regular intervals (e.g., 0.5 seconds)." RFC 6202 §2.1 (short polling) has no keyword: a client polling faster than it is set to is a SHOULD NOT. The client adapter declares the interval (polling.intervalMs).
  @POLLC-INTERVAL @should
  Scenario: The client polls no faster than its declared interval
    Given the poll server answers every other poll with no message
    When the client polls
    Then the client polls no faster than its declared interval

  # docs/reference-protocol.md: "The answer is 200 with every retained message after the cursor, oldest first, and the cursor to send next". A client that sends another cursor misses or repeats messages (pushspec model M-5, "no loss ... no duplicate"): a MUST.
  @POLLC-CURSOR @must
  Scenario: Each poll carries the cursor of the answer before it
    Given the poll server answers poll 1 with the messages "one"
    And the poll server answers poll 2 with the messages "two", "three"
    When the client polls
    Then poll 2 carries the cursor of the answer to poll 1
    And poll 3 carries the cursor of the answer to poll 2

  # RFC 9110 §13.1.2: "If-None-Match is primarily used in conditional GET requests to enable efficient updates of cached information with a minimum amount of transaction overhead." No keyword for a client to use it: pushspec's SHOULD for a client that asks the same URL again and again (model M-1, "Cursor = HTTP validators").
  @POLLC-VALIDATORS @should
  Scenario: The client offers the ETag it got back in If-None-Match
    Given the poll server answers poll 1 with the message "one" and the ETag '"v1"'
    When the client polls
    Then poll 2 offers the ETag '"v1"' back in If-None-Match

  # RFC 9110 §15.3.5: "The 204 (No Content) status code indicates that the server has successfully fulfilled the request and that there is no additional content to send in the response content." pushspec model M-3 accepts 204 as "nothing new"; a client reading it as an error stops seeing messages: a SHOULD (the server declares its empty answer).
  @POLLC-NO-CONTENT @should
  Scenario: A 204 answer is nothing new: no message, and the client polls on
    Given the poll server answers poll 1 with the messages "one"
    And the poll server answers poll 2 with status 204
    And the poll server answers poll 3 with the end marker
    When the client polls
    Then the client reported the messages "one"

  # RFC 9110 §15.4.5: "The 304 (Not Modified) status code indicates that a conditional GET or HEAD request has been received and would have resulted in a 200 (OK) response if it were not for the fact that the condition evaluated to false." Nothing new, then: no message, and the client polls on. Informational to the client: a SHOULD. (The server answers 304 whether or not the poll was conditional, so this case does not depend on POLLC-VALIDATORS.)
  @POLLC-NOT-MODIFIED @should
  Scenario: A 304 answer is nothing new: no message, and the client polls on
    Given the poll server answers poll 1 with the message "one" and the ETag '"v1"'
    And the poll server answers poll 2 with status 304
    And the poll server answers poll 3 with the end marker
    When the client polls
    Then the client reported the messages "one"
