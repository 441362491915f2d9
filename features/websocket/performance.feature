@websocket @echo
Feature: Large and many messages
  Autobahn|Testsuite's category 9: messages of up to 16 MiB, a 4 MiB message
  in frames as small as 64 bytes, a 1 MiB message written in small TCP pieces,
  and 1000 round trips one after another. As in Autobahn, an echo is judged by
  its type and length, within the case's own timeout; each case's duration and
  rate are reported as figures, never judged. A server that declares a smaller
  maximum message or frame may refuse a larger one, best with close code 1009.

  # RFC 6455 §5.2: a payload over 65535 bytes takes the 64-bit length. Autobahn 9.1, 9.2.
  @WS-LARGE-MESSAGE @must
  Scenario Outline: A single large message is echoed whole: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case  | sends                       | outcome                             |
      | 9.1.1 | a text message of 64 KiB    | the echo, then a clean close (1000) |
      | 9.1.2 | a text message of 256 KiB   | the echo, then a clean close (1000) |
      | 9.1.3 | a text message of 1 MiB     | the echo, then a clean close (1000) |
      | 9.1.4 | a text message of 4 MiB     | the echo, then a clean close (1000) |
      | 9.1.5 | a text message of 8 MiB     | the echo, then a clean close (1000) |
      | 9.1.6 | a text message of 16 MiB    | the echo, then a clean close (1000) |
      | 9.2.1 | a binary message of 64 KiB  | the echo, then a clean close (1000) |
      | 9.2.2 | a binary message of 256 KiB | the echo, then a clean close (1000) |
      | 9.2.3 | a binary message of 1 MiB   | the echo, then a clean close (1000) |
      | 9.2.4 | a binary message of 4 MiB   | the echo, then a clean close (1000) |
      | 9.2.5 | a binary message of 8 MiB   | the echo, then a clean close (1000) |
      | 9.2.6 | a binary message of 16 MiB  | the echo, then a clean close (1000) |

  # RFC 6455 §5.4: servers must receive fragmented messages, in frames of any size. Autobahn 9.3, 9.4.
  @WS-LARGE-FRAGMENTED @must
  Scenario Outline: A 4 MiB message in many frames is echoed whole: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case  | sends                                            | outcome                             |
      | 9.3.1 | a text message of 4 MiB in frames of 64 bytes    | the echo, then a clean close (1000) |
      | 9.3.2 | a text message of 4 MiB in frames of 256 bytes   | the echo, then a clean close (1000) |
      | 9.3.3 | a text message of 4 MiB in frames of 1 KiB       | the echo, then a clean close (1000) |
      | 9.3.4 | a text message of 4 MiB in frames of 4 KiB       | the echo, then a clean close (1000) |
      | 9.3.5 | a text message of 4 MiB in frames of 16 KiB      | the echo, then a clean close (1000) |
      | 9.3.6 | a text message of 4 MiB in frames of 64 KiB      | the echo, then a clean close (1000) |
      | 9.3.7 | a text message of 4 MiB in frames of 256 KiB     | the echo, then a clean close (1000) |
      | 9.3.8 | a text message of 4 MiB in frames of 1 MiB       | the echo, then a clean close (1000) |
      | 9.3.9 | a text message of 4 MiB in frames of 4 MiB       | the echo, then a clean close (1000) |
      | 9.4.1 | a binary message of 4 MiB in frames of 64 bytes  | the echo, then a clean close (1000) |
      | 9.4.2 | a binary message of 4 MiB in frames of 256 bytes | the echo, then a clean close (1000) |
      | 9.4.3 | a binary message of 4 MiB in frames of 1 KiB     | the echo, then a clean close (1000) |
      | 9.4.4 | a binary message of 4 MiB in frames of 4 KiB     | the echo, then a clean close (1000) |
      | 9.4.5 | a binary message of 4 MiB in frames of 16 KiB    | the echo, then a clean close (1000) |
      | 9.4.6 | a binary message of 4 MiB in frames of 64 KiB    | the echo, then a clean close (1000) |
      | 9.4.7 | a binary message of 4 MiB in frames of 256 KiB   | the echo, then a clean close (1000) |
      | 9.4.8 | a binary message of 4 MiB in frames of 1 MiB     | the echo, then a clean close (1000) |
      | 9.4.9 | a binary message of 4 MiB in frames of 4 MiB     | the echo, then a clean close (1000) |

  # RFC 6455 §5.2 over TCP's byte stream: a frame is read however the writes cut it. Autobahn 9.5, 9.6.
  @WS-CHOPPED @must
  Scenario Outline: A 1 MiB message written in small pieces is echoed whole: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case  | sends                                         | outcome                             |
      | 9.5.1 | a text message of 1 MiB in 64-byte writes     | the echo, then a clean close (1000) |
      | 9.5.2 | a text message of 1 MiB in 128-byte writes    | the echo, then a clean close (1000) |
      | 9.5.3 | a text message of 1 MiB in 256-byte writes    | the echo, then a clean close (1000) |
      | 9.5.4 | a text message of 1 MiB in 512-byte writes    | the echo, then a clean close (1000) |
      | 9.5.5 | a text message of 1 MiB in 1024-byte writes   | the echo, then a clean close (1000) |
      | 9.5.6 | a text message of 1 MiB in 2048-byte writes   | the echo, then a clean close (1000) |
      | 9.6.1 | a binary message of 1 MiB in 64-byte writes   | the echo, then a clean close (1000) |
      | 9.6.2 | a binary message of 1 MiB in 128-byte writes  | the echo, then a clean close (1000) |
      | 9.6.3 | a binary message of 1 MiB in 256-byte writes  | the echo, then a clean close (1000) |
      | 9.6.4 | a binary message of 1 MiB in 512-byte writes  | the echo, then a clean close (1000) |
      | 9.6.5 | a binary message of 1 MiB in 1024-byte writes | the echo, then a clean close (1000) |
      | 9.6.6 | a binary message of 1 MiB in 2048-byte writes | the echo, then a clean close (1000) |

  # RFC 6455 §5.4; Autobahn 9.7, 9.8 measure the round-trip time: each message waits for the echo of the one before.
  @WS-ROUND-TRIPS @must
  Scenario Outline: Many round trips one after another are all echoed: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case  | sends                                                                    | outcome                                |
      | 9.7.1 | 1000 text messages of 0 bytes, each after the echo of the one before     | 1000 echoes, then a clean close (1000) |
      | 9.7.2 | 1000 text messages of 16 bytes, each after the echo of the one before    | 1000 echoes, then a clean close (1000) |
      | 9.7.3 | 1000 text messages of 64 bytes, each after the echo of the one before    | 1000 echoes, then a clean close (1000) |
      | 9.7.4 | 1000 text messages of 256 bytes, each after the echo of the one before   | 1000 echoes, then a clean close (1000) |
      | 9.7.5 | 1000 text messages of 1 KiB, each after the echo of the one before       | 1000 echoes, then a clean close (1000) |
      | 9.7.6 | 1000 text messages of 4 KiB, each after the echo of the one before       | 1000 echoes, then a clean close (1000) |
      | 9.8.1 | 1000 binary messages of 0 bytes, each after the echo of the one before   | 1000 echoes, then a clean close (1000) |
      | 9.8.2 | 1000 binary messages of 16 bytes, each after the echo of the one before  | 1000 echoes, then a clean close (1000) |
      | 9.8.3 | 1000 binary messages of 64 bytes, each after the echo of the one before  | 1000 echoes, then a clean close (1000) |
      | 9.8.4 | 1000 binary messages of 256 bytes, each after the echo of the one before | 1000 echoes, then a clean close (1000) |
      | 9.8.5 | 1000 binary messages of 1 KiB, each after the echo of the one before     | 1000 echoes, then a clean close (1000) |
      | 9.8.6 | 1000 binary messages of 4 KiB, each after the echo of the one before     | 1000 echoes, then a clean close (1000) |
