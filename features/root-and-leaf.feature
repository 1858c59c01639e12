Feature: c_root and c_leaf sockets
  A root adds a leaf and gets back a new c_leaf socket that stands for that leaf; it has the
  root's properties, its event registrations included. The legacy edition excepts the group ID;
  the current edition says nothing of it, so no current scenario asks for either answer.
  A leaf joins a root or a session and gets back the very socket it passed in. Under rooted
  control a root can also listen, and admit leaves that ask with accept or WSAAccept; what those
  return is the same kind of c_leaf socket. A listening root may still add leaves itself.

  @req:JL-042 @req:JL-043 @req:JL-044 @req:JL-022 @needs:root-initiated @needs:scripted-peers
  Rule: A c_root socket names the leaf to add and gets a new c_leaf socket for it

    Scenario: The root adds a leaf and receives a descriptor different from its own
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      And peer "B" is a member

  @req:JL-042 @req:JL-052 @req:JL-051 @needs:nonrooted-control
  Rule: A c_leaf socket names the session it joins and gets itself back

    Scenario: A leaf joins a multipoint session and no new descriptor is allocated
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group"
      Then the join returns the same socket

  @req:JL-050 @req:JL-052 @needs:leaf-initiated @needs:rooted-control @needs:scripted-peers
  Rule: Under rooted control a c_leaf names its root and still gets itself back

    Scenario: A leaf joins a remote root that admits it
      Given a c_leaf socket "leaf"
      And a peer "R" that accepts joins
      When "leaf" joins "R"
      Then the join returns the same socket
      And peer "R" is a member

    @needs:several-hosts
    Scenario: A leaf joins a root on another host
      Given a c_root socket "root" on host "R"
      And "root" is listening
      And a c_leaf socket "leaf"
      When "leaf" starts joining "root"
      And "root" accepts the waiting leaf as "to leaf"
      Then the join of "leaf" succeeds
      And the join returns the same socket

  @req:JL-045 @req:JL-046 @needs:root-initiated @needs:scripted-peers
  Rule: The new c_leaf socket has the root's properties, its event registrations included

    Scenario Outline: The new socket reports FD_CLOSE through the <registration> registration it inherited
      Given a c_root socket "root"
      And "root" registers for FD_CONNECT and FD_CLOSE with <registration>
      And a peer "B" that accepts joins
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      When the network settles
      And peer "B" leaves
      And the network settles
      Then "to B" is notified of FD_CLOSE

      Examples:
        | registration   |
        | WSAEventSelect |
        | WSAAsyncSelect |

    @needs:qos
    Scenario: The new socket has the root's socket QOS
      Given a c_root socket "root"
      And "root" has socket QOS with a sending token rate of 1000
      And a peer "B" that accepts joins
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      And the socket QOS of "to B" has a sending token rate of 1000

  @req:JL-047 @edition:legacy @needs:root-initiated @needs:socket-groups @needs:scripted-peers
  Rule: (legacy) The new c_leaf socket does not take the root's group ID

    Scenario: The root created a socket group; the socket for its new leaf is not in it
      Given a c_root socket "root" that creates a socket group
      And a peer "B" that accepts joins
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      And "to B" does not have the group ID of "root"

  @req:JL-048 @untestable
  Rule: The c_leaf socket a root holds is not meant for multipoint data

    Scenario: A statement of intended use
      Then it is not testable: "states intended use only; it neither forbids data on the socket nor names an error for it"

  @req:JL-049 @needs:scripted-peers
  Rule: Where the protocol allows side chats, the root and one leaf talk over the socket the root holds for it

    The text allows side chats; it does not forbid data on that socket where the protocol has
    none, so no scenario asks a provider without side chats to refuse it.

    @needs:side-chat @needs:leaf-initiated
    Scenario: The root and one leaf exchange data privately, apart from the session's data
      Given a c_root socket "root"
      And "root" is listening
      And a peer "B" that accepts joins
      When peer "B" asks to join "root"
      And "root" accepts the waiting leaf as "to B"
      And "to B" sends 8 bytes
      And the network settles
      Then peer "B" received 8 bytes
      When peer "B" sends 5 bytes over its side chat
      And the network settles
      Then "to B" receives the peer's 5 bytes
      And "root" has nothing to receive
      When peer "B" sends 5 bytes
      And the network settles
      Then "root" receives the peer's 5 bytes
      And "to B" has nothing to receive

  @req:JL-053 @req:JL-054 @req:JL-055 @req:JL-062 @needs:leaf-initiated @needs:rooted-control @needs:scripted-peers
  Rule: A listening root is told with FD_ACCEPT that a leaf asks to join, and admits it with accept or WSAAccept

    Background:
      Given a c_root socket "root"
      And "root" registers for FD_ACCEPT and FD_CLOSE with WSAEventSelect
      And "root" is listening
      And a peer "B" that accepts joins

    Scenario Outline: The root admits the leaf with <function> and gets a c_leaf socket for it
      When peer "B" asks to join "root"
      And the network settles
      Then "root" is notified of FD_ACCEPT with no error
      When "root" <admits> as "to B"
      Then the call succeeds
      And peer "B" is a member
      When peer "B" leaves
      And the network settles
      Then "to B" is notified of FD_CLOSE
      And "root" is not notified of FD_CLOSE

      Examples:
        | function  | admits                                 |
        | accept    | accepts the waiting leaf               |
        | WSAAccept | admits the waiting leaf with WSAAccept |

    Scenario: Closing the socket accept returned tells the leaf, as for one WSAJoinLeaf returned
      When peer "B" asks to join "root"
      And the network settles
      And "root" accepts the waiting leaf as "to B"
      And the application closes "to B"
      Then peer "B" saw the connection close
      And peer "B" is not a member

    Scenario: A root that is not listening is not asked
      Given a c_root socket "quiet"
      And "quiet" is bound to port 7100 of its host address
      And "quiet" registers for FD_ACCEPT with WSAEventSelect
      When peer "B" asks to join "quiet"
      And the network settles
      Then "quiet" is not notified of FD_ACCEPT

  @req:JL-055 @needs:root-initiated @needs:leaf-initiated @needs:rooted-control @needs:qos @needs:scripted-peers
  Rule: What accept and WSAAccept return is the same kind of c_leaf socket as the one WSAJoinLeaf returns to a root

    Scenario Outline: The socket <function> returns has the root's socket QOS, as the one a join returns has
      Given a c_root socket "root"
      And "root" has socket QOS with a sending token rate of 1000
      And "root" is listening
      And a peer "B" that accepts joins
      And a peer "C" that accepts joins
      When peer "B" asks to join "root"
      And the network settles
      And "root" <admits> as "to B"
      Then the call succeeds
      And the socket QOS of "to B" has a sending token rate of 1000
      When "root" joins "C"
      Then the join returns a new c_leaf socket "to C"
      And the socket QOS of "to C" has a sending token rate of 1000

      Examples:
        | function  | admits                                 |
        | accept    | accepts the waiting leaf               |
        | WSAAccept | admits the waiting leaf with WSAAccept |

  @req:JL-056 @needs:root-initiated @needs:leaf-initiated @needs:scripted-peers
  Rule: A c_root socket that is already listening may still add leaves with WSAJoinLeaf

    Scenario: One root, a leaf it added itself and a leaf that asked
      Given a c_root socket "root"
      And "root" registers for FD_ACCEPT, FD_CONNECT and FD_CLOSE with WSAEventSelect
      And "root" is listening
      And a peer "B" that accepts joins
      And a peer "C" that accepts joins
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      When peer "C" asks to join "root"
      And the network settles
      Then FD_CONNECT reports the end of the join of "root" with no error
      And "root" is notified of FD_ACCEPT with no error
      When "root" accepts the waiting leaf as "to C"
      Then the call succeeds
      And peer "B" is a member
      And peer "C" is a member
