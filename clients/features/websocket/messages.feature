@websocket
Feature: Sending and receiving messages
  A WebSocket client masks every frame it sends with a fresh random key, and
  reads whatever framing the server chooses: every payload length encoding,
  fragmented messages, control frames between fragments. An echoing client
  sends each message back whole, in order.

  # RFC 6455 §5.1: "A client MUST mask all frames that it sends to the server (see Section 5.3)."
  @WSC-MASKED @must
  Scenario: Every frame the client sends is masked
    Given the scripted server plays "ten text messages"
    When the WebSocket client connects
    Then every frame the client sent was masked

  # RFC 6455 §5.3: "The masking key is a 32-bit value chosen at random by the client. When preparing a masked frame, the client MUST pick a fresh masking key from the set of allowed 32-bit values."
  @WSC-MASK-FRESH @must
  Scenario: Every frame the client sends has a masking key of its own
    Given the scripted server plays "ten text messages"
    When the WebSocket client connects
    Then every frame the client sent had a masking key of its own

  # RFC 6455 §5.2 (Autobahn 1.1, 1.2): "The length of the "Payload data", in bytes: if 0-125, that is the payload length. If 126, the following 2 bytes interpreted as a 16-bit unsigned integer are the payload length. If 127, the following 8 bytes interpreted as a 64-bit unsigned integer (the most significant bit MUST be 0) are the payload length."
  @WSC-ECHO-LENGTHS @must
  Scenario Outline: Messages with 7-bit and 16-bit payload lengths arrive intact (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client echoed every message intact and in order

    Examples:
      | case                        |
      | a text message              |
      | an empty text message       |
      | a 125-byte binary message   |
      | a 126-byte binary message   |
      | a 65535-byte binary message |

  # RFC 6455 §5.2 (Autobahn 1.2.6, 9.1): "If 127, the following 8 bytes interpreted as a 64-bit unsigned integer (the most significant bit MUST be 0) are the payload length."
  @WSC-LARGE-MESSAGE @must
  Scenario Outline: Messages with 64-bit payload lengths arrive intact (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client echoed every message intact and in order

    Examples:
      | case                        |
      | a 65536-byte binary message |
      | a 1 MiB text message        |

  # RFC 6455 §5.4 (Autobahn 5.3-5.8): "Clients and servers MUST support receiving both fragmented and unfragmented messages."
  @WSC-FRAGMENTS @must
  Scenario Outline: A fragmented message arrives whole (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client echoed every message intact and in order

    Examples:
      | case                                  |
      | a text message in three fragments     |
      | a binary message in two fragments     |
      | a text message cut inside a character |

  # RFC 6455 §5.4 (Autobahn 5.6-5.8): "An endpoint MUST be capable of handling control frames in the middle of a fragmented message."
  @WSC-CONTROL-IN-FRAGMENTS @must
  Scenario Outline: Control frames between fragments leave the message whole (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client echoed every message intact and in order

    Examples:
      | case                                            |
      | a ping between the fragments of a text message  |
      | a pong between the fragments of a text message  |

  # RFC 6455 §5.4 (Autobahn 9): "Message fragments MUST be delivered to the recipient in the order sent by the sender."
  @WSC-IN-ORDER @must
  Scenario: Fifty messages arrive in the order sent
    Given the scripted server plays "fifty text messages"
    When the WebSocket client connects
    Then the client echoed every message intact and in order

  # RFC 6455 §5.5.2, §5.5.3 (Autobahn 2.1-2.4): "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response, unless it already received a Close frame." … "A Pong frame sent in response to a Ping frame must have identical "Application data" as found in the message body of the Ping frame being replied to."
  @WSC-PING-PONG @must
  Scenario Outline: A ping is answered with a pong carrying its payload (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client answered each ping with a pong carrying its payload

    Examples:
      | case                                           |
      | an empty ping                                  |
      | a ping with a text payload                     |
      | a ping with a 125-byte binary payload          |
