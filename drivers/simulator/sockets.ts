// The socket state machine: hosts, sockets, event registrations, select, data and QOS settings.
// JoinModel (joins.ts) adds the join state machine on top, Simulator (simulator.ts) the testbed.
import {
  AsyncMessage,
  done,
  fail,
  Hex,
  HostOptions,
  NetworkEvents,
  ok,
  ProtocolInfo,
  Ptr,
  Qos,
  Result,
  SelectSets,
  Sock,
  SocketOptions,
} from "../driver";
import { decodeSockAddr, encodeSockAddr, SOCKADDR_IN_SIZE } from "../sockaddr";
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
  XP1_SUPPORT_MULTIPOINT,
} from "../winsock";
import { VirtualClock } from "./clock";
import { Choices, Defect, model } from "./choices";
import { Network } from "./network";
import { catalogue } from "./protocols";
import type { Host, Peer, Registration, SimSocket } from "./state";

export type Edition = "current" | "legacy";

export interface SimulatorOptions {
  edition?: Edition;
  /** Choices the texts leave open (choices.ts); absent ones keep DEFAULT_CHOICES. */
  choices?: Partial<Choices>;
  /** Deliberate provider bugs to switch on (broken variants only). */
  defects?: Partial<Record<Defect, boolean>>;
}

export const NO_REGISTRATION: Registration = Object.freeze({ kind: "none" });
/** What a socket that never listened has waiting: nothing, shared (frozen, so a stray push shows). */
export const NOTHING_QUEUED = Object.freeze([]) as unknown as never[];

export abstract class SocketModel {
  readonly clock: VirtualClock;
  readonly edition: Edition;
  readonly choices: Readonly<Choices>;
  protected readonly defects: ReadonlySet<Defect>;
  protected readonly latency: number;
  protected readonly net: Network;
  protected readonly hosts: Map<string, Host>;
  protected readonly sockets: Map<Sock, SimSocket>;
  protected readonly peers: Map<string, Peer>;
  protected readonly catalogue: readonly ProtocolInfo[];
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
  protected bug(d: Defect): boolean {
    return this.defects.has(d);
  }

  async protocols(): Promise<ProtocolInfo[]> {
    return this.catalogue.map((p) => ({ ...p }));
  }

  // ---------------------------------------------------------------- hosts

  protected host(name: string): Host {
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
    for (const s of [...this.sockets.values()]) if (s.host === h) this.close(s);
    h.started = false;
    return done;
  }

  /** The checks every call makes before it looks at its arguments. */
  protected enter(h: Host, joining = false): number {
    if (!h.started) return joining && this.bug("notInitialisedAsNotSock") ? E.WSAENOTSOCK : E.WSANOTINITIALISED;
    if (h.faults.has("network-down") && !(joining && this.bug("networkDownIgnored"))) return E.WSAENETDOWN;
    // A Winsock 1.1 blocking call in progress, or the provider still inside a callback function.
    if (h.blocking || h.inCallback > 0) return E.WSAEINPROGRESS;
    return 0;
  }

  /** Finds a socket for a call: the host checks first, then the descriptor. */
  protected lookup(s: Sock, joining = false): { sock: SimSocket } | { error: number } {
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
  protected rolesFor(
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

  protected newSocket(h: Host, proto: ProtocolInfo, control: SimSocket["control"], data: SimSocket["data"], parent: SimSocket | null = null): SimSocket {
    const sock: SimSocket = {
      id: this.net.descriptor(),
      host: h,
      proto,
      control,
      data,
      local: null,
      portKey: null,
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
  protected signal(sock: SimSocket, event: FdEventName, error = 0): void {
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

  protected readable(sock: SimSocket): boolean {
    return sock.inbox.length > 0 || (sock.listening && sock.acceptQueue.length > 0);
  }

  /**
   * Join completion must not change what select says (both editions), except on the legacy
   * reading's WSAEWOULDBLOCK path, where the socket turns writable like a connecting socket.
   */
  protected writable(sock: SimSocket): boolean {
    if (sock.connectLike) return sock.connectLike === "connected";
    // A provider may show a c_leaf writable only once it is a member; the texts only say select is
    // no way to learn that a join completed, not that its answer never changes.
    if (this.choices.selectAfterJoin === "writable-once-joined" && sock.control === "leaf" && !sock.parent) return sock.joined;
    // Bound is enough: whether a join on the socket has completed is not something select shows.
    return sock.local !== null;
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
      if (!sock.proto.sideChat) return this.choices.sideChatWithout === "refused" ? fail(E.WSAEOPNOTSUPP) : ok(bytes.length);
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

  protected leavesOf(root: SimSocket): SimSocket[] {
    return [...(root.children ?? [])].filter((l) => l.joined && !l.closed);
  }

  /** Data for the leaf that `perLeaf` (a root's c_leaf socket) stands for. */
  protected toLeaf(perLeaf: SimSocket, bytes: Buffer): void {
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
  protected fromLeaf(perLeaf: SimSocket, bytes: Buffer): void {
    const root = perLeaf.parent as SimSocket;
    this.receive(root, bytes);
    if (root.proto.serviceFlags1 & XP1_MULTIPOINT_DATA_PLANE) return;
    for (const other of this.leavesOf(root)) if (other !== perLeaf) this.toLeaf(other, bytes);
  }

  protected toSession(session: string, bytes: Buffer, from: SimSocket | null): void {
    for (const member of this.net.sessionMembers(session)) {
      if (member !== from && !member.closed) this.receive(member, bytes);
    }
    if (!from) return;
    const hex = this.net.membersOutside(session).length ? bytes.toString("hex") : "";
    for (const peer of this.net.membersOutside(session)) peer.log.received.push(hex);
  }

  /** Data arriving at a socket, unless it joined as a sender only. */
  protected receive(sock: SimSocket, bytes: Buffer): void {
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

  /** Closes a socket with everything that hangs on it (joins.ts). */
  protected abstract close(sock: SimSocket): void;
}

/** A QOS whose provider-specific buffer is shorter than its len says (or is not there). */
export function qosFault(q: Qos | null): boolean {
  if (!q) return false;
  const ps = q.providerSpecific;
  if (ps.len === 0) return false;
  if (ps.buf === null || ps.buf === "invalid") return true;
  return ps.buf.length / 2 < ps.len;
}
