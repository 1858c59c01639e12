Feature: The shape of WSAJoinLeaf
  WSAJoinLeaf takes eight parameters and returns a SOCKET. In one call it adds a leaf to a
  multipoint session, carries user data both ways and sets up the quality of service asked for.
  The signature itself, the statements about linkage and supported platforms and how the
  signature compares with WSAConnect's say nothing a call can show, so they are recorded as not
  testable; what each parameter does is checked here through its effect.

  @req:JL-001 @req:JL-037 @needs:root-initiated @needs:connect-data @needs:qos @needs:scripted-peers
  Rule: One call adds the leaf, carries user data both ways and signals the QOS, each parameter doing its own part

    Scenario: Every parameter reaches the place it is meant for
      Given a c_root socket "root"
      And a peer "B" that accepts joins and answers with maxConnectData/2 bytes of callee data
      And a peer "C" that accepts joins
      When "root" joins "B" with:
        | caller data        | maxConnectData/2 bytes |
        | callee buffer      | maxConnectData bytes   |
        | sending token rate | 1000                   |
        | dwFlags            | JL_BOTH                |
      Then the join returns a new c_leaf socket "to B"
      And peer "B" is a member
      And peer "C" saw no join requests
      And peer "B" received maxConnectData/2 bytes of caller data
      And the callee buffer holds the peer's maxConnectData/2 bytes
      And peer "B" was signalled a sending token rate of 1000

  @req:JL-001 @req:JL-037 @needs:nonrooted-control @needs:no-connect-data @needs:session-members
  Rule: (IP multicast) One call adds the leaf to the session; no user data comes back and no QOS is asked for

    Scenario: A leaf joins a multicast session, listens and talks, and its callee buffer reads 0
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      And "leaf" is bound to the port of session "group" on the wildcard address
      When "leaf" joins "group" with:
        | callee buffer      | 32 bytes |
        | sending token rate | NULL     |
        | dwFlags            | JL_BOTH  |
      Then the join returns the same socket
      And the callee buffer length reads 0
      When peer "group" sends 5 bytes
      And the network settles
      Then "leaf" receives the peer's 5 bytes
      When "leaf" sends 8 bytes
      And the network settles
      Then peer "group" received 8 bytes

  @req:JL-002 @untestable
  Rule: The function returns a SOCKET and takes eight parameters in a fixed order

    Scenario: The declared prototype
      Then it is not testable: "a declaration, not a behaviour: every driver calls through its own declaration of the prototype, so a call can only confirm that declaration, never the header's; what each parameter does is checked by JL-001 and JL-037"

  @req:JL-003 @needs:root-initiated @needs:connect-data @needs:qos @needs:scripted-peers
  Rule: Only lpCalleeData is written; every other parameter is read and left as it was

    Scenario: Name, caller data and QOS are the same after the call
      Given a c_root socket "root"
      And a peer "B" that accepts joins and answers with maxConnectData/2 bytes of callee data
      When "root" joins "B" with:
        | caller data           | maxConnectData/2 bytes |
        | callee buffer         | maxConnectData bytes   |
        | sending token rate    | 1000                   |
        | receiving token rate  | 2000                   |
        | provider-specific QOS | 4 bytes                |
      Then the join succeeds
      And the join left its input parameters unchanged
      And the callee buffer holds the peer's maxConnectData/2 bytes

  @req:JL-003 @needs:nonrooted-control
  Rule: (IP multicast) A leaf's join reads its inputs and writes back only lpCalleeData

    Scenario: A leaf joins a session; name, namelen and dwFlags are the same after the call
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | callee buffer | 32 bytes         |
        | dwFlags       | JL_RECEIVER_ONLY |
      Then the join succeeds
      And the join left its input parameters unchanged

    @needs:no-connect-data @needs:no-qos
    Scenario: A join that fails leaves its caller data and QOS as they were
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | caller data           | 8 bytes  |
        | callee buffer         | 32 bytes |
        | sending token rate    | 1000     |
        | provider-specific QOS | 4 bytes  |
      Then the join fails
      And the join left its input parameters unchanged

  @req:JL-004 @untestable
  Rule: Compared with WSAConnect, the only extra parameter is dwFlags

    Scenario: Comparing the signature with WSAConnect's
      Then it is not testable: "a comparison between two signatures, not a behaviour; the parameter list itself (JL-002) is a declaration no call can check either"

  @req:JL-005 @edition:current @untestable
  Rule: (current) WSAAPI, declared in winsock2.h, linked through Ws2_32.lib, exported by Ws2_32.dll

    Scenario: Build and linkage facts
      Then it is not testable: "build and linkage metadata that no call to the function can observe"

  @req:JL-006 @edition:current @untestable
  Rule: (current) The Windows versions and app models that offer the function

    Scenario: Platform availability
      Then it is not testable: "a statement about platform availability, not a property of any call"
