@websocket @echo
Feature: Protocol errors fail the connection
  A frame the protocol forbids must make the server fail the connection:
  send a close frame with the right status code, then close TCP. Closing
  without a close frame is tolerated (non-strict); keeping the connection
  open, or giving the wrong code, is not.

  # RFC 6455 §5.4: a continuation frame needs a started message, and a started message must end before another starts. Autobahn 5.9–5.18.
  @WS-FRAGMENT-ERRORS @must
  Scenario Outline: Broken fragmentation fails the connection: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case | sends                                                                                           | outcome                                                                          |
      | 5.9  | a continuation with nothing to continue (FIN set), then a text message                          | the server fails the connection (1002)                                           |
      | 5.10 | a continuation with nothing to continue (FIN set), then a text message, one write per frame     | the server fails the connection (1002)                                           |
      | 5.11 | a continuation with nothing to continue (FIN set), then a text message, octet-wise              | the server fails the connection (1002)                                           |
      | 5.12 | a continuation with nothing to continue (FIN clear), then a text message                        | the server fails the connection (1002)                                           |
      | 5.13 | a continuation with nothing to continue (FIN clear), then a text message, one write per frame   | the server fails the connection (1002)                                           |
      | 5.14 | a continuation with nothing to continue (FIN clear), then a text message, octet-wise            | the server fails the connection (1002)                                           |
      | 5.15 | a text message in 2 fragments, then a continuation with nothing to continue and a text fragment | the echo (nothing back: non-strict), then the server fails the connection (1002) |
      | 5.16 | twice: a continuation (FIN clear), a text fragment, a last continuation                         | the server fails the connection (1002)                                           |
      | 5.17 | twice: a continuation (FIN set), a text fragment, a last continuation                           | the server fails the connection (1002)                                           |
      | 5.18 | a text fragment, then a new text frame before the last fragment                                 | the server fails the connection (1002)                                           |
      | P5.1 | a binary fragment, then a new binary frame before the last fragment                             | the server fails the connection (1002)                                           |

  # RFC 6455 §5.5: control frames have at most 125 bytes of payload and are never fragmented. Autobahn 2.5, 5.1, 5.2.
  @WS-CONTROL-ERRORS @must
  Scenario Outline: A broken control frame fails the connection: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case | sends                            | outcome                                |
      | 2.5  | a ping with 126 bytes of payload | the server fails the connection (1002) |
      | 5.1  | a ping in 2 fragments            | the server fails the connection (1002) |
      | 5.2  | a pong in 2 fragments            | the server fails the connection (1002) |

  # RFC 6455 §5.2: RSV1–3 MUST be 0 unless an extension defines them; none was negotiated. Autobahn 3.
  @WS-RESERVED-BITS @must
  Scenario Outline: A frame with reserved bits set fails the connection: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case | sends                                                                     | outcome                                                                          |
      | 3.1  | a text frame with RSV 1                                                   | the server fails the connection (1002)                                           |
      | 3.2  | a text message, a text frame with RSV 2, then a ping                      | the echo (nothing back: non-strict), then the server fails the connection (1002) |
      | 3.3  | a text message, a text frame with RSV 3, then a ping, one write per frame | the echo (nothing back: non-strict), then the server fails the connection (1002) |
      | 3.4  | a text message, a text frame with RSV 4, then a ping, octet-wise          | the echo (nothing back: non-strict), then the server fails the connection (1002) |
      | 3.5  | a binary frame with RSV 5                                                 | the server fails the connection (1002)                                           |
      | 3.6  | a binary frame with RSV 6                                                 | the server fails the connection (1002)                                           |
      | 3.7  | a close frame, with RSV 7                                                 | the server fails the connection (1002)                                           |

  # RFC 6455 §5.2: opcodes 3–7 and 11–15 are reserved. Autobahn 4.
  @WS-RESERVED-OPCODES @must
  Scenario Outline: A frame with a reserved opcode fails the connection: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case  | sends                                                                                  | outcome                                                                          |
      | 4.1.1 | a frame with reserved opcode 3                                                         | the server fails the connection (1002)                                           |
      | 4.1.2 | a frame with reserved opcode 4 and a payload                                           | the server fails the connection (1002)                                           |
      | 4.1.3 | a text message, a frame with reserved opcode 5, then a ping                            | the echo (nothing back: non-strict), then the server fails the connection (1002) |
      | 4.1.4 | a text message, a frame with reserved opcode 6 and a payload, then a ping              | the echo (nothing back: non-strict), then the server fails the connection (1002) |
      | 4.1.5 | a text message, a frame with reserved opcode 7 and a payload, then a ping, octet-wise  | the echo (nothing back: non-strict), then the server fails the connection (1002) |
      | 4.2.1 | a frame with reserved opcode 11                                                        | the server fails the connection (1002)                                           |
      | 4.2.2 | a frame with reserved opcode 12 and a payload                                          | the server fails the connection (1002)                                           |
      | 4.2.3 | a text message, a frame with reserved opcode 13, then a ping                           | the echo (nothing back: non-strict), then the server fails the connection (1002) |
      | 4.2.4 | a text message, a frame with reserved opcode 14 and a payload, then a ping             | the echo (nothing back: non-strict), then the server fails the connection (1002) |
      | 4.2.5 | a text message, a frame with reserved opcode 15 and a payload, then a ping, octet-wise | the echo (nothing back: non-strict), then the server fails the connection (1002) |

  # RFC 6455 §5.1: a server MUST close the connection on an unmasked frame from a client; it MAY send a close frame with 1002 first.
  @WS-UNMASKED @must
  Scenario: An unmasked frame from a client makes the server close the connection
    Given a client connected to the echo endpoint
    When the client sends an unmasked text frame
    Then the server closes the connection (a close frame with 1002 is allowed, not required)
