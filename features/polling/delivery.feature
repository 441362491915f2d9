@polling
Feature: Delivering messages by polling
  Between two polls the server keeps what was published; the next poll with
  the client's cursor brings every one of those messages, once, in order.

  Background:
    Given a fresh channel

  # RFC 6202 §2.2: events published between polls must be queued; model M-5: no loss, no duplicate, publish order.
  @POLL-EXACTLY-ONCE @must
  Scenario: Successive polls deliver every message exactly once, in publish order, while messages keep arriving
    Given a client that has caught up with the channel
    When 200 messages are published one after another while the client keeps polling
    Then the client has received all 200 messages exactly once, in publish order

  # RFC 6202 §2.2: under load, queued events go out as a batch in one response.
  @POLL-BATCH-ORDER @must @batching
  Scenario: Messages published between two polls arrive in one answer, in publish order
    Given a client that has caught up with the channel
    When 10 messages are published
    And the client polls
    Then that answer holds all 10 messages, in publish order

  # Model M-5: a client whose answer was lost asks again with the same cursor and must get the same messages.
  @POLL-CURSOR-REPLAY @must
  Scenario: Sending the same cursor again returns the same messages again
    Given a client that has caught up with the channel
    When 3 messages are published
    And the client polls twice with the same cursor
    Then both answers hold the same messages, starting with the first one published

  # Model M-1, M-5: the cursor belongs to the client; one client's polls consume nothing another is owed.
  @POLL-INDEPENDENT-CLIENTS @must
  Scenario: Clients have independent cursors: one client's polls take nothing from another
    Given clients "alice" and "bob" that have caught up with the channel
    When 2 messages are published
    And "alice" catches up
    And 2 messages are published
    And "bob" catches up
    And "alice" catches up
    Then "alice" has received all 4 messages exactly once, in publish order
    And "bob" has received all 4 messages exactly once, in publish order

  # Model M-2: data arrives byte for byte, whatever it holds; a batch separator left unescaped splits a message in two.
  @POLL-DATA-INTACT @must
  Scenario Outline: A message's data arrives byte for byte, whatever it holds: <data>
    Given a client that has caught up with the channel
    When a message whose data is <data> is published, then an ordinary one
    And the client catches up
    Then the client has received that message's data byte for byte, then the ordinary one

    Examples: Line breaks and separators
      | data                            |
      | a line feed (LF)                |
      | a carriage return (CR)          |
      | CR LF                           |
      | a NUL character                 |
      | a record separator (0x1E)       |
      | U+2028 LINE SEPARATOR           |
      | U+FEFF (a byte order mark)      |
      | a line that starts with "data:" |

    Examples: Text that looks like an envelope
      | data                             |
      | text like a JSON envelope        |
      | text like a numbered packet      |
      | text like an array frame         |
      | a single letter like a heartbeat |

    Examples: A large message
      | data           |
      | 900 KB of text |

    @empty-message
    Examples: The empty message
      | data             |
      | the empty string |

  # Model M-10 (after RFC 9293 §3.1): TCP carries bytes, not messages; a request and its answer read the same however they are split.
  @POLL-ONE-BYTE-WRITES @must
  Scenario: Messages arrive intact through an intermediary that writes one byte at a time
    Given the clients' connections pass through an intermediary that writes one byte at a time
    And a client that has caught up with the channel
    When a message whose data is text in several scripts, with characters beyond the BMP is published, then an ordinary one
    And the client catches up
    Then the client has received that message's data byte for byte, then the ordinary one
