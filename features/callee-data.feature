Feature: lpCalleeData carries the peer's answer back
  On entry lpCalleeData->len is the size of the application's buffer; on completion it is the
  number of bytes the peer sent back, or 0 when it sent none. A NULL lpCalleeData receives nothing.

  Background:
    Given a c_root socket "root"

  @req:JL-068 @req:JL-069 @req:JL-067 @needs:root-initiated @needs:connect-data @needs:programmable-peers
  Rule: On completion len is the number of bytes the peer sent back

    Scenario: The peer answers with fewer bytes than the buffer holds
      Given a peer "B" that accepts joins and answers with 12 bytes of callee data
      When "root" joins "B" with:
        | callee buffer | 32 bytes |
      Then the join succeeds
      And the callee buffer holds the peer's 12 bytes
      And nothing was written past the callee buffer

  @req:JL-070 @needs:root-initiated @needs:programmable-peers
  Rule: When the peer sends nothing back, len is set to 0

    Scenario: The peer accepts without callee data
      Given a peer "B" that accepts joins
      When "root" joins "B" with:
        | callee buffer | 32 bytes |
      Then the join succeeds
      And the callee buffer length reads 0

  @req:JL-076 @needs:root-initiated @needs:connect-data @needs:programmable-peers
  Rule: A NULL lpCalleeData receives nothing and the join still works

    Scenario: The peer's answer has nowhere to go
      Given a peer "B" that accepts joins and answers with 12 bytes of callee data
      When "root" joins "B" with:
        | callee buffer | NULL |
      Then the join succeeds
