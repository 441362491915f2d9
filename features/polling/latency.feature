@polling
Feature: How long a polling client waits for news
  A client that polls every T ms sees a message at its next poll: on average
  about T/2 after it was published. This is the price of polling that
  long-polling, Server-Sent Events and WebSockets avoid.

  Background:
    Given a fresh channel

  # Design note, "Ajax Polling"; RFC 6202 §2.2 on latency. Measured and reported; it fails only if a poll misses a message that was already there.
  @POLL-INTERVAL-LATENCY @may
  Scenario: A client polling every 100 ms sees each new message at its next poll
    Given a client that has caught up with the channel
    When the client polls every 100 ms while 10 messages are published at scattered moments
    Then each message reached the client in the first poll that started after it was published
