@websocket @echo
Feature: Protocol errors fail the connection
  A frame the protocol forbids must make the server fail the connection:
  send a close frame with the right status code, then close TCP. Closing
  without a close frame is tolerated (non-strict); keeping the connection
  open, or giving the wrong code, is not.

  Background:
    Given a client connected to the echo endpoint

  # RFC 6455 §5.4: a continuation frame needs a started message, and a started message must end before another starts. Autobahn 5.
  @WS-FRAGMENT-ERRORS @must
  Scenario Outline: Broken fragmentation, <frames>, fails the connection
    When the client sends <frames>
    Then the server fails the connection (close code 1002)

    Examples:
      | frames                                                              |
      | a continuation frame with no message started                        |
      | a text fragment, then a new text frame before the last fragment     |
      | a binary fragment, then a new binary frame before the last fragment |

  # RFC 6455 §5.5: control frames have at most 125 bytes of payload and are never fragmented. Autobahn 2.5, 5.1.
  @WS-CONTROL-ERRORS @must
  Scenario Outline: A broken control frame, <frames>, fails the connection
    When the client sends <frames>
    Then the server fails the connection (close code 1002)

    Examples:
      | frames                           |
      | a ping with 126 bytes of payload |
      | a fragmented ping                |
      | a fragmented pong                |

  # RFC 6455 §5.2: RSV1–3 MUST be 0 unless an extension defines them; none was negotiated. Autobahn 3.
  @WS-RESERVED-BITS @must
  Scenario Outline: A text frame with reserved bits <rsv> fails the connection
    When the client sends a text frame with reserved bits <rsv>
    Then the server fails the connection (close code 1002)

    Examples:
      | rsv |
      | 1   |
      | 2   |
      | 3   |
      | 4   |
      | 5   |
      | 6   |
      | 7   |

  # RFC 6455 §5.2: opcodes 3–7 and 11–15 are reserved. Autobahn 4.
  @WS-RESERVED-OPCODES @must
  Scenario Outline: A frame with reserved opcode <opcode> fails the connection
    When the client sends a frame with opcode <opcode>
    Then the server fails the connection (close code 1002)

    Examples:
      | opcode |
      | 3      |
      | 4      |
      | 5      |
      | 6      |
      | 7      |
      | 11     |
      | 12     |
      | 13     |
      | 14     |
      | 15     |

  # RFC 6455 §5.1: a server MUST close the connection on an unmasked frame from a client; it MAY send a close frame with 1002 first.
  @WS-UNMASKED @must
  Scenario: An unmasked frame from a client makes the server close the connection
    When the client sends an unmasked text frame
    Then the server closes the connection (a close frame with 1002 is allowed, not required)
