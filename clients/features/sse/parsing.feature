@sse
Feature: Reading the event stream
  An EventSource client decodes the stream as UTF-8, splits it into lines at
  any of the three line endings, and dispatches an event at each blank line,
  however the bytes are cut into packets.

  # WHATWG HTML §9.2.5: "Lines must be separated by either a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF) character pair, a single U+000A LINE FEED (LF) character, or a single U+000D CARRIAGE RETURN (CR) character."
  @SSEC-LINE-ENDINGS @must
  Scenario Outline: Lines ending in <ending> make the same events, <split>
    Given the server's event stream sends "<bytes>" <split>
    When the client opens the event stream
    Then the client received the messages "one", "two"

    Examples:
      | ending | bytes                              | split              |
      | LF     | data: one\n\ndata: two\n\n         | in one write       |
      | CR     | data: one\r\rdata: two\r\r         | in one write       |
      | CRLF   | data: one\r\n\r\ndata: two\r\n\r\n | in one write       |
      | mixed  | data: one\r\n\ndata: two\r\r\n     | in one write       |
      | LF     | data: one\n\ndata: two\n\n         | one byte per write |
      | CR     | data: one\r\rdata: two\r\r         | one byte per write |
      | CRLF   | data: one\r\n\r\ndata: two\r\n\r\n | one byte per write |

  # WHATWG HTML §9.2.6: "The stream must then be parsed by reading everything line by line, with a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF) character pair, a single U+000A LINE FEED (LF) character not preceded by a U+000D CARRIAGE RETURN (CR) character, and a single U+000D CARRIAGE RETURN (CR) character not followed by a U+000A LINE FEED (LF) character being the ways in which a line can end." A CR that ends one packet and the LF that begins the next are one CRLF: one line ending, not two (rexxars/eventsource-parser#17).
  @SSEC-CRLF-SPLIT @must
  Scenario: A CRLF cut between two packets is one line ending
    Given the server's event stream sends "data: x\n\ndata: a\r", then, once the client reported "x", "\ndata: b\r\n\r\n"
    When the client opens the event stream
    Then the client received the messages "x", "a\nb"

  # WHATWG HTML §9.2.6: "Streams must be decoded using the UTF-8 decode algorithm." The note under it: "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark (BOM), if any." A second BOM is text: it begins the first field's name, so that field is unknown and ignored (web-platform-tests format-bom-2).
  @SSEC-BOM @must
  Scenario Outline: One leading byte order mark is stripped, <case>
    Given the server's event stream sends "<bytes>" in one write
    When the client opens the event stream
    Then the client received the messages <messages>

    Examples:
      | case                       | bytes                                      | messages     |
      | one BOM                    | \u{feff}data: one\n\ndata: two\n\n         | "one", "two" |
      | two BOMs: the second stays | \u{feff}\u{feff}data: one\n\ndata: two\n\n | "two"        |

  # WHATWG HTML §9.2.6: "Streams must be decoded using the UTF-8 decode algorithm." UTF-8 decode replaces each invalid byte sequence with U+FFFD REPLACEMENT CHARACTER; it does not drop it.
  @SSEC-UTF8-INVALID @must
  Scenario Outline: Invalid UTF-8 is decoded as U+FFFD, <case>
    Given the server's event stream sends "<bytes>" in one write
    When the client opens the event stream
    Then the client received the messages <messages>

    Examples:
      | case                       | bytes               | messages        |
      | a byte that is never UTF-8 | data: a\xffb\n\n    | "a\ufffdb"      |
      | a sequence cut short       | data: \xc3(\n\n     | "\ufffd("       |
      | an overlong encoding       | data: \xc0\xafz\n\n | "\ufffd\ufffdz" |

  # WHATWG HTML §9.2.6: "Streams must be decoded using the UTF-8 decode algorithm." The stream is decoded as one text: a character whose bytes arrive in two packets is one character.
  @SSEC-UTF8-SPLIT @must
  Scenario: A character cut between two packets is decoded whole
    Given the server's event stream sends "data: x\n\ndata: caf\xc3", then, once the client reported "x", "\xa9 \xf0\x9f\x98\x80\n\n"
    When the client opens the event stream
    Then the client received the messages "x", "café 😀"

  # WHATWG HTML §9.2.6: "Streams must be decoded using the UTF-8 decode algorithm." Whatever charset the Content-Type names: the introduction says "Event streams are always decoded as UTF-8. There is no way to specify another character encoding." (web-platform-tests format-utf-8 serves charset=windows-1252 and expects the UTF-8 text and no error).
  @SSEC-CHARSET-IGNORED @must
  Scenario: A charset parameter is ignored: the stream is still UTF-8
    Given the server's event stream, served as "text/event-stream; charset=windows-1252", sends "data: caf\u{e9}\n\n" in one write
    When the client opens the event stream
    Then the client received the messages "café"
