Feature: When the returned descriptor can be used
  The descriptor a join returns is not usable until the join has completed. The legacy edition
  says so for nonblocking sockets (after the matching FD_CONNECT); the current edition says it
  for every mode and adds one exception: closesocket on the new descriptor cancels the pending join.

  "Usable" is observed by reading from the socket: a usable socket hands over data or says there
  is none yet (WSAEWOULDBLOCK); an unusable one refuses the read with another error.

  The text allows a provider to finish a join at once. Scenarios that look at a join while it is
  still pending and then again once it is over need a virtual clock, where no time passes
  between the call and the check, so a join that waits for the peer's answer is still pending.

  @req:JL-038 @untestable
  Rule: Apart from its result and dwFlags, WSAJoinLeaf takes WSAConnect's parameters and semantics

    Scenario: A cross-reference to another function's whole contract
      Then it is not testable: "refers to WSAConnect's entire contract; the consequences this suite checks are separate entries"

  @req:JL-039 @req:JL-040 @needs:root-initiated @needs:scripted-peers @needs:virtual-clock
  Rule: The descriptor a nonblocking join returns becomes usable only once the join has completed

    Scenario: The new socket cannot be used before FD_CONNECT and can be used after it
      Given a c_root socket "root"
      And "root" registers for FD_CONNECT with WSAEventSelect
      And a peer "B" that accepts joins
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      And "to B" cannot be used yet
      When the network settles
      Then FD_CONNECT reports the end of the join of "root" with no error
      And "to B" can be used

  @req:JL-039 @req:JL-040 @needs:nonrooted-control
  Rule: (IP multicast) The descriptor a nonblocking leaf join returns is usable once the join has completed

    Scenario: A nonblocking leaf can be used once its join to a session is over
      Given a c_leaf socket "leaf"
      And "leaf" registers for FD_CONNECT with WSAEventSelect
      And a multipoint session "group"
      When "leaf" joins "group"
      And the network settles
      Then the join of "leaf" ended in success, as the call or FD_CONNECT on "leaf" reports it
      And "leaf" can be used

  @req:JL-040 @edition:current @needs:root-initiated @needs:scripted-peers
  Rule: (current) In blocking mode the descriptor is usable as soon as the call returns it

    Scenario: A blocking join hands back a socket that is ready
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      And "to B" can be used

  @req:JL-040 @edition:current @needs:nonrooted-control
  Rule: (current, IP multicast) A blocking leaf join hands back a leaf socket that is usable at once

    Scenario: A blocking leaf join to a session hands back a socket that is ready
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group"
      Then the join returns the same socket
      And "leaf" can be used

  @req:JL-041 @edition:current @needs:root-initiated @needs:scripted-peers @needs:virtual-clock
  Rule: (current) Closing the new descriptor while the join is pending cancels the join

    Scenario: The root gives up on one leaf and adds another at once
      Given a c_root socket "root"
      And "root" is in nonblocking mode
      And a peer "B" that accepts joins
      And a peer "C" that accepts joins
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      When the application closes "to B"
      Then the call succeeds
      When "root" joins "C"
      Then the join returns a new c_leaf socket "to C"
      When the network settles
      Then peer "B" is not a member
      And peer "C" is a member
