@websocket @echo
Feature: Pings and pongs
  Either side may ping; the other answers with a pong carrying the same
  payload. A pong nobody asked for is allowed and ignored.

  # RFC 6455 §5.5.2, §5.5.3: a pong in response to a ping carries the ping's application data. Autobahn 2.1–2.4, 2.6.
  @WS-PING-PONG @must
  Scenario Outline: A ping is answered by a pong with the same payload: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case | sends                                        | outcome                           |
      | 2.1  | a ping with no payload                       | a pong, then a clean close (1000) |
      | 2.2  | a ping with 13 bytes of text payload         | a pong, then a clean close (1000) |
      | 2.3  | a ping with 8 bytes of binary payload        | a pong, then a clean close (1000) |
      | 2.4  | a ping with 125 bytes of payload             | a pong, then a clean close (1000) |
      | 2.6  | a ping with 125 bytes of payload, octet-wise | a pong, then a clean close (1000) |

  # RFC 6455 §5.5.3: a pong may be sent unsolicited (a unidirectional heartbeat); no response is expected. Autobahn 2.7–2.9.
  @WS-UNSOLICITED-PONG @must
  Scenario Outline: An unsolicited pong is ignored: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case | sends                                                      | outcome                                 |
      | 2.7  | an unsolicited pong with no payload, then a close          | nothing back, then a clean close (1000) |
      | 2.8  | an unsolicited pong with 24 bytes of payload, then a close | nothing back, then a clean close (1000) |
      | 2.9  | an unsolicited pong, then a ping                           | a pong, then a clean close (1000)       |
      | P2.1 | an unsolicited pong, then a text message                   | the echo, then a clean close (1000)     |

  # RFC 6455 §5.5.3: an endpoint MAY answer only the most recent of several pings. Autobahn 2.10, 2.11 check that each is answered.
  @WS-PING-EACH @may
  Scenario Outline: Each of ten pings in a row is answered by its own pong: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case | sends                              | outcome                             |
      | 2.10 | 10 pings with payloads             | 10 pongs, then a clean close (1000) |
      | 2.11 | 10 pings with payloads, octet-wise | 10 pongs, then a clean close (1000) |
