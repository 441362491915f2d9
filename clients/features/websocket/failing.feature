@websocket
Feature: Failing the connection
  A WebSocket client that reads a frame the protocol forbids (masked, reserved
  bits or opcodes, a bad control frame, broken fragmentation, text that is not
  UTF-8) fails the connection: it stops processing, closes, and nothing of the
  bad frame or of what follows it reaches the application. Each case sends a
  valid text message after the bad frame: a client that read on would echo it.

  # RFC 6455 §5.1: "A client MUST close a connection if it detects a masked frame. In this case, it MAY use the status code 1002 (protocol error) as defined in Section 7.4.1."
  @WSC-MASKED-SERVER-FRAME @must
  Scenario: A masked frame from the server fails the connection
    Given the scripted server plays "a masked text frame"
    When the WebSocket client connects
    Then the client failed the connection

  # RFC 6455 §5.2 (Autobahn 3): "If a nonzero value is received and none of the negotiated extensions defines the meaning of such a nonzero value, the receiving endpoint MUST _Fail the WebSocket Connection_."
  @WSC-RESERVED-BITS @must
  Scenario Outline: A reserved bit no extension defines fails the connection (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client failed the connection

    Examples:
      | case                      |
      | a text frame with RSV1    |
      | a text frame with RSV2    |
      | a binary frame with RSV3  |

  # RFC 6455 §5.2 (Autobahn 4): "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket Connection_."
  @WSC-RESERVED-OPCODES @must
  Scenario Outline: A reserved opcode fails the connection (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client failed the connection

    Examples:
      | case                            |
      | a frame with reserved opcode 3  |
      | a frame with reserved opcode 7  |
      | a frame with reserved opcode 11 |
      | a frame with reserved opcode 15 |

  # RFC 6455 §5.5 (Autobahn 2.5, 5.1, 5.2): "All control frames MUST have a payload length of 125 bytes or less and MUST NOT be fragmented."
  @WSC-CONTROL-ERRORS @must
  Scenario Outline: A control frame longer than 125 bytes or fragmented fails the connection (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client failed the connection

    Examples:
      | case                       |
      | a ping with 126 payload bytes |
      | a fragmented ping          |

  # RFC 6455 §5.4 (Autobahn 5.9-5.18): "The fragments of one message MUST NOT be interleaved between the fragments of another message unless an extension has been negotiated that can interpret the interleaving."
  @WSC-FRAGMENT-ERRORS @must
  Scenario Outline: A continuation with nothing to continue, or a new message inside a fragmented one, fails the connection (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client failed the connection

    Examples:
      | case                                        |
      | a continuation with nothing to continue     |
      | a new text message inside a fragmented one |

  # RFC 6455 §8.1 (Autobahn 6): "When an endpoint is to interpret a byte stream as UTF-8 but finds that the byte stream is not, in fact, a valid UTF-8 stream, that endpoint MUST _Fail the WebSocket Connection_."
  @WSC-UTF8-INVALID @must
  Scenario Outline: A text message that is not valid UTF-8 fails the connection (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client failed the connection

    Examples:
      | case                                                  |
      | a text message that is not UTF-8                      |
      | an overlong encoding of a slash                       |
      | a fragmented text message ending inside a character   |

  # RFC 6455 §7.1.7, §7.4.1: "If _The WebSocket Connection is Established_ prior to the point where the endpoint is required to _Fail the WebSocket Connection_, the endpoint SHOULD send a Close frame with an appropriate status code (Section 7.4) before proceeding to _Close the WebSocket Connection_." (1002 for a protocol error, a close code that may not be sent included; 1007 for text that is not UTF-8.)
  @WSC-FAIL-CLOSE-FRAME @should
  Scenario Outline: A client failing the connection sends a close frame with the code for the problem (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client sent a close frame with the code for the problem

    Examples:
      | case                             |
      | a frame with reserved opcode 3   |
      | a text frame with RSV1           |
      | a text message that is not UTF-8 |
      | a close frame with code 1005     |
