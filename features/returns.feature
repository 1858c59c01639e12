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
      Examples: timed out
        | that               | error        |
        | that never answers | WSAETIMEDOUT |

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
