@sse
Feature: Reconnecting
  When the stream ends or the connection is lost, the client waits the
  reconnection time (the server's `retry`, digits only) and asks again,
  telling the server the last event id it dispatched. An event the stream
  did not finish is never dispatched.

  # WHATWG HTML §9.2.2: "Let processEventSourceEndOfBody given response res be the following step: if res is not a network error, then reestablish the connection." A stream that ends, cleanly or cut in the middle, is followed by a new request (Azure/fetch-event-source does not reconnect after a clean end).
  @SSEC-RECONNECT @must
  Scenario Outline: The client reconnects when the stream <how>
    Given the server's event stream sends "retry: 300\ndata: a\n\n", then <then>
    And the server's event stream sends "data: b\n\n" in one write
    When the client opens the event stream
    Then the client reconnected
    And the client received the messages "a", "b"

    Examples:
      | how    | then                  |
      | ends   | the stream ends       |
      | is cut | the connection is cut |

  # WHATWG HTML §9.2.6: "If the field name is "retry" — If the field value consists of only ASCII digits, then interpret the field value as an integer in base ten, and set the event stream's reconnection time to that integer." §9.2.3, reestablishing: "Wait a delay equal to the reconnection time of the event source." The next step lets a client wait longer after a failed attempt or without network; neither is the case here, so, like web-platform-tests format-field-retry, pushspec allows 25 % either way.
  @SSEC-RETRY @must
  Scenario Outline: The retry field sets the reconnection time, <case>
    Given the server's event stream sends "retry: <retry>\ndata: a\n\n", then the stream ends
    And the server's event stream sends "data: b\n\n" in one write
    When the client opens the event stream
    Then the client reconnected <ms> ms after the stream ended, give or take 25 %

    Examples:
      | case           | retry | ms   |
      | 2000 ms        | 2000  | 2000 |
      | a leading zero | 02000 | 2000 |

  # WHATWG HTML §9.2.6: "If the field value consists of only ASCII digits, then interpret the field value as an integer in base ten, and set the event stream's reconnection time to that integer. Otherwise, ignore the field." A value that only begins with digits is not read as its number (parseInt would).
  @SSEC-RETRY-DIGITS @must
  Scenario Outline: A retry value that is not all digits is ignored, <value>
    Given the server's event stream sends "retry: 600\nretry: <value>\ndata: a\n\n", then the stream ends
    And the server's event stream sends "data: b\n\n" in one write
    When the client opens the event stream
    Then the client reconnected no sooner than 600 ms after the stream ended, less 25 %

    Examples:
      | value |
      | 200x  |
      | -200  |

  # WHATWG HTML §9.2.3, reestablishing: "If the EventSource object's last event ID string is not the empty string, then: Let lastEventIDValue be the EventSource object's last event ID string, encoded as UTF-8. Set (`Last-Event-ID`, lastEventIDValue) in request's header list."
  @SSEC-LAST-EVENT-ID @must
  Scenario: The reconnection carries the last event id
    Given the server's event stream sends "retry: 300\nid: 7\ndata: a\n\n", then the stream ends
    And the server's event stream sends "data: b\n\n" in one write
    When the client opens the event stream
    Then the reconnection carried Last-Event-ID "7"

  # WHATWG HTML §9.2.6, dispatching the event, step 1: "Set the last event ID string of the event source to the value of the last event ID buffer." Step 2, which returns when there is no data, comes after it: an id in a block without data is the last event id all the same. Whether the client sends Last-Event-ID at all is SSEC-LAST-EVENT-ID's question; here, if it sends one, it must be the id of the block without data.
  @SSEC-ID-WITHOUT-DATA @must
  Scenario: An id in a block without data is the last event id all the same
    Given the server's event stream sends "retry: 300\nid: 1\ndata: a\n\nid: 2\n\n", then the stream ends
    And the server's event stream sends "data: b\n\n" in one write
    When the client opens the event stream
    Then the reconnection carried Last-Event-ID "2", if it carried one

  # WHATWG HTML §9.2.6: "Once the end of the file is reached, any pending data must be discarded. (If the file ends in the middle of an event, before the final empty line, the incomplete event is not dispatched.)" Its id is not the last event id either (web-platform-tests format-data-before-final-empty-line).
  @SSEC-UNTERMINATED @must
  Scenario: An event the stream did not finish is discarded, with its id
    Given the server's event stream sends "retry: 300\nid: 1\ndata: a\n\nid: 2\ndata: b\n", then the stream ends
    And the server's event stream sends "data: c\n\n" in one write
    When the client opens the event stream
    Then the client received the messages "a", "c"
    And the reconnection did not carry Last-Event-ID "2"
