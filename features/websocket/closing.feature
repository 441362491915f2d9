@websocket @echo
Feature: The closing handshake
  Either side sends a close frame with a status code; the other answers with
  a close frame and the server then closes TCP. Codes the RFC reserves or
  never assigns are protocol errors, and so is a reason that is not UTF-8.

  Background:
    Given a client connected to the echo endpoint

  # RFC 6455 §5.5.1: an endpoint receiving a close frame MUST send one back (it typically echoes the code; Autobahn 7.7 accepts 1000 too).
  @WS-CLOSE-ECHO @must
  Scenario Outline: A close with code <code> is answered with a close frame
    When the client closes with code <code>
    Then the server answers with a close frame

    Examples:
      | code |
      | 1000 |
      | 1001 |
      | 1002 |
      | 1003 |
      | 1007 |
      | 1008 |
      | 1009 |
      | 1010 |
      | 1011 |
      | 3000 |
      | 3999 |
      | 4000 |
      | 4999 |

  # RFC 6455 §7.4: 0–999, 1004–1006, 1015 and unassigned codes below 3000 must not be sent; a 1-byte payload has no code. Autobahn 7.3, 7.9.
  @WS-CLOSE-INVALID @must
  Scenario Outline: A close frame with <payload> fails the connection
    When the client sends a close frame with <payload>
    Then the server fails the connection, with close code 1002 if its close frame carries a code

    Examples:
      | payload               |
      | code 0                |
      | code 999              |
      | code 1004             |
      | code 1005             |
      | code 1006             |
      | code 1015             |
      | code 1016             |
      | code 1100             |
      | code 2000             |
      | code 2999             |
      | a payload of one byte |

  # RFC 6455 §5.5.1: the reason is UTF-8; §8.1: invalid UTF-8 fails the connection. Autobahn 7.5.1 accepts 1002 or 1007.
  @WS-CLOSE-REASON-UTF8 @must
  Scenario: A close frame whose reason is not UTF-8 fails the connection
    When the client sends a close frame with code 1000 and a reason that is not UTF-8
    Then the server fails the connection, with close code 1002 or 1007 if its close frame carries a code

  # RFC 6455 §5.5.1: after sending a close frame, an endpoint sends no more data; a server must not act on data after one. Autobahn 7.1.
  @WS-AFTER-CLOSE @must
  Scenario: Nothing a client sends after its close frame is processed
    When the client closes with code 1000, then sends a text message
    Then nothing but a close frame comes back
