@req:JL-016 @needs:nonrooted-control @needs:session-members
Feature: dwFlags: sender, receiver or both
  dwFlags says whether the socket acts only as a sender (JL_SENDER_ONLY), only as a receiver
  (JL_RECEIVER_ONLY) or as both (JL_BOTH). It shows on the data plane of a multicast session:
  a sender-only member receives nothing from the session, a receiver-only member's data never
  reaches it, and a member joined with JL_BOTH does both.

  Background:
    Given a c_leaf socket "leaf"
    And a multipoint session "group"

  @req:JL-091
  Rule: JL_SENDER_ONLY: the member's data reaches the session and the session's data does not reach it

    Scenario: A sender-only member talks and does not listen
      When "leaf" joins "group" with:
        | dwFlags | JL_SENDER_ONLY |
      Then the join succeeds
      When "leaf" sends 8 bytes
      And peer "group" sends 5 bytes
      And the network settles
      Then peer "group" received 8 bytes
      And "leaf" has nothing to receive

  @req:JL-092
  Rule: JL_RECEIVER_ONLY: the session's data reaches the member and the member's data does not reach the session

    Scenario: A receiver-only member listens and does not talk
      When "leaf" joins "group" with:
        | dwFlags | JL_RECEIVER_ONLY |
      Then the join succeeds
      When "leaf" sends 8 bytes
      And peer "group" sends 5 bytes
      And the network settles
      Then "leaf" receives the peer's 5 bytes
      And peer "group" received nothing

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
