// The real testbed: peers and network conditions made of this machine's own sockets and
// interfaces, for implementations that run on the machine's real stack (native, Wine, an agent
// over Linux UDP sockets). It works only inside the project's network namespace
// (scripts/netns.sh): a session member joins a multicast group and sends to it, and that must
// never happen in the machine's default namespace. What it cannot make, it says why.
//
//   session-members    a member socket per session: joined to the group, logging every datagram
//                      it receives, sending to the group (TTL 0: the datagram never leaves the host)
//   network-down       the interface carrying the multicast route goes down (lo stays up)
//   unreachable-peers  an address the namespace has no route to
//   never: scripted-peers (no real peer answers rooted joins on command), out-of-buffers, virtual-clock
import dgram from "node:dgram";
import type { Fault, Hex, PeerBehaviour, PeerLog, Result, Testbed, TestbedCapability } from "../driver";
import { fail, ok } from "../driver";
import { encodeSockAddr, inet } from "../sockaddr";
import { ERRORS } from "../winsock";
import { currentNamespace, ip, Namespace, routeTo } from "./netns";

/** Session addresses: administratively scoped groups, one port each. */
const SESSION_BASE = "239.255.77.";
const SESSION_PORT = 47000;
const PEER_PORT = 5000;

interface Member {
  group: string;
  port: number;
  /** Receives the group's datagrams (bound to the group address, so only this group's). */
  socket: dgram.Socket | null;
  /** Sends for the member, from a port of its own so the member does not log its own datagrams. */
  sender: dgram.Socket | null;
  log: PeerLog;
}

interface Inspection {
  ns: Namespace | null;
  capabilities: Set<TestbedCapability>;
  reasons: Map<TestbedCapability, string>;
}

let inspected: Inspection | undefined;

/** What this process's namespace offers; looked at once per process. */
export function inspectRealNetwork(): Inspection {
  if (inspected) return inspected;
  const capabilities = new Set<TestbedCapability>();
  const reasons = new Map<TestbedCapability, string>([
    ["scripted-peers", "no real network has peers that answer rooted joins on command"],
    ["out-of-buffers", "the real testbed cannot make a provider run out of buffers"],
    ["virtual-clock", "real time passes on a real network"],
  ]);
  const ns = currentNamespace();
  if (typeof ns === "string") {
    for (const c of ["session-members", "network-down", "unreachable-peers"] as const) reasons.set(c, `real testbed: ${ns}`);
    return (inspected = { ns: null, capabilities, reasons });
  }
  const multicast = routeTo(`${SESSION_BASE}1`);
  if (multicast.ok && new RegExp(`\\bdev ${ns.iface}\\b`).test(multicast.text)) capabilities.add("session-members");
  else reasons.set("session-members", `real testbed: no multicast route on ${ns.iface} in namespace ${ns.name} (${multicast.text})`);
  if (process.getuid?.() === 0 && multicast.ok) capabilities.add("network-down");
  else reasons.set("network-down", `real testbed: cannot take ${ns.iface} down (needs root and the interface)`);
  const unreachable = routeTo(ns.unreachable);
  if (!unreachable.ok && /unreachable/i.test(unreachable.text)) capabilities.add("unreachable-peers");
  else reasons.set("unreachable-peers", `real testbed: ${ns.unreachable} has a route in namespace ${ns.name}`);
  return (inspected = { ns, capabilities, reasons });
}

export class RealTestbed implements Testbed {
  readonly kind = "real" as const;
  readonly capabilities: ReadonlySet<TestbedCapability>;
  // Every link is a veth pair or lo inside one kernel: a datagram is in the receiver's buffer
  // within microseconds. A fifth of a second leaves a wide margin on a loaded CI machine, where
  // the simulated testbed's second would make each such scenario wait a real second.
  readonly settleMs = 200;
  private readonly ns: Namespace | null;
  private readonly reasons: ReadonlyMap<TestbedCapability, string>;
  private readonly peers = new Map<string, { address: Hex; member?: Member }>();
  private nextSession = 1;
  private nextUnreachable = 1;
  private networkDown = false;

  constructor() {
    const i = inspectRealNetwork();
    this.ns = i.ns;
    this.capabilities = i.capabilities;
    this.reasons = i.reasons;
  }

  whyNot(capability: TestbedCapability): string | undefined {
    return this.capabilities.has(capability) ? undefined : this.reasons.get(capability);
  }

  private need(capability: TestbedCapability, what: string): Namespace {
    if (!this.capabilities.has(capability) || !this.ns) throw new Error(`${what} needs ${capability}: ${this.reasons.get(capability)}`);
    return this.ns;
  }

  async hostAddress(_host: string): Promise<string> {
    return "127.0.0.1";
  }

