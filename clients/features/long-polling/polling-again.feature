@long-polling
Feature: Polling again after each answer
  A long-polling client keeps one poll waiting at the server: as soon as an
  answer arrives it reports the answer's messages, in order, and sends the
  next poll with the cursor the answer gave, also after an empty answer (the
  server's hold ran out). pushspec plays the server: it answers poll N as the
  case says and records when each poll came and what cursor it carried.

  # RFC 6202 §2.1: "The client typically sends a new long poll request, either immediately upon receiving a response or after a pause to allow an acceptable latency period." Informational, no keyword, and a pause is allowed: pushspec's SHOULD, bounded at 1 s (the design note: "The client then immediately re-requests information from the server").
  @LPC-REPOLL-AT-ONCE @should
  Scenario Outline: After an answer with messages (held <hold> ms), the client polls again at once
    Given the long-poll server holds poll 1 for <hold> ms, then answers it with the messages "one", "two"
    When the client long-polls
    Then the client polls again within 1000 ms of the answer to poll 1

    Examples:
      | hold |
      | 0    |
      | 300  |

  # pushspec design note (after RFC 6202 §2.1): "Each Long-Poll request has a timeout. The client has to reconnect periodically after the connection is closed due to timeouts." A client that stops at an empty answer never sees another message: a MUST.
  @LPC-REPOLL-AFTER-TIMEOUT @must
  Scenario: After an empty answer (the hold ran out), the client polls again
    Given the long-poll server answers poll 1 with the messages "one"
    And the long-poll server holds poll 2 for 300 ms, then answers it with no message
    When the client long-polls
    Then the client polls again within 5000 ms of the empty answer to poll 2

  # docs/reference-protocol.md, Long-polling: "A client keeps one request outstanding: it sends the next poll, with the cursor it just got, as soon as an answer arrives." A client that sends another cursor loses or repeats messages: pushspec's MUST.
  @LPC-CURSOR @must
  Scenario: Each poll carries the cursor of the answer before it
    Given the long-poll server answers poll 1 with the messages "one"
    And the long-poll server holds poll 2 for 200 ms, then answers it with the messages "two", "three"
    When the client long-polls
    Then poll 2 carries the cursor of the answer to poll 1
    And poll 3 carries the cursor of the answer to poll 2

  # RFC 6202 §5.1 (Informational, no keyword): several long polls from one client use up the connections a client may open, and a server should not hold both; RFC 9112 §9.4: "A client ought to limit the number of simultaneous open connections that it maintains to a given server." A SHOULD: one poll outstanding at a time.
  @LPC-ONE-OUTSTANDING @should
  Scenario: While a poll is held, the client sends no other
    Given the long-poll server answers poll 1 with the messages "one"
    And the long-poll server holds every other poll until the case ends
    When the client long-polls
    Then while poll 2 is held for 1500 ms, the client sends no other poll

  # pushspec model M-5 (after RFC 6202 §2.2, "queued events ... in a batch"): "no loss: every message MUST appear; no duplicate: a message MUST NOT appear twice; order: messages MUST appear in publish order." The client side of it: what a batch holds reaches the application in order, each message once.
  @LPC-BATCH-ORDER @must
  Scenario: The messages of every batch reach the application in order, each once
    Given the long-poll server answers poll 1 with the messages "a", "b", "c"
    And the long-poll server holds poll 2 for 200 ms, then answers it with the messages "d", "e"
    And the long-poll server answers poll 3 with the end marker
    When the client long-polls
    Then the client reported the messages "a", "b", "c", "d", "e"
