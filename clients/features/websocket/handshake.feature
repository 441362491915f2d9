@websocket
Feature: Opening the connection
  A WebSocket client opens with a GET carrying the upgrade headers and a fresh
  random key, and checks the server's answer: anything but a 101 with the right
  Upgrade, Connection and Sec-WebSocket-Accept fails the connection, so the
  application never sees it open.

  # RFC 6455 §4.1: "The method of the request MUST be GET, and the HTTP version MUST be at least 1.1." … "The request MUST contain a |Host| header field whose value contains /host/ plus optionally ":" followed by /port/ (when not using the default port)." "The request MUST contain an |Upgrade| header field whose value MUST include the "websocket" keyword." "The request MUST contain a |Connection| header field whose value MUST include the "Upgrade" token." … "The request MUST include a header field with the name |Sec-WebSocket-Version|. The value of this header field MUST be 13."
  @WSC-HANDSHAKE-REQUEST @must
  Scenario: The opening handshake is a GET with Host, Upgrade, Connection and Sec-WebSocket-Version 13
    Given the scripted server plays "a text message"
    When the WebSocket client connects
    Then the client's opening handshake request is valid

  # RFC 6455 §4.1: "The request MUST include a header field with the name |Sec-WebSocket-Key|. The value of this header field MUST be a nonce consisting of a randomly selected 16-byte value that has been base64-encoded (see Section 4 of [RFC4648]). The nonce MUST be selected randomly for each connection."
  @WSC-HANDSHAKE-KEY @must
  Scenario: Each connection sends a Sec-WebSocket-Key of its own, 16 random bytes in base64
    Given the scripted server plays "two connections"
    When the WebSocket client connects
    Then each connection had a Sec-WebSocket-Key of its own

  # RFC 6455 §4.1: "If the |Sec-WebSocket-Accept| contains a value other than the base64-encoded SHA-1 of the concatenation of the |Sec-WebSocket-Key| (as a string, not base64-decoded) with the string "258EAFA5-E914-47DA-95CA-C5AB0DC85B11" but ignoring any leading and trailing whitespace, the client MUST _Fail the WebSocket Connection_."
  @WSC-ACCEPT-CHECKED @must
  Scenario: A wrong Sec-WebSocket-Accept fails the connection
    Given the scripted server plays "a wrong Sec-WebSocket-Accept"
    When the WebSocket client connects
    Then the client failed the connection before opening it

  # RFC 6455 §4.1: "If the response lacks an |Upgrade| header field or the |Upgrade| header field contains a value that is not an ASCII case-insensitive match for the value "websocket", the client MUST _Fail the WebSocket Connection_."
  @WSC-UPGRADE-CHECKED @must
  Scenario Outline: An answer without Upgrade: websocket fails the connection (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client failed the connection before opening it

    Examples:
      | case              |
      | no Upgrade header |
      | Upgrade: h2c      |

  # RFC 6455 §4.1: "If the response lacks a |Connection| header field or the |Connection| header field doesn't contain a token that is an ASCII case-insensitive match for the value "Upgrade", the client MUST _Fail the WebSocket Connection_."
  @WSC-CONNECTION-CHECKED @must
  Scenario Outline: An answer without Connection: Upgrade fails the connection (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client failed the connection before opening it

    Examples:
      | case                   |
      | no Connection header   |
      | Connection: keep-alive |

  # RFC 6455 §4.1: "The client MUST validate the server's response as follows: 1. If the status code received from the server is not 101, the client handles the response per HTTP [RFC2616] procedures."
  @WSC-STATUS-101 @must
  Scenario Outline: An answer other than 101 does not open the connection (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client did not open the connection

    Examples:
      | case       |
      | status 200 |
      | status 403 |
