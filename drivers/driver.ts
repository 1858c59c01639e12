// The driver contract: one Winsock-shaped interface that every implementation under test offers.
//
// Every type here is plain JSON (bytes travel as lowercase hex strings) so that the same contract
// crosses a process boundary unchanged: the remote driver sends these objects over the driver
// protocol (docs/driver-protocol.md) and the agent hands them to a local driver.

/** A socket descriptor. A failed call that would return INVALID_SOCKET is a `Fail` instead. */
export type Sock = number;
/** Bytes as a lowercase hex string ("" is zero bytes). */
export type Hex = string;
/** A pointer argument: the value, NULL, or a pointer outside the caller's address space. */
export type Ptr<T> = T | null | "invalid";

export interface Ok<T> {
  ok: true;
  value: T;
}
export interface Fail {
  ok: false;
  /** WSAGetLastError right after the call (NO_ERROR_SET_SENTINEL when the call set none). */
  error: number;
}
export type Result<T = null> = Ok<T> | Fail;

/** One entry of the driver's protocol catalogue, as WSAEnumProtocols reports it. */
export interface ProtocolInfo {
  /** Short stable name the harness and expectation files use. */
  id: string;
  /** szProtocol. */
  name: string;
  catalogEntryId: number;
  providerId: string;
  addressFamily: number;
  socketType: number;
  protocol: number;
  /** dwServiceFlags1: the XP1_* bits. */
  serviceFlags1: number;
  /** Largest caller/callee data a join may carry; 0 when connect data is not supported. */
  maxConnectData: number;
  /** Whether a c_root may add leaves with WSAJoinLeaf. */
  rootInitiatedJoins: boolean;
  /** Whether a c_leaf may ask a listening c_root to admit it. */
  leafInitiatedJoins: boolean;
  /** Whether the c_leaf socket a root holds for one leaf carries side-chat data. */
  sideChat: boolean;
}

/** What the driver can do beyond plain Winsock calls. Scenarios name these in `@needs:` tags. */
export type DriverCapability =
  | "scripted-peers" // only a model can offer these: peers that accept, refuse or ignore rooted joins on command, ask a root to admit them, leave
  | "session-members" // a real network offers these too: multicast session members that log what they receive and send to the group
  | "network-down" // the network subsystem can be made to fail (injectFault "network-down")
  | "unreachable-peers" // a peer can be put behind an address with no route (definePeer "unreachable")
  | "out-of-buffers" // the provider can be made to run out of buffers (injectFault "no-buffers")
  | "winsock11-blocking" // Winsock 1.1 blocking calls and WSACancelBlockingCall
  | "virtual-clock" // time advances only when the harness says so
  | "socket-groups" // WSASocket group creation and SO_GROUP_ID
  | "several-hosts"; // sockets on distinct simulated hosts

export interface Flowspec {
  tokenRate: number;
  tokenBucketSize: number;
  peakBandwidth: number;
  latency: number;
  delayVariation: number;
  serviceType: number;
  maxSduSize: number;
  minimumPolicedSize: number;
}

/** A QOS structure. `providerSpecific.len` may claim more bytes than `buf` holds (a bad buffer). */
export interface Qos {
  sending: Flowspec;
  receiving: Flowspec;
  providerSpecific: { len: number; buf: Ptr<Hex> };
}

/** Input WSABUF: `len` may differ from the bytes actually behind `buf` (to provoke WSAEFAULT). */
export interface WsaBufIn {
  len: number;
  buf: Ptr<Hex>;
}

export interface JoinLeafArgs {
  /** The encoded sockaddr (see sockaddr.ts), NULL, or an invalid pointer. */
  name: Ptr<Hex>;
  namelen: number;
  lpCallerData: Ptr<WsaBufIn>;
  /** The callee buffer's capacity (lpCalleeData->len on input); the driver owns the memory. */
  lpCalleeData: { len: number } | null;
  lpSQOS: Qos | null;
  lpGQOS: Qos | null;
  dwFlags: number;
}

