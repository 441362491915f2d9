@long-polling @http2
Feature: Long-polls over HTTP/2
  Over HTTP/2 every poll of a page is a stream of one connection. The server
  must hold many of them at once on that connection, a poll the page gives
  up on ends with its stream (RST_STREAM), not with the connection, and no
  answer carries what HTTP/1.1 said about the connection itself.

  Background:
    Given a fresh channel

  # RFC 9113 §6.5.2: SETTINGS_MAX_CONCURRENT_STREAMS "be no smaller than 100"; RFC 6202 §2.2: a publish reaches every held poll.
  @LP-H2-MULTIPLEX @should
  Scenario: One publish wakes every one of 100 polls held on one HTTP/2 connection
    Given 100 clients on one HTTP/2 connection that have caught up with the channel
    When all of them poll and a message is published while every poll is held
    Then every one of those polls was answered with the message

  # RFC 9113 §6.4: RST_STREAM ends one stream at once; model M-8: an abandoned poll is released at once.
  @LP-H2-CANCEL-RELEASED @should @held-count
  Scenario: Polls whose streams are cancelled on a connection that stays open are released at once
    Given the number of polls the server holds
    When 10 clients on one HTTP/2 connection walk away from their held polls at once
    Then the server released those polls well before their holds would have ended

  # RFC 9113 §8.2.2: "An endpoint MUST NOT generate an HTTP/2 message containing connection-specific header fields."
  @LP-H2-NO-CONNECTION-FIELDS @must
  Scenario: Answers over HTTP/2, to held polls and expired holds alike, carry no connection-specific header fields
    Given a client that has caught up with the channel
    When the client polls and a message is published while the poll is held
    And the client polls and nothing is published
    Then no answer the server sent over HTTP/2 carried a connection-specific header field
