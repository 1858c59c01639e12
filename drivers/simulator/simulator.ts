// The reference model: a Winsock 2 multipoint service provider on a simulated network.
//
// Hosts run applications (one Winsock instance each); sockets carry a role and a state; joins travel
// over simulated links with a fixed latency and are answered by local roots or by programmable peers.
// Every outcome below is derived from that state. Where the two editions of the reference text
// disagree about observable behaviour, `edition` picks the reading (see docs/editions.md).
import {
  AcceptCondition,
  AcceptOutcome,
  AsyncMessage,
  CalleeBuffer,
  done,
  Driver,
  DriverCapability,
  fail,
  Fault,
  Hex,
  HostOptions,
  JoinLeafArgs,
  JoinLeafOutcome,
  NetworkEvents,
  ok,
  PeerBehaviour,
  PeerLog,
  ProtocolInfo,
  Ptr,
  Qos,
  Result,
  SelectSets,
  Sock,
  SocketOptions,
  WsaBufIn,
} from "../driver";
import { decodeSockAddr, encodeSockAddr, SockAddr, SOCKADDR_IN_SIZE } from "../sockaddr";
import {
  AF_INET,
  ERRORS as E,
  FD_BITS,
  FD_MAX_EVENTS,
  FdEventName,
  JL_RECEIVER_ONLY,
  JL_SENDER_ONLY,
  SG_CONSTRAINED_GROUP,
  SG_UNCONSTRAINED_GROUP,
  WSA_FLAG_MULTIPOINT_C_LEAF,
  WSA_FLAG_MULTIPOINT_C_ROOT,
  WSA_FLAG_MULTIPOINT_D_LEAF,
  WSA_FLAG_MULTIPOINT_D_ROOT,
  XP1_MULTIPOINT_CONTROL_PLANE,
  XP1_MULTIPOINT_DATA_PLANE,
  XP1_QOS_SUPPORTED,
  XP1_SUPPORT_MULTIPOINT,
} from "../winsock";
import { GUARD_BYTES, guardIntact, prepareCalleeMemory } from "../callee-buffer";
import { DRIVER_CAPABILITIES } from "../capabilities";
import { VirtualClock } from "./clock";
import { Choices, Defect, model, WSAECONNABORTED, WSAECONNRESET } from "./choices";
import { Network } from "./network";
import { catalogue, LINK_CAPACITY_BYTES_PER_SEC } from "./protocols";
import type { CalleeMemory, Far, Host, JoinRequest, PendingJoin, Peer, Registration, SimSocket, Target } from "./state";

export type Edition = "current" | "legacy";

export interface SimulatorOptions {
  edition?: Edition;
  /** Choices the texts leave open (choices.ts); absent ones keep DEFAULT_CHOICES. */
  choices?: Partial<Choices>;
  /** Deliberate provider bugs to switch on (broken variants only). */
  defects?: Partial<Record<Defect, boolean>>;
}

const WSATRY_AGAIN = 11002;
const QOS_NOT_SPECIFIED = 0xffffffff;
const SERVICETYPE_BESTEFFORT = 1;
const SERVICETYPE_NOTRAFFIC = 0;

const NO_REGISTRATION: Registration = Object.freeze({ kind: "none" });
/** What a socket that never listened has waiting: nothing, shared (frozen, so a stray push shows). */
const NOTHING_QUEUED = Object.freeze([]) as unknown as never[];

/** The model offers every testbed capability there is. */
const CAPABILITIES: ReadonlySet<DriverCapability> = new Set(DRIVER_CAPABILITIES);

export class Simulator implements Driver {
  readonly name = "simulator";
  readonly capabilities = CAPABILITIES;
  readonly clock: VirtualClock;
  readonly edition: Edition;
  readonly choices: Readonly<Choices>;
  private readonly defects: ReadonlySet<Defect>;
  private readonly latency: number;
  private readonly net: Network;
  private readonly hosts: Map<string, Host>;
  private readonly sockets: Map<Sock, SimSocket>;
  private readonly peers: Map<string, Peer>;
  private readonly callee = new Map<number, CalleeMemory>();
  private readonly catalogue: readonly ProtocolInfo[];
  private nextCall = 1;
  private nextGroup = 1;

  constructor(options: SimulatorOptions = {}) {
    this.edition = options.edition ?? "current";
    const m = model(options.choices, options.defects);
    this.choices = m.choices;
    this.defects = m.defects;
    this.latency = m.choices.linkLatencyMs;
    this.clock = new VirtualClock({ ties: m.choices.sameInstantOrder });
    this.catalogue = catalogue(m.choices);
    this.net = new Network(m.choices);
    this.hosts = this.net.hosts;
    this.sockets = this.net.sockets;
    this.peers = this.net.peers;
  }

  /** Whether a deliberate bug is switched on (broken variants). */
  private bug(d: Defect): boolean {
    return this.defects.has(d);
  }

  async protocols(): Promise<ProtocolInfo[]> {
    return this.catalogue.map((p) => ({ ...p }));
  }

  // ---------------------------------------------------------------- hosts

  private host(name: string): Host {
    return this.net.host(name);
  }

  async startup(hostName: string, options: HostOptions = {}): Promise<Result> {
    const h = this.host(hostName);
    h.started = true;
    h.version = options.version ?? "2.2";
    return done;
  }

  async cleanup(hostName: string): Promise<Result> {
    const h = this.host(hostName);
    if (!h.started) return fail(E.WSANOTINITIALISED);
    for (const s of [...h.sockets]) this.close(s);
    h.started = false;
    return done;
  }

  /** The checks every call makes before it looks at its arguments. */
  private enter(h: Host, joining = false): number {
    if (!h.started) return joining && this.bug("notInitialisedAsNotSock") ? E.WSAENOTSOCK : E.WSANOTINITIALISED;
    if (h.faults.has("network-down") && !(joining && this.bug("networkDownIgnored"))) return E.WSAENETDOWN;
    // A Winsock 1.1 blocking call in progress, or the provider still inside a callback function.
    if (h.blocking || h.inCallback > 0) return E.WSAEINPROGRESS;
    return 0;
  }

