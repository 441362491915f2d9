@websocket @echo
Feature: The closing handshake
  Either side sends a close frame with a status code; the other answers with
  a close frame and the server then closes TCP. Codes the RFC reserves or
  never assigns are protocol errors, and so are a reason that is not UTF-8
  and a close frame over 125 bytes. The rows are Autobahn|Testsuite's
  category 7: in each the client closes first, and the server's answer must
  carry one of the codes Autobahn lists (any other fails the case).

  # RFC 6455 §5.5.1: an endpoint receiving a close frame MUST send one back (it typically echoes the code; Autobahn 7.7 accepts 1000 too). Autobahn 7.1.1, 7.3.1, 7.3.3–7.3.5, 7.7.
  @WS-CLOSE-ECHO @must
  Scenario Outline: A close frame is answered with a close frame: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case   | sends                                                                       | outcome                                         |
      | 7.1.1  | a text message, then a close frame once it is echoed                        | the echo, then a clean close (1000)             |
      | 7.3.1  | a close frame with an empty payload                                         | nothing back, then a clean close (1000)         |
      | 7.3.3  | a close frame with code 1000 and no reason                                  | nothing back, then a clean close (1000)         |
      | 7.3.4  | a close frame with code 1000 and a reason                                   | nothing back, then a clean close (1000)         |
      | 7.3.5  | a close frame with code 1000 and a reason of 123 bytes (the most that fits) | nothing back, then a clean close (1000)         |
      | 7.7.1  | a close frame with code 1000                                                | nothing back, then a clean close (1000)         |
      | 7.7.2  | a close frame with code 1001                                                | nothing back, then a clean close (1000 or 1001) |
      | 7.7.3  | a close frame with code 1002                                                | nothing back, then a clean close (1000 or 1002) |
      | 7.7.4  | a close frame with code 1003                                                | nothing back, then a clean close (1000 or 1003) |
      | 7.7.5  | a close frame with code 1007                                                | nothing back, then a clean close (1000 or 1007) |
      | 7.7.6  | a close frame with code 1008                                                | nothing back, then a clean close (1000 or 1008) |
      | 7.7.7  | a close frame with code 1009                                                | nothing back, then a clean close (1000 or 1009) |
      | 7.7.8  | a close frame with code 1010                                                | nothing back, then a clean close (1000 or 1010) |
      | 7.7.9  | a close frame with code 1011                                                | nothing back, then a clean close (1000 or 1011) |
      | 7.7.10 | a close frame with code 3000                                                | nothing back, then a clean close (1000 or 3000) |
      | 7.7.11 | a close frame with code 3999                                                | nothing back, then a clean close (1000 or 3999) |
      | 7.7.12 | a close frame with code 4000                                                | nothing back, then a clean close (1000 or 4000) |
      | 7.7.13 | a close frame with code 4999                                                | nothing back, then a clean close (1000 or 4999) |

  # RFC 6455 §5.5.1, §5.5, §7.4: codes 0–999, 1004–1006, 1015 and unassigned codes below 3000 must not be sent; a 1-byte payload has no code; a control frame holds at most 125 bytes. Autobahn 7.3.2, 7.3.6, 7.9.
  @WS-CLOSE-INVALID @must
  Scenario Outline: An invalid close frame fails the connection: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case    | sends                                                                             | outcome                                                   |
      | 7.3.2   | a close frame with a payload of one byte                                          | nothing back, then the server closes (1002, or drops TCP) |
      | 7.3.6   | a close frame with code 1000 and a reason of 124 bytes (a 126-byte control frame) | nothing back, then the server closes (1002, or drops TCP) |
      | 7.9.1   | a close frame with code 0                                                         | nothing back, then the server closes (1002, or drops TCP) |
      | 7.9.2   | a close frame with code 999                                                       | nothing back, then the server closes (1002, or drops TCP) |
      | 7.9.3   | a close frame with code 1004                                                      | nothing back, then the server closes (1002, or drops TCP) |
      | 7.9.4   | a close frame with code 1005                                                      | nothing back, then the server closes (1002, or drops TCP) |
      | 7.9.5   | a close frame with code 1006                                                      | nothing back, then the server closes (1002, or drops TCP) |
      | 7.9.6   | a close frame with code 1016                                                      | nothing back, then the server closes (1002, or drops TCP) |
      | 7.9.7   | a close frame with code 1100                                                      | nothing back, then the server closes (1002, or drops TCP) |
      | 7.9.8   | a close frame with code 2000                                                      | nothing back, then the server closes (1002, or drops TCP) |
      | 7.9.9   | a close frame with code 2999                                                      | nothing back, then the server closes (1002, or drops TCP) |
      | P7.9.10 | a close frame with code 1015                                                      | nothing back, then the server closes (1002, or drops TCP) |

  # RFC 6455 §5.5.1: the reason is UTF-8; §8.1: invalid UTF-8 fails the connection. Autobahn 7.5.1 accepts 1002 or 1007.
  @WS-CLOSE-REASON-UTF8 @must
  Scenario Outline: A close reason that is not UTF-8 fails the connection: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case  | sends                                                       | outcome                                                           |
      | 7.5.1 | a close frame with code 1000 and a reason that is not UTF-8 | nothing back, then the server closes (1002 or 1007, or drops TCP) |

  # RFC 6455 §1.4, §5.5.1: after a close frame, a peer discards any further data; a server must not act on it. Autobahn 7.1.2–7.1.5.
  @WS-AFTER-CLOSE @must
  Scenario Outline: Nothing a client sends after its close frame is processed: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case  | sends                                                               | outcome                                 |
      | 7.1.2 | a close frame (1000), then a second close frame                     | nothing back, then a clean close (1000) |
      | 7.1.3 | a close frame (1000), then a ping                                   | nothing back, then a clean close (1000) |
      | 7.1.4 | a close frame (1000), then a text message                           | nothing back, then a clean close (1000) |
      | 7.1.5 | a first text fragment, a close frame (1000), then the last fragment | nothing back, then a clean close (1000) |

  # RFC 6455 §5.5.1: an endpoint MAY finish sending its current message before it answers a close frame. Autobahn 7.1.6 (INFORMATIONAL: recorded, never failed).
  @WS-CLOSE-AFTER-MESSAGE @may
  Scenario Outline: A message sent just before a close frame may still be echoed: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case  | sends                                                                                 | outcome                            |
      | 7.1.6 | a 256 KiB text message, a text message, a close frame (1000) and a ping, back to back | anything (recorded, informational) |

  # RFC 6455 §7.4.2 assigns no code above 4999: what a server does with one is left open. Autobahn 7.13 (INFORMATIONAL: recorded, never failed).
  @WS-CLOSE-CODE-UNDEFINED @may
  Scenario Outline: A close code above 4999 may be refused or accepted: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case   | sends                         | outcome                            |
      | 7.13.1 | a close frame with code 5000  | anything (recorded, informational) |
      | 7.13.2 | a close frame with code 65535 | anything (recorded, informational) |
