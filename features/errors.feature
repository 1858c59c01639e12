Feature: Error codes
  Each error code the reference texts list, provoked for the reason they give. (WSAEALREADY is in
  nonblocking.feature, WSAEISCONN in membership.feature, WSAEADDRINUSE in binding.feature, the
  callee-data and caller-data causes of WSAEFAULT and WSAEPROTONOSUPPORT in their own features,
  WSAEOPNOTSUPP in qos.feature and the legacy WSAEWOULDBLOCK in nonblocking.feature.)

  @req:JL-097 @needs:nonrooted-control
  Rule: Without a successful WSAStartup in force, the call fails with WSANOTINITIALISED

    Scenario: The application has cleaned up before joining
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      And the application has called WSACleanup
      When "leaf" joins "group"
      Then the join fails with WSANOTINITIALISED

  @req:JL-098 @needs:nonrooted-control @needs:network-down
  Rule: A failed network subsystem makes the call fail with WSAENETDOWN

    Scenario: The network subsystem fails before the join
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      And the network subsystem has failed
      When "leaf" joins "group"
      Then the join fails with WSAENETDOWN

  @needs:root-initiated @needs:winsock11-blocking @needs:scripted-peers
  Rule: Under Winsock 1.1 a blocking join holds the application: other calls fail with WSAEINPROGRESS, and WSACancelBlockingCall ends it with WSAEINTR

    Background:
      Given the application uses Winsock 1.1 blocking calls
      And a c_root socket "root"
      And a c_root socket "other"
      And a peer "B" that never answers
      And a peer "C" that accepts joins

    @req:JL-102
    Scenario: A second join while the first one blocks
      When "root" starts joining "B"
      Then the join of "root" is still in progress
      When "other" joins "C"
      Then the join of "other" fails with WSAEINPROGRESS
      And peer "C" is not a member
      When the application cancels the blocking call
      Then the join of "root" fails with WSAEINTR

    @req:JL-101
    Scenario: The application cancels the blocking join
      When "root" starts joining "B"
      And the application cancels the blocking call
      Then the call succeeds
      And the join of "root" fails with WSAEINTR
      When "other" joins "C"
      Then the join of "other" succeeds

  @req:JL-102 @needs:leaf-initiated @needs:rooted-control @needs:scripted-peers
  Rule: A join made while the provider is still in a callback function fails with WSAEINPROGRESS

    Scenario: The WSAAccept condition function tries to join
      Given a c_root socket "root"
      And "root" is listening
      And a c_leaf socket "other"
      And a peer "B" that accepts joins
      And a peer "C" that accepts joins
      When peer "B" asks to join "root"
      And "root" admits the waiting leaf with WSAAccept whose condition function first makes "other" join "C"
      Then the join of "other" fails with WSAEINPROGRESS
      And peer "B" is a member
      When the network settles
      Then peer "C" is not a member
      When "other" joins "C"
      Then the join of "other" succeeds

  @req:JL-104 @req:JL-105
  Rule: A name that is no address to join, such as ADDR_ANY, fails with WSAEADDRNOTAVAIL

    @needs:nonrooted-control
    Scenario: A leaf names ADDR_ANY
      The legacy line says only that "the specified address is not available from the local
      machine". The one address the call is given is name, so both editions are read alike:
      name is no address this machine can join, ADDR_ANY being the plain case. The legacy
      wording could also mean a socket bound to an address that is not one of this machine's.
      That meaning is NOT checked: it cannot arise at join time, because bind already refuses
      such an address with WSAEADDRNOTAVAIL and an implicit bind takes the machine's own address
      (docs/editions.md, row 14).

      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins with:
        | name | ADDR_ANY |
      Then the join fails with WSAEADDRNOTAVAIL
      When "leaf" joins "group"
      Then the join succeeds

    @needs:root-initiated @needs:scripted-peers
    Scenario: A root names ADDR_ANY as the leaf to add
      Under nonrooted control no unicast name is a session, so the leaf's join above would fail
      for any of them; a root may name any unicast leaf, so here ADDR_ANY itself is refused.

      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins with:
        | name | ADDR_ANY |
      Then the join fails with WSAEADDRNOTAVAIL
      And peer "B" saw no join requests
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"

  @req:JL-106 @needs:nonrooted-control
  Rule: A name of an address family the socket cannot use fails with WSAEAFNOSUPPORT

    Scenario: An AF_INET6 name for an AF_INET socket
      Given a c_leaf socket "leaf"
      When "leaf" joins with:
        | name | an AF_INET6 address |
      Then the join fails with WSAEAFNOSUPPORT

  @req:JL-107 @needs:scripted-peers
  Rule: A join the other side rejects fails with WSAECONNREFUSED

    @needs:root-initiated
    Scenario: The leaf a root tries to add refuses
      Given a c_root socket "root"
      And a peer "B" that refuses joins
      When "root" joins "B"
      Then the join fails with WSAECONNREFUSED
      And peer "B" is not a member

    @needs:leaf-initiated @needs:rooted-control @needs:several-hosts
    Scenario: The root a leaf asks rejects it in its WSAAccept condition
      Given a c_root socket "root" on host "R"
      And "root" is listening
      And a c_leaf socket "leaf"
      When "leaf" starts joining "root"
      And "root" rejects the waiting leaf with WSAAccept
      Then the join of "leaf" fails with WSAECONNREFUSED

  @req:JL-108 @needs:nonrooted-control
  Rule: A name pointer outside the application's address space fails with WSAEFAULT

    Scenario Outline: name is <name>
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins with:
        | name | <name> |
      Then the join fails with WSAEFAULT
      When "leaf" joins "group"
      Then the join succeeds

      Examples:
        | name            |
        | NULL            |
        | invalid pointer |

  @req:JL-109 @needs:nonrooted-control
  Rule: A namelen too small for the address fails with WSAEFAULT

    Scenario Outline: A 16-byte sockaddr_in with a namelen of <namelen>
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | namelen | <namelen> |
      Then the join fails with WSAEFAULT
      When "leaf" joins "group" with:
        | namelen | 16 |
      Then the join succeeds

      Examples:
        | namelen |
        | 15      |
        | 2       |
        | 0       |

  @req:JL-111
  Rule: A socket QOS whose buffer is shorter than its length says fails with WSAEFAULT

    @needs:root-initiated @needs:qos @needs:scripted-peers
    Scenario: The provider-specific part claims 16 bytes and holds 4
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | sending token rate    | 1000                   |
        | provider-specific QOS | 4 bytes declared as 16 |
      Then the join fails with WSAEFAULT
      When the network settles
      Then peer "B" is not a member
      When "root" joins "B" with:
        | sending token rate    | 1000    |
        | provider-specific QOS | 4 bytes |
      Then the join succeeds

  @req:JL-111 @needs:nonrooted-control @needs:no-qos
  Rule: (IP multicast) A leaf's socket QOS whose buffer is shorter than its length says fails with WSAEFAULT, on a provider without QOS too

    Scenario: A best-effort lpSQOS whose provider-specific part claims 16 bytes and holds 4
      The flowspecs ask for best effort, which any provider gives, so the short buffer is the only
      thing wrong with the call.

      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with flowspecs:
        | sending               | best effort            |
        | receiving             | best effort            |
        | provider-specific QOS | 4 bytes declared as 16 |
      Then the join fails with WSAEFAULT
      When "leaf" joins "group" with flowspecs:
        | sending               | best effort |
        | receiving             | best effort |
        | provider-specific QOS | NULL        |
      Then the join succeeds

  @req:JL-112
  Rule: A group QOS whose buffer is shorter than its length says fails with WSAEFAULT

    @needs:root-initiated @needs:qos @needs:socket-groups @needs:scripted-peers
    Scenario: The group provider-specific part claims 16 bytes and holds 4
      Given a c_root socket "root" that creates a socket group
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | group sending token rate    | 1000                   |
        | group provider-specific QOS | 4 bytes declared as 16 |
      Then the join fails with WSAEFAULT
      When the network settles
      Then peer "B" is not a member
      When "root" joins "B" with:
        | group sending token rate    | 1000    |
        | group provider-specific QOS | 4 bytes |
      Then the join succeeds

    @needs:no-qos @needs:nonrooted-control @needs:socket-groups
    Scenario: A provider without QOS is given a group QOS whose buffer is too short
      Given a c_leaf socket "leaf" that creates a socket group
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | group service type          | best effort            |
        | group provider-specific QOS | 4 bytes declared as 16 |
      Then the join fails with WSAEFAULT or WSAEOPNOTSUPP
      When "leaf" joins "group"
      Then the join succeeds

  @req:JL-114 @edition:current @needs:nonrooted-control
  Rule: (current) A UDP socket opened without the c_leaf and d_leaf flags fails with WSAEINVAL

    Scenario: A plain UDP socket tries to join a multicast session
      Given a socket "plain" opened without multipoint flags
      And a multipoint session "group"
      When "plain" joins "group"
      Then the join fails with WSAEINVAL

  @req:JL-116 @needs:root-initiated @needs:scripted-peers @needs:unreachable-peers
  Rule: A peer this host has no route to fails the join with WSAENETUNREACH

    Scenario: The leaf to add sits on a network with no route
      Given a c_root socket "root"
      And a peer "B" on a network with no route
      When "root" joins "B"
      Then the join fails with WSAENETUNREACH

  @req:JL-117 @needs:root-initiated @needs:out-of-buffers @needs:scripted-peers
  Rule: With no buffer space left, the socket is not joined: WSAENOBUFS

    Scenario: The provider is out of buffers
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      And the provider has run out of buffer space
      When "root" joins "B"
      Then the join fails with WSAENOBUFS
      When the network settles
      Then peer "B" is not a member

  @req:JL-116 @needs:nonrooted-control @needs:unreachable-peers
  Rule: (IP multicast) A leaf join to an address this host has no route to fails with WSAENETUNREACH

    Scenario: The leaf names an address on a network with no route
      The name is no multicast session but a unicast address on a network this host has no route
      to: the join cannot reach its target, the case the text gives for WSAENETUNREACH.
      Given a c_leaf socket "leaf"
      And a peer "far" on a network with no route
      When "leaf" joins "far"
      Then the join fails with WSAENETUNREACH

  @req:JL-117 @needs:nonrooted-control @needs:out-of-buffers @needs:session-members
  Rule: (IP multicast) With no buffer space left, the leaf is not joined: WSAENOBUFS

    Scenario: The provider is out of buffers when a leaf joins a multipoint session
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      And the provider has run out of buffer space
      When "leaf" joins "group"
      Then the join fails with WSAENOBUFS
      When peer "group" sends 4 bytes
      And the network settles
      Then "leaf" has nothing to receive

  @req:JL-118 @needs:nonrooted-control
  Rule: A descriptor that is not a socket fails with WSAENOTSOCK

    Scenario: The descriptor of a socket already closed
      Given a c_leaf socket "gone"
      And a c_leaf socket "leaf"
      And a multipoint session "group"
      And the application closes "gone"
      When "gone" joins "group"
      Then the join fails with WSAENOTSOCK

  @req:JL-121 @needs:root-initiated @needs:scripted-peers
  Rule: A join that gets no answer times out with WSAETIMEDOUT

    Scenario: The leaf to add never answers
      The texts give no timeout, so the scenario waits as long as the harness lets a call take:
      a join still pending then is reported UNSUPPORTED for this run, never failed.

      Given a c_root socket "root"
      And a peer "B" that never answers
      When "root" starts joining "B"
      And the application waits for the join of "root" to end
      Then the join of "root" has timed out with WSAETIMEDOUT, unless it is still pending
      And peer "B" saw a join request
      And peer "B" is not a member
