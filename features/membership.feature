Feature: Joining again
  A socket that is already a member of the session cannot join it again. A root is the
  exception: it adds leaves one after another, with at most one join outstanding at a time.
  Seeing that limit takes a join that is still outstanding when the next one is made, to a peer
  that will accept it later: that needs a virtual clock, where no time passes between the calls
  (the text allows a provider to finish a join at once).

  @req:JL-023 @req:JL-115 @needs:nonrooted-control
  Rule: After a successful join, another join on the same c_leaf socket fails with WSAEISCONN

    Scenario: A leaf already in the session joins again
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      And "leaf" joins "group"
      When "leaf" joins "group" again
      Then the join fails with WSAEISCONN

    Scenario: A nonblocking leaf whose join is over joins again
      Given a c_leaf socket "leaf"
      And "leaf" registers for FD_CONNECT with WSAEventSelect
      And a multipoint session "group"
      And "leaf" joins "group"
      And the network settles
      And the join of "leaf" ended in success, as the call or FD_CONNECT on "leaf" reports it
      When "leaf" joins "group" again
      Then the join fails with WSAEISCONN

  @req:JL-115 @needs:root-initiated @needs:scripted-peers
  Rule: The socket a root holds for one leaf is already a member and cannot join anything

    Scenario: The root's socket for B tries to join C
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      And a peer "C" that accepts joins
      And "root" joins "B"
      And the join returns a new c_leaf socket "to B"
      When "to B" joins "C"
      Then the join fails with WSAEISCONN
      When the network settles
      Then peer "C" is not a member

  @req:JL-024 @edition:current @needs:root-initiated @needs:scripted-peers
  Rule: (current) A c_root socket that allows root-initiated joins may start another join once one has completed

    Scenario: The root adds a second leaf without WSAEISCONN
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      And a peer "C" that accepts joins
      And "root" joins "B"
      When "root" joins "C"
      Then the join returns a new c_leaf socket "to C"
      And peer "B" is a member
      And peer "C" is a member

  @req:JL-057 @needs:root-initiated @needs:scripted-peers
  Rule: A root may call WSAJoinLeaf again and again to add several leaves

    Scenario: The root adds three leaves and holds one socket for each
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      And a peer "C" that accepts joins
      And a peer "D" that accepts joins
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      When "root" joins "C"
      Then the join returns a new c_leaf socket "to C"
      When "root" joins "D"
      Then the join returns a new c_leaf socket "to D"
      And peer "B" is a member
      And peer "C" is a member
      And peer "D" is a member

  @req:JL-058 @needs:root-initiated @needs:scripted-peers @needs:virtual-clock
  Rule: A root adding leaves has at most one join outstanding at a time

    Scenario: The next leaf is added only once the join before it has completed
      Given a c_root socket "root"
      And "root" registers for FD_CONNECT with WSAEventSelect
      And a peer "B" that accepts joins
      And a peer "C" that accepts joins
      When "root" joins "B"
      And "root" joins "C"
      Then the join fails with WSAEALREADY
      When the network settles
      And "root" joins "C"
      Then the join succeeds
      When the network settles
      Then peer "B" is a member
      And peer "C" is a member
