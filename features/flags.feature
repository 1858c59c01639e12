@req:JL-016 @needs:nonrooted-control @needs:session-members
Feature: dwFlags: sender, receiver or both
  dwFlags says whether the socket acts only as a sender (JL_SENDER_ONLY), only as a receiver
  (JL_RECEIVER_ONLY) or as both (JL_BOTH). The texts say what each value indicates about the
  socket's role; they do not say that the provider enforces it on the data plane (Windows' IP
  multicast provider does not), so the scenarios check that a join accepts each value and that
  the member can do what its role names. That a sender-only member receives nothing, or that a
  receiver-only member's data goes nowhere, is a reading the suite does not impose
  (@reading:dwflags-role, docs/editions.md).

  Background:
    Given a c_leaf socket "leaf"
    And a multipoint session "group"

  @req:JL-091 @reading:dwflags-role
  Rule: JL_SENDER_ONLY: the member acts as a sender, and its data reaches the session

    Scenario: A sender-only member talks
      When "leaf" joins "group" with:
        | dwFlags | JL_SENDER_ONLY |
      Then the join succeeds
      When "leaf" sends 8 bytes
      And the network settles
      Then the call succeeds
      And peer "group" received 8 bytes

  @req:JL-092 @reading:dwflags-role
  Rule: JL_RECEIVER_ONLY: the member acts as a receiver, and the session's data reaches it

    Scenario: A receiver-only member listens
      When "leaf" joins "group" with:
        | dwFlags | JL_RECEIVER_ONLY |
      Then the join succeeds
      When peer "group" sends 5 bytes
      And the network settles
      Then "leaf" receives the peer's 5 bytes

  @req:JL-093
  Rule: JL_BOTH: data flows both ways

    Scenario: A member that both talks and listens
      When "leaf" joins "group" with:
        | dwFlags | JL_BOTH |
      Then the join succeeds
      When "leaf" sends 8 bytes
      And peer "group" sends 5 bytes
      And the network settles
      Then peer "group" received 8 bytes
      And "leaf" receives the peer's 5 bytes
