@websocket @echo @deflate
Feature: Compression
  permessage-deflate (RFC 7692) compresses each data message with DEFLATE:
  the client offers it with parameters, the server accepts one offer or
  declines, and RSV1 marks a compressed message's first frame. Each row is a
  case on its own connection (Autobahn 12.x and 13.x, and pushspec's own rows
  P12.x); the cases run only where the adapter declares
  "websocket.permessageDeflate".

  # RFC 7692 §5, §7, §7.1: a server accepts at most one offer, with an answer that agrees with it (each parameter's rule). pushspec's own.
  @WS-DEFLATE-NEGOTIATE @must
  Scenario Outline: An offer of permessage-deflate is accepted with an answer that agrees with it, or declined: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case     | sends                                                                                                | outcome                             |
      | P12.1.1  | an offer of permessage-deflate without parameters, then a text message                               | the echo, then a clean close (1000) |
      | P12.1.2  | an offer asking for server_no_context_takeover, then a text message                                  | the echo, then a clean close (1000) |
      | P12.1.3  | an offer with client_no_context_takeover, then a text message                                        | the echo, then a clean close (1000) |
      | P12.1.4  | an offer asking for server_max_window_bits=10, then a text message                                   | the echo, then a clean close (1000) |
      | P12.1.5  | an offer asking for server_max_window_bits=8, then a text message                                    | the echo, then a clean close (1000) |
      | P12.1.6  | an offer with client_max_window_bits (no value), then a text message                                 | the echo, then a clean close (1000) |
      | P12.1.7  | an offer with client_max_window_bits=9, then a text message                                          | the echo, then a clean close (1000) |
      | P12.1.8  | an offer asking for server_max_window_bits="10" (a quoted value), then a text message                | the echo, then a clean close (1000) |
      | P12.1.9  | an offer whose first element has an unknown parameter and whose second has none, then a text message | the echo, then a clean close (1000) |
      | P12.1.10 | an offer with all four parameters, then a text message                                               | the echo, then a clean close (1000) |

  # RFC 7692 §7: "A server MUST decline an extension negotiation offer for this extension if any of the following conditions are met" (an unknown, invalid or duplicated parameter). Declining is answering 101 without the extension; a 400 is not declining. pushspec's own.
  @WS-DEFLATE-DECLINE @must
  Scenario Outline: An offer with an unknown, invalid or duplicated parameter is declined, and the connection opens uncompressed: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case    | sends                                                                                           | outcome                             |
      | P12.2.1 | an offer with an unknown parameter, then a text message                                         | the echo, then a clean close (1000) |
      | P12.2.2 | an offer with server_no_context_takeover twice, then a text message                             | the echo, then a clean close (1000) |
      | P12.2.3 | an offer with client_max_window_bits twice, then a text message                                 | the echo, then a clean close (1000) |
      | P12.2.4 | an offer with server_max_window_bits=7 (below 8), then a text message                           | the echo, then a clean close (1000) |
      | P12.2.5 | an offer with server_max_window_bits=16 (above 15), then a text message                         | the echo, then a clean close (1000) |
      | P12.2.6 | an offer with server_max_window_bits without a value, then a text message                       | the echo, then a clean close (1000) |
      | P12.2.7 | an offer with server_max_window_bits=010 (a leading zero), then a text message                  | the echo, then a clean close (1000) |
      | P12.2.8 | an offer with client_max_window_bits=big, then a text message                                   | the echo, then a clean close (1000) |
      | P12.2.9 | an offer with server_no_context_takeover=1 (a value where none is allowed), then a text message | the echo, then a clean close (1000) |

  # RFC 7692 §6, §7.2: compressed messages are inflated and echoed intact. Autobahn 12.1–12.5: five corpora, 18 message sizes (PUSHSPEC_DEFLATE_MESSAGES messages each, 10 by default; Autobahn sends 1000); a declined offer leaves the row unsupported, as Autobahn's UNIMPLEMENTED.
  @WS-DEFLATE-ECHO @must
  Scenario Outline: Compressed messages are echoed intact: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case    | sends                                                                                    | outcome                                                   |
      | 12.1.1  | compressed text messages of 16 characters of JSON                                        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.2  | compressed text messages of 64 characters of JSON                                        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.3  | compressed text messages of 256 characters of JSON                                       | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.4  | compressed text messages of 1024 characters of JSON                                      | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.5  | compressed text messages of 4096 characters of JSON                                      | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.6  | compressed text messages of 8192 characters of JSON                                      | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.7  | compressed text messages of 16384 characters of JSON                                     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.8  | compressed text messages of 32768 characters of JSON                                     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.9  | compressed text messages of 65536 characters of JSON                                     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.10 | compressed text messages of 131072 characters of JSON                                    | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.11 | compressed text messages of 8192 characters of JSON in 256-byte fragments                | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.12 | compressed text messages of 16384 characters of JSON in 256-byte fragments               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.13 | compressed text messages of 32768 characters of JSON in 256-byte fragments               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.14 | compressed text messages of 65536 characters of JSON in 256-byte fragments               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.15 | compressed text messages of 131072 characters of JSON in 256-byte fragments              | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.16 | compressed text messages of 131072 characters of JSON in 1024-byte fragments             | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.17 | compressed text messages of 131072 characters of JSON in 4096-byte fragments             | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.1.18 | compressed text messages of 131072 characters of JSON in 32768-byte fragments            | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.1  | compressed binary messages of 16 bytes of a bitmap image                                 | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.2  | compressed binary messages of 64 bytes of a bitmap image                                 | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.3  | compressed binary messages of 256 bytes of a bitmap image                                | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.4  | compressed binary messages of 1024 bytes of a bitmap image                               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.5  | compressed binary messages of 4096 bytes of a bitmap image                               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.6  | compressed binary messages of 8192 bytes of a bitmap image                               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.7  | compressed binary messages of 16384 bytes of a bitmap image                              | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.8  | compressed binary messages of 32768 bytes of a bitmap image                              | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.9  | compressed binary messages of 65536 bytes of a bitmap image                              | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.10 | compressed binary messages of 131072 bytes of a bitmap image                             | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.11 | compressed binary messages of 8192 bytes of a bitmap image in 256-byte fragments         | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.12 | compressed binary messages of 16384 bytes of a bitmap image in 256-byte fragments        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.13 | compressed binary messages of 32768 bytes of a bitmap image in 256-byte fragments        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.14 | compressed binary messages of 65536 bytes of a bitmap image in 256-byte fragments        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.15 | compressed binary messages of 131072 bytes of a bitmap image in 256-byte fragments       | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.16 | compressed binary messages of 131072 bytes of a bitmap image in 1024-byte fragments      | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.17 | compressed binary messages of 131072 bytes of a bitmap image in 4096-byte fragments      | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.2.18 | compressed binary messages of 131072 bytes of a bitmap image in 32768-byte fragments     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.1  | compressed binary messages of 16 bytes of German prose                                   | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.2  | compressed binary messages of 64 bytes of German prose                                   | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.3  | compressed binary messages of 256 bytes of German prose                                  | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.4  | compressed binary messages of 1024 bytes of German prose                                 | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.5  | compressed binary messages of 4096 bytes of German prose                                 | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.6  | compressed binary messages of 8192 bytes of German prose                                 | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.7  | compressed binary messages of 16384 bytes of German prose                                | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.8  | compressed binary messages of 32768 bytes of German prose                                | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.9  | compressed binary messages of 65536 bytes of German prose                                | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.10 | compressed binary messages of 131072 bytes of German prose                               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.11 | compressed binary messages of 8192 bytes of German prose in 256-byte fragments           | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.12 | compressed binary messages of 16384 bytes of German prose in 256-byte fragments          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.13 | compressed binary messages of 32768 bytes of German prose in 256-byte fragments          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.14 | compressed binary messages of 65536 bytes of German prose in 256-byte fragments          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.15 | compressed binary messages of 131072 bytes of German prose in 256-byte fragments         | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.16 | compressed binary messages of 131072 bytes of German prose in 1024-byte fragments        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.17 | compressed binary messages of 131072 bytes of German prose in 4096-byte fragments        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.3.18 | compressed binary messages of 131072 bytes of German prose in 32768-byte fragments       | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.1  | compressed text messages of 16 characters of HTML                                        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.2  | compressed text messages of 64 characters of HTML                                        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.3  | compressed text messages of 256 characters of HTML                                       | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.4  | compressed text messages of 1024 characters of HTML                                      | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.5  | compressed text messages of 4096 characters of HTML                                      | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.6  | compressed text messages of 8192 characters of HTML                                      | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.7  | compressed text messages of 16384 characters of HTML                                     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.8  | compressed text messages of 32768 characters of HTML                                     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.9  | compressed text messages of 65536 characters of HTML                                     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.10 | compressed text messages of 131072 characters of HTML                                    | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.11 | compressed text messages of 8192 characters of HTML in 256-byte fragments                | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.12 | compressed text messages of 16384 characters of HTML in 256-byte fragments               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.13 | compressed text messages of 32768 characters of HTML in 256-byte fragments               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.14 | compressed text messages of 65536 characters of HTML in 256-byte fragments               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.15 | compressed text messages of 131072 characters of HTML in 256-byte fragments              | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.16 | compressed text messages of 131072 characters of HTML in 1024-byte fragments             | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.17 | compressed text messages of 131072 characters of HTML in 4096-byte fragments             | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.4.18 | compressed text messages of 131072 characters of HTML in 32768-byte fragments            | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.1  | compressed binary messages of 16 bytes of a PDF file                                     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.2  | compressed binary messages of 64 bytes of a PDF file                                     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.3  | compressed binary messages of 256 bytes of a PDF file                                    | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.4  | compressed binary messages of 1024 bytes of a PDF file                                   | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.5  | compressed binary messages of 4096 bytes of a PDF file                                   | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.6  | compressed binary messages of 8192 bytes of a PDF file                                   | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.7  | compressed binary messages of 16384 bytes of a PDF file                                  | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.8  | compressed binary messages of 32768 bytes of a PDF file                                  | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.9  | compressed binary messages of 65536 bytes of a PDF file                                  | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.10 | compressed binary messages of 131072 bytes of a PDF file                                 | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.11 | compressed binary messages of 8192 bytes of a PDF file in 256-byte fragments             | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.12 | compressed binary messages of 16384 bytes of a PDF file in 256-byte fragments            | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.13 | compressed binary messages of 32768 bytes of a PDF file in 256-byte fragments            | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.14 | compressed binary messages of 65536 bytes of a PDF file in 256-byte fragments            | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.15 | compressed binary messages of 131072 bytes of a PDF file in 256-byte fragments           | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.16 | compressed binary messages of 131072 bytes of a PDF file in 1024-byte fragments          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.17 | compressed binary messages of 131072 bytes of a PDF file in 4096-byte fragments          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 12.5.18 | compressed binary messages of 131072 bytes of a PDF file in 32768-byte fragments         | every echo with the SHA-1 sent, then a clean close (1000) |
      | P12.6.1 | an uncompressed text message (RSV1 clear) on a connection that agreed permessage-deflate | the echo, then a clean close (1000)                       |

  # RFC 7692 §7.1: each parameter combination changes the compressor, not the data. Autobahn 13.1–13.7 (JSON, seven offers, 18 message sizes); a declined offer leaves the row unsupported.
  @WS-DEFLATE-PARAMS @must
  Scenario Outline: Compressed messages are echoed intact under every parameter combination: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case    | sends                                                                                                                                            | outcome                                                   |
      | 13.1.1  | compressed text messages of 16 characters of JSON, with the default offer                                                                        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.2  | compressed text messages of 64 characters of JSON, with the default offer                                                                        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.3  | compressed text messages of 256 characters of JSON, with the default offer                                                                       | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.4  | compressed text messages of 1024 characters of JSON, with the default offer                                                                      | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.5  | compressed text messages of 4096 characters of JSON, with the default offer                                                                      | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.6  | compressed text messages of 8192 characters of JSON, with the default offer                                                                      | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.7  | compressed text messages of 16384 characters of JSON, with the default offer                                                                     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.8  | compressed text messages of 32768 characters of JSON, with the default offer                                                                     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.9  | compressed text messages of 65536 characters of JSON, with the default offer                                                                     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.10 | compressed text messages of 131072 characters of JSON, with the default offer                                                                    | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.11 | compressed text messages of 8192 characters of JSON in 256-byte fragments, with the default offer                                                | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.12 | compressed text messages of 16384 characters of JSON in 256-byte fragments, with the default offer                                               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.13 | compressed text messages of 32768 characters of JSON in 256-byte fragments, with the default offer                                               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.14 | compressed text messages of 65536 characters of JSON in 256-byte fragments, with the default offer                                               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.15 | compressed text messages of 131072 characters of JSON in 256-byte fragments, with the default offer                                              | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.16 | compressed text messages of 131072 characters of JSON in 1024-byte fragments, with the default offer                                             | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.17 | compressed text messages of 131072 characters of JSON in 4096-byte fragments, with the default offer                                             | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.1.18 | compressed text messages of 131072 characters of JSON in 32768-byte fragments, with the default offer                                            | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.1  | compressed text messages of 16 characters of JSON, offering server_no_context_takeover                                                           | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.2  | compressed text messages of 64 characters of JSON, offering server_no_context_takeover                                                           | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.3  | compressed text messages of 256 characters of JSON, offering server_no_context_takeover                                                          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.4  | compressed text messages of 1024 characters of JSON, offering server_no_context_takeover                                                         | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.5  | compressed text messages of 4096 characters of JSON, offering server_no_context_takeover                                                         | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.6  | compressed text messages of 8192 characters of JSON, offering server_no_context_takeover                                                         | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.7  | compressed text messages of 16384 characters of JSON, offering server_no_context_takeover                                                        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.8  | compressed text messages of 32768 characters of JSON, offering server_no_context_takeover                                                        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.9  | compressed text messages of 65536 characters of JSON, offering server_no_context_takeover                                                        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.10 | compressed text messages of 131072 characters of JSON, offering server_no_context_takeover                                                       | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.11 | compressed text messages of 8192 characters of JSON in 256-byte fragments, offering server_no_context_takeover                                   | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.12 | compressed text messages of 16384 characters of JSON in 256-byte fragments, offering server_no_context_takeover                                  | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.13 | compressed text messages of 32768 characters of JSON in 256-byte fragments, offering server_no_context_takeover                                  | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.14 | compressed text messages of 65536 characters of JSON in 256-byte fragments, offering server_no_context_takeover                                  | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.15 | compressed text messages of 131072 characters of JSON in 256-byte fragments, offering server_no_context_takeover                                 | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.16 | compressed text messages of 131072 characters of JSON in 1024-byte fragments, offering server_no_context_takeover                                | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.17 | compressed text messages of 131072 characters of JSON in 4096-byte fragments, offering server_no_context_takeover                                | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.2.18 | compressed text messages of 131072 characters of JSON in 32768-byte fragments, offering server_no_context_takeover                               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.1  | compressed text messages of 16 characters of JSON, offering server_max_window_bits=9                                                             | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.2  | compressed text messages of 64 characters of JSON, offering server_max_window_bits=9                                                             | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.3  | compressed text messages of 256 characters of JSON, offering server_max_window_bits=9                                                            | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.4  | compressed text messages of 1024 characters of JSON, offering server_max_window_bits=9                                                           | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.5  | compressed text messages of 4096 characters of JSON, offering server_max_window_bits=9                                                           | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.6  | compressed text messages of 8192 characters of JSON, offering server_max_window_bits=9                                                           | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.7  | compressed text messages of 16384 characters of JSON, offering server_max_window_bits=9                                                          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.8  | compressed text messages of 32768 characters of JSON, offering server_max_window_bits=9                                                          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.9  | compressed text messages of 65536 characters of JSON, offering server_max_window_bits=9                                                          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.10 | compressed text messages of 131072 characters of JSON, offering server_max_window_bits=9                                                         | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.11 | compressed text messages of 8192 characters of JSON in 256-byte fragments, offering server_max_window_bits=9                                     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.12 | compressed text messages of 16384 characters of JSON in 256-byte fragments, offering server_max_window_bits=9                                    | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.13 | compressed text messages of 32768 characters of JSON in 256-byte fragments, offering server_max_window_bits=9                                    | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.14 | compressed text messages of 65536 characters of JSON in 256-byte fragments, offering server_max_window_bits=9                                    | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.15 | compressed text messages of 131072 characters of JSON in 256-byte fragments, offering server_max_window_bits=9                                   | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.16 | compressed text messages of 131072 characters of JSON in 1024-byte fragments, offering server_max_window_bits=9                                  | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.17 | compressed text messages of 131072 characters of JSON in 4096-byte fragments, offering server_max_window_bits=9                                  | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.3.18 | compressed text messages of 131072 characters of JSON in 32768-byte fragments, offering server_max_window_bits=9                                 | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.1  | compressed text messages of 16 characters of JSON, offering server_max_window_bits=15                                                            | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.2  | compressed text messages of 64 characters of JSON, offering server_max_window_bits=15                                                            | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.3  | compressed text messages of 256 characters of JSON, offering server_max_window_bits=15                                                           | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.4  | compressed text messages of 1024 characters of JSON, offering server_max_window_bits=15                                                          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.5  | compressed text messages of 4096 characters of JSON, offering server_max_window_bits=15                                                          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.6  | compressed text messages of 8192 characters of JSON, offering server_max_window_bits=15                                                          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.7  | compressed text messages of 16384 characters of JSON, offering server_max_window_bits=15                                                         | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.8  | compressed text messages of 32768 characters of JSON, offering server_max_window_bits=15                                                         | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.9  | compressed text messages of 65536 characters of JSON, offering server_max_window_bits=15                                                         | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.10 | compressed text messages of 131072 characters of JSON, offering server_max_window_bits=15                                                        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.11 | compressed text messages of 8192 characters of JSON in 256-byte fragments, offering server_max_window_bits=15                                    | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.12 | compressed text messages of 16384 characters of JSON in 256-byte fragments, offering server_max_window_bits=15                                   | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.13 | compressed text messages of 32768 characters of JSON in 256-byte fragments, offering server_max_window_bits=15                                   | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.14 | compressed text messages of 65536 characters of JSON in 256-byte fragments, offering server_max_window_bits=15                                   | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.15 | compressed text messages of 131072 characters of JSON in 256-byte fragments, offering server_max_window_bits=15                                  | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.16 | compressed text messages of 131072 characters of JSON in 1024-byte fragments, offering server_max_window_bits=15                                 | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.17 | compressed text messages of 131072 characters of JSON in 4096-byte fragments, offering server_max_window_bits=15                                 | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.4.18 | compressed text messages of 131072 characters of JSON in 32768-byte fragments, offering server_max_window_bits=15                                | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.1  | compressed text messages of 16 characters of JSON, offering server_no_context_takeover and server_max_window_bits=9                              | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.2  | compressed text messages of 64 characters of JSON, offering server_no_context_takeover and server_max_window_bits=9                              | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.3  | compressed text messages of 256 characters of JSON, offering server_no_context_takeover and server_max_window_bits=9                             | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.4  | compressed text messages of 1024 characters of JSON, offering server_no_context_takeover and server_max_window_bits=9                            | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.5  | compressed text messages of 4096 characters of JSON, offering server_no_context_takeover and server_max_window_bits=9                            | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.6  | compressed text messages of 8192 characters of JSON, offering server_no_context_takeover and server_max_window_bits=9                            | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.7  | compressed text messages of 16384 characters of JSON, offering server_no_context_takeover and server_max_window_bits=9                           | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.8  | compressed text messages of 32768 characters of JSON, offering server_no_context_takeover and server_max_window_bits=9                           | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.9  | compressed text messages of 65536 characters of JSON, offering server_no_context_takeover and server_max_window_bits=9                           | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.10 | compressed text messages of 131072 characters of JSON, offering server_no_context_takeover and server_max_window_bits=9                          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.11 | compressed text messages of 8192 characters of JSON in 256-byte fragments, offering server_no_context_takeover and server_max_window_bits=9      | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.12 | compressed text messages of 16384 characters of JSON in 256-byte fragments, offering server_no_context_takeover and server_max_window_bits=9     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.13 | compressed text messages of 32768 characters of JSON in 256-byte fragments, offering server_no_context_takeover and server_max_window_bits=9     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.14 | compressed text messages of 65536 characters of JSON in 256-byte fragments, offering server_no_context_takeover and server_max_window_bits=9     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.15 | compressed text messages of 131072 characters of JSON in 256-byte fragments, offering server_no_context_takeover and server_max_window_bits=9    | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.16 | compressed text messages of 131072 characters of JSON in 1024-byte fragments, offering server_no_context_takeover and server_max_window_bits=9   | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.17 | compressed text messages of 131072 characters of JSON in 4096-byte fragments, offering server_no_context_takeover and server_max_window_bits=9   | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.5.18 | compressed text messages of 131072 characters of JSON in 32768-byte fragments, offering server_no_context_takeover and server_max_window_bits=9  | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.1  | compressed text messages of 16 characters of JSON, offering server_no_context_takeover and server_max_window_bits=15                             | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.2  | compressed text messages of 64 characters of JSON, offering server_no_context_takeover and server_max_window_bits=15                             | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.3  | compressed text messages of 256 characters of JSON, offering server_no_context_takeover and server_max_window_bits=15                            | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.4  | compressed text messages of 1024 characters of JSON, offering server_no_context_takeover and server_max_window_bits=15                           | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.5  | compressed text messages of 4096 characters of JSON, offering server_no_context_takeover and server_max_window_bits=15                           | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.6  | compressed text messages of 8192 characters of JSON, offering server_no_context_takeover and server_max_window_bits=15                           | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.7  | compressed text messages of 16384 characters of JSON, offering server_no_context_takeover and server_max_window_bits=15                          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.8  | compressed text messages of 32768 characters of JSON, offering server_no_context_takeover and server_max_window_bits=15                          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.9  | compressed text messages of 65536 characters of JSON, offering server_no_context_takeover and server_max_window_bits=15                          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.10 | compressed text messages of 131072 characters of JSON, offering server_no_context_takeover and server_max_window_bits=15                         | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.11 | compressed text messages of 8192 characters of JSON in 256-byte fragments, offering server_no_context_takeover and server_max_window_bits=15     | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.12 | compressed text messages of 16384 characters of JSON in 256-byte fragments, offering server_no_context_takeover and server_max_window_bits=15    | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.13 | compressed text messages of 32768 characters of JSON in 256-byte fragments, offering server_no_context_takeover and server_max_window_bits=15    | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.14 | compressed text messages of 65536 characters of JSON in 256-byte fragments, offering server_no_context_takeover and server_max_window_bits=15    | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.15 | compressed text messages of 131072 characters of JSON in 256-byte fragments, offering server_no_context_takeover and server_max_window_bits=15   | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.16 | compressed text messages of 131072 characters of JSON in 1024-byte fragments, offering server_no_context_takeover and server_max_window_bits=15  | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.17 | compressed text messages of 131072 characters of JSON in 4096-byte fragments, offering server_no_context_takeover and server_max_window_bits=15  | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.6.18 | compressed text messages of 131072 characters of JSON in 32768-byte fragments, offering server_no_context_takeover and server_max_window_bits=15 | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.1  | compressed text messages of 16 characters of JSON, offering three configurations in order of preference                                          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.2  | compressed text messages of 64 characters of JSON, offering three configurations in order of preference                                          | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.3  | compressed text messages of 256 characters of JSON, offering three configurations in order of preference                                         | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.4  | compressed text messages of 1024 characters of JSON, offering three configurations in order of preference                                        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.5  | compressed text messages of 4096 characters of JSON, offering three configurations in order of preference                                        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.6  | compressed text messages of 8192 characters of JSON, offering three configurations in order of preference                                        | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.7  | compressed text messages of 16384 characters of JSON, offering three configurations in order of preference                                       | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.8  | compressed text messages of 32768 characters of JSON, offering three configurations in order of preference                                       | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.9  | compressed text messages of 65536 characters of JSON, offering three configurations in order of preference                                       | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.10 | compressed text messages of 131072 characters of JSON, offering three configurations in order of preference                                      | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.11 | compressed text messages of 8192 characters of JSON in 256-byte fragments, offering three configurations in order of preference                  | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.12 | compressed text messages of 16384 characters of JSON in 256-byte fragments, offering three configurations in order of preference                 | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.13 | compressed text messages of 32768 characters of JSON in 256-byte fragments, offering three configurations in order of preference                 | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.14 | compressed text messages of 65536 characters of JSON in 256-byte fragments, offering three configurations in order of preference                 | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.15 | compressed text messages of 131072 characters of JSON in 256-byte fragments, offering three configurations in order of preference                | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.16 | compressed text messages of 131072 characters of JSON in 1024-byte fragments, offering three configurations in order of preference               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.17 | compressed text messages of 131072 characters of JSON in 4096-byte fragments, offering three configurations in order of preference               | every echo with the SHA-1 sent, then a clean close (1000) |
      | 13.7.18 | compressed text messages of 131072 characters of JSON in 32768-byte fragments, offering three configurations in order of preference              | every echo with the SHA-1 sent, then a clean close (1000) |

  # RFC 7692 §6: "An endpoint MUST NOT set the 'Per-Message Compressed' bit of control frames and non-first fragments of a data message. An endpoint receiving such a frame MUST _Fail the WebSocket Connection_." RFC 6455 §10.7: incoming data MUST always be validated (a payload that does not inflate: 1002 or 1007, implementations differ). pushspec's own.
  @WS-DEFLATE-PROTOCOL-ERRORS @must
  Scenario Outline: RSV1 where RFC 7692 forbids it, or a payload that does not inflate, fails the connection: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case    | sends                                                                      | outcome                                        |
      | P12.3.1 | a ping with RSV1 set                                                       | the server fails the connection (1002)         |
      | P12.3.2 | an unsolicited pong with RSV1 set                                          | the server fails the connection (1002)         |
      | P12.3.3 | a compressed text message in 2 fragments, RSV1 set on the continuation too | the server fails the connection (1002)         |
      | P12.3.4 | a text message with RSV1 set whose payload does not inflate                | the server fails the connection (1002 or 1007) |

  # RFC 6455 §10.4, §7.4.1: a limit on message size holds for the inflated message (a decompression bomb, RFC 7692 §8), and 1009 says why. pushspec's own.
  @WS-DEFLATE-LIMIT @must @max-message
  Scenario Outline: A compressed message that inflates past the declared maximum fails the connection: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case    | sends                                                                        | outcome                                |
      | P12.4.1 | a compressed text message of 64 MiB of one letter (about 64 KiB on the wire) | the server fails the connection (1009) |

  # RFC 7692 §7.1.1: with server_no_context_takeover agreed the server compresses each message with an empty window; without client_no_context_takeover it keeps its inflater's window. pushspec's own.
  @WS-DEFLATE-CONTEXT @must
  Scenario Outline: Context takeover is as the answer agreed: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case    | sends                                                                                       | outcome                             |
      | P12.5.1 | an offer asking for server_no_context_takeover, then the same compressed text message twice | 2 echoes, then a clean close (1000) |
      | P12.5.2 | the same compressed text message three times, each compressed against the ones before       | 3 echoes, then a clean close (1000) |
