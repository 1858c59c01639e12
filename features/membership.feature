Feature: A socket that has joined cannot join again, except a root adding more leaves

  @req:JL-023 @req:JL-115 @edition:current @needs:nonrooted-control @needs:programmable-peers
  Rule: After a successful join, another join on a c_leaf socket fails with WSAEISCONN

    Scenario: A leaf already in the session joins again
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      And "leaf" joins "group"
      When "leaf" joins "group" again
      Then the join fails with WSAEISCONN

  @req:JL-024 @req:JL-057 @edition:current @needs:root-initiated @needs:programmable-peers
  Rule: A c_root socket that allows root-initiated joins may add another leaf after a join completes

    Scenario: The root adds a second leaf
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      And a peer "C" that accepts joins
      And "root" joins "B"
      When "root" joins "C"
      Then the join returns a new c_leaf socket "to C"
      And peer "B" is a member
      And peer "C" is a member
