// The simulated network: hosts and their addresses, the socket table, ports, listening roots,
// multicast sessions and peers, each kept in an index so that no call scans every socket or
// every peer (a root with 100,000 leaves costs the same per join as one with ten).
import type { Sock } from "../driver";
import { AF_INET } from "../winsock";
import type { SockAddr } from "../sockaddr";
import type { Choices } from "./choices";
import type { Host, Peer, SimSocket } from "./state";

export type PeerKind = "session" | "unreachable" | "reachable";

export class Network {
  readonly hosts = new Map<string, Host>();
  readonly sockets = new Map<Sock, SimSocket>();
  readonly peers = new Map<string, Peer>();
  /** Listening sockets (few: one per root that admits leaves). */
  readonly listening = new Set<SimSocket>();
  /** Scripted peers by address (each peer has an address of its own). */
  private readonly peersAt = new Map<string, Peer>();
  /** host name + local address + port → how many sockets are bound there (a root and its per-leaf sockets share one). */
  private readonly bound = new Map<string, number>();
  private readonly sessions = new Map<string, Set<SimSocket>>();
  private readonly sessionPeers = new Map<string, Peer[]>();
  private nextDescriptor: number;
  /** Freed descriptors, when the provider reuses them (lowest first). */
  private readonly freed: number[] = [];
  private peerCount = 0;

  constructor(private readonly choices: Choices) {
    this.nextDescriptor = choices.descriptors.first;
  }

  // ------------------------------------------------------------ hosts and addresses

  host(name: string): Host {
    let h = this.hosts.get(name);
    if (!h) {
      h = {
        name,
        address: nth([10, 0, 0], [10, 64], this.hosts.size + 1),
        started: false,
        version: "2.2",
        faults: new Set(),
        blocking: null,
        inCallback: 0,
        messages: [],
        nextPort: this.choices.ephemeralPorts.order === "ascending" ? this.choices.ephemeralPorts.first : this.choices.ephemeralPorts.last,
        reservedBandwidth: 0,
      };
      this.hosts.set(name, h);
    }
    return h;
  }

  /** A fresh address for a peer: never runs out (first 254 of a kind keep their short form). */
  peerAddress(kind: PeerKind): SockAddr {
    const n = ++this.peerCount;
    const address =
      kind === "session" ? nth([239, 1, 0], [239, 2], n) : kind === "unreachable" ? nth([172, 31, 0], [172, 16], n) : nth([10, 0, 1], [10, 128], n);
    return { family: AF_INET, address, port: 5000 };
  }

  // ------------------------------------------------------------ the socket table

  descriptor(): Sock {
    const { step, reuse } = this.choices.descriptors;
    if (reuse && this.freed.length) return this.freed.shift() as Sock;
    const id = this.nextDescriptor;
    this.nextDescriptor += step;
    return id;
  }

  add(sock: SimSocket): void {
    this.sockets.set(sock.id, sock);
    sock.parent?.children?.add(sock);
  }

  /** Takes a socket out of every table; its descriptor may be handed out again. */
  forget(sock: SimSocket): void {
    if (this.sockets.get(sock.id) !== sock) return;
    this.sockets.delete(sock.id);
    sock.parent?.children?.delete(sock);
    this.setLocal(sock, null);
    this.listening.delete(sock);
    this.setSession(sock, null);
    if (this.choices.descriptors.reuse) {
      const i = this.freed.findIndex((d) => d > sock.id);
      this.freed.splice(i < 0 ? this.freed.length : i, 0, sock.id);
    }
  }

  // ------------------------------------------------------------ ports

  /** Binds (or unbinds) a socket; `like` is a socket already bound to the same place (its key is reused). */
  setLocal(sock: SimSocket, local: SimSocket["local"], like?: SimSocket): void {
    if (sock.portKey !== null) {
      const left = (this.bound.get(sock.portKey) ?? 1) - 1;
      if (left) this.bound.set(sock.portKey, left);
      else this.bound.delete(sock.portKey);
    }
    sock.local = local;
    sock.portKey = local ? (like?.portKey ?? portKey(sock.host, local.address, local.port)) : null;
    if (sock.portKey !== null) this.bound.set(sock.portKey, (this.bound.get(sock.portKey) ?? 0) + 1);
  }

  portTaken(h: Host, address: string, port: number, except: SimSocket | null): boolean {
    const key = portKey(h, address, port);
    const count = this.bound.get(key) ?? 0;
    return count > (except?.portKey === key ? 1 : 0);
  }

  /** The next free ephemeral port of the host's address, or null when the range is used up. */
  ephemeralPort(h: Host): number | null {
    const { first, last, order } = this.choices.ephemeralPorts;
    const size = last - first + 1;
    for (let tried = 0; tried < size; tried++) {
      const port = h.nextPort;
      h.nextPort = order === "ascending" ? (port >= last ? first : port + 1) : port <= first ? last : port - 1;
      if (!this.portTaken(h, h.address, port, null)) return port;
    }
    return null;
  }

  // ------------------------------------------------------------ sessions and peers

  setSession(sock: SimSocket, session: string | null): void {
    if (sock.session) this.sessions.get(sock.session)?.delete(sock);
    sock.session = session;
    if (session) {
      let set = this.sessions.get(session);
      if (!set) this.sessions.set(session, (set = new Set()));
      set.add(sock);
    }
  }

  sessionMembers(session: string): Iterable<SimSocket> {
    return this.sessions.get(session) ?? [];
  }

  membersOutside(session: string): readonly Peer[] {
    return this.sessionPeers.get(session) ?? [];
  }

  addPeer(peer: Peer): void {
    this.peers.set(peer.name, peer);
    const key = `${peer.address.address}:${peer.address.port}`;
    if (peer.behaviour.answer === "session") {
      const list = this.sessionPeers.get(key) ?? [];
      list.push(peer);
      this.sessionPeers.set(key, list);
    } else if (!this.peersAt.has(peer.address.address)) this.peersAt.set(peer.address.address, peer);
  }

  /** The scripted (non-session) peer at an address, if any. */
  peerAt(address: string, port: number): Peer | undefined {
    const peer = this.peersAt.get(address);
    return peer?.address.port === port ? peer : undefined;
  }
}

function portKey(h: Host, address: string, port: number): string {
  return `${h.name}\u0000${address}\u0000${port}`;
}

/**
 * The n-th address of a kind: `short.n` for n < 255 (the form addresses always had), else spread
 * over the last three bytes of a wider block starting at `wide` (a.b.0.0 on).
 */
function nth(short: [number, number, number], wide: [number, number], n: number): string {
  if (n < 255) return `${short.join(".")}.${n}`;
  const m = n - 255;
  const second = wide[1] + (m >> 16);
  if (second > 255) throw new Error(`the simulated network has no address left for the ${n}th of a kind`);
  return `${wide[0]}.${second}.${(m >> 8) & 255}.${m & 255}`;
}

export function isMulticast(address: string): boolean {
  const first = parseInt(address, 10); // the first byte of a dotted quad
  return first >= 224 && first <= 239;
}

/** The simulated network routes 10.0.0.0/8 and multicast; anything else has no route. */
export function routable(address: string): boolean {
  return address.startsWith("10.") || isMulticast(address);
}