@websocket
Feature: Upgrading from long-polling to WebSocket
  Protocols such as engine.io start a session with long-polling and move it
  onto a WebSocket once one can be opened. The move must be invisible to the
  application: no message lost, none delivered twice.

  Background:
    Given a fresh channel

  # Model M-5: delivery is exactly once, in order, whatever carries it; an upgrade is a change of carrier, not a reset.
  @WS-UPGRADE-NO-LOSS @must @upgrade
  Scenario: A client that upgrades from long-polling to WebSocket loses no message and gets none twice
    Given a long-polling client that has caught up with the channel
    When 60 messages are published one after another while the client upgrades to a WebSocket
    Then the client received all 60 messages exactly once, in publish order, over its polls and then its WebSocket
