Feature: Network events around a join
  The c_leaf socket a root holds for one leaf is there to receive that leaf's network events,
  FD_CLOSE above all: the root hears FD_CLOSE on it when the leaf leaves, and the leaf hears
  FD_CLOSE when the root closes it. The outcome of a nonblocking join comes as FD_CONNECT on s,
  through whichever registration the application made, with an error code that tells success
  from each kind of failure (current edition).

  The texts give FD_CLOSE no error code: a graceful close (0) and an abortive one (such as
  WSAECONNRESET or WSAECONNABORTED) are both a provider's choice, so the scenarios check that
  FD_CLOSE comes, and where, but not its code.

  @req:JL-059 @req:JL-060 @needs:root-initiated @needs:scripted-peers
  Rule: When a leaf drops out, the root hears FD_CLOSE on the socket it holds for that leaf, and only there

    Scenario: Of two leaves, one leaves
      Given a c_root socket "root"
      And "root" registers for FD_CONNECT and FD_CLOSE with WSAEventSelect
      And a peer "B" that accepts joins
      And a peer "C" that accepts joins
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      When the network settles
      And "root" joins "C"
      Then the join returns a new c_leaf socket "to C"
      When the network settles
      And peer "B" leaves
      And the network settles
      Then "to B" is notified of FD_CLOSE
      And "to C" is not notified of FD_CLOSE
      And "root" is not notified of FD_CLOSE

  @req:JL-061 @needs:root-initiated @needs:scripted-peers
  Rule: When the root closes the socket it holds for a leaf, that leaf hears FD_CLOSE

    Scenario: The root drops one of two leaves
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      And a peer "C" that accepts joins
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      When "root" joins "C"
      Then the join returns a new c_leaf socket "to C"
      When the application closes "to B"
      And the network settles
      Then peer "B" saw the connection close
      And peer "B" is not a member
      And peer "C" is a member

  @req:JL-055 @req:JL-060 @req:JL-061 @needs:leaf-initiated @needs:rooted-control @needs:several-hosts
  Rule: FD_CLOSE goes both ways between a leaf and the socket its root holds for it

    Background:
      Given a c_root socket "root" on host "R"
      And "root" registers for FD_ACCEPT and FD_CLOSE with WSAEventSelect
      And "root" is listening
      And a c_leaf socket "leaf"
      And "leaf" registers for FD_CONNECT and FD_CLOSE with WSAEventSelect
      And "leaf" joins "root"
      And the network settles
      And "root" accepts the waiting leaf as "to leaf"
      And the network settles

    Scenario: The root closes its socket for the leaf
      When the application closes "to leaf"
      And the network settles
      Then "leaf" is notified of FD_CLOSE

    Scenario: The leaf closes its socket
      When the application closes "leaf"
      And the network settles
      Then "to leaf" is notified of FD_CLOSE
      And "root" is not notified of FD_CLOSE

  @req:JL-063 @edition:current @needs:root-initiated @needs:scripted-peers
  Rule: (current) The outcome comes through whichever registration the application made on s

    Scenario Outline: Success is reported through <registration> on the root
      Given a c_root socket "root"
      And "root" registers for FD_CONNECT with <registration>
      And a peer "B" that accepts joins
      When "root" joins "B"
      And the network settles
      Then "root" is notified of FD_CONNECT with no error
      And peer "B" is a member

      Examples:
        | registration   |
        | WSAEventSelect |
        | WSAAsyncSelect |

  @req:JL-032 @req:JL-063 @req:JL-064 @edition:current @needs:nonrooted-control
  Rule: (current, IP multicast) A leaf's join reports its outcome through the registration made on s

    Scenario Outline: A leaf registered through <registration> joins a session
      A multicast join may finish inside the call, which then reports the outcome itself. The
      suite reads the text as asking no FD_CONNECT of such a join, and as requiring that any
      FD_CONNECT on s agree with the call: no error for a join that succeeded.

      Given a c_leaf socket "leaf"
      And "leaf" registers for FD_CONNECT with <registration>
      And a multipoint session "group"
      When "leaf" joins "group"
      And the network settles
      Then the join of "leaf" ended in success, as the call or FD_CONNECT on "leaf" reports it
      And "leaf" can be used

      Examples:
        | registration   |
        | WSAEventSelect |
        | WSAAsyncSelect |

  @req:JL-032 @req:JL-064 @edition:current @needs:root-initiated @needs:scripted-peers
  Rule: (current) FD_CONNECT on the original socket carries the outcome in its error code

    Scenario Outline: A join to a peer <that> ends with FD_CONNECT and <outcome>
      Given a c_root socket "root"
      And "root" registers for FD_CONNECT with <registration>
      And a peer "B" <that>
      When "root" joins "B"
      And the application waits for the join of "root" to end
      Then "root" is notified of FD_CONNECT with <outcome>

      Examples:
        | that                       | registration   | outcome               |
        | that accepts joins         | WSAEventSelect | no error              |
        | that refuses joins         | WSAEventSelect | error WSAECONNREFUSED |
        | on a network with no route | WSAAsyncSelect | error WSAENETUNREACH  |

    Scenario: A join to a peer that never answers ends, if the harness can wait for it, with FD_CONNECT and WSAETIMEDOUT
      The texts give no timeout, so the scenario waits as long as the harness lets a call take:
      a join still pending then is reported UNSUPPORTED for this run, never failed.

      Given a c_root socket "root"
      And "root" registers for FD_CONNECT with WSAAsyncSelect
      And a peer "B" that never answers
      When "root" joins "B"
      And the application waits for the join of "root" to end
      Then the join of "root" has timed out with WSAETIMEDOUT, unless it is still pending
      And "root" is notified of FD_CONNECT with error WSAETIMEDOUT
