@websocket @echo
Feature: Framing and echo
  Messages of every size cross the connection intact. Lengths of 0–125 bytes
  take the 7-bit length form, up to 65535 the 16-bit form, above that the
  64-bit form; the server must use the shortest.

  # RFC 6455 §5.2 (payload length, minimal encoding), §5.6 (text). Autobahn 1.1.
  @WS-ECHO-TEXT @must
  Scenario Outline: A text message is echoed intact: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case  | sends                                            | outcome                             |
      | 1.1.1 | a text message of 0 bytes                        | the echo, then a clean close (1000) |
      | 1.1.2 | a text message of 125 bytes                      | the echo, then a clean close (1000) |
      | 1.1.3 | a text message of 126 bytes                      | the echo, then a clean close (1000) |
      | 1.1.4 | a text message of 127 bytes                      | the echo, then a clean close (1000) |
      | 1.1.5 | a text message of 128 bytes                      | the echo, then a clean close (1000) |
      | 1.1.6 | a text message of 65535 bytes                    | the echo, then a clean close (1000) |
      | 1.1.7 | a text message of 65536 bytes                    | the echo, then a clean close (1000) |
      | 1.1.8 | a text message of 65536 bytes in 997-byte writes | the echo, then a clean close (1000) |

  # RFC 6455 §5.2, §5.6 (binary). Autobahn 1.2.
  @WS-ECHO-BINARY @must
  Scenario Outline: A binary message is echoed intact: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case  | sends                                              | outcome                             |
      | 1.2.1 | a binary message of 0 bytes                        | the echo, then a clean close (1000) |
      | 1.2.2 | a binary message of 125 bytes                      | the echo, then a clean close (1000) |
      | 1.2.3 | a binary message of 126 bytes                      | the echo, then a clean close (1000) |
      | 1.2.4 | a binary message of 127 bytes                      | the echo, then a clean close (1000) |
      | 1.2.5 | a binary message of 128 bytes                      | the echo, then a clean close (1000) |
      | 1.2.6 | a binary message of 65535 bytes                    | the echo, then a clean close (1000) |
      | 1.2.7 | a binary message of 65536 bytes                    | the echo, then a clean close (1000) |
      | 1.2.8 | a binary message of 65536 bytes in 997-byte writes | the echo, then a clean close (1000) |

  # RFC 6455 §5.4: a message may be split into fragments; control frames may be injected between them. Autobahn 5.3–5.8, 5.19, 5.20, 10.1.1.
  @WS-FRAGMENTS @must
  Scenario Outline: A fragmented message is reassembled: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case   | sends                                                                                        | outcome                                                                                                      |
      | 5.3    | a text message in 2 fragments                                                                | the echo, then a clean close (1000)                                                                          |
      | 5.4    | a text message in 2 fragments, one write per frame                                           | the echo, then a clean close (1000)                                                                          |
      | 5.5    | a text message in 2 fragments, octet-wise                                                    | the echo, then a clean close (1000)                                                                          |
      | 5.6    | a text message in 2 fragments with a ping between them                                       | a pong, the echo, then a clean close (1000)                                                                  |
      | 5.7    | a text message in 2 fragments with a ping between them, one write per frame                  | a pong, the echo, then a clean close (1000)                                                                  |
      | 5.8    | a text message in 2 fragments with a ping between them, octet-wise                           | a pong, the echo, then a clean close (1000)                                                                  |
      | 5.19   | a text message in 5 fragments with 2 pings between them and a 1 s pause                      | a pong, pause A, a pong, the echo (pause A, a pong, a pong, the echo: non-strict), then a clean close (1000) |
      | 5.20   | a text message in 5 fragments with 2 pings between them and a 1 s pause, one write per frame | a pong, pause A, a pong, the echo (pause A, a pong, a pong, the echo: non-strict), then a clean close (1000) |
      | P5.2   | a text message of 300 bytes in 3 fragments                                                   | the echo, then a clean close (1000)                                                                          |
      | P5.3   | a text message of 1000 bytes in 100 fragments                                                | the echo, then a clean close (1000)                                                                          |
      | P5.4   | a binary message of 70000 bytes in 7 fragments                                               | the echo, then a clean close (1000)                                                                          |
      | P5.5   | a binary message of 20 bytes in 4 fragments with a ping between them                         | a pong, the echo, then a clean close (1000)                                                                  |
      | 10.1.1 | a text message of 65536 bytes in 1300-byte fragments                                         | the echo, then a clean close (1000)                                                                          |

  # RFC 6455 §5.4: order is kept; Autobahn 9 sends many messages in a row.
  @WS-MANY-IN-ORDER @must
  Scenario: Many messages in a row are all echoed, in order
    Given a client connected to the echo endpoint
    When the client sends 1000 text messages in a row
    Then all 1000 come back, in the order sent
