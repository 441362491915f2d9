@websocket @echo
Feature: Text is UTF-8
  A text message must be valid UTF-8 as a whole. A server that finds it is
  not fails the connection with 1007, also when the bad bytes straddle
  fragments, and best as soon as it reads them; valid text of every kind
  passes untouched. The rows are Autobahn|Testsuite's category 6, with every
  sequence of Markus Kuhn's UTF-8 decoder test as Autobahn lists them (6.5–6.23).

  # RFC 6455 §5.6; RFC 3629: every scalar value from U+0000 to U+10FFFF except surrogates is valid, non-characters included. Autobahn 6.1, 6.2 and the valid sequences of 6.5–6.23.
  @WS-UTF8-VALID @must
  Scenario Outline: Valid text is echoed intact: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case    | sends                                                                                                       | outcome                             |
      | 6.1.1   | an empty text message                                                                                       | the echo, then a clean close (1000) |
      | 6.1.2   | an empty text message in 3 empty fragments                                                                  | the echo, then a clean close (1000) |
      | 6.1.3   | a text message in 3 fragments, only the middle one not empty                                                | the echo, then a clean close (1000) |
      | 6.2.1   | valid UTF-8 text in one frame                                                                               | the echo, then a clean close (1000) |
      | 6.2.2   | valid UTF-8 text in 2 fragments cut on a code point boundary                                                | the echo, then a clean close (1000) |
      | 6.2.3   | valid UTF-8 text in 1-octet fragments                                                                       | the echo, then a clean close (1000) |
      | 6.2.4   | valid UTF-8 text of multi-byte characters (κόσμε) in 1-octet fragments                                      | the echo, then a clean close (1000) |
      | P6.2.5  | valid UTF-8 text with a byte order mark (U+FEFF) inside                                                     | the echo, then a clean close (1000) |
      | P6.2.6  | valid UTF-8 text of 4-byte characters (😀𝄞𠜎) in 1-octet fragments                                         | the echo, then a clean close (1000) |
      | 6.5.1   | the text 68656c6c6f24776f726c64 (some valid UTF-8 sequences)                                                | the echo, then a clean close (1000) |
      | 6.5.2   | the text 68656c6c6fc2a2776f726c64 (some valid UTF-8 sequences)                                              | the echo, then a clean close (1000) |
      | 6.5.3   | the text 68656c6c6fe282ac776f726c…, 13 bytes (some valid UTF-8 sequences)                                   | the echo, then a clean close (1000) |
      | 6.5.4   | the text 68656c6c6ff0a4ada2776f72…, 14 bytes (some valid UTF-8 sequences)                                   | the echo, then a clean close (1000) |
      | 6.5.5   | the text cebae1bdb9cf83cebcceb5 (some valid UTF-8 sequences)                                                | the echo, then a clean close (1000) |
      | 6.6.2   | the text ceba (all prefixes of a valid UTF-8 string that contains multi-byte code points)                   | the echo, then a clean close (1000) |
      | 6.6.5   | the text cebae1bdb9 (all prefixes of a valid UTF-8 string that contains multi-byte code points)             | the echo, then a clean close (1000) |
      | 6.6.7   | the text cebae1bdb9cf83 (all prefixes of a valid UTF-8 string that contains multi-byte code points)         | the echo, then a clean close (1000) |
      | 6.6.9   | the text cebae1bdb9cf83cebc (all prefixes of a valid UTF-8 string that contains multi-byte code points)     | the echo, then a clean close (1000) |
      | 6.6.11  | the text cebae1bdb9cf83cebcceb5 (all prefixes of a valid UTF-8 string that contains multi-byte code points) | the echo, then a clean close (1000) |
      | 6.7.1   | the text 00 (first possible sequence of a certain length)                                                   | the echo, then a clean close (1000) |
      | 6.7.2   | the text c280 (first possible sequence of a certain length)                                                 | the echo, then a clean close (1000) |
      | 6.7.3   | the text e0a080 (first possible sequence of a certain length)                                               | the echo, then a clean close (1000) |
      | 6.7.4   | the text f0908080 (first possible sequence of a certain length)                                             | the echo, then a clean close (1000) |
      | 6.9.1   | the text 7f (last possible sequence of a certain length)                                                    | the echo, then a clean close (1000) |
      | 6.9.2   | the text dfbf (last possible sequence of a certain length)                                                  | the echo, then a clean close (1000) |
      | 6.9.3   | the text efbfbf (last possible sequence of a certain length)                                                | the echo, then a clean close (1000) |
      | 6.9.4   | the text f48fbfbf (last possible sequence of a certain length)                                              | the echo, then a clean close (1000) |
      | 6.11.1  | the text ed9fbf (other boundary conditions)                                                                 | the echo, then a clean close (1000) |
      | 6.11.2  | the text ee8080 (other boundary conditions)                                                                 | the echo, then a clean close (1000) |
      | 6.11.3  | the text efbfbd (other boundary conditions)                                                                 | the echo, then a clean close (1000) |
      | 6.11.4  | the text f48fbfbf (other boundary conditions)                                                               | the echo, then a clean close (1000) |
      | 6.22.1  | the text efbfbe (non-character code points (valid UTF-8))                                                   | the echo, then a clean close (1000) |
      | 6.22.2  | the text efbfbf (non-character code points (valid UTF-8))                                                   | the echo, then a clean close (1000) |
      | 6.22.3  | the text f09fbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.4  | the text f09fbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.5  | the text f0afbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.6  | the text f0afbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.7  | the text f0bfbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.8  | the text f0bfbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.9  | the text f18fbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.10 | the text f18fbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.11 | the text f19fbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.12 | the text f19fbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.13 | the text f1afbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.14 | the text f1afbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.15 | the text f1bfbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.16 | the text f1bfbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.17 | the text f28fbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.18 | the text f28fbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.19 | the text f29fbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.20 | the text f29fbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.21 | the text f2afbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.22 | the text f2afbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.23 | the text f2bfbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.24 | the text f2bfbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.25 | the text f38fbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.26 | the text f38fbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.27 | the text f39fbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.28 | the text f39fbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.29 | the text f3afbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.30 | the text f3afbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.31 | the text f3bfbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.32 | the text f3bfbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.33 | the text f48fbfbe (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.22.34 | the text f48fbfbf (non-character code points (valid UTF-8))                                                 | the echo, then a clean close (1000) |
      | 6.23.1  | the text efbfb9 (unicode specials (i.e. replacement char))                                                  | the echo, then a clean close (1000) |
      | 6.23.2  | the text efbfba (unicode specials (i.e. replacement char))                                                  | the echo, then a clean close (1000) |
      | 6.23.3  | the text efbfbb (unicode specials (i.e. replacement char))                                                  | the echo, then a clean close (1000) |
      | 6.23.4  | the text efbfbc (unicode specials (i.e. replacement char))                                                  | the echo, then a clean close (1000) |
      | 6.23.5  | the text efbfbd (unicode specials (i.e. replacement char))                                                  | the echo, then a clean close (1000) |
      | 6.23.6  | the text efbfbe (unicode specials (i.e. replacement char))                                                  | the echo, then a clean close (1000) |
      | 6.23.7  | the text efbfbf (unicode specials (i.e. replacement char))                                                  | the echo, then a clean close (1000) |

  # RFC 6455 §5.6, §8.1: invalid UTF-8 in a text message MUST fail the connection (1007, §7.4.1). Autobahn 6.3, 6.4 and the invalid sequences of 6.5–6.23.
  # 6.4.x pause 1 s after the first part and 1 s after the bad bytes: failing only after the whole message is non-strict, reported under WS-UTF8-FAIL-FAST (a MAY).
  @WS-UTF8-INVALID @must
  Scenario Outline: Text that is not UTF-8 fails the connection: <sends> (case <case>)
    When the client sends <sends> (case <case>)
    Then the outcome is <outcome>

    Examples:
      | case    | sends                                                                                                     | outcome                                                                             |
      | 6.3.1   | invalid UTF-8 text (a UTF-16 surrogate) in one frame                                                      | the server fails the connection (1007)                                              |
      | 6.3.2   | invalid UTF-8 text (a UTF-16 surrogate) in 1-octet fragments                                              | the server fails the connection (1007)                                              |
      | 6.4.1   | invalid UTF-8 text in 3 fragments 1 s apart, the 2nd holding the bad code point                           | pause A (pause A, pause B: non-strict), then the server fails the connection (1007) |
      | 6.4.2   | invalid UTF-8 text in 3 fragments 1 s apart, the 2nd only the bad byte                                    | pause A (pause A, pause B: non-strict), then the server fails the connection (1007) |
      | 6.4.3   | invalid UTF-8 text in one frame written in 3 parts 1 s apart, the 2nd holding the bad code point          | pause A (pause A, pause B: non-strict), then the server fails the connection (1007) |
      | 6.4.4   | invalid UTF-8 text in one frame written in 3 parts 1 s apart, the 2nd only the bad byte                   | pause A (pause A, pause B: non-strict), then the server fails the connection (1007) |
      | 6.6.1   | the text ce (all prefixes of a valid UTF-8 string that contains multi-byte code points)                   | the server fails the connection (1007)                                              |
      | 6.6.3   | the text cebae1 (all prefixes of a valid UTF-8 string that contains multi-byte code points)               | the server fails the connection (1007)                                              |
      | 6.6.4   | the text cebae1bd (all prefixes of a valid UTF-8 string that contains multi-byte code points)             | the server fails the connection (1007)                                              |
      | 6.6.6   | the text cebae1bdb9cf (all prefixes of a valid UTF-8 string that contains multi-byte code points)         | the server fails the connection (1007)                                              |
      | 6.6.8   | the text cebae1bdb9cf83ce (all prefixes of a valid UTF-8 string that contains multi-byte code points)     | the server fails the connection (1007)                                              |
      | 6.6.10  | the text cebae1bdb9cf83cebcce (all prefixes of a valid UTF-8 string that contains multi-byte code points) | the server fails the connection (1007)                                              |
      | 6.8.1   | the text f888808080 (first possible sequence length 5/6 (invalid codepoints))                             | the server fails the connection (1007)                                              |
      | 6.8.2   | the text fc8480808080 (first possible sequence length 5/6 (invalid codepoints))                           | the server fails the connection (1007)                                              |
      | 6.10.1  | the text f7bfbfbf (last possible sequence length 4/5/6 (invalid codepoints))                              | the server fails the connection (1007)                                              |
      | 6.10.2  | the text fbbfbfbfbf (last possible sequence length 4/5/6 (invalid codepoints))                            | the server fails the connection (1007)                                              |
      | 6.10.3  | the text fdbfbfbfbfbf (last possible sequence length 4/5/6 (invalid codepoints))                          | the server fails the connection (1007)                                              |
      | 6.11.5  | the text f4908080 (other boundary conditions)                                                             | the server fails the connection (1007)                                              |
      | 6.12.1  | the text 80 (unexpected continuation bytes)                                                               | the server fails the connection (1007)                                              |
      | 6.12.2  | the text bf (unexpected continuation bytes)                                                               | the server fails the connection (1007)                                              |
      | 6.12.3  | the text 80bf (unexpected continuation bytes)                                                             | the server fails the connection (1007)                                              |
      | 6.12.4  | the text 80bf80 (unexpected continuation bytes)                                                           | the server fails the connection (1007)                                              |
      | 6.12.5  | the text 80bf80bf (unexpected continuation bytes)                                                         | the server fails the connection (1007)                                              |
      | 6.12.6  | the text 80bf80bf80 (unexpected continuation bytes)                                                       | the server fails the connection (1007)                                              |
      | 6.12.7  | the text 80bf80bf80bf (unexpected continuation bytes)                                                     | the server fails the connection (1007)                                              |
      | 6.12.8  | the text 808182838485868788898a8b…, 63 bytes (unexpected continuation bytes)                              | the server fails the connection (1007)                                              |
      | 6.13.1  | the text c020c120c220c320c420c520…, 62 bytes (lonely start characters)                                    | the server fails the connection (1007)                                              |
      | 6.13.2  | the text e020e120e220e320e420e520…, 30 bytes (lonely start characters)                                    | the server fails the connection (1007)                                              |
      | 6.13.3  | the text f020f120f220f320f420f520…, 14 bytes (lonely start characters)                                    | the server fails the connection (1007)                                              |
      | 6.13.4  | the text f820f920fa20 (lonely start characters)                                                           | the server fails the connection (1007)                                              |
      | 6.13.5  | the text fc20 (lonely start characters)                                                                   | the server fails the connection (1007)                                              |
      | 6.14.1  | the text c0 (sequences with last continuation byte missing)                                               | the server fails the connection (1007)                                              |
      | 6.14.2  | the text e080 (sequences with last continuation byte missing)                                             | the server fails the connection (1007)                                              |
      | 6.14.3  | the text f08080 (sequences with last continuation byte missing)                                           | the server fails the connection (1007)                                              |
      | 6.14.4  | the text f8808080 (sequences with last continuation byte missing)                                         | the server fails the connection (1007)                                              |
      | 6.14.5  | the text fc80808080 (sequences with last continuation byte missing)                                       | the server fails the connection (1007)                                              |
      | 6.14.6  | the text df (sequences with last continuation byte missing)                                               | the server fails the connection (1007)                                              |
      | 6.14.7  | the text efbf (sequences with last continuation byte missing)                                             | the server fails the connection (1007)                                              |
      | 6.14.8  | the text f7bfbf (sequences with last continuation byte missing)                                           | the server fails the connection (1007)                                              |
      | 6.14.9  | the text fbbfbfbf (sequences with last continuation byte missing)                                         | the server fails the connection (1007)                                              |
      | 6.14.10 | the text fdbfbfbfbf (sequences with last continuation byte missing)                                       | the server fails the connection (1007)                                              |
      | 6.15.1  | the text c0e080f08080f8808080fc80…, 30 bytes (concatenation of incomplete sequences)                      | the server fails the connection (1007)                                              |
      | 6.16.1  | the text fe (impossible bytes)                                                                            | the server fails the connection (1007)                                              |
      | 6.16.2  | the text ff (impossible bytes)                                                                            | the server fails the connection (1007)                                              |
      | 6.16.3  | the text fefeffff (impossible bytes)                                                                      | the server fails the connection (1007)                                              |
      | 6.17.1  | the text c0af (examples of an overlong ASCII character)                                                   | the server fails the connection (1007)                                              |
      | 6.17.2  | the text e080af (examples of an overlong ASCII character)                                                 | the server fails the connection (1007)                                              |
      | 6.17.3  | the text f08080af (examples of an overlong ASCII character)                                               | the server fails the connection (1007)                                              |
      | 6.17.4  | the text f8808080af (examples of an overlong ASCII character)                                             | the server fails the connection (1007)                                              |
      | 6.17.5  | the text fc80808080af (examples of an overlong ASCII character)                                           | the server fails the connection (1007)                                              |
      | 6.18.1  | the text c1bf (maximum overlong sequences)                                                                | the server fails the connection (1007)                                              |
      | 6.18.2  | the text e09fbf (maximum overlong sequences)                                                              | the server fails the connection (1007)                                              |
      | 6.18.3  | the text f08fbfbf (maximum overlong sequences)                                                            | the server fails the connection (1007)                                              |
      | 6.18.4  | the text f887bfbfbf (maximum overlong sequences)                                                          | the server fails the connection (1007)                                              |
      | 6.18.5  | the text fc83bfbfbfbf (maximum overlong sequences)                                                        | the server fails the connection (1007)                                              |
      | 6.19.1  | the text c080 (overlong representation of the NUL character)                                              | the server fails the connection (1007)                                              |
      | 6.19.2  | the text e08080 (overlong representation of the NUL character)                                            | the server fails the connection (1007)                                              |
      | 6.19.3  | the text f0808080 (overlong representation of the NUL character)                                          | the server fails the connection (1007)                                              |
      | 6.19.4  | the text f880808080 (overlong representation of the NUL character)                                        | the server fails the connection (1007)                                              |
      | 6.19.5  | the text fc8080808080 (overlong representation of the NUL character)                                      | the server fails the connection (1007)                                              |
      | 6.20.1  | the text eda080 (single UTF-16 surrogates)                                                                | the server fails the connection (1007)                                              |
      | 6.20.2  | the text edadbf (single UTF-16 surrogates)                                                                | the server fails the connection (1007)                                              |
      | 6.20.3  | the text edae80 (single UTF-16 surrogates)                                                                | the server fails the connection (1007)                                              |
      | 6.20.4  | the text edafbf (single UTF-16 surrogates)                                                                | the server fails the connection (1007)                                              |
      | 6.20.5  | the text edb080 (single UTF-16 surrogates)                                                                | the server fails the connection (1007)                                              |
      | 6.20.6  | the text edbe80 (single UTF-16 surrogates)                                                                | the server fails the connection (1007)                                              |
      | 6.20.7  | the text edbfbf (single UTF-16 surrogates)                                                                | the server fails the connection (1007)                                              |
      | 6.21.1  | the text eda080edb080 (paired UTF-16 surrogates)                                                          | the server fails the connection (1007)                                              |
      | 6.21.2  | the text eda080edbfbf (paired UTF-16 surrogates)                                                          | the server fails the connection (1007)                                              |
      | 6.21.3  | the text edadbfedb080 (paired UTF-16 surrogates)                                                          | the server fails the connection (1007)                                              |
      | 6.21.4  | the text edadbfedbfbf (paired UTF-16 surrogates)                                                          | the server fails the connection (1007)                                              |
      | 6.21.5  | the text edae80edb080 (paired UTF-16 surrogates)                                                          | the server fails the connection (1007)                                              |
      | 6.21.6  | the text edae80edbfbf (paired UTF-16 surrogates)                                                          | the server fails the connection (1007)                                              |
      | 6.21.7  | the text edafbfedb080 (paired UTF-16 surrogates)                                                          | the server fails the connection (1007)                                              |
      | 6.21.8  | the text edafbfedbfbf (paired UTF-16 surrogates)                                                          | the server fails the connection (1007)                                              |
