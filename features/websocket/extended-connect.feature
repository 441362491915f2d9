@websocket @http2 @echo
Feature: WebSockets over HTTP/2
  Over HTTP/2 a WebSocket is one stream of a connection the page already has:
  the server allows the extended CONNECT in its SETTINGS, answers a CONNECT
  with the protocol "websocket" with 200, and the stream then carries the
  frames of RFC 6455 as a TCP connection would.

  # RFC 8441 §3: a client may send the extended CONNECT only once the server's SETTINGS_ENABLE_CONNECT_PROTOCOL is 1.
  @WS-H2-ENABLE-CONNECT @must
  Scenario: The server's HTTP/2 SETTINGS allow the extended CONNECT
    When a client opens the echo endpoint over HTTP/2 with an extended CONNECT, sends a text and a binary message, then closes
    Then the server's HTTP/2 SETTINGS allowed the extended CONNECT

  # RFC 8441 §5: after the handshake the stream is used "as if it were the TCP connection referred to in [RFC6455]"; a CONNECT succeeds with 2xx (RFC 9110 §9.3.6).
  @WS-H2-ECHO @must
  Scenario: A WebSocket opened with an extended CONNECT is answered 200, echoes messages on its stream and closes cleanly
    When a client opens the echo endpoint over HTTP/2 with an extended CONNECT, sends a text and a binary message, then closes
    Then the answer was 200, both messages came back unchanged, and the close was answered with a close and the end of the stream

  # RFC 8441 §5: the stream is used "as if it were the TCP connection referred to in [RFC6455]", so RFC 6455's framing rules hold on it unchanged.
  @WS-H2-FRAME-CASES @must
  Scenario: Autobahn's frame-level cases hold over an HTTP/2 stream as over TCP
    When Autobahn's frame-level cases are played on the echo endpoint over HTTP/2, each on a stream of its own
    Then every case held over the HTTP/2 stream as it must over TCP
