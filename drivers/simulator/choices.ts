// Every choice the reference texts leave to a provider, as one record of switches, and the
// deliberate provider bugs the broken variants switch on. DEFAULT_CHOICES is the simulator as it
// has always behaved; a conformant variant changes choices only, a broken one adds one defect.
// Each switch names the sentence of the texts it concerns (catalogue entry in brackets).
/** Abortive-release codes (winsock2.h); the driver contract's error table does not list them. */
export const WSAECONNABORTED = 10053;
export const WSAECONNRESET = 10054;

export interface Choices {
  /** "the join ... carries on in the background" [JL-029]: a join to a nonrooted session completes
   *  after one link delay ("round-trip") or inside the call ("at-once", as Windows' IP helper does). */
  sessionJoin: "round-trip" | "at-once";
  /** "returns a SOCKET ... descriptor of the newly created multipoint socket" [JL-018]: the texts
   *  give no numbering. First value, step between descriptors, and whether freed ones are reused. */
  descriptors: { first: number; step: number; reuse: boolean };
  /** "the system gives it unique values for its local association" [JL-094]: which ephemeral
   *  ports, in which order. */
  ephemeralPorts: { first: number; last: number; order: "ascending" | "descending" };
  /** "the root receives FD_CLOSE" / "the leaf receives FD_CLOSE" [JL-060, JL-061]: no error code is
   *  given; 0 is a graceful release, WSAECONNRESET / WSAECONNABORTED an abortive one. */
  fdCloseError: 0 | typeof WSAECONNRESET | typeof WSAECONNABORTED;
  /** "Caller data longer than the provider accepts" [JL-113]: each protocol's maximum connect
   *  data, by protocol id (absent: the catalogue's own value). */
  maxConnectData: Record<string, number>;
  /** "A join attempt that times out" [JL-121]: the texts give no timeout length. */
  joinTimeoutMs: number;
  /** "sent to the peer together with the request to join" [JL-065]: a provider may send the
   *  request again while no answer has come (how many extra copies, and how far apart). */
  joinRetransmissions: { count: number; intervalMs: number };
  /** "lpCalleeData is valid once the join has completed" [JL-074, JL-075]: the buffer is written at
   *  the instant FD_CONNECT is signalled, or a moment before it. */
  calleeBufferWritten: "with-fd-connect" | "before-fd-connect";
  /** Legacy edition only: "a descriptor ... means the join was started" [JL-028] against
   *  "fails with WSAEWOULDBLOCK" [JL-122] for a nonblocking c_leaf join that cannot finish at once. */
  legacyNonblockingLeaf: "wouldblock" | "descriptor";
  /** "dwFlags tells whether the socket will act as a sender, as a receiver, or as both" [JL-016]:
   *  the texts only say the flags indicate the role; enforcing them on data is a choice. */
  dataPlaneFlags: "enforced" | "ignored";
  /** Nothing in the texts orders two events of the same instant (the virtual clock's ties). */
  sameInstantOrder: "scheduled" | "reversed";
  /** WSAEnumProtocols' order is the provider's: the texts rank no protocol first. */
  protocolOrder: "as-listed" | "reversed";
  /** Which protocol entries the provider installs: the full simulated set, or only a
   *  Windows-like IP multicast entry (nonrooted, no connect data, no QOS). */
  catalogue: "simulated" | "windows-ip-multicast";
  /** "can first surface as WSAEADDRINUSE from WSAJoinLeaf when the socket was bound to a wildcard
   *  address" [JL-096, a may]: a join to a multicast session commits the wildcard to the host's
   *  address (and can clash), or leaves it a wildcard (as a UDP socket joining a group does). */
  sessionLocalAddress: "committed" | "left-wildcard";
  /** "An implementation is free to let the root and one leaf exchange private data" [JL-049]:
   *  where it does not, sending on the root's per-leaf socket fails WSAEOPNOTSUPP or carries nothing. */
  sideChatWithout: "refused" | "dropped";
  /** "cannot honour the requested QOS ... the call fails" [JL-081, JL-119]: a provider that finds out
   *  at the call, or only when the network answers (the join then ends with WSAEOPNOTSUPP). */
  qosRefusal: "at-call" | "on-completion";
  /** "select ... gives no way to find out when a join has completed" [JL-034]: select's answer for a
   *  c_leaf stays as bound-ness says, or turns writable once it is a member. */
  selectAfterJoin: "unchanged" | "writable-once-joined";
  /** Current edition: "same properties as s" [JL-045], silent on the group ID (the legacy text
   *  excludes it, JL-047): the new c_leaf socket inherits the root's group ID or not. */
  currentGroupId: "inherited" | "not-inherited";
  /** One-way delay of every simulated link (the texts name no latency). */
  linkLatencyMs: number;
}

