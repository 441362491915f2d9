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

  # Model M-5 and M-10: resuming with the cursor of the last message, over many cuts, still delivers every message exactly once, in order.
  @WS-RESUME-THROUGH-CUTS @must @ws-channel @ws-resume
  Scenario: 5,000 messages published while the network cuts the connection at random arrive exactly once, in order, to a client that resumes with its cursor
    Given the client's connections are cut at random by the network, mid-frame included
    When 5000 messages are published while a client follows the channel, reconnecting with the cursor of its last message at once after every cut
    Then the client following the channel received all 5000 messages exactly once, in publish order, across the cuts

  # Model M-10 (after RFC 9293 §3.1): TCP carries bytes, not messages; the handshake and the frames read the same however they are split.
  @WS-ONE-BYTE-WRITES @must @ws-channel
  Scenario: Messages arrive intact through an intermediary that writes one byte at a time
    Given the clients' connections pass through an intermediary that writes one byte at a time
    And a client connected to the channel
    When a message whose data is text in several scripts, with characters beyond the BMP is published, then an ordinary one
    Then the client received that message's data byte for byte, then the ordinary one

  # RFC 6455 §5.5.2: a ping may serve as a keep-alive. Measured against the declared interval.
  @WS-KEEPALIVE-PING @may @ws-channel @ping-interval @waits
  Scenario: The server pings an idle connection as often as it declares
    Given a client connected to the channel
    When the client stays idle, watched for at most 2 declared ping intervals
    Then the server pinged it at least once per declared interval

  # RFC 6455 §5.5.2: a Ping may serve as a keep-alive; model M-10 puts an idle timeout of twice the declared interval on the path.
  @WS-PING-THROUGH-IDLE-TIMEOUT @may @ws-channel @ping-interval @waits
  Scenario: The declared pings keep an idle connection open through an intermediary that cuts connections idle for twice that interval
    Given the client's connection passes through an intermediary that cuts connections idle for twice the declared ping interval
    And a client connected to the channel
    When the client stays idle for longer than the intermediary's idle timeout
    And a message is published
    Then the connection was not cut, and the message arrived on it

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
