@sse
Feature: Reading fields
  Each line of an event is a comment, a field with a value after its colon,
  or a field name alone. The client ignores comments and fields it does not
  know, compares names exactly, and removes one space after the colon.

  # WHATWG HTML §9.2.6: "Lines must be processed, in the order they are received, as follows: … If the line starts with a U+003A COLON character (:) — Ignore the line."
  @SSEC-COMMENTS @must
  Scenario Outline: Comment lines are ignored, <case>
    Given the server's event stream sends "<bytes>" in one write
    When the client opens the event stream
    Then the client received the messages <messages>

    Examples:
      | case                  | bytes                     | messages |
      | inside an event       | data: a\n: keep-alive\n\n | "a"      |
      | alone, between events | : hello\n\ndata: b\n:\n\n | "b"      |
      | with a field in it    | :data: c\ndata: d\n\n     | "d"      |

  # WHATWG HTML §9.2.6: "The steps to process the field given a field name and a field value depend on the field name, as given in the following list. … Otherwise — The field is ignored." The names are event, data, id and retry: a longer name that begins with one of them is another name.
  @SSEC-UNKNOWN-FIELDS @must
  Scenario Outline: Unknown fields are ignored, <case>
    Given the server's event stream sends "<bytes>" in one write
    When the client opens the event stream
    Then the client received the messages <messages>

    Examples:
      | case                  | bytes                   | messages |
      | an unknown name       | foo: x\ndata: a\n\n     | "a"      |
      | a known name and more | dataX: x\ndata: b\n\n   | "b"      |
      | only unknown fields   | datum: x\n\ndata: c\n\n | "c"      |

  # WHATWG HTML §9.2.6: "Field names must be compared literally, with no case folding performed."
  @SSEC-FIELD-CASE @must
  Scenario Outline: Field names are case-sensitive, <case>
    Given the server's event stream sends "<bytes>" in one write
    When the client opens the event stream
    Then the client received the messages <messages>
    And the message <last> had the type "message"

    Examples:
      | case       | bytes                  | messages | last |
      | Data       | Data: x\ndata: a\n\n   | "a"      | "a"  |
      | DATA alone | DATA: x\n\ndata: b\n\n | "b"      | "b"  |
      | Event      | Event: e\ndata: c\n\n  | "c"      | "c"  |

  # WHATWG HTML §9.2.6: "Collect the characters on the line after the first U+003A COLON character (:), and let value be that string. If value starts with a U+0020 SPACE character, remove it from value." One space, and only a space.
  @SSEC-LEADING-SPACE @must
  Scenario Outline: One space after the colon is removed, <case>
    Given the server's event stream sends "<bytes>" in one write
    When the client opens the event stream
    Then the client received the messages <messages>

    Examples:
      | case         | bytes        | messages |
      | no space     | data:a\n\n   | "a"      |
      | two spaces   | data:  b\n\n | " b"     |
      | a tab        | data:\tc\n\n | "\tc"    |
      | a colon next | data: :d\n\n | ":d"     |

  # WHATWG HTML §9.2.6: "Otherwise, the string is not empty but does not contain a U+003A COLON character (:) — Process the field using the steps described below, using the whole line as the field name, and the empty string as the field value." So a line "data" adds an empty line of data.
  @SSEC-NO-COLON @must
  Scenario Outline: A line without a colon is a field with an empty value, <case>
    Given the server's event stream sends "<bytes>" in one write
    When the client opens the event stream
    Then the client received the messages <messages>

    Examples:
      | case           | bytes               | messages |
      | data alone     | data\n\n            | ""       |
      | after an event | data: a\n\ndata\n\n | "a", ""  |
