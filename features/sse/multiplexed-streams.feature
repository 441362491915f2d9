@sse @http2
Feature: Event streams over HTTP/2
  Over HTTP/1.1 a browser opens at most six connections to a host, so a page
  with a seventh event stream stalls; over HTTP/2 every stream of the page is a
  stream of one connection: the server must serve many at once, release a
  stream the page closes (RST_STREAM) while the connection stays open, and
  answer without what HTTP/1.1 said about the connection itself.

  Background:
    Given a fresh channel

  # RFC 9113 §6.5.2: SETTINGS_MAX_CONCURRENT_STREAMS "be no smaller than 100"; WHATWG HTML §9.2 recommends HTTP/2 for many streams.
  @SSE-H2-MULTIPLEX @should
  Scenario: 100 event streams on one HTTP/2 connection each receive a published message
    Given 100 event streams opened on one HTTP/2 connection
    When a message is published to all of them
    Then every one of those streams received it

  # RFC 9113 §8.2.2: "An endpoint MUST NOT generate an HTTP/2 message containing connection-specific header fields."
  @SSE-H2-NO-CONNECTION-FIELDS @must
  Scenario: An event stream over HTTP/2 is answered without connection-specific header fields
    Given a client that has opened the event stream
    When 1 message is published
    Then no answer the server sent over HTTP/2 carried a connection-specific header field

  # RFC 9113 §5.2: "A flow-control scheme ensures that streams on the same connection do not destructively interfere with each other."
  @SSE-H2-STALLED-READER @should
  Scenario: One stalled event stream does not delay the others on its HTTP/2 connection
    Given two event streams opened on one HTTP/2 connection, the first of which stops reading
    When more data than one stream's flow-control window is published, then one more message
    Then the second stream received every message, the last one promptly, while the first had stopped taking data

  # RFC 9113 §6.4: RST_STREAM ends one stream at once; model M-8: a stream the client walks away from is released at once.
  @SSE-H2-CANCEL-RELEASED @should @sse-stats
  Scenario: Event streams cancelled on an HTTP/2 connection that stays open are released
    Given the number of event streams the server holds
    When 10 event streams opened on one HTTP/2 connection are cancelled at once, the connection staying open
    Then the server released those streams within one keep-alive interval
