@polling @http2
Feature: Polling over HTTP/2
  Over HTTP/2 a poll is a stream of one connection, and its answer a header
  block and data. What HTTP/1.1 said about the connection itself has no place
  in it: a client must treat such an answer as malformed.

  Background:
    Given a fresh channel

  # RFC 9113 §8.2.2: "An endpoint MUST NOT generate an HTTP/2 message containing connection-specific header fields."
  @POLL-H2-NO-CONNECTION-FIELDS @must
  Scenario: Answers over HTTP/2 carry no connection-specific header fields
    Given a client that has caught up with the channel
    When 3 messages are published one after another while the client keeps polling
    Then no answer the server sent over HTTP/2 carried a connection-specific header field
