Feature: What WSAJoinLeaf returns
  On success the call returns a SOCKET, the descriptor of a multipoint socket, as WSAAccept does
  (WSAConnect returns none). On failure it returns INVALID_SOCKET and WSAGetLastError says why. On
  a blocking socket the return value is the outcome of the join itself. After a join fails as
  refused, unreachable or timed out, the application may call WSAJoinLeaf again on the same socket.

  @req:JL-018 @req:JL-021 @req:JL-022 @needs:root-initiated @needs:scripted-peers
  Rule: On a blocking socket a descriptor means the leaf has joined

    Scenario: A blocking join that the leaf admits returns a descriptor, and the leaf is a member
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      And peer "B" is a member
      And "to B" can be used

  @req:JL-018 @req:JL-021 @req:JL-022 @needs:nonrooted-control
  Rule: (IP multicast) A blocking leaf join returns the leaf's own descriptor once the leaf has joined

    Scenario: A blocking leaf join to a session returns the leaf socket, ready for use
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group"
      Then the join returns the same socket
      And "leaf" can be used

    @needs:session-members
    Scenario: When the blocking call has returned the descriptor, the session hears the leaf
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      And "leaf" is bound to the port of session "group" on the wildcard address
      When "leaf" joins "group"
      Then the join returns the same socket
      When "leaf" sends 8 bytes
      And the network settles
      Then peer "group" received 8 bytes

  @req:JL-019 @req:JL-020 @req:JL-021 @needs:root-initiated @needs:scripted-peers
  Rule: A failed join returns INVALID_SOCKET, and WSAGetLastError gives the specific reason

    Scenario Outline: A blocking join to a peer <that> returns INVALID_SOCKET with <error>
      Given a c_root socket "root"
      And a peer "B" <that>
      When "root" joins "B"
      Then the join fails with <error>
      And peer "B" is not a member

      Examples:
        | that                       | error           |
        | that refuses joins         | WSAECONNREFUSED |
        | on a network with no route | WSAENETUNREACH  |

  @req:JL-019 @req:JL-020 @req:JL-021 @needs:nonrooted-control
  Rule: (IP multicast) A leaf join that fails returns INVALID_SOCKET, and WSAGetLastError gives the specific reason

    Scenario Outline: A blocking leaf join with <what> returns INVALID_SOCKET with <error>
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | <key> | <value> |
      Then the join fails with <error>

      Examples:
        | what                        | key     | value               | error            |
        | ADDR_ANY as the name        | name    | ADDR_ANY            | WSAEADDRNOTAVAIL |
        | an AF_INET6 name            | name    | an AF_INET6 address | WSAEAFNOSUPPORT  |
        | a namelen short of the name | namelen | 15                  | WSAEFAULT        |

    @needs:no-connect-data
    Scenario: A blocking leaf join with caller data on a provider without connect data returns INVALID_SOCKET with WSAEPROTONOSUPPORT
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | caller data | 8 bytes |
      Then the join fails with WSAEPROTONOSUPPORT

  @needs:leaf-initiated @needs:rooted-control @needs:scripted-peers
  Rule: After a join fails as refused, unreachable or timed out, the same socket may join again

    Scenario Outline: A leaf whose join ended in <error> joins another root
      Given a c_leaf socket "leaf"
      And a peer "first" <that>
      And a peer "R" that accepts joins
      When "leaf" joins "first"
      Then the join fails with <error>
      When "leaf" joins "R"
      Then the join returns the same socket
      And peer "R" is a member

      @req:JL-025
      Examples: refused
        | that               | error           |
        | that refuses joins | WSAECONNREFUSED |

      @req:JL-026
      Examples: unreachable
        | that                       | error          |
        | on a network with no route | WSAENETUNREACH |

    @req:JL-027
    Scenario: A leaf whose join timed out joins another root
      The texts give no timeout, so the scenario waits as long as the harness lets a call take:
      a join still pending then is reported UNSUPPORTED for this run, never failed.

      Given a c_leaf socket "leaf"
      And a peer "first" that never answers
      And a peer "R" that accepts joins
      When "leaf" starts joining "first"
      And the application waits for the join of "leaf" to end
      Then the join of "leaf" has timed out with WSAETIMEDOUT, unless it is still pending
      When "leaf" joins "R"
      Then the join returns the same socket
      And peer "R" is a member

    @req:JL-025 @needs:several-hosts
    Scenario: A leaf refused by a root asks the same root again and is admitted
      Given a c_root socket "root" on host "R"
      And "root" is listening
      And a c_leaf socket "leaf"
      When "leaf" starts joining "root"
      And "root" rejects the waiting leaf with WSAAccept
      Then the join of "leaf" fails with WSAECONNREFUSED
      When "leaf" starts joining "root"
      And "root" admits the waiting leaf with WSAAccept as "to leaf"
      Then the join of "leaf" succeeds

  @req:JL-026 @needs:nonrooted-control @needs:unreachable-peers
  Rule: (IP multicast) After a join fails as unreachable, the same leaf may join again

    Scenario: A leaf that could not reach an address with no route joins a multipoint session
      Given a c_leaf socket "leaf"
      And a peer "far" on a network with no route
      And a multipoint session "group"
      When "leaf" joins "far"
      Then the join fails with WSAENETUNREACH
      When "leaf" joins "group"
      Then the join returns the same socket