export const DEFAULT_CHOICES: Readonly<Choices> = Object.freeze({
  sessionJoin: "round-trip",
  descriptors: { first: 0x100, step: 4, reuse: false },
  ephemeralPorts: { first: 49152, last: 65535, order: "ascending" },
  fdCloseError: 0,
  maxConnectData: {},
  joinTimeoutMs: 15_000,
  joinRetransmissions: { count: 0, intervalMs: 1000 },
  calleeBufferWritten: "with-fd-connect",
  legacyNonblockingLeaf: "wouldblock",
  dataPlaneFlags: "enforced",
  sameInstantOrder: "scheduled",
  protocolOrder: "as-listed",
  catalogue: "simulated",
  sessionLocalAddress: "committed",
  sideChatWithout: "refused",
  qosRefusal: "at-call",
  selectAfterJoin: "unchanged",
  currentGroupId: "inherited",
  linkLatencyMs: 5,
} as Choices);

/**
 * Deliberate provider bugs, each one a mistake a real provider could make. All off by default;
 * a broken variant turns on exactly one. The catalogue entry each one breaks is in variants.ts.
 */
export interface Defects {
  /** Copies the peer's callee data without looking at lpCalleeData->len, past the buffer's end. */
  calleeIgnoresLen: boolean;
  /** Leaves lpCalleeData->len as it was on entry instead of the number of bytes written. */
  calleeLenNotUpdated: boolean;
  /** Leaves lpCalleeData->len alone when the peer sends nothing back (should become 0). */
  calleeLenNotZeroed: boolean;
  /** Fills the callee buffer a moment after FD_CONNECT is signalled. */
  calleeAfterFdConnect: boolean;
  /** Never copies the peer's callee data into the buffer (but sets len). */
  calleeDataDropped: boolean;
  /** Treats user data as a C string: stops at the first zero byte. */
  userDataAsCString: boolean;
  /** A NULL lpCallerData sends the previous join's caller data again (a stale per-socket copy). */
  nullCallerDataResendsPrevious: boolean;
  /** Never sends the caller data with the join request. */
  callerDataNotSent: boolean;
  /** Accepts caller data one byte longer than the protocol's maximum. */
  callerDataLimitOffByOne: boolean;
  /** Silently drops caller data on a protocol without connect data instead of WSAEPROTONOSUPPORT. */
  callerDataIgnoredWithoutSupport: boolean;
  /** A nonblocking c_root join returns a descriptor that names no socket. */
  danglingRootDescriptor: boolean;
  /** A c_root join hands back s itself instead of a new c_leaf socket. */
  rootJoinReturnsRoot: boolean;
  /** A c_leaf join allocates a new descriptor instead of returning s. */
  leafJoinReturnsNew: boolean;
  /** FD_CONNECT always carries error 0, even for a failed join. */
  fdConnectAlwaysZero: boolean;
  /** A failed join's FD_CONNECT carries WSAECONNABORTED whatever the cause. */
  fdConnectGenericError: boolean;
  /** No FD_CONNECT at all when a join fails. */
  noFdConnectOnFailure: boolean;
  /** FD_CONNECT of a root's join is signalled on the new c_leaf socket instead of on s. */
  fdConnectOnNewSocket: boolean;
  /** lpGQOS is ignored even on the socket that created the group. */
  groupQosIgnored: boolean;
  /** A short QOS buffer is only checked on protocols with QOS, so no WSAEFAULT elsewhere. */
  qosFaultOnlyWithQos: boolean;
  /** lpSQOS given at join time does not replace the SIO_SET_QOS flowspecs. */
  socketQosNotApplied: boolean;
  /** Admits any flowspec, however far beyond the link's capacity. */
  qosNoAdmission: boolean;
  /** Counts both flowspecs even on a unidirectional (sender- or receiver-only) join. */
  qosBothDirections: boolean;
  /** A join to an address with no route fails WSAETIMEDOUT instead of WSAENETUNREACH. */
  unreachableTimesOut: boolean;
  /** A refused join fails WSAECONNRESET instead of WSAECONNREFUSED. */
  refusedAsReset: boolean;
  /** closesocket on a root's per-leaf socket leaves it in the provider's table (a leak). */
  leaksPerLeafSocket: boolean;
  /** A second join while one is pending on the same socket is started instead of WSAEALREADY. */
  noAlreadyCheck: boolean;
  /** The pending-join check answers WSAEINPROGRESS instead of WSAEALREADY. */
  alreadyAsInProgress: boolean;
  /** A c_leaf that completed its join may join again (no WSAEISCONN). */
  noIsConnCheck: boolean;
  /** A c_root gets WSAEISCONN for a second leaf once its first join completed. */
  rootSingleLeaf: boolean;
  /** The new c_leaf socket does not carry over the root's event registrations. */
  registrationsNotInherited: boolean;
  /** The new c_leaf socket copies the root's group ID under the legacy reading too. */
  groupIdInheritedLegacy: boolean;
  /** An unbound socket is not bound by the join (getsockname still fails). */
  noImplicitBind: boolean;
  /** The leaf's closesocket raises no FD_CLOSE on the root's per-leaf socket. */
  noFdCloseAtRoot: boolean;
  /** The root's closesocket of a per-leaf socket raises no FD_CLOSE at the leaf. */
  noFdCloseAtLeaf: boolean;
  /** A listening c_root gets no FD_ACCEPT when a leaf asks to join. */
  noFdAccept: boolean;
  /** Current edition: a nonblocking join that cannot finish at once fails WSAEWOULDBLOCK. */
  wouldBlockInCurrent: boolean;
  /** The descriptor of a pending join already carries data. */
  usableBeforeCompletion: boolean;
  /** A blocking join returns as soon as the request is sent, before the answer. */
  blockingReturnsEarly: boolean;
  /** Before WSAStartup the call fails WSAENOTSOCK instead of WSANOTINITIALISED. */
  notInitialisedAsNotSock: boolean;
  /** A failed network subsystem goes unnoticed by WSAJoinLeaf. */
  networkDownIgnored: boolean;
  /** A WSAJoinLeaf from inside an accept condition function is not refused with WSAEINPROGRESS. */
  callbackReentryAllowed: boolean;
  /** A cancelled Winsock 1.1 blocking join fails WSAECONNABORTED instead of WSAEINTR. */
  cancelledAsAborted: boolean;
  /** An address of the wrong family fails WSAEFAULT instead of WSAEAFNOSUPPORT. */
  familyAsFault: boolean;
  /** A namelen shorter than a sockaddr_in is accepted. */
  namelenNotChecked: boolean;
  /** A socket without multipoint flags is joined anyway. */
  multipointFlagsNotChecked: boolean;
  /** Running out of buffers goes unnoticed (no WSAENOBUFS). */
  noBuffersIgnored: boolean;
  /** ADDR_ANY is accepted as a join target. */
  addrAnyAccepted: boolean;
  /**
   * A join nobody answers gives up with WSAECONNREFUSED instead of WSAETIMEDOUT. (A provider that
   * never gives up is not a variant: no run of finite length can tell it from a long timeout.)
   */
  timeoutAsRefused: boolean;
  /** closesocket on the pending join's new descriptor does not cancel the join. */
  closeDoesNotCancel: boolean;
  /** A c_leaf join that failed leaves the socket unable to try again (WSAEINVAL). */
  noRetryAfterFailure: boolean;
  /** The provider writes its normalised copy of name back into the caller's buffer. */
  writesBackName: boolean;
  /**
   * The completion path of a nonblocking join does not clear the socket's "joining" mark when the
   * join failed (the blocking path clears it on return): every later join on s fails WSAEALREADY.
   */
  failedJoinLeftPending: boolean;
  /**
   * A join that fails at the call (bad arguments, say) while an earlier join on s is still pending
   * goes out through the error path that resets the socket's join state: the earlier join is dropped.
   */
  failedCallDropsPendingJoin: boolean;
}

export type Defect = keyof Defects;

/** Choices and defects as the simulator reads them: every field present. */
export interface Model {
  choices: Choices;
  defects: ReadonlySet<Defect>;
}

export function model(choices: Partial<Choices> = {}, defects: Partial<Record<Defect, boolean>> = {}): Model {
  return {
    choices: { ...structuredClone(DEFAULT_CHOICES), ...structuredClone(choices) },
    defects: new Set(Object.entries(defects).filter(([, on]) => on).map(([d]) => d as Defect)),
  };
}
