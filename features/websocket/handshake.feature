@websocket @echo
Feature: The opening handshake
  A WebSocket connection starts as an HTTP GET asking to upgrade. The server
  proves it read the request by answering with a key derived from the
  client's; anything malformed is refused with a plain HTTP error.

  # RFC 6455 §4.2.2: 101, Upgrade: websocket, Connection: Upgrade, and Sec-WebSocket-Accept = base64(SHA-1(key + GUID)).
  @WS-HANDSHAKE-ACCEPT @must
  Scenario: The opening handshake is answered 101 with the right accept key
    When a client opens the echo endpoint
    Then the server accepts with status 101, the right Sec-WebSocket-Accept, Upgrade: websocket and Connection: Upgrade

  # RFC 6455 §4.2.1: the key is the base64 of 16 random bytes; §4.2.2: a request missing it gets an HTTP error (400).
  @WS-HANDSHAKE-BAD-KEY @must
  Scenario Outline: A handshake with <key> is refused with 400
    When a client opens the echo endpoint with <key>
    Then the handshake is refused with status 400

    Examples:
      | key                                    |
      | no Sec-WebSocket-Key                   |
      | a Sec-WebSocket-Key that is not base64 |
      | a Sec-WebSocket-Key of 15 bytes        |
      | a Sec-WebSocket-Key of 17 bytes        |

  # RFC 6455 §4.2.2, §4.4: an unsupported version gets an HTTP error "such as 426" (§4.4's example: 400) and Sec-WebSocket-Version naming 13.
  @WS-HANDSHAKE-VERSION @must
  Scenario Outline: A handshake with Sec-WebSocket-Version <version> is refused, naming version 13
    When a client opens the echo endpoint with Sec-WebSocket-Version <version>
    Then the handshake is refused, naming version 13 in Sec-WebSocket-Version

    # Not 8 (nor 7): §4.4 lets a server speak draft versions too, and ws accepts 8. 9–12 are reserved (§11.6): no server speaks them.
    Examples:
      | version |
      | 9       |
      | 12      |
      | 14      |
      | 99      |

  # RFC 6455 §4.2.1: the handshake MUST be an HTTP/1.1 GET.
  @WS-HANDSHAKE-METHOD @must
  Scenario Outline: A handshake sent with <method> is refused
    When a client opens the echo endpoint with method <method>
    Then the handshake is refused

    Examples:
      | method |
      | POST   |
      | PUT    |

  # RFC 6455 §4.2.2: the server selects one of the offered subprotocols, or sends no Sec-WebSocket-Protocol.
  @WS-SUBPROTOCOL @must
  Scenario Outline: Offered <offered>, the server chooses one of them or none
    When a client opens the echo endpoint offering the subprotocols <offered>
    Then the chosen subprotocol, if any, is one of those offered

    Examples:
      | offered                 |
      | pushspec.v1             |
      | unknown.v9              |
      | unknown.v9, pushspec.v1 |
      | chat, superchat         |

  # RFC 6455 §10.2: a server that is not meant for every web page should refuse Origins it does not expect.
  @WS-ORIGIN @should @origin-allow-list
  Scenario: A handshake from an Origin outside the allow-list is refused, one from inside is accepted
    When a client from an origin outside the allow-list opens the echo endpoint
    Then the handshake is refused
    When a client from an allowed origin opens the echo endpoint
    Then the server accepts with status 101, the right Sec-WebSocket-Accept, Upgrade: websocket and Connection: Upgrade
