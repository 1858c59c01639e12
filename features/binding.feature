Feature: Joining binds the socket
  A join on an unbound socket gives it a unique local address and leaves it bound. A socket
  bound to the wildcard address has its address fixed only when it joins; if that address is
  then taken, the join fails with WSAEADDRINUSE, unless the socket allows address reuse.

  @req:JL-094 @req:JL-095 @needs:nonrooted-control
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

  @req:JL-096 @req:JL-099 @req:JL-100 @needs:nonrooted-control
  Rule: A wildcard bind whose address is fixed at join time can find it taken: WSAEADDRINUSE, unless reuse is allowed

    Background:
      Given a c_leaf socket "wild"
      And a c_leaf socket "specific"
      And a multipoint session "group"
      And "wild" is bound to port 6000 of the wildcard address
      And "specific" is bound to port 6000 of its host address

    Scenario: The wildcard socket joins and the host address on its port is taken
      When "wild" joins "group"
      Then the join fails with WSAEADDRINUSE

    Scenario: With SO_REUSEADDR the same join works
      Given "wild" allows address reuse
      When "wild" joins "group"
      Then the join succeeds