  /** Finds a socket for a call: the host checks first, then the descriptor. */
  private lookup(s: Sock, joining = false): { sock: SimSocket } | { error: number } {
    const sock = this.sockets.get(s);
    if (!sock || sock.closed) {
      // The descriptor names nothing; report what a started host would.
      const anyStarted = [...this.hosts.values()].some((h) => h.started);
      return { error: anyStarted || (joining && this.bug("notInitialisedAsNotSock")) ? E.WSAENOTSOCK : E.WSANOTINITIALISED };
    }
    const error = this.enter(sock.host, joining);
    return error ? { error } : { sock };
  }

  // ---------------------------------------------------------------- sockets

  async socket(o: SocketOptions): Promise<Result<Sock>> {
    const h = this.host(o.host);
    const error = this.enter(h);
    if (error) return fail(error);
    const proto = this.catalogue.find((p) => p.id === o.protocol);
    if (!proto) return fail(E.WSAEPROTONOSUPPORT);
    const roles = this.rolesFor(proto, o.flags);
    if (roles === "invalid") return fail(E.WSAEINVAL);
    const group = o.group ?? 0;
    if (group !== 0 && group !== SG_CONSTRAINED_GROUP && group !== SG_UNCONSTRAINED_GROUP) return fail(E.WSAEINVAL);
    const sock = this.newSocket(h, proto, roles.control, roles.data);
    if (group) {
      sock.groupId = this.nextGroup++;
      sock.groupCreator = true;
    }
    return ok(sock.id);
  }

  /** Which multipoint roles the flags ask for, and whether the protocol allows them. */
  private rolesFor(
    p: ProtocolInfo,
    flags: number,
  ): { control: "root" | "leaf" | null; data: "root" | "leaf" | null } | "invalid" {
    const cRoot = !!(flags & WSA_FLAG_MULTIPOINT_C_ROOT);
    const cLeaf = !!(flags & WSA_FLAG_MULTIPOINT_C_LEAF);
    const dRoot = !!(flags & WSA_FLAG_MULTIPOINT_D_ROOT);
    const dLeaf = !!(flags & WSA_FLAG_MULTIPOINT_D_LEAF);
    if (!cRoot && !cLeaf && !dRoot && !dLeaf) return { control: null, data: null };
    if (!(p.serviceFlags1 & XP1_SUPPORT_MULTIPOINT)) return "invalid";
    if (cRoot === cLeaf || dRoot === dLeaf) return "invalid"; // exactly one flag per plane
    if (cRoot && !(p.serviceFlags1 & XP1_MULTIPOINT_CONTROL_PLANE)) return "invalid";
    if (dRoot && !(p.serviceFlags1 & XP1_MULTIPOINT_DATA_PLANE)) return "invalid";
    return { control: cRoot ? "root" : "leaf", data: dRoot ? "root" : "leaf" };
  }

  private newSocket(h: Host, proto: ProtocolInfo, control: SimSocket["control"], data: SimSocket["data"], parent: SimSocket | null = null): SimSocket {
    const sock: SimSocket = {
      id: this.net.descriptor(),
      host: h,
      proto,
      control,
      data,
      local: null,
      reuseAddress: false,
      listening: false,
      nonBlocking: false,
      registration: NO_REGISTRATION,
      recorded: null,
      closed: false,
      pendingJoin: null,
      joined: false,
      usable: true,
      far: null,
      parent,
      session: null,
      joinFlags: 0,
      groupId: 0,
      groupCreator: false,
      qos: null,
      groupQos: null,
      reserved: 0,
      inbox: [],
      acceptQueue: NOTHING_QUEUED,
      acceptWaiters: NOTHING_QUEUED,
      children: control === "root" ? new Set() : null,
      lastCallerData: null,
      connectLike: null,
      failedBefore: false,
    };
    this.net.add(sock);
    return sock;
  }

