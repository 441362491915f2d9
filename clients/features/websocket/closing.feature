@websocket
Feature: Closing the connection
  A WebSocket client answers the server's close frame with its own, refuses a
  close frame whose payload is malformed or whose code may not be sent, and
  leaves closing the TCP connection to the server.

  # RFC 6455 §5.5.1 (Autobahn 7.1, 7.3, 7.7): "If an endpoint receives a Close frame and did not previously send a Close frame, the endpoint MUST send a Close frame in response. (When sending a Close frame in response, the endpoint typically echos the status code it received.)"
  @WSC-CLOSE-REPLY @must
  Scenario Outline: The server's close frame is answered with a close frame (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client answered the close frame with a close frame

    Examples:
      | case                                    |
      | a close frame with code 1000 and a reason |
      | a close frame with code 1001 and a reason |
      | a close frame with code 3000 and a reason |
      | a close frame with code 4999 and a reason |
      | an empty close frame                    |

  # RFC 6455 §5.5.1, §7.4.1 (Autobahn 7.3.2, 7.5.1, 7.9): "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned integer (in network byte order) representing a status code with value /code/ defined in Section 7.4." … "1005 is a reserved value and MUST NOT be set as a status code in a Close control frame by an endpoint."
  @WSC-CLOSE-INVALID @must
  Scenario Outline: A close frame with a malformed payload or a code that may not be sent fails the connection (<case>)
    Given the scripted server plays "<case>"
    When the WebSocket client connects
    Then the client failed the connection

    Examples:
      | case                                        |
      | a close frame with a 1-byte payload         |
      | a close frame with code 0                   |
      | a close frame with code 999                 |
      | a close frame with code 1004                |
      | a close frame with code 1005                |
      | a close frame with code 1006                |
      | a close frame with code 1016                |
      | a close frame with code 1100                |
      | a close frame with code 2000                |
      | a close frame with code 2999                |
      | a close frame with a reason that is not UTF-8 |

  # RFC 6455 §7.1.1: "In abnormal cases (such as not having received a TCP Close from the server after a reasonable amount of time) a client MAY initiate the TCP Close. As such, when a server is instructed to _Close the WebSocket Connection_ it SHOULD initiate a TCP Close immediately, and when a client is instructed to do the same, it SHOULD wait for a TCP Close from the server."
  @WSC-CLOSE-TCP-BY-SERVER @should
  Scenario: After the closing handshake the client waits for the server to close TCP
    Given the scripted server plays "a close frame, then TCP held open"
    When the WebSocket client connects
    Then the client left closing the TCP connection to the server
