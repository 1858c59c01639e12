Feature: Nonblocking joins report their outcome later, as FD_CONNECT on the original socket
  In nonblocking mode WSAJoinLeaf only starts the join. The outcome arrives as an FD_CONNECT
  indication on the socket passed as s, through WSAEventSelect or WSAAsyncSelect.

  Background:
    Given a c_root socket "root"

  @req:JL-028 @req:JL-029 @req:JL-030 @edition:current @needs:root-initiated @needs:programmable-peers
  Rule: A nonblocking join returns a valid socket at once, without WSAEWOULDBLOCK

    Scenario: The call returns before the leaf has answered
      Given "root" is in nonblocking mode
      And a peer "B" that never answers
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      And peer "B" is not a member

  @req:JL-032 @req:JL-063 @req:JL-064 @needs:root-initiated @needs:programmable-peers
  Rule: The outcome arrives as FD_CONNECT on the original socket, with its error code

    Scenario Outline: Success is reported through <registration>
      Given "root" registers for FD_CONNECT with <registration>
      And a peer "B" that accepts joins
      When "root" joins "B"
      And the network settles
      Then "root" is notified of FD_CONNECT with no error
      And peer "B" is a member

      Examples:
        | registration   |
        | WSAEventSelect |
        | WSAAsyncSelect |

    Scenario Outline: Failure is reported through <registration> with the reason
      Given "root" registers for FD_CONNECT with <registration>
      And a peer "B" that refuses joins
      When "root" joins "B"
      And the network settles
      Then "root" is notified of FD_CONNECT with error WSAECONNREFUSED

      Examples:
        | registration   |
        | WSAEventSelect |
        | WSAAsyncSelect |

    Scenario: Nothing is reported before the join completes
      Given "root" registers for FD_CONNECT with WSAEventSelect
      And a peer "B" that never answers
      When "root" joins "B"
      Then "root" is not notified of FD_CONNECT

  @req:JL-036 @req:JL-103 @needs:root-initiated @needs:programmable-peers
  Rule: While a join is pending, another join on the same socket fails with WSAEALREADY

    Scenario: A second join before the first completes
      Given "root" registers for FD_CONNECT with WSAEventSelect
      And a peer "B" that never answers
      And a peer "C" that accepts joins
      When "root" joins "B"
      And "root" joins "C"
      Then the join fails with WSAEALREADY
      And peer "C" saw 0 join requests
