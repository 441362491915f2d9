@websocket @echo
Feature: Limits
  A server may refuse a message that is too big for it, but must say so with
  the status code for it rather than stall or crash.

  Background:
    Given a client connected to the echo endpoint

  # RFC 6455 §7.4.1: 1009 means a message too big to process. Autobahn 9, 10.
  @WS-MAX-MESSAGE @must @max-message
  Scenario: A message over the declared maximum fails the connection
    When the client sends a text message one byte over the declared maximum
    Then the server fails the connection (close code 1009)
