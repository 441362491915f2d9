@websocket @echo
Feature: Text is UTF-8
  A text message must be valid UTF-8 as a whole. A server that finds it is
  not fails the connection with 1007, also when the bad bytes straddle
  fragments; valid text of every kind passes untouched.

  Background:
    Given a client connected to the echo endpoint

  # RFC 6455 §5.6, §8.1: invalid UTF-8 in a text message MUST fail the connection (1007, §7.4.1). Autobahn 6.
  @WS-UTF8-INVALID @must
  Scenario Outline: Text with <problem> fails the connection
    When the client sends text whose bytes are <hex> <sent>
    Then the server fails the connection (close code 1007)

    Examples:
      | problem                              | hex               | sent           |
      | an overlong form of "/"              | c0 af             | in one frame   |
      | an overlong three-byte NUL           | e0 80 80          | in one frame   |
      | a lone continuation byte             | 80                | in one frame   |
      | a UTF-16 surrogate                   | ed a0 80          | in one frame   |
      | a code point above U+10FFFF          | f4 90 80 80       | in one frame   |
      | a truncated sequence                 | 68 65 e2 82       | in one frame   |
      | the byte 0xFF                        | 68 ff 69          | in one frame   |
      | a bad byte in the second fragment    | 68 65 6c 6c ff 6f | in 2 fragments |
      | a sequence cut across fragments, bad | 68 e2 28 a1 6f    | in 2 fragments |

  # RFC 6455 §5.6; RFC 3629: every scalar value from U+0000 to U+10FFFF except surrogates is valid. Autobahn 6.
  @WS-UTF8-VALID @must
  Scenario Outline: Valid text with <kind> is echoed intact
    When the client sends the text <text> <sent>
    Then the same message comes back

    Examples:
      | kind                              | text                     | sent           |
      | ASCII                             | "Hello, world"           | in one frame   |
      | two-byte characters               | "κόσμε"                  | in one frame   |
      | three-byte characters             | "世界 ✓"                   | in one frame   |
      | four-byte characters              | "😀𝄞𠜎"                 | in one frame   |
      | the highest code points           | "\uFFFD\uFFFF\u{10FFFF}" | in one frame   |
      | a byte order mark inside          | "a\uFEFFb"               | in one frame   |
      | characters split across fragments | "κόσμε😀世界"              | in 5 fragments |

  # RFC 6455 §8.1 requires failing on invalid UTF-8; Autobahn 6.4 also rewards failing before the rest of the message arrives. Measured, not judged: the figure says which.
  @WS-UTF8-FAIL-FAST @may
  Scenario: Invalid UTF-8 in a first fragment may fail the connection at once
    When the client sends a first text fragment holding invalid UTF-8, and the rest only if the connection stays open
    Then the server failed the connection with close code 1007, and the report says whether it did so before the message ended
