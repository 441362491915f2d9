@sse
Feature: Dispatching events
  At each blank line the client dispatches what the event's fields gathered:
  the data lines joined, the event type, and the last event id, which stays
  until the server sets another. pushspec holds an EventSource client to the
  steps the standard gives web browsers for dispatching an event.

  # WHATWG HTML §9.2.6: "If the field name is "data" — Append the field value to the data buffer, then append a single U+000A LINE FEED (LF) character to the data buffer." An empty data line first is an empty first line of the message (Azure/fetch-event-source drops it).
  @SSEC-DATA-LINES @must
  Scenario Outline: Data lines are joined with LF, <case>
    Given the server's event stream sends "<bytes>" in one write
    When the client opens the event stream
    Then the client received the messages <messages>

    Examples:
      | case                 | bytes                       | messages |
      | two lines            | data: a\ndata: b\n\n        | "a\nb"   |
      | an empty line inside | data: a\ndata:\ndata: b\n\n | "a\n\nb" |
      | an empty line first  | data:\ndata: x\n\n          | "\nx"    |

  # WHATWG HTML §9.2.6, dispatching the event: "If the data buffer's last character is a U+000A LINE FEED (LF) character, then remove the last character from the data buffer." One LF, the last: an empty last data line leaves its LF.
  @SSEC-DATA-LAST-LF @must
  Scenario Outline: Only the last LF is removed, <case>
    Given the server's event stream sends "<bytes>" in one write
    When the client opens the event stream
    Then the client received the messages <messages>

    Examples:
      | case                 | bytes                     | messages |
      | one line             | data: a\n\n               | "a"      |
      | an empty last line   | data: a\ndata:\n\n        | "a\n"    |
      | two empty last lines | data: a\ndata:\ndata:\n\n | "a\n\n"  |

  # WHATWG HTML §9.2.6, dispatching the event: "If the data buffer is an empty string, set the data buffer and the event type buffer to the empty string and return." A block without data dispatches nothing, and its event type is forgotten.
  @SSEC-EMPTY-DATA @must
  Scenario Outline: A block without data dispatches nothing, <case>
    Given the server's event stream sends "<bytes>" in one write
    When the client opens the event stream
    Then the client received the messages <messages>
    And the message "a" had the type "message"

    Examples:
      | case          | bytes                   | messages |
      | an event type | event: x\n\ndata: a\n\n | "a"      |
      | an id         | id: 1\n\ndata: a\n\n    | "a"      |

  # WHATWG HTML §9.2.6, dispatching the event: "If the event type buffer has a value other than the empty string, change the type of the newly created event to equal the value of the event type buffer."
  @SSEC-EVENT-TYPE @must
  Scenario Outline: The event field names the event's type, <case>
    Given the server's event stream sends "<bytes>" in one write
    When the client opens the event stream
    Then the client received the messages "a"
    And the message "a" had the type <type>

    Examples:
      | case      | bytes                           | type      |
      | named     | event: add\ndata: a\n\n         | "add"     |
      | empty     | event:\ndata: a\n\n             | "message" |
      | last wins | event: x\nevent: y\ndata: a\n\n | "y"       |

  # WHATWG HTML §9.2.6, dispatching the event: "Set the data buffer and the event type buffer to the empty string." Every user agent, not only browsers: "For other user agents, the appropriate steps to dispatch the event are implementation dependent, but at a minimum they must set the data and event type buffers to the empty string before returning."
  @SSEC-EVENT-TYPE-RESET @must
  Scenario: The event type applies to its own event only
    Given the server's event stream sends "event: add\ndata: a\n\ndata: b\n\n" in one write
    When the client opens the event stream
    Then the client received the messages "a", "b"
    And the message "b" had the type "message"

  # WHATWG HTML §9.2.6, dispatching the event: "Set the last event ID string of the event source to the value of the last event ID buffer. The buffer does not get reset, so the last event ID string of the event source remains set to this value until the next time it is set by the server." (EventSource/eventsource#358 blanked it.)
  @SSEC-ID-PERSISTS @must
  Scenario: The last event id stays until the server sets another
    Given the server's event stream sends "id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n" in one write
    When the client opens the event stream
    Then the client received the messages "a", "b", "c"
    And the last event ids of those messages were "1", "1", "2"

  # WHATWG HTML §9.2.6: "If the field name is "id" — If the field value does not contain U+0000 NULL, then set the last event ID buffer to the field value. Otherwise, ignore the field."
  @SSEC-ID-NUL @must
  Scenario: An id containing U+0000 NULL is ignored
    Given the server's event stream sends "id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n" in one write
    When the client opens the event stream
    Then the client received the messages "a", "b"
    And the message "b" did not have the last event id "2\0x"

  # WHATWG HTML §9.2.6: "If the field name is "id" — If the field value does not contain U+0000 NULL, then set the last event ID buffer to the field value." An empty value too: it resets the last event id to the empty string.
  @SSEC-ID-RESET @must
  Scenario: An empty id resets the last event id
    Given the server's event stream sends "id: 1\ndata: a\n\nid:\ndata: b\n\n" in one write
    When the client opens the event stream
    Then the client received the messages "a", "b"
    And the last event ids of those messages were "1", ""
