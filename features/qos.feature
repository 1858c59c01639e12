Feature: Quality of service at join time
  lpSQOS carries the socket's flow specifications, one per direction, then provider-specific
  parameters; lpGQOS does the same for the socket group, and counts only when s created the group.
  A non-NULL one replaces what SIO_SET_QOS or SIO_SET_GROUP_QOS set earlier; a NULL one supplies
  nothing, so an earlier setting stays. A one-way join ignores the flowspec of the direction it
  does not use. QOS the provider cannot honour fails the join with WSAEOPNOTSUPP.

  What the socket QOS became is read back with SIO_GET_QOS, and what a peer was asked for is its
  log of the sending token rate signalled with the request. Group QOS cannot be read back, so it
  shows through admission: a token rate of 4000000000 bytes per second is more than any link of
  the testbed carries, so a flowspec asking for it cannot be honoured.

  @req:JL-013 @req:JL-080 @needs:qos @needs:scripted-peers
  Rule: lpSQOS gives the socket one flow specification per direction, then optional provider-specific parameters

    @needs:leaf-initiated @needs:rooted-control
    Scenario: A leaf's QOS ends up in its socket's QOS and reaches its root
      Given a c_leaf socket "leaf"
      And a peer "R" that accepts joins
      When "leaf" joins "R" with:
        | sending token rate    | 1000    |
        | receiving token rate  | 2000    |
        | provider-specific QOS | 4 bytes |
      Then the join returns the same socket
      And the socket QOS of "leaf" has a sending token rate of 1000 and a receiving token rate of 2000
      And peer "R" was signalled a sending token rate of 1000

    @needs:root-initiated
    Scenario: Both directions end up in the socket's QOS
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | sending token rate    | 1000    |
        | receiving token rate  | 2000    |
        | provider-specific QOS | 4 bytes |
      Then the join succeeds
      And the socket QOS of "root" has a sending token rate of 1000 and a receiving token rate of 2000
      And peer "B" was signalled a sending token rate of 1000

    @needs:root-initiated
    Scenario: No provider-specific parameters: an empty part is accepted
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | sending token rate    | 1000 |
        | provider-specific QOS | NULL |
      Then the join succeeds
      And peer "B" was signalled a sending token rate of 1000

  @req:JL-013 @req:JL-080 @needs:nonrooted-control @needs:no-qos
  Rule: (IP multicast) lpSQOS is read one flowspec per direction: a provider without QOS takes best effort both ways and no service in either

    Best effort asks for no guarantee, so the suite reads it as a QOS every provider can honour; a
    controlled-load flow asks for a reservation, which a provider without QOS cannot honour
    (WSAEOPNOTSUPP, JL-081). Neither number comes from the provider: 1000 bytes per second is any
    rate at all, since a provider without QOS can reserve none.

    Scenario Outline: A leaf asks for <sending> sending and <receiving> receiving
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with flowspecs:
        | sending               | <sending>   |
        | receiving             | <receiving> |
        | provider-specific QOS | NULL        |
      Then the join <outcome>

      Examples:
        | sending                                  | receiving                                | outcome                  |
        | best effort                              | best effort                              | succeeds                 |
        | controlled load at 1000 bytes per second | best effort                              | fails with WSAEOPNOTSUPP |
        | best effort                              | controlled load at 1000 bytes per second | fails with WSAEOPNOTSUPP |

  @req:JL-083 @edition:legacy @needs:root-initiated @needs:qos @needs:scripted-peers
  Rule: (legacy) With no provider-specific parameters, lpSQOS->ProviderSpecific is NULL and 0

    Scenario: A QOS whose provider-specific buffer is NULL with length 0
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | sending token rate    | 1000 |
        | receiving token rate  | 1000 |
        | provider-specific QOS | NULL |
      Then the join succeeds
      And the socket QOS of "root" has a sending token rate of 1000 and a receiving token rate of 1000

  @req:JL-083 @edition:legacy @needs:nonrooted-control @needs:no-qos
  Rule: (legacy, IP multicast) A leaf's lpSQOS with no provider-specific part has ProviderSpecific NULL and 0

    Scenario: A best-effort lpSQOS whose provider-specific buffer is NULL with length 0
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with flowspecs:
        | sending               | best effort |
        | receiving             | best effort |
        | provider-specific QOS | NULL        |
      Then the join succeeds

  @req:JL-084 @edition:current @untestable
  Rule: (current) With no provider-specific parameters, "lpCalleeData" buf and len should be NULL and 0

    Scenario: The text names lpCalleeData in the socket QOS paragraph
      Then it is not testable: "as written it constrains lpCalleeData, not the QOS structure; a check would have to pick an interpretation (docs/editions.md, row 11)"

  @req:JL-078 @needs:root-initiated @needs:qos @needs:scripted-peers
  Rule: A non-NULL lpSQOS replaces the socket QOS set earlier with SIO_SET_QOS

    Scenario: The join asks for 5000 where the ioctl had asked for 1000
      Given a c_root socket "root"
      And "root" has socket QOS with a sending token rate of 1000
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | sending token rate | 5000 |
      Then the join succeeds
      And peer "B" was signalled a sending token rate of 5000
      And the socket QOS of "root" has a sending token rate of 5000

  @req:JL-085 @needs:root-initiated @needs:qos @needs:scripted-peers
  Rule: A NULL lpSQOS supplies no QOS

    Scenario: With no earlier QOS, the request carries none
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | sending token rate | NULL |
      Then the join succeeds
      And peer "B" was signalled no QOS

    Scenario: The QOS set earlier with SIO_SET_QOS stays in force
      Given a c_root socket "root"
      And "root" has socket QOS with a sending token rate of 1000
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | sending token rate | NULL |
      Then the join succeeds
      And peer "B" was signalled a sending token rate of 1000

  @req:JL-085 @req:JL-089 @needs:nonrooted-control @needs:no-qos
  Rule: (IP multicast) A NULL lpSQOS and a NULL lpGQOS ask for nothing, so a provider without QOS admits the join

    Scenario: Asked for a flow the provider refuses; with NULL QOS pointers the leaf joins
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | sending token rate | 1000 |
      Then the join fails with WSAEOPNOTSUPP
      When "leaf" joins "group" with:
        | sending token rate | NULL |
      Then the join succeeds

  @req:JL-081 @req:JL-119
  Rule: QOS the provider or the socket cannot honour fails the join with WSAEOPNOTSUPP

    @needs:root-initiated @needs:qos @needs:scripted-peers
    Scenario: More bandwidth than the network has
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | sending token rate | 4000000000 |
      Then the join fails with WSAEOPNOTSUPP
      When the network settles
      Then peer "B" is not a member
      When "root" joins "B" with:
        | sending token rate | 1000 |
      Then the join succeeds

    @needs:no-qos @needs:nonrooted-control
    Scenario: A provider without QOS is asked for a controlled-load flow
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | sending token rate | 1000 |
      Then the join fails with WSAEOPNOTSUPP
      When "leaf" joins "group"
      Then the join succeeds

    @needs:root-initiated @needs:qos @needs:socket-groups @needs:scripted-peers
    Scenario: A group flow more than the network has
      Given a c_root socket "root" that creates a socket group
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | group sending token rate | 4000000000 |
      Then the join fails with WSAEOPNOTSUPP

  @req:JL-082 @needs:root-initiated @needs:qos @needs:scripted-peers
  Rule: A one-way join ignores the flow specification of the direction it does not use

    Scenario Outline: A <flags> join with <sending> bytes/s sending and <receiving> bytes/s receiving
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | dwFlags              | <flags>     |
        | sending token rate   | <sending>   |
        | receiving token rate | <receiving> |
      Then the join <outcome>

      Examples:
        | flags            | sending    | receiving  | outcome                  |
        | JL_SENDER_ONLY   | 1000       | 4000000000 | succeeds                 |
        | JL_RECEIVER_ONLY | 4000000000 | 1000       | succeeds                 |
        | JL_BOTH          | 1000       | 4000000000 | fails with WSAEOPNOTSUPP |
        | JL_BOTH          | 4000000000 | 1000       | fails with WSAEOPNOTSUPP |

    Scenario: A receiver-only join signals no sending rate
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | dwFlags            | JL_RECEIVER_ONLY |
        | sending token rate | 5000             |
      Then the join succeeds
      And peer "B" was signalled no sending token rate

  @req:JL-082 @needs:nonrooted-control @needs:no-qos
  Rule: (IP multicast) A one-way leaf ignores the flowspec of the direction it does not use, even where the provider has no QOS

    Scenario Outline: A <flags> leaf asks for <sending> sending and <receiving> receiving
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with flowspecs:
        | dwFlags   | <flags>     |
        | sending   | <sending>   |
        | receiving | <receiving> |
      Then the join <outcome>

      Examples:
        | flags            | sending                                  | receiving                                | outcome                  |
        | JL_RECEIVER_ONLY | controlled load at 1000 bytes per second | best effort                              | succeeds                 |
        | JL_SENDER_ONLY   | best effort                              | controlled load at 1000 bytes per second | succeeds                 |
        | JL_BOTH          | controlled load at 1000 bytes per second | best effort                              | fails with WSAEOPNOTSUPP |

  @req:JL-014 @req:JL-086 @needs:root-initiated @needs:qos @needs:socket-groups @needs:scripted-peers
  Rule: lpGQOS gives the socket group one flow specification per direction, then optional provider-specific parameters

    Scenario Outline: A group flow the network cannot carry in the <direction> direction
      Given a c_root socket "root" that creates a socket group
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | group <direction> token rate | 4000000000 |
      Then the join fails with WSAEOPNOTSUPP

      Examples:
        | direction |
        | sending   |
        | receiving |

    Scenario: A group flow the network can carry, with provider-specific parameters
      Given a c_root socket "root" that creates a socket group
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | group sending token rate    | 1000    |
        | group receiving token rate  | 1000    |
        | group provider-specific QOS | 4 bytes |
      Then the join succeeds

  @req:JL-014 @req:JL-086 @needs:nonrooted-control @needs:socket-groups
  Rule: (IP multicast) The leaf that created a socket group gives the group one flow specification per direction in lpGQOS, then optional provider-specific parameters

    Scenario Outline: The group's creator asks for a group flow no link can carry in the <direction> direction
      Given a c_leaf socket "leaf" that creates a socket group
      And a multipoint session "group"
      When "leaf" joins "group" with flowspecs:
        | group <direction> | controlled load at 4000000000 bytes per second |
      Then the join fails with WSAEOPNOTSUPP

      Examples:
        | direction |
        | sending   |
        | receiving |

    Scenario: The group's creator asks for best effort both ways, with provider-specific parameters
      Given a c_leaf socket "leaf" that creates a socket group
      And a multipoint session "group"
      When "leaf" joins "group" with flowspecs:
        | group sending               | best effort |
        | group receiving             | best effort |
        | group provider-specific QOS | 4 bytes     |
      Then the join succeeds

  @req:JL-087 @edition:legacy @untestable
  Rule: (legacy) With no provider-specific group parameters, "lpSQOS->ProviderSpecific" should be NULL and 0

    Scenario: The text names lpSQOS in the group QOS paragraph
      Then it is not testable: "as written it ties the group QOS case to the socket QOS structure; a check would have to pick an interpretation (docs/editions.md, row 12)"

  @req:JL-088 @edition:current @untestable
  Rule: (current) With no provider-specific group parameters, "lpCalleeData" buf and len should be NULL and 0

    Scenario: The text names lpCalleeData in the group QOS paragraph
      Then it is not testable: "as written it constrains lpCalleeData, not the group QOS structure; a check would have to pick an interpretation (docs/editions.md, row 12)"

  @needs:root-initiated @needs:qos @needs:socket-groups @needs:scripted-peers
  Rule: A non-NULL lpGQOS replaces the group QOS set earlier with SIO_SET_GROUP_QOS; a NULL one leaves it

    Background:
      Given a c_root socket "root" that creates a socket group
      And "root" has group QOS with a sending token rate of 4000000000
      And a peer "B" that accepts joins

    @req:JL-079
    Scenario: A modest lpGQOS replaces the group flow no link can carry
      When "root" joins "B" with:
        | group sending token rate | 1000 |
      Then the join succeeds

    @req:JL-079 @req:JL-089
    Scenario: With a NULL lpGQOS the earlier group flow is still asked for
      When "root" joins "B"
      Then the join fails with WSAEOPNOTSUPP

  @req:JL-079 @needs:nonrooted-control @needs:socket-groups
  Rule: (IP multicast) A non-NULL lpGQOS replaces the group QOS the leaf set earlier with SIO_SET_GROUP_QOS

    Scenario: A best-effort lpGQOS replaces a group flow no link can carry
      Given a c_leaf socket "leaf" that creates a socket group
      And "leaf" has group QOS with a sending token rate of 4000000000
      And a multipoint session "group"
      When "leaf" joins "group" with flowspecs:
        | group sending   | best effort |
        | group receiving | best effort |
      Then the join succeeds

  @req:JL-089 @needs:root-initiated @needs:qos @needs:socket-groups @needs:scripted-peers
  Rule: A NULL lpGQOS asks for no group QOS

    Scenario: The group's creator joins with a NULL lpGQOS and no earlier group QOS
      Given a c_root socket "root" that creates a socket group
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | sending token rate | 1000 |
      Then the join succeeds
      And peer "B" was signalled a sending token rate of 1000

  @req:JL-090 @needs:root-initiated @needs:qos @needs:socket-groups @needs:scripted-peers
  Rule: lpGQOS counts only when s created the socket group

    Scenario: A root in no group: a group flow no link can carry is ignored
      Given a c_root socket "root"
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | group sending token rate | 4000000000 |
      Then the join succeeds

    Scenario: The group's creator: the same group flow fails
      Given a c_root socket "root" that creates a socket group
      And a peer "B" that accepts joins
      When "root" joins "B" with:
        | group sending token rate | 4000000000 |
      Then the join fails with WSAEOPNOTSUPP

  @req:JL-090 @needs:nonrooted-control
  Rule: (IP multicast) A leaf in no socket group is not held to its lpGQOS

    Scenario: A leaf in no group asks for a group flow no link can carry, and joins
      Given a c_leaf socket "leaf"
      And a multipoint session "group"
      When "leaf" joins "group" with:
        | group sending token rate | 4000000000 |
      Then the join succeeds