/** The callee WSABUF as the application sees it now. */
export interface CalleeBuffer {
  /** lpCalleeData->len as it reads now. */
  len: number;
  /** The buffer's first min(len, capacity) bytes. */
  bytes: Hex;
  /** False when anything was written past the capacity the application declared. */
  guardIntact: boolean;
}

export interface JoinLeafOutcome {
  /** Identifies this call's buffers for `calleeBuffer` after a nonblocking join completes. */
  callId: number;
  result: Result<Sock>;
  /** The callee buffer right after the call returned (absent when lpCalleeData was NULL). */
  callee?: CalleeBuffer;
  /**
   * Whether the call left every input it was given as it was (name, caller data, QOS), as the
   * driver's own copies in the implementation's memory read after the call. Absent: not known.
   */
  inputsUnchanged?: boolean;
}

/** How a WSAAccept condition function answers. */
export interface AcceptCondition {
  verdict: "accept" | "reject" | "defer";
  /** Callee data the condition writes back (accept only). */
  calleeData?: Hex;
  /**
   * A WSAJoinLeaf the condition function itself makes before it answers, while the provider is
   * still processing the callback. Optional: a driver that cannot make it leaves
   * `AcceptOutcome.joinInside` absent and the scenario reports UNSUPPORTED.
   */
  joinInside?: { s: Sock; args: JoinLeafArgs };
}

export interface AcceptOutcome {
  result: Result<Sock>;
  /** The caller data the condition function was shown (null when none came). */
  callerData?: Hex | null;
  /** What the WSAJoinLeaf made inside the condition function returned (AcceptCondition.joinInside). */
  joinInside?: JoinLeafOutcome;
}

export interface NetworkEvents {
  /** lNetworkEvents: OR of 1 << FD_* bit. */
  events: number;
  /** iErrorCode[FD_MAX_EVENTS]. */
  errors: number[];
}

/** One window message posted by WSAAsyncSelect. */
export interface AsyncMessage {
  socket: Sock;
  message: number;
  /** WSAGETSELECTEVENT(lParam). */
  event: number;
  /** WSAGETSELECTERROR(lParam). */
  error: number;
}

export interface SelectSets {
  read: Sock[];
  write: Sock[];
  except: Sock[];
}

/**
 * A party on the network. Every driver with a nonrooted protocol must offer "session" (the address
 * of a multipoint session to join, nothing more); the other answers, and the peer* methods that
 * observe a session need "session-members", and the
 * rest need "scripted-peers" ("unreachable" needs "unreachable-peers").
 */
export interface PeerBehaviour {
  /**
   * accept: admits the join; refuse: rejects it; silent: never answers;
   * unreachable: sits on a network with no route; session: a nonrooted (multicast) session address.
   */
  answer: "accept" | "refuse" | "silent" | "unreachable" | "session";
  /** Callee data it sends back when it accepts. */
  calleeData?: Hex;
}

/** What a programmable peer saw. */
export interface PeerLog {
  joinRequests: number;
  /** Caller data of the latest join request; null when the request carried none. */
  lastCallerData: Hex | null;
  /** Sending flowspec token rate signalled with the latest request (null: no QOS). */
  lastQosTokenRate: number | null;
  /** Whether the peer is a member now. */
  member: boolean;
  /** Whether the connection was closed from the application's side (the peer saw FD_CLOSE). */
  sawClose: boolean;
  /** Data the peer received, one hex string per message. */
  received: Hex[];
}

export type Fault = "network-down" | "no-buffers";

export interface HostOptions {
  /** Winsock version asked of WSAStartup: "1.1" turns on 1.1 blocking-call semantics. */
  version?: "2.2" | "1.1";
}

