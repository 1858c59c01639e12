Feature: What each parameter means
  s is a multipoint socket, name the address of the peer to join and namelen its length in bytes
  (the legacy edition gives no unit). The data, QOS and flag parameters have features of their own.

  @req:JL-007 @untestable
  Rule: s identifies a multipoint socket

    Scenario: The description of s
      Then it is not testable: "describes the parameter; the requirement on it is JL-017 and the error for a non-socket JL-118"

  @req:JL-017 @needs:nonrooted-control
  Rule: Only a socket opened with multipoint flags may be passed as s

    Scenario: A socket opened without multipoint flags cannot join, one opened with them can
      Given a socket "plain" opened without multipoint flags
      And a c_leaf socket "leaf"
      And a multipoint session "group"
      When "plain" joins "group"
      Then the join fails
      When "leaf" joins "group"
      Then the join succeeds

  @req:JL-008 @needs:root-initiated @needs:scripted-peers
  Rule: name is the address of the peer the socket is joined to

    Scenario: Of two peers, only the one named is asked
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      And a peer "C" that accepts joins
      When "root" joins "C"
      Then the join succeeds
      And peer "C" is a member
      And peer "B" saw no join requests

  @req:JL-008 @needs:nonrooted-control @needs:session-members
  Rule: (IP multicast) name is the session the leaf joins

    Scenario: Of two sessions, only the one named hears the leaf
      Given a c_leaf socket "leaf"
      And a multipoint session "first"
      And a multipoint session "second"
      And "leaf" is bound to the port of session "second" on the wildcard address
      When "leaf" joins "second"
      Then the join succeeds
      When "leaf" sends 8 bytes
      And the network settles
      Then peer "second" received 8 bytes
      And peer "first" received nothing

  @req:JL-009 @edition:legacy @untestable
  Rule: (legacy) namelen is the length of name, in no stated unit

    Scenario: A length without a unit
      Then it is not testable: "without a unit no value can be checked against the sentence; a too-small namelen is JL-109"

  @req:JL-010 @edition:current @needs:nonrooted-control
  Rule: (current) namelen counts bytes

    Scenario Outline: A 16-byte sockaddr_in given with a namelen of <namelen> (<unit>) fails; given as 16 (bytes) it works
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | namelen | <namelen> |
      Then the join fails with WSAEFAULT
      When "leaf" joins "group" with:
        | namelen | 16 |
      Then the join succeeds

      Examples:
        | namelen | unit                    |
        | 8       | counted in 16-bit words |
        | 4       | counted in 32-bit words |

  @req:JL-015 @edition:current @untestable
  Rule: (current) lpGQOS is reserved for future use with socket groups

    Scenario: A reservation notice
      Then it is not testable: "a reservation notice that prescribes nothing for today's calls; the lpGQOS rules are JL-086..JL-090"
