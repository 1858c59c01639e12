Feature: Nonblocking joins
  In nonblocking mode WSAJoinLeaf starts the join and returns; the outcome comes later as an
  FD_CONNECT indication, which the application sees only if it registered for it with
  WSAEventSelect or WSAAsyncSelect. select cannot tell when the join completes.

  The two editions disagree about a join that cannot finish at once (docs/editions.md, rows 1-2).
  The current edition says the call returns a descriptor that is not usable yet, and explicitly
  no WSAEWOULDBLOCK. The legacy error table instead says the call fails with WSAEWOULDBLOCK and
  that the socket can be selected for writing while it connects, which contradicts the legacy
  Return Values (a valid descriptor means a successful start; select cannot see completion).
  The suite accepts either legacy reading for a c_leaf (@reading:legacy-nonblocking-leaf,
  docs/editions.md): the call fails with WSAEWOULDBLOCK as the error table says, or it returns s
  as the Return Values say. A provider that fails with WSAEWOULDBLOCK follows the error table
  through: select then shows the socket writable once the join has succeeded (in error if it
  failed). A c_root join returns the new descriptor in both editions, since failing would lose the
  socket that stands for the new leaf. That select "cannot be used" to see completion is read as
  a warning to applications, not as a promise that select's answer stays the same: the scenarios
  for it check that the outcome comes through FD_CONNECT and that select still answers.

  The text allows a provider to finish a join at once, even a nonblocking one. A check that a
  join is still outstanding is made behind a peer that never answers, or, where the same join
  must also be seen to finish, on a virtual clock (@needs:virtual-clock): there no time passes
  between the call and the check, so a join that waits for a remote party's answer cannot have
  finished yet.

  @req:JL-028 @needs:root-initiated @needs:scripted-peers
  Rule: A descriptor returned on a nonblocking socket means the join has started, not that it has finished

    Scenario: The root gets its new socket although the leaf has not answered
      Given a c_root socket "root"
      And "root" is in nonblocking mode
      And a peer "B" that never answers
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      And peer "B" is not a member
      When the network settles
      Then peer "B" saw a join request
      And peer "B" is not a member

  @req:JL-028 @req:JL-030 @edition:current @needs:nonrooted-control
  Rule: (current, IP multicast) A nonblocking leaf join to a session returns the leaf socket, never WSAEWOULDBLOCK

    Scenario: A nonblocking leaf joins a session
      Given a c_leaf socket "leaf"
      And "leaf" is in nonblocking mode
      And a multipoint session "group"
      When "leaf" joins "group"
      Then the join returns the same socket
      When the network settles
      Then "leaf" can be used

  @req:JL-028 @req:JL-031 @req:JL-122 @edition:legacy @needs:nonrooted-control
  Rule: (legacy, IP multicast) A nonblocking leaf join returns the leaf socket, or fails with WSAEWOULDBLOCK and goes on

    Scenario: A nonblocking leaf joins a session and is told of the end of any join the call left going
      A multicast join may finish inside the call. The suite reads the legacy text as allowing
      both answers for a nonblocking c_leaf: the call returns s (the join is over, or started),
      or it fails with WSAEWOULDBLOCK and the join goes on, to end with FD_CONNECT. A join that
      finished inside the call has told its outcome already; an FD_CONNECT that follows must
      agree with it, and none is required.

      Given a c_leaf socket "leaf"
      And "leaf" registers for FD_CONNECT with WSAEventSelect
      And a multipoint session "group"
      When "leaf" joins "group"
      And the network settles
      Then the join of "leaf" ended in success, as the call or FD_CONNECT on "leaf" reports it
      And "leaf" can be used

  @req:JL-029 @req:JL-030 @edition:current @needs:scripted-peers
  Rule: (current) A join that cannot finish at once returns a descriptor that is not usable yet, never WSAEWOULDBLOCK

    @needs:root-initiated
    Scenario: A c_root join returns the new socket at once
      Given a c_root socket "root"
      And "root" is in nonblocking mode
      And a peer "B" that never answers
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"
      And "to B" cannot be used yet

    @needs:leaf-initiated @needs:rooted-control
    Scenario: A c_leaf join returns the leaf socket itself at once
      Given a c_leaf socket "leaf"
      And "leaf" is in nonblocking mode
      And a peer "R" that never answers
      When "leaf" joins "R"
      Then the join returns the same socket
      And "leaf" cannot be used yet

  @req:JL-122 @req:JL-035 @edition:legacy @needs:scripted-peers @reading:legacy-nonblocking-leaf
  Rule: (legacy) A c_leaf join that cannot finish at once fails with WSAEWOULDBLOCK and is selected for writing, or returns s

    @needs:leaf-initiated @needs:rooted-control @needs:virtual-clock
    Scenario: The leaf joins in the background; if it failed with WSAEWOULDBLOCK, select shows it writable once it is a member
      Given a c_leaf socket "leaf"
      And "leaf" is in nonblocking mode
      And a peer "R" that accepts joins
      When "leaf" joins "R"
      Then the join fails with WSAEWOULDBLOCK or returns the same socket
      And select does not report "leaf" as writable if its join failed with WSAEWOULDBLOCK
      When the network settles
      Then peer "R" is a member
      And select reports "leaf" as writable if its join failed with WSAEWOULDBLOCK

    @needs:leaf-initiated @needs:rooted-control @needs:virtual-clock
    Scenario: A leaf whose join is refused; if it failed with WSAEWOULDBLOCK, select shows it in error
      Given a c_leaf socket "leaf"
      And "leaf" is in nonblocking mode
      And a peer "R" that refuses joins
      When "leaf" joins "R"
      Then the join fails with WSAEWOULDBLOCK or returns the same socket
      When the network settles
      Then peer "R" is not a member
      And select reports "leaf" as in error if its join failed with WSAEWOULDBLOCK
      And select does not report "leaf" as writable if its join failed with WSAEWOULDBLOCK

    @needs:root-initiated
    Scenario: A c_root join still returns the new socket, since failing would lose it
      Given a c_root socket "root"
      And "root" is in nonblocking mode
      And a peer "B" that accepts joins
      When "root" joins "B"
      Then the join returns a new c_leaf socket "to B"

  @req:JL-031 @edition:legacy @needs:scripted-peers
  Rule: (legacy) FD_CONNECT is given when the join finishes, whether it succeeded or failed

    @needs:root-initiated @reading:legacy-fd-connect-error
    Scenario Outline: A root's join to a peer <that> ends with FD_CONNECT and <outcome>
      The legacy text names no error code for FD_CONNECT. It gives WSAJoinLeaf the semantics of
      WSAConnect (JL-038), whose FD_CONNECT carries the connection's outcome, so the suite reads
      the legacy FD_CONNECT as the current edition states it: 0 on success, the cause otherwise.

      Given a c_root socket "root"
      And "root" registers for FD_CONNECT with WSAEventSelect
      And a peer "B" <that>
      When "root" joins "B"
      And the network settles
      Then FD_CONNECT reports the end of the join of "root" with <outcome>

      Examples:
        | that               | outcome               |
        | that accepts joins | no error              |
        | that refuses joins | error WSAECONNREFUSED |

    @needs:leaf-initiated @needs:rooted-control
    Scenario: A leaf's join ends with FD_CONNECT, whether or not the call failed with WSAEWOULDBLOCK
      Given a c_leaf socket "leaf"
      And "leaf" registers for FD_CONNECT with WSAEventSelect
      And a peer "R" that accepts joins
      When "leaf" joins "R"
      And the network settles
      Then "leaf" is notified of FD_CONNECT with no error

  @req:JL-033 @needs:nonrooted-control
  Rule: The application learns that a nonblocking join has finished through its FD_CONNECT registration

    Scenario Outline: A leaf registered through <registration> is told when its join is over
      Given a c_leaf socket "leaf"
      And "leaf" registers for FD_CONNECT with <registration>
      And a multipoint session "group"
      When "leaf" joins "group"
      And the network settles
      Then "leaf" is notified of FD_CONNECT with no error

      Examples:
        | registration   |
        | WSAEventSelect |
        | WSAAsyncSelect |

  @req:JL-034 @needs:scripted-peers
  Rule: select is no way to learn that a join has completed; FD_CONNECT is

    @needs:root-initiated
    Scenario: The root learns the outcome through FD_CONNECT; select still answers about it
      Given a c_root socket "root"
      And "root" registers for FD_CONNECT with WSAEventSelect
      And a peer "B" that accepts joins
      When "root" joins "B"
      Then select answers about "root"
      When the network settles
      Then FD_CONNECT reports the end of the join of "root" with no error
      And select answers about "root"

    @edition:current @needs:nonrooted-control
    Scenario: (current) A leaf learns the outcome through FD_CONNECT; select still answers about it
      Given a c_leaf socket "leaf"
      And "leaf" registers for FD_CONNECT with WSAEventSelect
      And a multipoint session "group"
      When "leaf" joins "group"
      Then select answers about "leaf"
      When the network settles
      Then "leaf" is notified of FD_CONNECT with no error
      And select answers about "leaf"

  @req:JL-036 @req:JL-103 @needs:root-initiated @needs:scripted-peers
  Rule: While a join is pending, another join on the same socket fails with WSAEALREADY

    Scenario: A second join before the first completes
      Given a c_root socket "root"
      And "root" registers for FD_CONNECT with WSAEventSelect
      And a peer "B" that never answers
      And a peer "C" that accepts joins
      When "root" joins "B"
      And "root" joins "C"
      Then the join fails with WSAEALREADY
      When the network settles
      Then peer "C" is not a member

    @needs:leaf-initiated @needs:rooted-control
    Scenario: A leaf asks twice before the first answer comes
      Given a c_leaf socket "leaf"
      And "leaf" is in nonblocking mode
      And a peer "R" that never answers
      When "leaf" joins "R"
      And "leaf" joins "R" again
      Then the join fails with WSAEALREADY
      When the network settles
      Then peer "R" saw a join request
      And peer "R" is not a member