export interface SocketOptions {
  host: string;
  /** ProtocolInfo.id of the entry to use. */
  protocol: string;
  /** WSA_FLAG_* bits. */
  flags: number;
  /** WSASocket's g: 0, SG_UNCONSTRAINED_GROUP or SG_CONSTRAINED_GROUP. */
  group?: number;
}

/** Why an out-of-process implementation stopped answering; reported as the scenario's status. */
export interface DriverFault {
  status: "TIMEOUT" | "CRASH";
  reason: string;
}

/**
 * An implementation under test: Winsock calls, nothing else. Peers, faults and time are the
 * testbed's (see Testbed below). A driver that brings a simulated network of its own (the
 * simulator, or an agent speaking the driver protocol's testbed methods) also carries the
 * TestbedCalls; the harness wraps them in a simulated Testbed (drivers/testbed/).
 */
export interface Driver extends Partial<TestbedCalls> {
  readonly name: string;
  /** What the implementation offers; a simulated testbed's capabilities are listed here too. */
  readonly capabilities: ReadonlySet<DriverCapability>;
  /**
   * "real": the implementation runs on this machine's own network stack (native, Wine, an agent
   * whose hello says testbed "real"), so its peers and faults are real sockets and real network
   * conditions that the harness makes (drivers/testbed/real.ts). Absent: the driver's own
   * TestbedCalls are the testbed.
   */
  readonly network?: "real";
  /** What is under test (product, version, OS), for reports and certification bundles. */
  readonly implementation?: Readonly<Record<string, string>>;
  /**
   * True when a call made before the previous one has answered still takes effect after it. Calls
   * that may wait (joinLeaf, accept, wsaAccept, send, recv, select with a timeout, advance) are
   * not waited for: they may still be running. The harness then sends a scenario's cleanup
   * (closesocket for each socket, openSockets, dispose) in one go instead of one after another.
   */
  readonly inOrder?: boolean;
  /** Set once an out-of-process implementation hung or died; every later call fails at once. */
  readonly fault?: DriverFault | null;

  /** The protocol entries (WSAEnumProtocols). */
  protocols(): Promise<ProtocolInfo[]>;

  // --- Winsock calls. `host` names an application instance; drivers without
  //     "several-hosts" run every host in one process and treat the name as a label.
  startup(host: string, options?: HostOptions): Promise<Result>;
  cleanup(host: string): Promise<Result>;
  socket(options: SocketOptions): Promise<Result<Sock>>;
  bind(s: Sock, name: Ptr<Hex>, namelen: number): Promise<Result>;
  setReuseAddress(s: Sock, on: boolean): Promise<Result>;
  listen(s: Sock, backlog: number): Promise<Result>;
  accept(s: Sock): Promise<Result<Sock>>;
  wsaAccept(s: Sock, condition: AcceptCondition): Promise<AcceptOutcome>;
  /** Resolves when the call returns: at once in nonblocking mode, at the outcome when blocking. */
  joinLeaf(s: Sock, args: JoinLeafArgs): Promise<JoinLeafOutcome>;
  /** The callee buffer of an earlier joinLeaf call, as it reads now. */
  calleeBuffer(callId: number): Promise<CalleeBuffer>;
  setNonBlocking(s: Sock, on: boolean): Promise<Result>;
  eventSelect(s: Sock, mask: number): Promise<Result>;
  enumNetworkEvents(s: Sock): Promise<Result<NetworkEvents>>;
  asyncSelect(s: Sock, message: number, mask: number): Promise<Result>;
  /** Window messages posted to this host's window since the last call (drains the queue). */
  takeMessages(host: string): Promise<AsyncMessage[]>;
  select(sets: SelectSets, timeoutMs: number): Promise<Result<SelectSets>>;
  closesocket(s: Sock): Promise<Result>;
  getsockname(s: Sock): Promise<Result<Hex>>;
  send(s: Sock, data: Hex): Promise<Result<number>>;
  /** One nonblocking read of at most `capacity` bytes (fails WSAEWOULDBLOCK when nothing is there). */
  recv(s: Sock, capacity: number): Promise<Result<Hex>>;
  setQos(s: Sock, qos: Qos, group: boolean): Promise<Result>;
  getQos(s: Sock): Promise<Result<Qos>>;
  /** SO_GROUP_ID ("socket-groups"). */
  groupId(s: Sock): Promise<Result<number>>;
  /** WSACancelBlockingCall on the host ("winsock11-blocking"). */
  cancelBlockingCall(host: string): Promise<Result>;

