Feature: What WSAJoinLeaf returns for a c_root and for a c_leaf socket
  A root adds a leaf and gets back a new c_leaf socket that stands for that leaf.
  A leaf joins a root or a session and gets back the very socket it passed in.

  @req:JL-044 @req:JL-043 @needs:root-initiated @needs:programmable-peers
  Rule: A c_root socket gets a new c_leaf socket for the leaf it added

    Scenario: The root adds a leaf and receives a descriptor different from its own
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      And peer "B" is a member

  @req:JL-052 @req:JL-051 @needs:nonrooted-control @needs:programmable-peers
  Rule: A c_leaf socket gets itself back

    Scenario: A leaf joins a multipoint session and no new descriptor is allocated
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group"
      Then the join returns the same socket

  @req:JL-050 @req:JL-052 @needs:leaf-initiated @needs:rooted-control @needs:programmable-peers
  Rule: Under rooted control a c_leaf names its root and still gets itself back

    Scenario: A leaf joins a remote root that admits it
      Given a c_leaf socket "leaf"
      And a peer "R" that accepts joins
      When "leaf" joins "R"
      Then the join returns the same socket

  @req:JL-021 @req:JL-018 @needs:root-initiated @needs:programmable-peers
  Rule: On a blocking socket the return value is the outcome of the join

    Scenario: A blocking join that the leaf admits returns a descriptor
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B"
      Then the join succeeds

    Scenario: A blocking join that the leaf refuses returns INVALID_SOCKET
      Given a c_root socket "root"
      And a peer "B" that refuses joins
      When "root" joins "B"
      Then the join fails with WSAECONNREFUSED
      And peer "B" is not a member