  async definePeer(name: string, behaviour: PeerBehaviour): Promise<Result<Hex>> {
    if (this.peers.has(name)) return fail(ERRORS.WSAEADDRINUSE);
    if (behaviour.answer === "session") {
      const n = this.nextSession++;
      const group = `${SESSION_BASE}${n}`;
      const port = SESSION_PORT + n;
      const address = encodeSockAddr(inet(group, port));
      // A member only where multicast stays inside the project's namespace.
      const member = this.capabilities.has("session-members") ? await this.joinMember(group, port) : undefined;
      this.peers.set(name, { address, member });
      return ok(address);
    }
    if (behaviour.answer === "unreachable") {
      const ns = this.need("unreachable-peers", `peer "${name}" on a network with no route`);
      const address = encodeSockAddr(inet(ns.unreachable.replace(/\.\d+$/, `.${this.nextUnreachable++}`), PEER_PORT));
      this.peers.set(name, { address });
      return ok(address);
    }
    throw new Error(`peer "${name}" that answers "${behaviour.answer}" needs scripted-peers: ${this.reasons.get("scripted-peers")}`);
  }

  private async joinMember(group: string, port: number): Promise<Member> {
    const ns = this.ns as Namespace;
    const log: PeerLog = { joinRequests: 0, lastCallerData: null, lastQosTokenRate: null, member: false, sawClose: false, received: [] };
    const member: Member = { group, port, socket: null, sender: null, log };
    const sender = dgram.createSocket({ type: "udp4" });
    await bindSocket(sender, 0, ns.ifaceAddress);
    sender.setMulticastTTL(0);
    sender.setMulticastLoopback(true);
    sender.setMulticastInterface(ns.ifaceAddress);
    member.sender = sender;
    const own = sender.address().port;
    const socket = dgram.createSocket({ type: "udp4", reuseAddr: true });
    socket.on("message", (data, from) => {
      if (from.port === own && from.address === ns.ifaceAddress) return; // its own datagram, looped back
      log.received.push(data.toString("hex"));
    });
    socket.on("error", () => undefined); // a receive error ends nothing; the log says what came
    await bindSocket(socket, port, group);
    member.socket = socket;
    try {
      socket.addMembership(group);
      log.member = true;
    } catch {
      log.member = false; // the network is down: the member could not join
    }
    return member;
  }

  private session(name: string, what: string): Member {
    this.need("session-members", what);
    const peer = this.peers.get(name);
    if (!peer) throw new Error(`no peer named "${name}" was defined`);
    if (!peer.member) throw new Error(`peer "${name}" is not a multipoint session: the real testbed has no other peers to watch`);
    return peer.member;
  }

  async peerLog(name: string): Promise<PeerLog> {
    const log = this.session(name, `watching peer "${name}"`).log;
    return { ...log, received: [...log.received] };
  }

  /** The session's member leaves the group. */
  async peerLeave(name: string): Promise<void> {
    const m = this.session(name, `peer "${name}" leaving`);
    if (m.log.member && m.socket) m.socket.dropMembership(m.group);
    m.log.member = false;
  }

  async peerSend(name: string, data: Hex, sideChat = false): Promise<void> {
    const m = this.session(name, `peer "${name}" sending`);
    if (sideChat || !m.sender) return; // a multicast session has no root to side-chat with
    const sender = m.sender;
    await new Promise<void>((resolve, reject) =>
      sender.send(Buffer.from(data, "hex"), m.port, m.group, (e) => (e ? reject(new Error(`peer "${name}" could not send to ${m.group}:${m.port}: ${e.message}`)) : resolve())),
    );
  }

  async peerRequestJoin(name: string): Promise<void> {
    throw new Error(`peer "${name}" asking to join needs scripted-peers: ${this.reasons.get("scripted-peers")}`);
  }

  async injectFault(_host: string, fault: Fault, on: boolean): Promise<void> {
    if (fault !== "network-down") throw new Error(`"${fault}" needs out-of-buffers: ${this.reasons.get("out-of-buffers")}`);
    const ns = this.need("network-down", "network down");
    if (on === this.networkDown) return;
    if (on) {
      ip("link", "set", ns.iface, "down");
    } else {
      ip("link", "set", ns.iface, "up");
      // The multicast route went with the interface; put it back.
      ip("route", "replace", "224.0.0.0/4", "dev", ns.iface);
    }
    this.networkDown = on;
  }

  /** Real time passes. */
  async advance(ms: number): Promise<void> {
    await new Promise((r) => setTimeout(r, Math.max(0, ms)));
  }

  async dispose(): Promise<void> {
    if (this.networkDown) await this.injectFault("local", "network-down", false);
    for (const { member } of this.peers.values()) {
      for (const s of [member?.socket, member?.sender]) if (s) await new Promise<void>((r) => s.close(() => r()));
    }
    this.peers.clear();
  }
}

function bindSocket(socket: dgram.Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind({ port, address, exclusive: true }, () => {
      socket.off("error", reject);
      resolve();
    });
  });
}
