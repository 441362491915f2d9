@sse
Feature: Reconnecting without loss
  A connection that drops is reestablished by the client, which tells the
  server the id of the last event it received; the server continues from there.

  Background:
    Given a fresh channel

  # WHATWG HTML §9.2.3 (reestablish the connection) and §9.2.4 (the Last-Event-ID header).
  @SSE-RESUME @must @replay @waits
  Scenario: After a lost connection the client reconnects with Last-Event-ID and receives everything published meanwhile, exactly once
    Given a real client that has opened the event stream
    And 2 messages were published and received
    When its connection is lost
    And 3 messages are published while it is disconnected
    Then it reconnected, sending the id of the last event it received as Last-Event-ID
    And the real client received all 5 messages exactly once, in publish order

  # Model M-5 and M-10: resuming from the last event id, over many cuts, still delivers every message exactly once, in order; WHATWG HTML §9.2.4 has the client send that id as Last-Event-ID.
  @SSE-RESUME-THROUGH-CUTS @must @replay
  Scenario: 5,000 messages published while the network cuts the stream at random arrive exactly once, in order, to a client that resumes with Last-Event-ID
    Given the client's connections are cut at random by the network, mid-event included
    When 5000 messages are published while a client follows the event stream, resuming with Last-Event-ID at once after every cut
    Then the client following the stream received all 5000 messages exactly once, in publish order, across the cuts

  # WHATWG HTML §9.2.4: browsers send Last-Event-ID only when reconnecting, so servers accept it in the query.
  @SSE-RESUME-QUERY @should @replay @resume-query
  Scenario: A first connection can resume from a last event id given in the query
    Given 3 messages were published and their event ids read from the stream
    When a client opens the event stream with the first message's id in the query
    Then it received the 2 later messages, exactly once, in publish order

  # WHATWG HTML §9.2.6: the retry field sets the reconnection time; web-platform-tests allow ±25%.
  @SSE-RETRY-HONOURED @should @retry
  Scenario: A real client waits the reconnection time the server sent before reconnecting
    Given a real client that has opened the event stream
    And 1 message was published and received
    When its connection is lost
    Then it reconnected after the declared reconnection time, within 25%

  # whatwg/html#8297: no standard signal exists, so the server declares one; silently skipping loses messages unseen.
  @SSE-GAP-SIGNALLED @should @replay @history-limit
  Scenario: A Last-Event-ID older than the retained history is signalled, not skipped silently
    Given 1 message was published and its event id read from the stream
    When more messages than the stream retains are published
    And a client opens the event stream with that id as Last-Event-ID
    Then it was told that messages were missed before it received the retained ones

  # WHATWG HTML §9.2: a 204 No Content tells a client to stop reconnecting; §9.2.3: any non-200 status fails the connection.
  @SSE-STOP-204 @should @stop-signal @waits
  Scenario: A stream the server ends for good is answered 204, and the client stops reconnecting
    Given a real client that has opened the event stream
    When the channel is closed for good
    Then a new stream request is answered 204 No Content
    And the real client stopped for good, without reconnecting

  # Model M-5: an id the server cannot place says nothing of what the client had; replaying the history hands it everything twice.
  @SSE-UNKNOWN-LAST-EVENT-ID @should @replay
  Scenario Outline: A last event id the server does not recognise never makes it resend what the client already had: "<id>" in <where>
    Given 3 messages were published and their event ids read from the stream
    When a client opens the event stream with "<id>" as its last event id, in <where>
    And 1 message is published
    Then it received none of the 3 earlier messages again, and then the new one

    Examples: In the Last-Event-ID header, as on a reconnection
      | id            | where                    |
      | %%not-an-id%% | the Last-Event-ID header |
      | 99999999999   | the Last-Event-ID header |

    @resume-query
    Examples: In the query, as on a first connection
      | id            | where     |
      | %%not-an-id%% | the query |
      | 99999999999   | the query |
