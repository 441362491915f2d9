@websocket
Feature: Server push and full duplex on a channel
  What WebSockets are for: the server pushes every published message to
  every connection on the channel, while a client may send at any time.

  Background:
    Given a fresh channel

  # Design note, WebSockets: the server sends content to the client without being asked.
  @WS-PUSH-ALL @must @ws-channel
  Scenario: A message published on a channel reaches every connection subscribed to it
    Given 50 clients connected to the channel
    When a message is published
    Then every one of the 50 clients receives it

  # RFC 6455 §1: a two-way conversation; design note: both parties can send at any time.
  @WS-FULL-DUPLEX @must @ws-channel @client-publishes
  Scenario: A client can send while the server is streaming to it; both directions arrive whole and in order
    Given a client connected to the channel
    When 200 messages are published while the client sends 200 messages of its own
    Then the client receives all 400 messages exactly once, each side's in the order it was sent

  # Model M-5: a client that reconnects after the last id it received loses nothing and gets nothing twice.
  @WS-RESUME @must @ws-channel @ws-resume
  Scenario: A client that reconnects with a cursor loses nothing and gets nothing twice
    Given a client connected to the channel
    And 2 messages were published and the client received them
    When the client's connection drops
    And 3 messages are published while it is away
    And the client reconnects with the cursor of the last message it received
    Then the client receives the 3 messages exactly once, in publish order

  # RFC 6455 §5.5.2: a ping may serve as a keep-alive. Measured against the declared interval.
  @WS-KEEPALIVE-PING @may @ws-channel @ping-interval
  Scenario: The server pings an idle connection as often as it declares
    Given a client connected to the channel
    When the client stays idle, watched for at most 2 declared ping intervals
    Then the server pinged it at least once per declared interval

  # Model M-2: a message pushed on a channel arrives byte for byte, whatever it holds, even if the server wraps it in an envelope.
  @WS-DATA-INTACT @must @ws-channel
  Scenario Outline: A message's data arrives byte for byte, whatever it holds: <data>
    Given a client connected to the channel
    When a message whose data is <data> is published, then an ordinary one
    Then the client received that message's data byte for byte, then the ordinary one

    Examples: Line breaks and separators
      | data                            |
      | a line feed (LF)                |
      | a carriage return (CR)          |
      | CR LF                           |
      | a NUL character                 |
      | a record separator (0x1E)       |
      | U+2028 LINE SEPARATOR           |
      | U+FEFF (a byte order mark)      |
      | a line that starts with "data:" |

    Examples: Text that looks like an envelope
      | data                             |
      | text like a JSON envelope        |
      | text like a numbered packet      |
      | text like an array frame         |
      | a single letter like a heartbeat |

    Examples: A large message
      | data           |
      | 900 KB of text |

    Examples: The empty message
      | data             |
      | the empty string |
