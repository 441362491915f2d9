@sse
Feature: Opening the event stream
  The client asks for the stream with a GET, follows redirects, and gives up
  for good, with no reconnection, on an answer that is not a 200 event
  stream: a 204 is how a server tells it to stop.

  # WHATWG HTML §9.2.2, the EventSource constructor: "User agents may set (`Accept`, `text/event-stream`) in request's header list."
  @SSEC-ACCEPT @may
  Scenario: The request asks for text/event-stream
    Given the server's event stream sends "data: a\n\n" in one write
    When the client opens the event stream
    Then the first request carried Accept: text/event-stream

  # WHATWG HTML §9.2.2, the EventSource constructor: "Set request's cache mode to "no-store"." Fetch then adds `Cache-Control: no-cache` to the request (Fetch, HTTP-network-or-cache fetch; web-platform-tests request-cache-control).
  @SSEC-NO-STORE @must
  Scenario: The request is not answered from a cache
    Given the server's event stream sends "data: a\n\n" in one write
    When the client opens the event stream
    Then the first request carried Cache-Control: no-cache

  # WHATWG HTML §9.2.2: "A last event ID string. This must initially be the empty string." Last-Event-ID is sent only when the string is not empty (§9.2.3), so never on the first request.
  @SSEC-FIRST-REQUEST @must
  Scenario: The first request carries no Last-Event-ID
    Given the server's event stream sends "data: a\n\n" in one write
    When the client opens the event stream
    Then the first request carried no Last-Event-ID

  # WHATWG HTML §9.2.2: "The EventSource(url, eventSourceInitDict) constructor, when invoked, must run these steps: … Fetch request". Fetch follows redirects (the request's redirect mode is "follow"); the introduction: "Event stream requests can be redirected using HTTP 301 and 307 redirects as with normal HTTP requests." (web-platform-tests request-redirect: 301, 302, 303 and 307.)
  @SSEC-REDIRECT @must
  Scenario Outline: A redirect is followed, status <status>
    Given the server redirects the first request with status <status> to "/moved"
    And the server's event stream sends "data: a\n\n" in one write
    When the client opens the event stream
    Then the client followed the redirect to "/moved"
    And the client received the messages "a"

    Examples:
      | status |
      | 301    |
      | 302    |
      | 303    |
      | 307    |

  # WHATWG HTML §9.2.2: "Otherwise, if res's status is not 200, or if res's `Content-Type` is not `text/event-stream`, then fail the connection." §9.2.3: "Once the user agent has failed the connection, it does not attempt to reconnect." The introduction: "a client can be told to stop reconnecting using the HTTP 204 No Content response code." A short retry first, so a client that came back would do so well within the window watched.
  @SSEC-204-STOPS @must
  Scenario: A 204 No Content stops reconnection
    Given the server's event stream sends "retry: 200\ndata: a\n\n", then the stream ends
    And the next answer has the status 204 and no body
    When the client opens the event stream
    Then the client made no new request within 1500 ms of the refused answer

  # WHATWG HTML §9.2.2: "Otherwise, if res's status is not 200, or if res's `Content-Type` is not `text/event-stream`, then fail the connection." §9.2.3: "Once the user agent has failed the connection, it does not attempt to reconnect." No exception for 5xx (the W3C Recommendation of 2015 reconnected on 500, 502, 503 and 504; the npm eventsource package did so until version 3).
  @SSEC-STATUS-FAILS @must
  Scenario Outline: A status other than 200 fails the connection, <status>
    Given the server's event stream sends "retry: 200\ndata: a\n\n", then the stream ends
    And the next answer has the status <status> and the body "data: b\n\n"
    When the client opens the event stream
    Then the client made no new request within 1500 ms of the refused answer
    And in all, the client received the messages "a"

    Examples:
      | status |
      | 500    |
      | 404    |

  # WHATWG HTML §9.2.2: "Otherwise, if res's status is not 200, or if res's `Content-Type` is not `text/event-stream`, then fail the connection." §9.2.3: "Once the user agent has failed the connection, it does not attempt to reconnect." (An empty content type below stands for none at all.)
  @SSEC-CONTENT-TYPE-FAILS @must
  Scenario Outline: An answer that is not text/event-stream fails the connection, <case>
    Given the server's event stream sends "retry: 200\ndata: a\n\n", then the stream ends
    And the next answer has the content type "<type>" and the body "data: b\n\n"
    When the client opens the event stream
    Then the client made no new request within 1500 ms of the refused answer
    And in all, the client received the messages "a"

    Examples:
      | case       | type       |
      | text/plain | text/plain |
      | none       |            |
