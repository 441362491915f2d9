@websocket @echo
Feature: Framing and echo
  Messages of every size cross the connection intact. Lengths of 0–125 bytes
  take the 7-bit length form, up to 65535 the 16-bit form, above that the
  64-bit form; the server must use the shortest.

  Background:
    Given a client connected to the echo endpoint

  # RFC 6455 §5.2 (payload length, minimal encoding), §5.6 (text). Autobahn 1.1.
  @WS-ECHO-TEXT @must
  Scenario Outline: A text message of <length> bytes is echoed intact
    When the client sends a text message of <length> bytes
    Then the same message comes back, framed with the minimal length encoding

    Examples:
      | length  |
      | 0       |
      | 125     |
      | 126     |
      | 127     |
      | 128     |
      | 65535   |
      | 65536   |
      | 1000000 |

  # RFC 6455 §5.2, §5.6 (binary). Autobahn 1.2.
  @WS-ECHO-BINARY @must
  Scenario Outline: A binary message of <length> bytes is echoed intact
    When the client sends a binary message of <length> bytes
    Then the same message comes back, framed with the minimal length encoding

    Examples:
      | length  |
      | 0       |
      | 125     |
      | 126     |
      | 127     |
      | 128     |
      | 65535   |
      | 65536   |
      | 1000000 |

  # RFC 6455 §5.4: a message may be split into fragments; control frames may be injected between them. Autobahn 5.
  @WS-FRAGMENTS @must
  Scenario Outline: A <kind> message of <length> bytes in <count> fragments<extra> is reassembled
    When the client sends a <kind> message of <length> bytes in <count> fragments<extra>
    Then the same message comes back

    Examples:
      | kind   | length | count | extra                      |
      | text   | 10     | 2     |                            |
      | text   | 300    | 3     |                            |
      | text   | 1000   | 100   |                            |
      | binary | 70000  | 7     |                            |
      | text   | 20     | 2     | , with a ping between them |
      | binary | 20     | 4     | , with a ping between them |

  # RFC 6455 §5.4: order is kept; Autobahn 9 sends many messages in a row.
  @WS-MANY-IN-ORDER @must
  Scenario: Many messages in a row are all echoed, in order
    When the client sends 1000 text messages in a row
    Then all 1000 come back, in the order sent
