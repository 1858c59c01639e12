Feature: lpCalleeData carries the peer's answer back
  On entry lpCalleeData->len is the size of the application's buffer; once the join has completed
  it is the number of bytes the peer sent back, or 0 when it sent none; before completion the
  buffer is not valid, and the texts say nothing of what it holds meanwhile. A NULL
  lpCalleeData receives nothing; a buffer too small for the answer fails with WSAEFAULT, and no
  byte is ever written past the buffer.

  The legacy text says the data is valid for a blocking socket "when the WSAConnect function
  returns"; there is no WSAConnect call in a join, so both editions are read as "when the call
  returns" (docs/editions.md, row 9).

  Sizes come from the protocol entry under test: maxConnectData is the most connect data its
  provider carries, and maxConnectData/2 half of it (rounded down), so no scenario asks for an
  answer a provider with a smaller maximum could not give. The texts say when the data is valid,
  not what the buffer holds before then, so a nonblocking join's buffer is read at the moment
  FD_CONNECT reports the end of the join, and not before. Peers answer with bytes 0x40, 0x00,
  0x42, ...: the zero shows data handled as a C string.

  @req:JL-012 @req:JL-067 @req:JL-068 @req:JL-069 @needs:connect-data @needs:scripted-peers
  Rule: On completion len is the number of bytes the peer sent back

    @needs:root-initiated
    Scenario: The peer answers with fewer bytes than the buffer holds
      Given a c_root socket "root"
      And a peer "B" that accepts joins and answers with maxConnectData/2 bytes of callee data
      When "root" joins "B" with:
        | callee buffer | maxConnectData bytes |
      Then the join succeeds
      And the callee buffer holds the peer's maxConnectData/2 bytes
      And nothing was written past the callee buffer

    @needs:root-initiated
    Scenario: The peer's answer fills the buffer exactly
      Given a c_root socket "root"
      And a peer "B" that accepts joins and answers with maxConnectData bytes of callee data
      When "root" joins "B" with:
        | callee buffer | maxConnectData bytes |
      Then the join succeeds
      And the callee buffer holds the peer's maxConnectData bytes
      And nothing was written past the callee buffer

    @needs:leaf-initiated @needs:rooted-control
    Scenario: A leaf's root answers its join with callee data
      Given a c_leaf socket "leaf"
      And a peer "R" that accepts joins and answers with maxConnectData/2 bytes of callee data
      When "leaf" joins "R" with:
        | callee buffer | maxConnectData bytes |
      Then the join returns the same socket
      And the callee buffer holds the peer's maxConnectData/2 bytes
      And nothing was written past the callee buffer

    @needs:leaf-initiated @needs:rooted-control @needs:several-hosts
    Scenario: A listening root admits a leaf with WSAAccept and answers with callee data
      Given a c_root socket "root" on host "R"
      And "root" is listening
      And a c_leaf socket "leaf"
      When "leaf" starts joining "root" with:
        | callee buffer | maxConnectData bytes |
      And "root" admits the waiting leaf with WSAAccept answering with maxConnectData/2 bytes of callee data
      Then the join of "leaf" succeeds
      And the callee buffer holds the peer's maxConnectData/2 bytes
      And nothing was written past the callee buffer

  @req:JL-012 @req:JL-067 @req:JL-068 @req:JL-070 @needs:nonrooted-control @needs:no-connect-data
  Rule: (IP multicast) No user data comes back from a multicast join: len reads 0 and nothing is written past the buffer

    Scenario Outline: A leaf joins a session with a <size>-byte callee buffer
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | callee buffer | <size> bytes |
      Then the join succeeds
      And the callee buffer length reads 0
      And nothing was written past the callee buffer

      Examples:
        | size |
        | 32   |
        | 1    |
        | 0    |

  @req:JL-070 @needs:root-initiated @needs:scripted-peers
  Rule: When the peer sends nothing back, len is set to 0

    Scenario: The peer accepts without callee data
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | callee buffer | 32 bytes |
      Then the join succeeds
      And the callee buffer length reads 0

  @req:JL-076 @needs:root-initiated @needs:connect-data @needs:scripted-peers
  Rule: A NULL lpCalleeData receives nothing and the join still works

    Scenario: The peer's answer has nowhere to go
      Given a c_root socket "root"
      And a peer "B" that accepts joins and answers with maxConnectData/2 bytes of callee data
      When "root" joins "B" with:
        | callee buffer | NULL |
      Then the join succeeds
      And peer "B" is a member

  @req:JL-076 @needs:nonrooted-control
  Rule: (IP multicast) A leaf joining with a NULL lpCalleeData joins all the same

    Scenario: A leaf joins a session with no callee buffer
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | callee buffer | NULL |
      Then the join returns the same socket
      And "leaf" can be used

  @req:JL-110 @needs:root-initiated @needs:connect-data @needs:scripted-peers
  Rule: A callee buffer too small for the peer's answer fails with WSAEFAULT, and nothing is written past it

    Scenario: The most the protocol allows as the answer, for a buffer half that size
      Given a c_root socket "root"
      And a peer "B" that accepts joins and answers with maxConnectData bytes of callee data
      When "root" joins "B" with:
        | callee buffer | maxConnectData/2 bytes |
      Then the join fails with WSAEFAULT
      And nothing was written past the callee buffer
      And peer "B" is not a member
      When "root" joins "B" with:
        | callee buffer | maxConnectData bytes |
      Then the join succeeds
      And the callee buffer holds the peer's maxConnectData bytes

  @req:JL-072 @req:JL-073 @needs:connect-data @needs:scripted-peers
  Rule: On a blocking socket the callee data is valid when the call returns

    @needs:root-initiated
    Scenario: The buffer holds the answer the moment the join returns
      Given a c_root socket "root"
      And a peer "B" that accepts joins and answers with maxConnectData/2 bytes of callee data
      When "root" joins "B" with:
        | callee buffer | maxConnectData bytes |
      Then the call returned with the peer's maxConnectData/2 bytes in the callee buffer

    @needs:leaf-initiated @needs:rooted-control
    Scenario: A leaf's buffer holds its root's answer the moment the join returns
      Given a c_leaf socket "leaf"
      And a peer "R" that accepts joins and answers with maxConnectData/2 bytes of callee data
      When "leaf" joins "R" with:
        | callee buffer | maxConnectData bytes |
      Then the call returned with the peer's maxConnectData/2 bytes in the callee buffer

  @req:JL-072 @req:JL-073 @needs:nonrooted-control @needs:no-connect-data
  Rule: (IP multicast) On a blocking leaf the callee buffer is valid, reading 0, when the call returns

    Scenario: The buffer reads 0 the moment a blocking leaf join returns
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | callee buffer | 32 bytes |
      Then the callee buffer read a length of 0 when the call returned
      And nothing was written past the callee buffer

  @req:JL-071 @req:JL-074 @req:JL-075 @needs:connect-data @needs:scripted-peers
  Rule: On a nonblocking socket the callee data is valid once the join has completed, which FD_CONNECT tells

    @needs:root-initiated
    Scenario: When FD_CONNECT reports the end of the join, the buffer holds the answer
      Given a c_root socket "root"
      And "root" registers for FD_CONNECT with WSAEventSelect
      And a peer "B" that accepts joins and answers with maxConnectData/2 bytes of callee data
      When "root" joins "B" with:
        | callee buffer | maxConnectData bytes |
      And the application waits for the join of "root" to end
      Then FD_CONNECT reports the end of the join of "root" with no error
      And the callee buffer holds the peer's maxConnectData/2 bytes
      And nothing was written past the callee buffer

    @needs:leaf-initiated @needs:rooted-control
    Scenario: When FD_CONNECT reports the end of a leaf's join, its buffer holds the root's answer
      Given a c_leaf socket "leaf"
      And "leaf" registers for FD_CONNECT with WSAEventSelect
      And a peer "R" that accepts joins and answers with maxConnectData/2 bytes of callee data
      When "leaf" joins "R" with:
        | callee buffer | maxConnectData bytes |
      And the application waits for the join of "leaf" to end
      Then FD_CONNECT reports the end of the join of "leaf" with no error
      And the callee buffer holds the peer's maxConnectData/2 bytes

  @req:JL-071 @req:JL-074 @req:JL-075 @needs:nonrooted-control @needs:no-connect-data
  Rule: (IP multicast) On a nonblocking leaf the callee buffer is valid, reading 0, once the join has completed

    Scenario: Once a nonblocking leaf's join is over, its callee buffer reads 0
      Given a c_leaf socket "leaf"
      And "leaf" registers for FD_CONNECT with WSAEventSelect
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | callee buffer | 32 bytes |
      And the network settles
      Then the join of "leaf" ended in success, as the call or FD_CONNECT on "leaf" reports it
      And the callee buffer length reads 0
      And nothing was written past the callee buffer

  @req:JL-077 @untestable
  Rule: The layout of user data depends on the socket's address family

    Scenario: A format left to each address family
      Then it is not testable: "defers the format to each address family; this text defines no format to check"
