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
      | ending           | bytes                                  | split             |
      | LF               | data: one\n\ndata: two\n\n             | in one write      |
      | CR               | data: one\r\rdata: two\r\r             | in one write      |
      | CRLF             | data: one\r\n\r\ndata: two\r\n\r\n     | in one write      |
      | mixed            | data: one\r\n\ndata: two\r\r\n         | in one write      |
      | LF               | data: one\n\ndata: two\n\n             | one byte per write |
      | CR               | data: one\r\rdata: two\r\r             | one byte per write |
      | CRLF             | data: one\r\n\r\ndata: two\r\n\r\n     | one byte per write |
