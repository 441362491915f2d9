@websocket @echo
Feature: Pings and pongs
  Either side may ping; the other answers with a pong carrying the same
  payload. A pong nobody asked for is allowed and ignored.

  Background:
    Given a client connected to the echo endpoint

  # RFC 6455 §5.5.2, §5.5.3: a pong in response to a ping carries the ping's application data. Autobahn 2.
  @WS-PING-PONG @must
  Scenario Outline: A ping with <length> bytes of payload is answered by a pong with the same payload
    When the client pings with <length> bytes of payload
    Then a pong with the same payload comes back

    Examples:
      | length |
      | 0      |
      | 10     |
      | 125    |

  # RFC 6455 §5.5.3: a pong may be sent unsolicited (a unidirectional heartbeat); no response is expected. Autobahn 2.8.
  @WS-UNSOLICITED-PONG @must
  Scenario: An unsolicited pong is ignored
    When the client sends an unsolicited pong, then a text message
    Then only the text message comes back
