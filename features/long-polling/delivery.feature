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

  # Model M-2: data arrives byte for byte, whatever it holds; a batch separator left unescaped splits a message in two.
  @LP-DATA-INTACT @must
  Scenario Outline: A message's data arrives byte for byte, whatever it holds: <data>
    Given a client that has caught up with the channel
    When a message whose data is <data> is published while the client's poll is held, then an ordinary one
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

  # Model M-5 (after RFC 6202 §2.2) and M-10: a poll whose answer the network cut is sent again with the same cursor, and nothing is lost or doubled.
  @LP-THROUGH-CUTS @must
  Scenario: 5,000 messages published while the network cuts the client's connections at random all arrive, none twice, in order
    Given the client's connections are cut at random by the network, mid-answer included
    And a client that has caught up with the channel
    When 5000 messages are published while the client keeps polling, polling again with the same cursor after every cut
    Then the client received all 5000 messages exactly once, in publish order, across the cuts

  # Model M-10 (after RFC 9293 §3.1): TCP carries bytes, not messages; a request and its answer read the same however they are split.
  @LP-ONE-BYTE-WRITES @must
  Scenario: Messages arrive intact through an intermediary that writes one byte at a time
    Given the clients' connections pass through an intermediary that writes one byte at a time
    And a client that has caught up with the channel
    When a message whose data is text in several scripts, with characters beyond the BMP is published while the client's poll is held, then an ordinary one
    Then the client has received that message's data byte for byte, then the ordinary one
