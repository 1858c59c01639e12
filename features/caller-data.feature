Feature: lpCallerData goes to the peer with the join request
  The caller data travels with the request to join. NULL sends none. More than the provider takes
  fails with WSAEFAULT, and a provider without connect data refuses any with WSAEPROTONOSUPPORT.

  Sizes come from the protocol entry under test (maxConnectData, and maxConnectData/2 for half of
  it, rounded down). The application's bytes are 0x01, 0x00, 0x03, ...: the zero shows caller
  data handled as a C string.

  @req:JL-011 @req:JL-065 @needs:connect-data @needs:scripted-peers
  Rule: The caller data reaches the peer together with the request

    @needs:root-initiated
    Scenario: A root sends caller data to the leaf it adds
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | caller data | maxConnectData/2 bytes |
      Then the join succeeds
      And peer "B" received maxConnectData/2 bytes of caller data

    @needs:leaf-initiated @needs:rooted-control
    Scenario: A leaf sends caller data to the root it asks
      Given a c_leaf socket "leaf"
      And a peer "R" that accepts joins
      When "leaf" joins "R" with:
        | caller data | maxConnectData/2 bytes |
      Then the join returns the same socket
      And peer "R" received maxConnectData/2 bytes of caller data

  @req:JL-066 @needs:connect-data @needs:scripted-peers
  Rule: A NULL lpCallerData sends no user data

    @needs:root-initiated
    Scenario: The request arrives without caller data
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | caller data | NULL |
      Then the join succeeds
      And peer "B" received no caller data

    @needs:root-initiated
    Scenario: A join with NULL after one with caller data sends none
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      And a peer "C" that accepts joins
      When "root" joins "B" with:
        | caller data | maxConnectData/2 bytes |
      Then the join succeeds
      And peer "B" received maxConnectData/2 bytes of caller data
      When "root" joins "C" with:
        | caller data | NULL |
      Then the join succeeds
      And peer "C" received no caller data

    @needs:leaf-initiated @needs:rooted-control
    Scenario: A leaf that asks without caller data sends none, after a refused request that had some
      Given a c_leaf socket "leaf"
      And a peer "first" that refuses joins
      And a peer "R" that accepts joins
      When "leaf" joins "first" with:
        | caller data | maxConnectData/2 bytes |
      Then the join fails with WSAECONNREFUSED
      And peer "first" received maxConnectData/2 bytes of caller data
      When "leaf" joins "R" with:
        | caller data | NULL |
      Then the join returns the same socket
      And peer "R" received no caller data

  @req:JL-066 @needs:nonrooted-control @needs:session-members
  Rule: (IP multicast) A leaf joining with a NULL lpCallerData sends the session no user data

    Scenario: The session's members get nothing from the join
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | caller data | NULL |
      Then the join succeeds
      When the network settles
      Then peer "group" received nothing

  @req:JL-113 @needs:root-initiated @needs:connect-data @needs:scripted-peers
  Rule: Caller data longer than the provider takes fails with WSAEFAULT

    Scenario: One byte more than the protocol allows fails, exactly as much works
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | caller data | more than the protocol allows |
      Then the join fails with WSAEFAULT
      When the network settles
      Then peer "B" is not a member
      When "root" joins "B" with:
        | caller data | the most the protocol allows |
      Then the join succeeds
      And peer "B" received maxConnectData bytes of caller data

  @req:JL-120 @needs:no-connect-data @needs:nonrooted-control
  Rule: Caller data on a provider without connect data fails with WSAEPROTONOSUPPORT

    Scenario: A leaf offers caller data to a multicast session
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | caller data | 8 bytes |
      Then the join fails with WSAEPROTONOSUPPORT

    Scenario: The same join without caller data works
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | caller data | NULL |
      Then the join succeeds
