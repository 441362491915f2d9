@polling
Feature: Ajax polling across a cluster
  Several instances of one service behind a load balancer, sharing a store: the
  cluster must behave as one server (pushspec model M-11). Each subscriber is
  a polling loop that keeps its cursor. Runs only for an adapter with a "cluster".

  Background:
    Given a fresh channel

  # Model M-11 (fan-out): a message published on any instance MUST reach the subscribers of every instance, once each, in the same order, under the same id.
  @POLL-CLUSTER-FANOUT @must @cluster
  Scenario: Messages published round-robin over the instances reach a subscriber on every instance, once each, in publish order, under one id
    When a subscriber on every instance sees 10 messages published round-robin over the instances
    Then every subscriber received what it is owed, once each, in publish order

  # Model M-11 (resuming elsewhere): a client that resumes on another instance with the position the first gave it MUST receive exactly what it missed.
  @POLL-CLUSTER-RESUME @must @cluster @cursor
  Scenario: A client that resumes on instance 2 from the position instance 1 gave it receives exactly what it missed, in order
    When a client leaves instance 1 after some messages and resumes on instance 2 from its position after more were published
    Then every subscriber received what it is owed, once each, in publish order

  # Model M-11 (an instance that goes away): its clients resume on another instance and MUST lose no acknowledged message; none may arrive twice.
  @POLL-CLUSTER-FAILOVER @must @cluster @cursor @cluster-stop
  Scenario: Clients of an instance stopped mid-stream resume on another and lose no acknowledged message, none twice, in order
    When instance 2 is stopped while its clients receive what instance 1 publishes, and they resume on another instance
    Then every subscriber received what it is owed, once each, in publish order

  # Model M-11 (publishing while an instance is down): publishing on the others MUST keep working, and what they accept MUST reach their subscribers.
  @POLL-CLUSTER-PUBLISH-DOWN @must @cluster @cluster-stop
  Scenario: With instance 2 stopped, publishes on the other instances are accepted and reach their subscribers
    When messages are published on the other instances while instance 2 is stopped
    Then every publish was accepted
    And every subscriber received what it is owed, once each, in publish order
