// The simulator's state: hosts, sockets, joins and peers, as plain records. The network
// (network.ts) indexes them; the Simulator (simulator.ts) moves them from state to state.
import type { AsyncMessage, Fault, NetworkEvents, PeerBehaviour, PeerLog, ProtocolInfo, Qos, Sock } from "../driver";
import type { SockAddr } from "../sockaddr";
import type { TimerHandle } from "./clock";

export interface Host {
  name: string;
  address: string;
  started: boolean;
  version: "2.2" | "1.1";
  faults: Set<Fault>;
  /** The Winsock 1.1 blocking call in progress, if any. */
  blocking: PendingJoin | null;
  /** How many callback functions (WSAAccept conditions) the provider is running for this application. */
  inCallback: number;
  messages: AsyncMessage[];
  nextPort: number;
  /** Bandwidth promised to admitted flows, for QOS admission. */
  reservedBandwidth: number;
}

export type Registration = { kind: "none" } | { kind: "event"; mask: number } | { kind: "async"; mask: number; message: number };

/** One end of an established (or pending) multipoint connection. */
export type Far = { kind: "peer"; peer: Peer } | { kind: "socket"; socket: SimSocket };

export interface SimSocket {
  id: Sock;
  host: Host;
  proto: ProtocolInfo;
  control: "root" | "leaf" | null;
  data: "root" | "leaf" | null;
  local: { address: string; port: number } | null;
  /** Where `local` is, as the network's port index keys it (null: unbound). */
  portKey: string | null;
  reuseAddress: boolean;
  listening: boolean;
  nonBlocking: boolean;
  registration: Registration;
  /** Events recorded for WSAEnumNetworkEvents (null: none since the last call). */
  recorded: NetworkEvents | null;
  closed: boolean;
  /** The outstanding join started on this socket (as `s`). */
  pendingJoin: PendingJoin | null;
  /** A c_leaf socket that completed its join, or a root's c_leaf socket with an admitted leaf. */
  joined: boolean;
  /** False for a descriptor returned by a join that has not completed. */
  usable: boolean;
  /** For a root's c_leaf socket: the leaf it stands for. For a joined c_leaf: its root. */
  far: Far | null;
  /** For a root's c_leaf socket: the c_root it belongs to. */
  parent: SimSocket | null;
  /** For a joined nonrooted leaf: the session (multicast group) address. */
  session: string | null;
  joinFlags: number;
  groupId: number;
  groupCreator: boolean;
  qos: Qos | null;
  groupQos: Qos | null;
  reserved: number;
  inbox: Buffer[];
  /** Join requests waiting for accept (a shared empty array until the socket listens). */
  acceptQueue: JoinRequest[];
  acceptWaiters: Array<() => void>;
  /** For a c_root: the per-leaf sockets it holds (added or admitted); null for other sockets. */
  children: Set<SimSocket> | null;
  /** Caller data of the latest join on this socket (only the stale-copy defect reads it). */
  lastCallerData: Buffer | null;
  /** Legacy reading: a nonblocking c_leaf join that failed WSAEWOULDBLOCK; select shows its end. */
  connectLike: "pending" | "connected" | "failed" | null;
  /** A join on this socket has failed before (only the no-retry defect reads it). */
  failedBefore: boolean;
}

export interface JoinRequest {
  from: Far;
  callerData: Buffer | null;
  /** The leaf-side join waiting for this request's answer (absent for a peer's request). */
  join: PendingJoin | null;
}

export interface PendingJoin {
  callId: number;
  s: SimSocket;
  /** The descriptor the call returns: a new c_leaf socket (root) or `s` itself (leaf). */
  returned: SimSocket;
  target: Target;
  callerData: Buffer | null;
  flags: number;
  qosTokenRate: number | null;
  /** The provider's copies of lpSQOS / lpGQOS (null: none given, or lpGQOS ignored); kept only if the join succeeds. */
  socketQos: Qos | null;
  groupQos: Qos | null;
  bandwidth: number;
  timeout: TimerHandle | null;
  finished: boolean;
  /** Resolves a blocking call's promise. */
  settle: ((error: number) => void) | null;
  /** The callee buffer was filled ahead of FD_CONNECT (choice calleeBufferWritten). */
  calleeWritten: boolean;
  /** An error the provider reports only once the join ends (choice qosRefusal). */
  lateError: number;
}

export type Target =
  | { kind: "peer"; peer: Peer }
  | { kind: "root"; root: SimSocket }
  | { kind: "session"; address: string }
  | { kind: "nobody" }
  | { kind: "no-route" };

export interface Peer {
  name: string;
  address: SockAddr;
  behaviour: PeerBehaviour;
  log: PeerLog;
  /** Our socket that stands for the connection with this peer, once admitted. */
  link: SimSocket | null;
  /** Pending join waiting on this peer's answer. */
  pending: PendingJoin | null;
}

export interface CalleeMemory {
  capacity: number;
  len: number;
  memory: Buffer;
}

/** The model offers every testbed capability there is. */
