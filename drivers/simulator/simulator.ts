// The reference model: a Winsock 2 multipoint service provider on a simulated network.
//
// Hosts run applications (one Winsock instance each); sockets carry a role and a state; joins travel
// over simulated links with a fixed latency and are answered by local roots or by programmable peers.
// Every outcome is derived from that state. Where the two editions of the reference text disagree
// about observable behaviour, `edition` picks the reading (see docs/editions.md); where the texts
// leave a choice open, `choices` makes it (choices.ts). The model is layered along its seams:
//   network.ts  hosts, addresses, ports, sessions and peers, indexed     clock.ts  virtual time
//   state.ts    the records                                              protocols.ts  the catalogue
//   sockets.ts  the socket state machine     joins.ts  the join state machine     this file: the testbed
import {
  ClockHint,
  Driver,
  DriverCapability,
  fail,
  Fault,
  Hex,
  ok,
  PeerBehaviour,
  PeerLog,
  Result,
  Sock,
} from "../driver";
import { decodeSockAddr, encodeSockAddr } from "../sockaddr";
import { ERRORS as E } from "../winsock";
import { DRIVER_CAPABILITIES } from "../capabilities";
import type { Peer } from "./state";
import { JoinModel } from "./joins";

export type { Edition, SimulatorOptions } from "./sockets";

/** The model offers every testbed capability there is. */
const CAPABILITIES: ReadonlySet<DriverCapability> = new Set(DRIVER_CAPABILITIES);

export class Simulator extends JoinModel implements Driver {
  readonly name = "simulator";
  readonly capabilities = CAPABILITIES;
  /** Every call acts before it returns its promise; a blocking one waits on its own (Driver.inOrder). */
  readonly inOrder = true;

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

  protected peer(name: string): Peer {
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

  async advance(ms: number): Promise<ClockHint> {
    this.clock.advance(ms);
    return { nextDueMs: this.clock.nextDueIn() };
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
