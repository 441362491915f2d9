@sse
Feature: The event stream format
  The bytes of the stream follow the grammar of the event-stream format. A
  strict reader sees every byte; a real client shows what browsers make of them.

  Background:
    Given a fresh channel
    And a client that has opened the event stream

  # WHATWG HTML §9.2.5: the stream is decoded as UTF-8; one leading BOM is stripped, any other becomes part of a field name.
  @SSE-UTF8 @must
  Scenario: The stream is valid UTF-8, with a byte order mark only at its very start
    When messages in several scripts, with characters beyond the BMP, are published
    Then the stream is valid UTF-8 with no byte order mark after its start

  # WHATWG HTML §9.2.6: any field name is allowed and unknown ones are ignored, so "Data:" loses the data.
  @SSE-FIELDS @may
  Scenario: Every line is a comment or a data, event, id or retry field
    When 3 messages are published, one of them with an event name
    Then every line of the stream is a comment or a data, event, id or retry field

  # WHATWG HTML §9.2.6: an event is dispatched at a blank line; a block never ended is never dispatched.
  @SSE-EVENT-END @must
  Scenario: Each message arrives as an event of its own, ended by a blank line
    When 3 messages are published
    Then each of the 3 messages arrived as an event of its own

  # WHATWG HTML §9.2.6: data lines are joined with LF; a line break written raw splits the data or injects a field (CWE-93).
  @SSE-MULTILINE @must
  Scenario: Data with line breaks arrives intact, and can never inject a field or an event
    Given a real client that has opened the event stream
    When messages whose data holds LF, CR, CRLF, empty lines, field-like lines and characters beyond the BMP are published
    Then the real client received each message's data intact, as one event each

  # Model, SSE: a server that replays needs an id on every event, and a client ignores an id holding U+0000 (§9.2.6).
  @SSE-IDS @must @replay
  Scenario: Every message's event carries an id, and no id holds a NUL character
    When 3 messages are published
    Then every message's event carried an id without a NUL character

  # WHATWG HTML §9.2.6: a retry value that is not ASCII digits only is ignored.
  @SSE-RETRY @should
  Scenario: A retry field holds ASCII digits only, and the declared reconnection time is sent
    When 1 message is published
    Then every retry field holds ASCII digits only, and the declared reconnection time was sent

  # Model M-10 (after RFC 9293 §3.1): TCP carries bytes, not messages; a request and the stream read the same however they are split.
  @SSE-ONE-BYTE-WRITES @must
  Scenario: Events arrive intact through an intermediary that writes one byte at a time
    Given the clients' connections pass through an intermediary that writes one byte at a time
    And a real client that has opened the event stream
    When a message whose data is text in several scripts, with characters beyond the BMP is published, then an ordinary one
    Then the real client received that message's data byte for byte, then the ordinary one

  # Model M-2; WHATWG HTML §9.2.6: data arrives byte for byte, except that CR and CRLF become LF as the format rebuilds lines.
  @SSE-DATA-INTACT @must
  Scenario Outline: A message's data arrives byte for byte, whatever it holds: <data>
    Given a real client that has opened the event stream
    When a message whose data is <data> is published, then an ordinary one
    Then the real client received that message's data byte for byte, then the ordinary one

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

    @large-message
    Examples: A large message
      | data           |
      | 900 KB of text |

    Examples: The empty message
      | data             |
      | the empty string |