  /** Sockets the driver still holds open, for the after-scenario leak check. */
  openSockets(): Promise<Sock[]>;
  /** Ends everything: closes sockets, cleans up hosts, frees resources. */
  dispose(): Promise<void>;
}

/** What the testbed can make: the testbed words of `@needs:` tags (drivers/capabilities.ts). */
export type TestbedCapability = Extract<
  DriverCapability,
  "scripted-peers" | "session-members" | "network-down" | "unreachable-peers" | "out-of-buffers" | "virtual-clock"
>;

/** The calls that make peers, faults and time. */
export interface TestbedCalls {
  /** The IPv4 address applications on `host` bind to (dotted quad). */
  hostAddress(host: string): Promise<string>;
  /** A remote party with a programmed answer; returns its encoded sockaddr. */
  definePeer(name: string, behaviour: PeerBehaviour): Promise<Result<Hex>>;
  peerLog(name: string): Promise<PeerLog>;
  /** The peer leaves (closes its end); for a root's leaf this raises FD_CLOSE at the root. */
  peerLeave(name: string): Promise<void>;
  /**
   * The peer sends multipoint data: to its session, or over its connection to the members the
   * data plane reaches. With `sideChat` it talks privately instead, over the connection between a
   * root and one leaf, where the protocol has side chats (ProtocolInfo.sideChat); elsewhere a side
   * chat carries nothing.
   */
  peerSend(name: string, data: Hex, sideChat?: boolean): Promise<void>;
  /** A remote leaf asks the listening root at `root` to admit it, carrying optional caller data. */
  peerRequestJoin(name: string, root: Hex, callerData: Hex | null): Promise<void>;
  injectFault(host: string, fault: Fault, on: boolean): Promise<void>;
  /**
   * Lets `ms` of (virtual or real) time pass, delivering whatever falls due. `onlyWhileWaiting`:
   * the harness is waiting for a blocking call; let time pass only if some call is still waiting
   * for it (through an agent, an answer may be in transit when the harness asks). A virtual
   * clock may answer with a ClockHint; anything else answers nothing.
   */
  advance(ms: number, onlyWhileWaiting?: boolean): Promise<ClockHint | null | void>;
}

/**
 * What a virtual clock tells after an advance: in how many ms the next delivery falls due (null:
 * nothing is pending). Until then nothing changes unless the harness calls in, so a harness that
 * only looks may skip the idle time in one advance instead of stepping through it.
 */
export interface ClockHint {
  nextDueMs: number | null;
}

/**
 * Peers, faults and time around the implementation under test: not part of it. "simulated": a
 * model's own network (the simulator, or an agent's testbed methods); "real": ordinary sockets
 * and network conditions of the machine the implementation runs on.
 */
export interface Testbed extends TestbedCalls {
  readonly kind: "simulated" | "real";
  readonly capabilities: ReadonlySet<TestbedCapability>;
  /** How long "the network settles" lets pass on this testbed: past every delay of its links. */
  readonly settleMs: number;
  /** Why a capability is missing, for UNSUPPORTED reasons (absent: it is offered, or no reason is known). */
  whyNot(capability: TestbedCapability): string | undefined;
  /** Closes the testbed's own sockets and undoes the conditions it made. */
  dispose(): Promise<void>;
}

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const fail = (error: number): Fail => ({ ok: false, error });
export const done: Ok<null> = Object.freeze({ ok: true, value: null }) as Ok<null>;
