Feature: Joining an unbound socket binds it

  @req:JL-094 @req:JL-095 @needs:nonrooted-control @needs:programmable-peers
  Rule: An unbound socket gets a unique local address from the join and is bound afterwards

    Scenario: The leaf had no local address before and has one after
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      Then "leaf" has no local address yet
      When "leaf" joins "group"
      Then "leaf" has a local address

    Scenario: Two implicitly bound sockets get different local addresses
      Given a c_leaf socket "one"
      And a c_leaf socket "two"
      And a multipoint session "group"
      When "one" joins "group"
      And "two" joins "group"
      Then "one" and "two" have different local addresses