  async bind(s: Sock, name: Ptr<Hex>, namelen: number): Promise<Result> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    const sock = found.sock;
    if (name === null || name === "invalid" || namelen < SOCKADDR_IN_SIZE) return fail(E.WSAEFAULT);
    const addr = decodeSockAddr(name, namelen);
    if (!addr) return fail(E.WSAEFAULT);
    if (addr.family !== sock.proto.addressFamily) return fail(E.WSAEAFNOSUPPORT);
    if (sock.local) return fail(E.WSAEINVAL);
    if (addr.address !== "0.0.0.0" && addr.address !== sock.host.address) return fail(E.WSAEADDRNOTAVAIL);
    const port = addr.port || this.net.ephemeralPort(sock.host);
    if (port === null) return fail(E.WSAENOBUFS);
    // A specific address and a wildcard one on the same port do not clash at bind time.
    if (!sock.reuseAddress && this.net.portTaken(sock.host, addr.address, port, sock)) return fail(E.WSAEADDRINUSE);
    this.net.setLocal(sock, { address: addr.address, port });
    return done;
  }

  async setReuseAddress(s: Sock, on: boolean): Promise<Result> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    found.sock.reuseAddress = on;
    return done;
  }

  async listen(s: Sock, _backlog: number): Promise<Result> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    const sock = found.sock;
    if (!sock.local) return fail(E.WSAEINVAL);
    if (sock.joined || sock.pendingJoin) return fail(E.WSAEISCONN);
    if (sock.control === "leaf" && sock.proto.serviceFlags1 & XP1_MULTIPOINT_CONTROL_PLANE) return fail(E.WSAEOPNOTSUPP);
    sock.listening = true;
    if (sock.acceptQueue === NOTHING_QUEUED) {
      sock.acceptQueue = [];
      sock.acceptWaiters = [];
    }
    this.net.listening.add(sock);
    return done;
  }

  async getsockname(s: Sock): Promise<Result<Hex>> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    const local = found.sock.local;
    if (!local) return fail(E.WSAEINVAL);
    return ok(encodeSockAddr({ family: AF_INET, address: local.address, port: local.port }));
  }

  async setNonBlocking(s: Sock, on: boolean): Promise<Result> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    const sock = found.sock;
    // As in Winsock, a socket with event registrations cannot go back to blocking mode.
    if (!on && sock.registration.kind !== "none" && sock.registration.mask !== 0) return fail(E.WSAEINVAL);
    sock.nonBlocking = on;
    return done;
  }

  async groupId(s: Sock): Promise<Result<number>> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    return ok(found.sock.groupId);
  }

  // ---------------------------------------------------------------- events

  async eventSelect(s: Sock, mask: number): Promise<Result> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    found.sock.registration = { kind: "event", mask };
    found.sock.nonBlocking = true; // registering for events makes the socket nonblocking
    return done;
  }

  async asyncSelect(s: Sock, message: number, mask: number): Promise<Result> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    found.sock.registration = { kind: "async", mask, message };
    found.sock.nonBlocking = true;
    return done;
  }

  async enumNetworkEvents(s: Sock): Promise<Result<NetworkEvents>> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    const sock = found.sock;
    const out = sock.recorded ?? { events: 0, errors: new Array(FD_MAX_EVENTS).fill(0) };
    sock.recorded = null;
    return ok(out);
  }

  async takeMessages(hostName: string): Promise<AsyncMessage[]> {
    const h = this.host(hostName);
    const out = h.messages;
    h.messages = [];
    return out;
  }

  /** Records a network event where the socket's registration asks for it. */
  private signal(sock: SimSocket, event: FdEventName, error = 0): void {
    if (sock.closed) return;
    const bit = FD_BITS[event];
    const reg = sock.registration;
    if (reg.kind === "none" || !(reg.mask & (1 << bit))) return;
    if (reg.kind === "event") {
      sock.recorded ??= { events: 0, errors: new Array(FD_MAX_EVENTS).fill(0) };
      sock.recorded.events |= 1 << bit;
      sock.recorded.errors[bit] = error;
    } else {
      sock.host.messages.push({ socket: sock.id, message: reg.message, event: 1 << bit, error });
    }
  }

  async select(sets: SelectSets, _timeoutMs: number): Promise<Result<SelectSets>> {
    const all = [...sets.read, ...sets.write, ...sets.except];
    if (all.length === 0) return fail(E.WSAEINVAL);
    const socks: SimSocket[] = [];
    for (const s of all) {
      const found = this.lookup(s);
      if ("error" in found) return fail(found.error);
      socks.push(found.sock);
    }
    const get = (s: Sock) => this.sockets.get(s) as SimSocket;
    return ok({
      read: sets.read.filter((s) => this.readable(get(s))),
      write: sets.write.filter((s) => this.writable(get(s))),
      except: sets.except.filter((s) => get(s).connectLike === "failed"),
    });
  }

  private readable(sock: SimSocket): boolean {
    return sock.inbox.length > 0 || (sock.listening && sock.acceptQueue.length > 0);
  }

  /**
   * Join completion must not change what select says (both editions), except on the legacy
   * reading's WSAEWOULDBLOCK path, where the socket turns writable like a connecting socket.
   */
  private writable(sock: SimSocket): boolean {
    if (sock.connectLike) return sock.connectLike === "connected";
    // Bound is enough: whether a join on the socket has completed is not something select shows.
    return sock.local !== null;
  }

  // ---------------------------------------------------------------- joining

  async joinLeaf(s: Sock, a: JoinLeafArgs): Promise<JoinLeafOutcome> {
    const callId = this.nextCall++;
    // The caller's inputs as they were on entry; what the call returns says whether they still are.
    // (Driver arguments are plain JSON, so their JSON text is a faithful, cheap snapshot.)
    const inputs = JSON.stringify(a);
    if (a.lpCalleeData) {
      const memory = prepareCalleeMemory(Buffer.alloc(a.lpCalleeData.len + GUARD_BYTES), a.lpCalleeData.len);
      this.callee.set(callId, { capacity: a.lpCalleeData.len, len: a.lpCalleeData.len, memory });
    }
    const returns = (result: Result<Sock>): JoinLeafOutcome => ({
      callId,
      result,
      callee: a.lpCalleeData ? this.readCallee(callId) : undefined,
      inputsUnchanged: JSON.stringify(a) === inputs,
    });
    const started = this.startJoin(callId, s, a);
    if (typeof started === "number") return returns(fail(started));
    const join = started;
    if (this.bug("writesBackName") && typeof a.name === "string") a.name = a.name.slice(0, 4) + "0".repeat(a.name.length - 4);
    if (this.bug("blockingReturnsEarly") && !join.s.nonBlocking) return returns(ok(join.returned.id));
    if (join.s.nonBlocking) {
      const wouldBlock = this.edition === "legacy" ? this.choices.legacyNonblockingLeaf === "wouldblock" : this.bug("wouldBlockInCurrent");
      if (wouldBlock && join.s.control === "leaf" && !join.finished) {
        // Legacy error table: a nonblocking join that cannot finish at once fails WSAEWOULDBLOCK
        // and the socket is selected for writing while it connects. (A c_root join keeps the
        // descriptor reading: failing would lose the new socket.)
        join.s.connectLike = "pending";
        return returns(fail(E.WSAEWOULDBLOCK));
      }
      if (this.bug("danglingRootDescriptor") && join.returned !== join.s) return returns(ok(join.returned.id + 2));
      return returns(ok(join.returned.id));
    }
    const error = await new Promise<number>((resolve) => {
      if (join.finished) return resolve(join.returned.closed ? E.WSAEINTR : 0);
      join.settle = resolve;
    });
    if (join.s.host.blocking === join) join.s.host.blocking = null;
    return returns(error ? fail(error) : ok(join.returned.id));
  }

  /** Validates a join and sets it going; returns an error code when the call fails at once. */
  private startJoin(callId: number, s: Sock, a: JoinLeafArgs): PendingJoin | number {
    const found = this.lookup(s, true);
    if ("error" in found) return found.error;
    const sock = found.sock;
    if (sock.closed) return E.WSAENOTSOCK;
    const shortest = this.bug("namelenNotChecked") ? 8 : SOCKADDR_IN_SIZE;
    if (a.name === null || a.name === "invalid" || a.namelen < shortest) return E.WSAEFAULT;
    const name = decodeSockAddr(a.name, Math.max(a.namelen, SOCKADDR_IN_SIZE));
    if (!name) return E.WSAEFAULT;
    let callerData = this.readCallerData(a.lpCallerData);
    if (callerData === "fault") return E.WSAEFAULT;
    const qosChecked = !this.bug("qosFaultOnlyWithQos") || !!(sock.proto.serviceFlags1 & XP1_QOS_SUPPORTED);
    if (qosChecked && (qosFault(a.lpSQOS) || qosFault(a.lpGQOS))) return E.WSAEFAULT;
    if (sock.control === null && !this.bug("multipointFlagsNotChecked")) return E.WSAEINVAL; // not opened as a multipoint socket
    // Until a join completes, every further join on the same socket fails WSAEALREADY.
    if (sock.pendingJoin && !this.bug("noAlreadyCheck")) return this.bug("alreadyAsInProgress") ? E.WSAEINPROGRESS : E.WSAEALREADY;
    if (!sock.usable) return E.WSAENOTCONN;
    if (name.family !== sock.proto.addressFamily) return this.bug("familyAsFault") ? E.WSAEFAULT : E.WSAEAFNOSUPPORT;
    if (sock.control !== "root" && sock.joined && !this.bug("noIsConnCheck")) return E.WSAEISCONN;
    if (sock.control === "leaf" && sock.failedBefore && this.bug("noRetryAfterFailure")) return E.WSAEINVAL;
    if (sock.control === "root" && this.bug("rootSingleLeaf") && (sock.children?.size ?? 0) > 0) return E.WSAEISCONN;
    if (sock.control === "root" && !sock.proto.rootInitiatedJoins) return E.WSAEOPNOTSUPP;
    if (sock.control !== "root" && !sock.proto.leafInitiatedJoins) return E.WSAEOPNOTSUPP;
    if (sock.parent) return E.WSAEISCONN; // a root's per-leaf socket is already a member
    if (callerData && callerData.length > 0) {
      if (sock.proto.maxConnectData === 0 && this.bug("callerDataIgnoredWithoutSupport")) callerData = null;
      else if (sock.proto.maxConnectData === 0) return E.WSAEPROTONOSUPPORT;
      else if (callerData.length > sock.proto.maxConnectData + (this.bug("callerDataLimitOffByOne") ? 1 : 0)) return E.WSAEFAULT;
    }
    if (name.address === "0.0.0.0" && !this.bug("addrAnyAccepted")) return E.WSAEADDRNOTAVAIL;
    const target = name.address === "0.0.0.0" ? ({ kind: "nobody" } as const) : this.resolve(sock, name);
    if (target === "invalid") return E.WSAEADDRNOTAVAIL;
    if (sock.host.faults.has("no-buffers") && !this.bug("noBuffersIgnored")) return E.WSAENOBUFS;
    const qos = this.admitQos(sock, a);
    if (typeof qos === "number") return qos;
    const bindError = this.commitLocalAddress(sock);
    if (bindError) return bindError;

    const newSocket = (sock.control === "root") !== (this.bug("rootJoinReturnsRoot") || (sock.control === "leaf" && this.bug("leafJoinReturnsNew")));
    const returned = newSocket ? (sock.control === "root" ? this.newRootLeafSocket(sock) : this.newSocket(sock.host, sock.proto, "leaf", sock.data)) : sock;
    if (newSocket && sock.control === "leaf") returned.local = sock.local;
    // The socket for this leaf carries the flow this join asked for.
    if (returned !== sock && qos.socketQos) returned.qos = structuredClone(qos.socketQos);
    // The bytes that go on the wire: what the application gave, unless a defect garbles them.
    let sent = callerData && callerData.length ? callerData : null;
    if (sent && this.bug("userDataAsCString")) sent = cString(sent);
    if (this.bug("callerDataNotSent")) sent = null;
    if (a.lpCallerData === null && this.bug("nullCallerDataResendsPrevious")) sent = sock.lastCallerData;
    if (sent) sock.lastCallerData = sent;
    const join: PendingJoin = {
      callId,
      s: sock,
      returned,
      target,
      callerData: sent,
      flags: a.dwFlags,
      qosTokenRate: qos.tokenRate,
      socketQos: qos.socketQos,
      groupQos: qos.groupQos,
      bandwidth: qos.bandwidth,
      timeout: null,
      finished: false,
      settle: null,
      calleeWritten: false,
    };
    sock.pendingJoin = join;
    returned.usable = this.bug("usableBeforeCompletion");
    sock.host.reservedBandwidth += qos.bandwidth;
    if (!sock.nonBlocking && sock.host.version === "1.1") sock.host.blocking = join;
    this.transmit(join);
    return join;
  }

  /**
   * The c_leaf socket a root holds for one leaf, whether WSAJoinLeaf added the leaf or accept /
   * WSAAccept admitted it (the same kind of socket): it copies the root's properties.
   */
  private newRootLeafSocket(root: SimSocket): SimSocket {
    const leaf = this.newSocket(root.host, root.proto, "leaf", root.data, root);
    this.net.setLocal(leaf, root.local); // replaced whole, never changed in place: shared
    leaf.nonBlocking = root.nonBlocking;
    // Registrations are replaced whole, never changed in place: the leaf can share the root's.
    leaf.registration = this.bug("registrationsNotInherited") ? NO_REGISTRATION : root.registration;
    leaf.qos = root.qos ? structuredClone(root.qos) : null;
    // The legacy text excludes the root's group ID from what the new socket inherits.
    leaf.groupId = this.edition === "legacy" && !this.bug("groupIdInheritedLegacy") ? 0 : root.groupId;
    return leaf;
  }

  private readCallerData(p: Ptr<WsaBufIn>): Buffer | null | "fault" {
    if (p === null) return null;
    if (p === "invalid") return "fault";
    if (p.len === 0) return Buffer.alloc(0);
    if (p.buf === null || p.buf === "invalid") return "fault";
    const bytes = Buffer.from(p.buf, "hex");
    if (bytes.length < p.len) return "fault"; // len claims more than the buffer holds
    return bytes.subarray(0, p.len);
  }

  /** Where a join to `name` goes, from the state of the simulated network. */
  private resolve(sock: SimSocket, name: SockAddr): Target | "invalid" {
    const multicast = isMulticast(name.address);
    const rootedControl = !!(sock.proto.serviceFlags1 & XP1_MULTIPOINT_CONTROL_PLANE);
    if (!rootedControl) return multicast ? { kind: "session", address: `${name.address}:${name.port}` } : "invalid";
    if (multicast) return "invalid";
    const peer = this.net.peerAt(name.address, name.port);
    if (peer) return peer.behaviour.answer === "unreachable" ? { kind: "no-route" } : { kind: "peer", peer };
    if (!routable(name.address)) return { kind: "no-route" };
    for (const other of this.net.listening) {
      if (other.closed || !other.listening || other.control !== "root" || !other.local) continue;
      const addr = other.local.address === "0.0.0.0" ? other.host.address : other.local.address;
      if (addr === name.address && other.local.port === name.port && other.proto === sock.proto) return { kind: "root", root: other };
    }
    return { kind: "nobody" };
  }

  /** Implicit bind, or committing a wildcard address to the host's address. */
  private commitLocalAddress(sock: SimSocket): number {
    const h = sock.host;
    if (!sock.local) {
      if (this.bug("noImplicitBind")) return 0;
      const port = this.net.ephemeralPort(h);
      if (port === null) return E.WSAENOBUFS;
      this.net.setLocal(sock, { address: h.address, port });
      return 0;
    }
    if (sock.local.address === "0.0.0.0") {
      if (!sock.reuseAddress && this.net.portTaken(h, h.address, sock.local.port, sock)) return E.WSAEADDRINUSE;
      this.net.setLocal(sock, { address: h.address, port: sock.local.port });
    }
    return 0;
  }

  /**
   * QOS for this join: lpSQOS overrides SIO_SET_QOS, lpGQOS overrides SIO_SET_GROUP_QOS (and is
   * ignored unless `s` created its group); a direction the join does not use is ignored.
   */
  private admitQos(
    sock: SimSocket,
    a: JoinLeafArgs,
  ): { tokenRate: number | null; bandwidth: number; socketQos: Qos | null; groupQos: Qos | null } | number {
    const sqos = a.lpSQOS && !this.bug("socketQosNotApplied") ? a.lpSQOS : sock.qos;
    const ownGroupQos = sock.groupCreator && !this.bug("groupQosIgnored") ? a.lpGQOS : null;
    const gqos = ownGroupQos ? ownGroupQos : sock.groupCreator ? sock.groupQos : null;
    // The provider keeps its own copies: the caller's structures are inputs and stay the caller's.
    // They become the socket's (and group's) QOS only once the join has succeeded (see finish).
    const socketQos = a.lpSQOS && !this.bug("socketQosNotApplied") ? structuredClone(a.lpSQOS) : null;
    const groupQos = ownGroupQos ? structuredClone(ownGroupQos) : null;
    const bothWays = this.bug("qosBothDirections");
    const sending = bothWays || !(a.dwFlags & JL_RECEIVER_ONLY);
    const receiving = bothWays || !(a.dwFlags & JL_SENDER_ONLY);
    const demand = (q: Qos | null) =>
      q ? (sending ? rate(q.sending) : 0) + (receiving ? rate(q.receiving) : 0) : 0;
    const asksForService = (q: Qos | null) =>
      !!q && ((sending && wantsService(q.sending)) || (receiving && wantsService(q.receiving)));
    if (!(sock.proto.serviceFlags1 & XP1_QOS_SUPPORTED)) {
      if (asksForService(a.lpSQOS) || asksForService(ownGroupQos)) return E.WSAEOPNOTSUPP;
      return { tokenRate: null, bandwidth: 0, socketQos, groupQos };
    }
    const bandwidth = demand(sqos) + demand(gqos);
    if (sock.host.reservedBandwidth + bandwidth > LINK_CAPACITY_BYTES_PER_SEC && !this.bug("qosNoAdmission")) return E.WSAEOPNOTSUPP;
    // A receiver-only join ignores its sending flowspec, so there is no sending rate to signal.
    return { tokenRate: sqos && sending ? rate(sqos.sending) : null, bandwidth, socketQos, groupQos };
  }

  /** Puts the join request on the wire; the answer arrives through the clock. */
  private transmit(join: PendingJoin): void {
    const t = join.target;
    const after = (ms: number, run: () => void) => this.clock.schedule(ms, run);
    if (!this.bug("neverTimesOut")) join.timeout = after(this.choices.joinTimeoutMs, () => this.finish(join, E.WSAETIMEDOUT));
    switch (t.kind) {
      case "no-route":
        after(this.latency, () => this.finish(join, this.bug("unreachableTimesOut") ? E.WSAETIMEDOUT : E.WSAENETUNREACH));
        return;
      case "nobody":
        after(2 * this.latency, () => this.finish(join, this.refused()));
        return;
      case "session":
        if (this.choices.sessionJoin === "at-once") this.finish(join, 0);
        else after(this.latency, () => this.finish(join, 0));
        return;
      case "root":
        after(this.latency, () => this.deliverRequest(t.root, { from: { kind: "socket", socket: join.s }, callerData: join.callerData, join }));
        return;
      case "peer": {
        const peer = t.peer;
        peer.pending = join;
        after(this.latency, () => {
          if (join.finished) return;
          peer.log.joinRequests++;
          peer.log.lastCallerData = join.callerData ? join.callerData.toString("hex") : null;
          peer.log.lastQosTokenRate = join.qosTokenRate;
          const answer = peer.behaviour.answer;
          if (answer === "accept") after(this.latency, () => this.finish(join, 0, peer.behaviour.calleeData));
          if (answer === "refuse") after(this.latency, () => this.finish(join, this.refused()));
          // "silent": the timeout answers.
        });
        // A provider that retransmits sends the request again while no answer has come.
        const { count, intervalMs } = this.choices.joinRetransmissions;
        for (let i = 1; i <= count; i++) {
          after(this.latency + i * intervalMs, () => {
            if (!join.finished) peer.log.joinRequests++;
          });
        }
        return;
      }
    }
  }

  private deliverRequest(root: SimSocket, request: JoinRequest): void {
    if (root.closed || !root.listening) {
      if (request.join) this.finish(request.join, this.refused());
      return;
    }
    root.acceptQueue.push(request);
    if (!this.bug("noFdAccept")) this.signal(root, "FD_ACCEPT");
    root.acceptWaiters.splice(0).forEach((wake) => wake());
  }

  /** The error of a join the other side rejects. */
  private refused(): number {
    return this.bug("refusedAsReset") ? WSAECONNRESET : E.WSAECONNREFUSED;
  }

  /** Ends a join with an outcome: 0 for success, or the error code. */
  private finish(join: PendingJoin, error: number, calleeHex?: string): void {
    if (join.finished) return;
    const memory = this.callee.get(join.callId);
    if (!error && memory && !join.calleeWritten && this.choices.calleeBufferWritten === "before-fd-connect") {
      // This provider fills the callee buffer as the answer arrives and reports completion a moment later.
      const fault = this.writeCallee(join, memory, calleeHex);
      this.clock.schedule(1, () => this.finish(join, fault, calleeHex));
      return;
    }
    join.finished = true;
    join.timeout?.cancel();
    const { s, returned } = join;
    if (s.pendingJoin === join) s.pendingJoin = null;
    if (s.host.blocking === join) s.host.blocking = null;
    const t = join.target;
    if (t.kind === "peer" && t.peer.pending === join) t.peer.pending = null;

    let outcome = error;
    if (!outcome && memory && !join.calleeWritten) {
      if (this.bug("calleeAfterFdConnect")) this.clock.schedule(1, () => this.writeCallee(join, memory, calleeHex));
      else outcome = this.writeCallee(join, memory, calleeHex);
    }
    if (outcome) {
      s.host.reservedBandwidth -= join.bandwidth;
      s.failedBefore = true;
      if (t.kind === "peer" && !error) t.peer.log.member = false; // admitted, then torn down
      if (returned !== s) this.net.forget(returned);
      else s.usable = true; // a failed join leaves the c_leaf socket free to try again
      if (s.connectLike) s.connectLike = "failed";
    } else {
      returned.usable = true;
      returned.joined = true;
      returned.joinFlags = join.flags;
      returned.reserved = join.bandwidth;
      // The join's QOS replaces what SIO_SET_QOS / SIO_SET_GROUP_QOS set, now that it has succeeded.
      if (join.socketQos) s.qos = join.socketQos;
      if (join.groupQos) s.groupQos = join.groupQos;
      if (t.kind === "peer") {
        t.peer.log.member = true;
        t.peer.link = returned;
        returned.far = { kind: "peer", peer: t.peer };
      }
      if (t.kind === "session") this.net.setSession(returned, t.address);
      if (s.connectLike) s.connectLike = "connected";
    }
    const reported = outcome && this.bug("fdConnectGenericError") ? WSAECONNABORTED : this.bug("fdConnectAlwaysZero") ? 0 : outcome;
    const on = this.bug("fdConnectOnNewSocket") && returned !== s && !outcome ? returned : s;
    if (!(outcome && this.bug("noFdConnectOnFailure"))) this.signal(on, "FD_CONNECT", reported);
    join.settle?.(outcome);
  }

  /** Copies the peer's answer into the callee buffer; WSAEFAULT when it does not fit. */
  private writeCallee(join: PendingJoin, memory: CalleeMemory, calleeHex: string | undefined): number {
    join.calleeWritten = true;
    let data: Buffer = calleeHex && join.s.proto.maxConnectData > 0 ? Buffer.from(calleeHex, "hex") : Buffer.alloc(0);
    if (this.bug("userDataAsCString")) data = cString(data);
    if (data.length > memory.capacity && !this.bug("calleeIgnoresLen")) return E.WSAEFAULT;
    if (!this.bug("calleeDataDropped")) data.copy(memory.memory, 0);
    if (this.bug("calleeLenNotUpdated") || (data.length === 0 && this.bug("calleeLenNotZeroed"))) return 0;
    memory.len = data.length;
    return 0;
  }

  async calleeBuffer(callId: number): Promise<CalleeBuffer> {
    return this.readCallee(callId);
  }

  private readCallee(callId: number): CalleeBuffer {
    const m = this.callee.get(callId);
    if (!m) return { len: 0, bytes: "", guardIntact: true };
    return {
      len: m.len,
      bytes: m.memory.subarray(0, Math.min(m.len, m.capacity)).toString("hex"),
      guardIntact: guardIntact(m.memory, m.capacity),
    };
  }

  // ---------------------------------------------------------------- admitting leaves

  async accept(s: Sock): Promise<Result<Sock>> {
    const out = await this.admit(s, { verdict: "accept" });
    return out.result;
  }

  async wsaAccept(s: Sock, condition: AcceptCondition): Promise<AcceptOutcome> {
    return this.admit(s, condition);
  }

  private async admit(s: Sock, condition: AcceptCondition): Promise<AcceptOutcome> {
    const found = this.lookup(s);
    if ("error" in found) return { result: fail(found.error) };
    const root = found.sock;
    if (!root.listening) return { result: fail(E.WSAEINVAL) };
    while (root.acceptQueue.length === 0) {
      if (root.nonBlocking) return { result: fail(E.WSAEWOULDBLOCK) };
      await new Promise<void>((wake) => root.acceptWaiters.push(wake));
      if (root.closed) return { result: fail(E.WSAENOTSOCK) };
    }
    const request = root.acceptQueue[0];
    const callerData = request.callerData ? request.callerData.toString("hex") : null;
    // The condition function runs now. A WSAJoinLeaf it makes finds the provider inside a callback.
    let joinInside: JoinLeafOutcome | undefined;
    if (condition.joinInside) {
      const counted = !this.bug("callbackReentryAllowed");
      if (counted) root.host.inCallback++;
      try {
        joinInside = await this.joinLeaf(condition.joinInside.s, condition.joinInside.args);
      } finally {
        if (counted) root.host.inCallback--;
      }
    }
    const answered = (result: Result<Sock>): AcceptOutcome => (joinInside ? { result, callerData, joinInside } : { result, callerData });
    if (condition.verdict === "defer") return answered(fail(WSATRY_AGAIN));
    root.acceptQueue.shift();
    const from = request.from;
    if (condition.verdict === "reject") {
      if (request.join) this.clock.schedule(this.latency, () => this.finish(request.join as PendingJoin, this.refused()));
      if (from.kind === "peer") from.peer.log.member = false;
      return answered(fail(E.WSAECONNREFUSED));
    }
    const leaf = this.newRootLeafSocket(root);
    leaf.joined = true;
    leaf.far = from;
    if (from.kind === "peer") {
      from.peer.link = leaf;
      from.peer.log.member = true;
    } else {
      from.socket.far = { kind: "socket", socket: leaf };
    }
    const join = request.join;
    if (join) this.clock.schedule(this.latency, () => this.finish(join, 0, condition.calleeData));
    return answered(ok(leaf.id));
  }

  // ---------------------------------------------------------------- data

  async send(s: Sock, data: Hex): Promise<Result<number>> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    const sock = found.sock;
    if (!sock.usable || (!sock.joined && sock.control !== "root")) return fail(E.WSAENOTCONN);
    if (sock.joinFlags & JL_RECEIVER_ONLY && this.choices.dataPlaneFlags === "enforced") return fail(E.WSAESHUTDOWN);
    const bytes = Buffer.from(data, "hex");
    const deliver = (run: () => void) => this.clock.schedule(this.latency, run);
    if (sock.parent) {
      // A root's per-leaf socket: side chat where the protocol allows it.
      if (!sock.proto.sideChat) return fail(E.WSAEOPNOTSUPP);
      const far = sock.far;
      if (far?.kind === "peer") deliver(() => far.peer.log.received.push(data));
      if (far?.kind === "socket") deliver(() => this.receive(far.socket, bytes));
      return ok(bytes.length);
    }
    if (sock.session) {
      const session = sock.session;
      deliver(() => this.toSession(session, bytes, sock));
      return ok(bytes.length);
    }
    if (sock.control === "root") {
      // The root's data goes to every leaf, on either data plane.
      for (const leaf of this.leavesOf(sock)) deliver(() => this.toLeaf(leaf, bytes));
      return ok(bytes.length);
    }
    const far = sock.far;
    // A leaf of a local root: multipoint data, to whoever the data plane says.
    if (far?.kind === "socket" && far.socket.parent) deliver(() => this.fromLeaf(far.socket, bytes));
    // A leaf of a remote root (a peer): the root gets it; the peer's other leaves are not modelled.
    if (far?.kind === "peer") deliver(() => far.peer.log.received.push(data));
    return ok(bytes.length);
  }

  private leavesOf(root: SimSocket): SimSocket[] {
    return [...(root.children ?? [])].filter((l) => l.joined && !l.closed);
  }

  /** Data for the leaf that `perLeaf` (a root's c_leaf socket) stands for. */
  private toLeaf(perLeaf: SimSocket, bytes: Buffer): void {
    const far = perLeaf.far;
    if (far?.kind === "peer") far.peer.log.received.push(bytes.toString("hex"));
    if (far?.kind === "socket") this.receive(far.socket, bytes);
  }

  /**
   * Multipoint data from the leaf that `perLeaf` stands for. It reaches the root (the d_root, or
   * a member like any other); on a nonrooted data plane every participant's data goes to every
   * participant, so every other leaf gets it too, while on a rooted one a d_leaf sends to the
   * d_root only. Never to `perLeaf` itself: that socket carries side chat, not multipoint data.
   */
  private fromLeaf(perLeaf: SimSocket, bytes: Buffer): void {
    const root = perLeaf.parent as SimSocket;
    this.receive(root, bytes);
    if (root.proto.serviceFlags1 & XP1_MULTIPOINT_DATA_PLANE) return;
    for (const other of this.leavesOf(root)) if (other !== perLeaf) this.toLeaf(other, bytes);
  }

  private toSession(session: string, bytes: Buffer, from: SimSocket | null): void {
    for (const member of this.net.sessionMembers(session)) {
      if (member !== from && !member.closed) this.receive(member, bytes);
    }
    if (!from) return;
    const hex = this.net.membersOutside(session).length ? bytes.toString("hex") : "";
    for (const peer of this.net.membersOutside(session)) peer.log.received.push(hex);
  }

  /** Data arriving at a socket, unless it joined as a sender only. */
  private receive(sock: SimSocket, bytes: Buffer): void {
    if (sock.closed || (sock.joinFlags & JL_SENDER_ONLY && this.choices.dataPlaneFlags === "enforced")) return;
    // One immutable datagram shared by every receiver: delivery to 100,000 members copies nothing.
    sock.inbox.push(bytes);
    this.signal(sock, "FD_READ");
  }

  async recv(s: Sock, capacity: number): Promise<Result<Hex>> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    const sock = found.sock;
    if (!sock.usable) return fail(E.WSAENOTCONN);
    const next = sock.inbox.shift();
    if (!next) return fail(E.WSAEWOULDBLOCK);
    return ok(next.subarray(0, capacity).toString("hex"));
  }

  // ---------------------------------------------------------------- QOS

  async setQos(s: Sock, qos: Qos, group: boolean): Promise<Result> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    const sock = found.sock;
    if (qosFault(qos)) return fail(E.WSAEFAULT);
    if (group) sock.groupQos = structuredClone(qos);
    else sock.qos = structuredClone(qos);
    return done;
  }

  async getQos(s: Sock): Promise<Result<Qos>> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    const q = found.sock.qos;
    if (!q) return fail(E.WSAEINVAL);
    return ok(structuredClone(q));
  }

  // ---------------------------------------------------------------- closing and cancelling

  async closesocket(s: Sock): Promise<Result> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    this.close(found.sock);
    return done;
  }

  private close(sock: SimSocket): void {
    if (sock.closed) return;
    const parentJoin = sock.parent?.pendingJoin;
    // Closing the new socket cancels the join.
    if (parentJoin && parentJoin.returned === sock && !this.bug("closeDoesNotCancel")) this.cancel(parentJoin);
    if (sock.pendingJoin) this.cancel(sock.pendingJoin);
    sock.closed = true;
    if (!(sock.parent && this.bug("leaksPerLeafSocket"))) this.net.forget(sock);
    sock.host.reservedBandwidth -= sock.reserved;
    const far = sock.far;
    // The far end hears of it: a leaf when its root's per-leaf socket closes, a root when its leaf does.
    const tell = !this.bug(sock.parent ? "noFdCloseAtLeaf" : "noFdCloseAtRoot");
    if (far?.kind === "peer") {
      if (tell) far.peer.log.sawClose = true;
      far.peer.log.member = false;
      far.peer.link = null;
    }
    if (far?.kind === "socket" && tell) this.clock.schedule(this.latency, () => this.signal(far.socket, "FD_CLOSE", this.choices.fdCloseError));
    if (sock.control === "root" && !sock.parent) {
      // The session ends with its root: every leaf is told.
      for (const leaf of [...(sock.children ?? [])]) {
        const lf = leaf.far;
        if (lf?.kind === "peer") {
          lf.peer.log.sawClose = true;
          lf.peer.log.member = false;
        }
        if (lf?.kind === "socket") this.clock.schedule(this.latency, () => this.signal(lf.socket, "FD_CLOSE", this.choices.fdCloseError));
        leaf.far = null;
      }
      if (sock.acceptWaiters.length) sock.acceptWaiters.splice(0).forEach((wake) => wake());
    }
  }

  /** Abandons a pending join without an FD_CONNECT: the far side sees the request withdrawn. */
  private cancel(join: PendingJoin, error: number = E.WSAEINTR): void {
    if (join.finished) return;
    join.finished = true;
    join.timeout?.cancel();
    if (join.s.pendingJoin === join) join.s.pendingJoin = null;
    if (join.s.host.blocking === join) join.s.host.blocking = null;
    join.s.host.reservedBandwidth -= join.bandwidth;
    const t = join.target;
    if (t.kind === "peer") {
      t.peer.pending = null;
      t.peer.log.member = false;
    }
    if (t.kind === "root") t.root.acceptQueue = t.root.acceptQueue.filter((r) => r.join !== join);
    if (join.returned !== join.s) {
      join.returned.closed = true;
      this.net.forget(join.returned);
    } else {
      join.s.usable = true;
    }
    join.settle?.(error);
  }

  async cancelBlockingCall(hostName: string): Promise<Result> {
    const h = this.host(hostName);
    if (!h.started) return fail(E.WSANOTINITIALISED);
    if (h.version !== "1.1") return fail(E.WSAEOPNOTSUPP); // removed from Winsock 2
    if (!h.blocking) return fail(E.WSAEINVAL);
    this.cancel(h.blocking, this.bug("cancelledAsAborted") ? WSAECONNABORTED : E.WSAEINTR);
    return done;
  }

  // ---------------------------------------------------------------- the testbed

  async hostAddress(hostName: string): Promise<string> {
    return this.host(hostName).address;
  }

  async definePeer(name: string, behaviour: PeerBehaviour): Promise<Result<Hex>> {
    if (this.peers.has(name)) return fail(E.WSAEADDRINUSE);
    const address = this.net.peerAddress(behaviour.answer === "session" || behaviour.answer === "unreachable" ? behaviour.answer : "reachable");
    this.net.addPeer({
      name,
      address,
      behaviour,
      link: null,
      pending: null,
      log: {
        joinRequests: 0,
        lastCallerData: null,
        lastQosTokenRate: null,
        member: behaviour.answer === "session",
        sawClose: false,
        received: [],
      },
    });
    return ok(encodeSockAddr(address));
  }

  private peer(name: string): Peer {
    const p = this.peers.get(name);
    if (!p) throw new Error(`no peer named "${name}" was defined`);
    return p;
  }

  async peerLog(name: string): Promise<PeerLog> {
    const log = this.peer(name).log;
    return { ...log, received: [...log.received] };
  }

  async peerLeave(name: string): Promise<void> {
    const p = this.peer(name);
    p.log.member = false;
    const link = p.link;
    p.link = null;
    if (link) {
      link.far = null;
      if (!this.bug("noFdCloseAtRoot") || !link.parent) this.clock.schedule(this.latency, () => this.signal(link, "FD_CLOSE", this.choices.fdCloseError));
    }
  }

  async peerSend(name: string, data: Hex, sideChat = false): Promise<void> {
    const p = this.peer(name);
    const bytes = Buffer.from(data, "hex");
    this.clock.schedule(this.latency, () => {
      if (p.behaviour.answer === "session") {
        // A multicast session has no root to side-chat with.
        if (!sideChat) this.toSession(`${p.address.address}:${p.address.port}`, bytes, null);
        return;
      }
      const link = p.link;
      if (!link) return;
      if (sideChat) {
        // Only between a root and one leaf, over the socket that stands for the other end, and
        // only where the protocol has side chats: elsewhere it carries nothing.
        if (link.proto.sideChat) this.receive(link, bytes);
        return;
      }
      // Multipoint data. From a leaf of our root it goes where the data plane says; from the
      // root our leaf joined, it reaches our leaf.
      if (link.parent) this.fromLeaf(link, bytes);
      else this.receive(link, bytes);
    });
  }

  async peerRequestJoin(name: string, root: Hex, callerData: Hex | null): Promise<void> {
    const p = this.peer(name);
    const addr = decodeSockAddr(root);
    this.clock.schedule(this.latency, () => {
      p.log.joinRequests++;
      const target = [...this.net.listening].find(
        (s) => !s.closed && s.local && addr && s.local.port === addr.port && (s.local.address === addr.address || s.local.address === "0.0.0.0"),
      );
      if (target) this.deliverRequest(target, { from: { kind: "peer", peer: p }, callerData: callerData ? Buffer.from(callerData, "hex") : null, join: null });
    });
  }

  async injectFault(hostName: string, fault: Fault, on: boolean): Promise<void> {
    const h = this.host(hostName);
    if (on) h.faults.add(fault);
    else h.faults.delete(fault);
  }

  async advance(ms: number): Promise<void> {
    this.clock.advance(ms);
  }

  async openSockets(): Promise<Sock[]> {
    return [...this.sockets.keys()];
  }

  async dispose(): Promise<void> {
    for (const join of [...this.sockets.values()].map((s) => s.pendingJoin)) if (join) this.cancel(join);
    for (const sock of [...this.sockets.values()]) this.close(sock);
    for (const h of this.hosts.values()) h.started = false;
  }
}

function qosFault(q: Qos | null): boolean {
  if (!q) return false;
  const ps = q.providerSpecific;
  if (ps.len === 0) return false;
  if (ps.buf === null || ps.buf === "invalid") return true;
  return ps.buf.length / 2 < ps.len;
}

function rate(f: { tokenRate: number }): number {
  return f.tokenRate === QOS_NOT_SPECIFIED ? 0 : f.tokenRate;
}

function wantsService(f: { serviceType: number; tokenRate: number }): boolean {
  return f.serviceType !== SERVICETYPE_BESTEFFORT && f.serviceType !== SERVICETYPE_NOTRAFFIC && f.serviceType !== QOS_NOT_SPECIFIED;
}

/** A C string's view of user data: everything before the first zero byte. */
function cString(b: Buffer): Buffer {
  const zero = b.indexOf(0);
  return zero < 0 ? b : b.subarray(0, zero);
}

function isMulticast(address: string): boolean {
  const first = parseInt(address, 10); // the first byte of a dotted quad
  return first >= 224 && first <= 239;
}

/** The simulated network routes 10.0.0.0/8 and multicast; anything else has no route. */
function routable(address: string): boolean {
  return address.startsWith("10.") || isMulticast(address);
}

