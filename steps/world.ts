// The World: one per scenario. It holds a fresh driver, the sockets and peers the scenario named,
// and the last call's result. Steps talk to it in the scenario's words; it talks to the driver.
import { IWorldOptions, World } from "@cucumber/cucumber";
import type {
  CalleeBuffer,
  ClockHint,
  Driver,
  Fault,
  Flowspec,
  Hex,
  JoinLeafArgs,
  JoinLeafOutcome,
  ProtocolInfo,
  Qos,
  Result,
  Sock,
  Testbed,
} from "../drivers/driver";
import { isDriverCapability, isTestbedCapability, protocolTraits, unmetNeeds } from "../drivers/capabilities";
import { sizeOf } from "./sizes";
import { createDriver } from "../drivers/index";
import { testbedFor } from "../drivers/testbed/index";
import { encodeSockAddr, inet, SOCKADDR_IN_SIZE, SOCKADDR_IN6_SIZE } from "../drivers/sockaddr";
import type { Edition } from "../drivers/simulator/simulator";
import { AF_INET6,
  errorName,
  FD_BITS,
  FdEventName,
  JL_BOTH,
  SG_UNCONSTRAINED_GROUP,
  WSA_FLAG_MULTIPOINT_C_LEAF,
  WSA_FLAG_MULTIPOINT_C_ROOT,
  WSA_FLAG_MULTIPOINT_D_LEAF,
  WSA_FLAG_MULTIPOINT_D_ROOT,
} from "../drivers/winsock";


/** A setup call failed: what the scenario checks never happened. The class name is what results.ts reads. */
export class PreconditionNotMet extends Error {
  override name = "PreconditionNotMet";
}

export interface RunParameters {
  driver: string;
  edition: Edition;
  run: string;
  driverOptions?: Record<string, string>;
}

/** Where a socket's network events go, as the scenario registered them. */
type Registration = "none" | "event-select" | "async-select";

export interface NamedSocket {
  sock: Sock;
  host: string;
  role: "c_root" | "c_leaf" | "plain";
  registration: Registration;
  /** Whether calls on it may wait for the network (FIONBIO off, no event registration). */
  blocking: boolean;
}

/** A join the scenario started; blocking ones may still be running. */
export interface JoinRecord {
  socket: string;
  /** The arguments as the driver got them. */
  args: JoinLeafArgs;
  call: Promise<JoinLeafOutcome>;
  outcome?: JoinLeafOutcome;
}

/** What select said about one socket. */
export interface SelectAnswer {
  readable: boolean;
  writable: boolean;
  inError: boolean;
}

export const DEFAULT_HOST = "local";
/** The window message the harness asks WSAAsyncSelect to post. */
export const ASYNC_MESSAGE = 0x8001; // WM_APP + 1
/**
 * On a real clock, how long a Then that expects something to arrive (an event, data, a peer's
 * view) keeps looking. The texts give no delivery time, so a provider that delivers after "the
 * network settles" is not failed for it; only a failing check waits this long.
 */
export const REAL_ARRIVAL_BUDGET_MS = 10_000;

export class JoinLeafWorld extends World<RunParameters> {
  driver!: Driver;
  /** Peers, faults and time: the driver's simulated ones, or the machine's real network. */
  testbed!: Testbed;
  protocol!: ProtocolInfo;
  readonly sockets = new Map<string, NamedSocket>();
  readonly peers = new Map<string, Hex>();
  readonly joins: JoinRecord[] = [];
  /** Result of the last call a When step made. */
  last: { what: string; result: Result<unknown> } | null = null;
  /** Network events collected per socket name (drained from the driver, kept for assertions). */
  readonly seen = new Map<string, Array<{ event: number; error: number }>>();
  /** Hosts where a socket registered with WSAAsyncSelect: the only ones with messages to take. */
  private readonly asyncSelectHosts = new Set<string>();
  /** Faults the scenario injected, lifted again before the sockets are closed. */
  readonly faults: Array<{ host: string; fault: Fault }> = [];
  /** What select said about a socket when the scenario noted it. */
  readonly selectNotes = new Map<string, SelectAnswer>();

  constructor(options: IWorldOptions<RunParameters>) {
    super(options);
  }

  get edition(): Edition {
    return this.parameters.edition;
  }

  /** Set by `start`: the scenario was refused only because no protocol entry has the traits it needs. */
  notApplicable = false;

  async start(needs: string[]): Promise<string | null> {
    this.driver = await createDriver(this.parameters.driver, {
      edition: this.parameters.edition,
      options: this.parameters.driverOptions,
    });
    this.testbed = testbedFor(this.driver);
    const reasons: string[] = [];
    // The testbed's words come from the testbed, the others from the implementation.
    const offered = (n: string) => (isTestbedCapability(n) ? this.testbed.capabilities.has(n) : this.driver.capabilities.has(n as never));
    const missing = needs.filter((n) => isDriverCapability(n) && !offered(n));
    if (missing.length) {
      const why = missing.map((n) => (isTestbedCapability(n) ? this.testbed.whyNot(n) : undefined)).filter((w): w is string => !!w);
      reasons.push(`driver "${this.driver.name}" lacks ${missing.join(", ")}${why.length ? ` (${[...new Set(why)].join("; ")})` : ""}`);
    }
    const protocolNeeds = needs.filter((n) => !isDriverCapability(n));
    const protocols = await this.driver.protocols();
    const fit = protocols.find((p) => unmetNeeds(p, protocolNeeds).length === 0);
    if (!fit) reasons.push(noEntryReason(this.driver.name, protocols, protocolNeeds));
    // Only the provider's protocol entries fell short: the rule is about a feature it does not have.
    this.notApplicable = !missing.length && !fit;
    // Every missing capability and trait is named, not only the first.
    if (reasons.length) return reasons.join("; ");
    this.protocol = fit as ProtocolInfo;
    await this.expectOk("WSAStartup", await this.driver.startup(DEFAULT_HOST));
    return null;
  }

  // ------------------------------------------------------------ names

  socket(name: string): NamedSocket {
    const s = this.sockets.get(name);
    if (!s) throw new Error(`the scenario never created a socket called "${name}"`);
    return s;
  }

  /** The encoded address of a peer or of a named local socket. */
  async addressOf(name: string): Promise<Hex> {
    const peer = this.peers.get(name);
    if (peer) return peer;
    const local = this.sockets.get(name);
    if (!local) throw new Error(`"${name}" is neither a peer nor a socket of this scenario`);
    return this.expectOk(`getsockname("${name}")`, await this.driver.getsockname(local.sock));
  }

  // ------------------------------------------------------------ sockets

  async createSocket(name: string, role: "c_root" | "c_leaf", host = DEFAULT_HOST, newGroup = false): Promise<void> {
    const traits = protocolTraits(this.protocol);
    if (role === "c_root" && !traits.has("rooted-control")) {
      throw new Error(`scenario authoring: a c_root socket needs @needs:rooted-control (protocol ${this.protocol.id} is nonrooted)`);
    }
    if (host !== DEFAULT_HOST) await this.expectOk("WSAStartup", await this.driver.startup(host));
    const control = role === "c_root" ? WSA_FLAG_MULTIPOINT_C_ROOT : WSA_FLAG_MULTIPOINT_C_LEAF;
    const data = role === "c_root" && traits.has("rooted-data") ? WSA_FLAG_MULTIPOINT_D_ROOT : WSA_FLAG_MULTIPOINT_D_LEAF;
    const group = newGroup ? SG_UNCONSTRAINED_GROUP : 0;
    const created = await this.driver.socket({ host, protocol: this.protocol.id, flags: control | data, group });
    const sock = await this.expectOk(`WSASocket for "${name}"`, created);
    this.claim(name, sock, host, false);
    this.sockets.set(name, { sock, host, role, registration: "none", blocking: true });
  }

  async createPlainSocket(name: string): Promise<void> {
    const created = await this.driver.socket({ host: DEFAULT_HOST, protocol: this.protocol.id, flags: 0 });
    const sock = await this.expectOk(`WSASocket for "${name}"`, created);
    this.claim(name, sock, DEFAULT_HOST, false);
    this.sockets.set(name, { sock, host: DEFAULT_HOST, role: "plain", registration: "none", blocking: true });
  }

  /** Names a c_leaf socket the scenario got back; a name given earlier to the same descriptor gives way. */
  adopt(name: string, sock: Sock, host: string, from?: NamedSocket): void {
    this.claim(name, sock, host, true);
    this.sockets.set(name, { sock, host, role: "c_leaf", registration: from?.registration ?? "none", blocking: from?.blocking ?? true });
  }

  /**
   * Other names holding `sock` on `host` give way to `name`. For the same socket under a new name
   * (`carry`) its events go along; for a new socket on a descriptor the provider handed out again
   * after a close, the old name's mode and events were the closed socket's and are dropped.
   */
  private claim(name: string, sock: Sock, host: string, carry: boolean): void {
    for (const [other, s] of [...this.sockets]) {
      if (s.sock !== sock || s.host !== host || other === name) continue;
      this.sockets.delete(other);
      const seen = this.seen.get(other);
      this.seen.delete(other);
      if (seen && carry) this.seenFor(name).push(...seen);
    }
  }

  // ------------------------------------------------------------ joining

  /** Arguments of a join to `target`, with the scenario's table overriding the defaults. */
  async joinArgs(target: string | null, overrides: Record<string, string> = {}): Promise<JoinLeafArgs> {
    const args: JoinLeafArgs = {
      name: target === null ? null : await this.addressOf(target),
      namelen: SOCKADDR_IN_SIZE,
      lpCallerData: null,
      lpCalleeData: null,
      lpSQOS: null,
      lpGQOS: null,
      dwFlags: JL_BOTH,
    };
    for (const [key, value] of Object.entries(overrides)) applyJoinOverride(args, key.trim(), value.trim(), this.protocol);
    return args;
  }

  /** Starts a join; a blocking one keeps running until `finishJoin`. */
  startJoin(socketName: string, args: JoinLeafArgs): JoinRecord {
    const s = this.socket(socketName);
    const record: JoinRecord = { socket: socketName, args, call: this.driver.joinLeaf(s.sock, args) };
    record.call.then((o) => (record.outcome = o)).catch(() => undefined);
    this.joins.push(record);
    return record;
  }

  /** Waits for a join call to return, letting simulated time pass while it blocks. */
  async finishJoin(record: JoinRecord): Promise<JoinLeafOutcome> {
    const outcome = await this.untilSettled(record.call, `WSAJoinLeaf on "${record.socket}"`, this.socket(record.socket).blocking);
    this.last = { what: `WSAJoinLeaf on "${record.socket}"`, result: outcome.result };
    const s = this.socket(record.socket);
    // Keep hold of every new descriptor, named or not, so it is closed after the scenario.
    if (outcome.result.ok && outcome.result.value !== s.sock && !this.nameOf(outcome.result.value)) {
      this.adopt(`${record.socket}#${this.joins.indexOf(record) + 1}`, outcome.result.value, s.host, s);
    }
    return outcome;
  }

  async join(socketName: string, args: JoinLeafArgs): Promise<JoinLeafOutcome> {
    return this.finishJoin(this.startJoin(socketName, args));
  }

  /** Records a join that was made elsewhere (inside a callback) and has already returned. */
  recordJoin(socketName: string, args: JoinLeafArgs, outcome: JoinLeafOutcome): JoinRecord {
    const record: JoinRecord = { socket: socketName, args, call: Promise.resolve(outcome), outcome };
    this.joins.push(record);
    return record;
  }

  lastJoin(socketName?: string): JoinRecord {
    const found = [...this.joins].reverse().find((j) => !socketName || j.socket === socketName);
    if (!found) throw new Error(socketName ? `"${socketName}" never joined` : "no join was made");
    return found;
  }

  async latestCallee(): Promise<CalleeBuffer> {
    const outcome = await this.finishJoin(this.lastJoin());
    if (!outcome.callee) throw new Error("the join passed a NULL lpCalleeData, so there is no callee buffer to read");
    return this.driver.calleeBuffer(outcome.callId);
  }

  /**
   * Lets time pass (in steps) until `call` settles; fails when it never does. A call on a
   * nonblocking socket returns without waiting for the network, so no time is let pass for it:
   * through an agent its answer takes a round trip, and time passing meanwhile would change it.
   */
  async untilSettled<T>(call: Promise<T>, what: string, blocking = true): Promise<T> {
    if (!blocking) return call;
    let settled = false;
    const watched = call.finally(() => (settled = true));
    // When an advance fails first (the agent died), nobody awaits `watched`: an unhandled rejection
    // would surface as an uncaught exception inside the next scenario.
    watched.catch(() => undefined);
    const virtual = this.testbed.capabilities.has("virtual-clock");
    const step = virtual ? 100 : 50;
    const budget = virtual ? 120_000 : 60_000;
    let hint: ClockHint | undefined;
    for (let waited = 0; ; ) {
      await new Promise((r) => setImmediate(r));
      if (settled) return watched;
      if (waited >= budget) throw new Error(`${what} did not return within ${budget} ms`);
      const ms = stride(step, budget - waited, hint);
      hint = this.clockHint(await this.testbed.advance(ms, virtual || undefined));
      waited += ms;
    }
  }

  /** A virtual clock's hint in an advance's answer, when it is one (an agent's is not trusted to be). */
  clockHint(answer: unknown): ClockHint | undefined {
    return readClockHint(answer, this.testbed.capabilities.has("virtual-clock"));
  }

  // ------------------------------------------------------------ events

  async register(name: string, events: FdEventName[], how: Registration): Promise<void> {
    const s = this.socket(name);
    const mask = events.reduce((m, e) => m | (1 << FD_BITS[e]), 0);
    const result =
      how === "event-select" ? await this.driver.eventSelect(s.sock, mask) : await this.driver.asyncSelect(s.sock, ASYNC_MESSAGE, mask);
    await this.expectOk(how === "event-select" ? "WSAEventSelect" : "WSAAsyncSelect", result);
    s.registration = how;
    if (how === "async-select") this.asyncSelectHosts.add(s.host);
    s.blocking = false; // registering for network events makes a socket nonblocking
  }

  /** Collects the events the driver has for every named socket into `seen`. */
  async collectEvents(): Promise<void> {
    // Only a host where WSAAsyncSelect named a window has a window to post to. Each window and each
    // socket is read on its own, so the reads go out together (through an agent, one round trip).
    const watched = [...this.sockets].filter(([, s]) => s.registration === "event-select");
    const [posted, recorded] = await Promise.all([
      Promise.all([...this.asyncSelectHosts].map((host) => this.driver.takeMessages(host))),
      Promise.all(watched.map(([, s]) => this.driver.enumNetworkEvents(s.sock))),
    ]);
    for (const m of posted.flat()) {
      const name = this.nameOf(m.socket);
      if (name) this.seenFor(name).push({ event: m.event, error: m.error });
    }
    for (const [i, [name]] of watched.entries()) {
      const r = recorded[i];
      if (!r.ok) continue; // closed sockets have nothing more to say
      for (const bit of Object.values(FD_BITS)) {
        if (r.value.events & (1 << bit)) this.seenFor(name).push({ event: 1 << bit, error: r.value.errors[bit] ?? 0 });
      }
    }
  }

  /** Asks select about one socket for all three sets. */
  async selectAbout(name: string): Promise<SelectAnswer> {
    const s = this.socket(name).sock;
    const r = await this.expectOk(`select on "${name}"`, await this.driver.select({ read: [s], write: [s], except: [s] }, 0));
    return { readable: r.read.includes(s), writable: r.write.includes(s), inError: r.except.includes(s) };
  }

  /**
   * Before a check that something arrived: on a real clock, lets time pass (50 ms steps, up to
   * REAL_ARRIVAL_BUDGET_MS) until `arrived` says so; on a virtual clock the moment is the
   * scenario's own and nothing waits. The check then runs, and fails, as it would have.
   */
  async untilArrived(arrived: () => Promise<boolean>): Promise<void> {
    if (this.testbed.capabilities.has("virtual-clock")) return;
    for (let waited = 0; !(await arrived()) && waited < REAL_ARRIVAL_BUDGET_MS; waited += 50) await this.testbed.advance(50);
  }

  async eventsOf(name: string, event: FdEventName): Promise<Array<{ error: number }>> {
    await this.collectEvents();
    return this.seenFor(name).filter((e) => e.event === 1 << FD_BITS[event]);
  }

  private seenFor(name: string): Array<{ event: number; error: number }> {
    let list = this.seen.get(name);
    if (!list) this.seen.set(name, (list = []));
    return list;
  }

  nameOf(sock: Sock): string | undefined {
    for (const [name, s] of this.sockets) if (s.sock === sock) return name;
    return undefined;
  }

  // ------------------------------------------------------------ helpers

  /** A call the scenario builds on; when it fails, the rule under test is never reached (results.ts says so). */
  async expectOk<T>(what: string, result: Result<T>): Promise<T> {
    if (!result.ok) throw new PreconditionNotMet(`${what} failed with ${errorName(result.error)} (${result.error}) where the scenario needed it to work`);
    return result.value;
  }

  record(what: string, result: Result<unknown>): void {
    this.last = { what, result };
  }

  lastResult(): { what: string; result: Result<unknown> } {
    if (!this.last) throw new Error("no call has been made yet");
    return this.last;
  }

  describe(result: Result<unknown>): string {
    return result.ok ? `success (${JSON.stringify(result.value)})` : `${errorName(result.error)} (${result.error})`;
  }

  async injectFault(host: string, fault: Fault): Promise<void> {
    await this.testbed.injectFault(host, fault, true);
    this.faults.push({ host, fault });
  }

  /** Closes everything the scenario made, then asks the driver what it still holds. */
  async closeAll(): Promise<Sock[]> {
    if (!this.driver) return [];
    try {
      for (const { host, fault } of this.faults.splice(0)) await this.testbed?.injectFault(host, fault, false);
      // Each socket closes on its own, so the closes go out together. openSockets must see them
      // done and dispose must come last: they go out behind them only to a driver that keeps order.
      const inOrder = this.driver.inOrder === true;
      const closes = [...new Set([...this.sockets.values()].map((s) => s.sock))].map((sock) => this.driver.closesocket(sock));
      if (!inOrder) await Promise.all(closes);
      const leftover = this.driver.openSockets();
      if (!inOrder) await leftover;
      await Promise.all([...closes, leftover, this.driver.dispose()]);
      return await leftover;
    } finally {
      await this.testbed?.dispose();
    }
  }

  /** A sockaddr on the socket's own host: its address, or the wildcard, with `port`. */
  async localName(name: string, port: number, wildcard: boolean): Promise<Hex> {
    const address = wildcard ? "0.0.0.0" : await this.testbed.hostAddress(this.socket(name).host);
    return encodeSockAddr(inet(address, port));
  }
}

/** Peers answer with bytes of this seed, so their data never looks like the caller's. */
export const CALLEE_SEED = 0x40;

/** Why no protocol entry fits: the needs no entry meets, and what the closest entry lacks. */
/** An advance's answer as a ClockHint: only from a virtual clock, and only when well formed. */
export function readClockHint(answer: unknown, virtualClock: boolean): ClockHint | undefined {
  if (!virtualClock || typeof answer !== "object" || answer === null) return undefined;
  const due = (answer as { nextDueMs?: unknown }).nextDueMs;
  return due === null || (typeof due === "number" && Number.isFinite(due) && due >= 0) ? { nextDueMs: due } : undefined;
}

/**
 * How far a waiting loop's next advance may go: one `step`, or, when the virtual clock said when
 * its next delivery falls due, through every idle step up to the one that delivers it (never past
 * `left`). Looking after an idle step would see nothing new: a virtual clock's model changes only
 * when something falls due or the harness calls in, and the loops only look.
 */
export function stride(step: number, left: number, hint: ClockHint | undefined): number {
  if (!hint) return Math.min(step, left);
  if (hint.nextDueMs === null) return left;
  return Math.min(left, Math.max(step, Math.ceil(hint.nextDueMs / step) * step));
}

function noEntryReason(driver: string, protocols: ProtocolInfo[], needs: string[]): string {
  const all = needs.join(" + ") || "multipoint";
  const scored = protocols.map((p) => ({ p, unmet: needs.length ? unmetNeeds(p, needs) : ["multipoint"] }));
  scored.sort((a, b) => a.unmet.length - b.unmet.length);
  const closest = scored[0];
  if (!closest) return `driver "${driver}" has no protocol entry (it needs ${all})`;
  const lacking = closest.unmet.join(" + ");
  return `no protocol entry of driver "${driver}" offers ${all}${lacking === all ? "" : ` (the closest, ${closest.p.id}, lacks ${lacking})`}`;
}

/**
 * Deterministic bytes for "N bytes of data": 0x01, 0x00, 0x03, 0x04, ... so truncation and shifts
 * show. The second byte is zero, so data handled as a C string (cut at its first zero) shows too.
 */
export function patternBytes(n: number, seed = 1): Hex {
  return Buffer.from(Array.from({ length: n }, (_, i) => (i === 1 ? 0 : (seed + i) & 0xff))).toString("hex");
}

const NO_QOS_VALUE = 0xffffffff;
const SERVICETYPE_BESTEFFORT = 1;
/** The port of names the table makes up (ADDR_ANY, an AF_INET6 address). */
const PEER_PORT = 5000;
export function flowspec(tokenRate: number, serviceType = 2 /* SERVICETYPE_CONTROLLEDLOAD */): Flowspec {
  return {
    tokenRate,
    tokenBucketSize: NO_QOS_VALUE,
    peakBandwidth: NO_QOS_VALUE,
    latency: NO_QOS_VALUE,
    delayVariation: NO_QOS_VALUE,
    serviceType,
    maxSduSize: NO_QOS_VALUE,
    minimumPolicedSize: NO_QOS_VALUE,
  };
}

export function qos(sendingRate: number, receivingRate = sendingRate): Qos {
  return { sending: flowspec(sendingRate), receiving: flowspec(receivingRate), providerSpecific: { len: 0, buf: null } };
}

/**
 * The join table's vocabulary (documented in features/README.md):
 *   name | NULL / invalid pointer / ADDR_ANY / an AF_INET6 address      namelen | <int>
 *   caller data | NULL / invalid pointer / <n> bytes / <n> bytes declared as <m>
 *               | the most the protocol allows / more than the protocol allows
 *   callee buffer | NULL / <n> bytes
 *   sending token rate | <int>     receiving token rate | <int>     (lpSQOS; "NULL" for no QOS)
 *   provider-specific QOS | NULL / <n> bytes / <n> bytes declared as <m>          (lpSQOS)
 *   group sending token rate | <int>   group receiving token rate | <int>        (lpGQOS)
 *   group provider-specific QOS | NULL / <n> bytes / <n> bytes declared as <m>    (lpGQOS)
 *   service type | best effort     group service type | best effort
 *   dwFlags | JL_SENDER_ONLY / JL_RECEIVER_ONLY / JL_BOTH
 */
function applyJoinOverride(args: JoinLeafArgs, key: string, value: string, protocol: ProtocolInfo): void {
  const bytes = (v: string) => {
    const m = /^(\d+ bytes?|maxConnectData(?:\/2)? bytes?)(?: declared as (\d+))?$/.exec(v);
    if (!m) throw new Error(`cannot read "${v}" as "<n> bytes", "maxConnectData[/2] bytes" or "<n> bytes declared as <m>"`);
    const n = sizeOf(m[1], protocol.maxConnectData);
    return { len: Number(m[2] ?? n), buf: patternBytes(n) };
  };
  const pointer = (v: string) => (v === "NULL" ? null : v === "invalid pointer" ? ("invalid" as const) : undefined);
  const sqos = () => (args.lpSQOS ??= qos(NO_QOS_VALUE));
  const gqos = () => (args.lpGQOS ??= qos(NO_QOS_VALUE));
  const providerSpecific = (v: string) => (pointer(v) !== undefined ? { len: 0, buf: pointer(v) as null } : bytes(v));
  switch (key) {
    case "name":
      if (value === "ADDR_ANY") {
        args.name = encodeSockAddr(inet("0.0.0.0", PEER_PORT));
        args.namelen = SOCKADDR_IN_SIZE;
      } else if (value === "an AF_INET6 address") {
        args.name = encodeSockAddr({ family: AF_INET6, address: "fd00::7", port: PEER_PORT });
        args.namelen = SOCKADDR_IN6_SIZE;
      } else if (pointer(value) !== undefined) {
        args.name = pointer(value) as null | "invalid";
      } else {
        throw new Error(`name takes NULL, invalid pointer, ADDR_ANY or an AF_INET6 address, not "${value}"`);
      }
      return;
    case "namelen":
      args.namelen = Number(value);
      return;
    case "caller data":
      if (value === "the most the protocol allows") args.lpCallerData = bytes(`${protocol.maxConnectData} bytes`);
      else if (value === "more than the protocol allows") args.lpCallerData = bytes(`${protocol.maxConnectData + 1} bytes`);
      else args.lpCallerData = pointer(value) !== undefined ? (pointer(value) as null | "invalid") : bytes(value);
      return;
    case "callee buffer":
      args.lpCalleeData = value === "NULL" ? null : { len: bytes(value).len };
      return;
    case "sending token rate":
      if (value === "NULL") args.lpSQOS = null;
      else sqos().sending = flowspec(Number(value));
      return;
    case "receiving token rate":
      sqos().receiving = flowspec(Number(value));
      return;
    case "provider-specific QOS":
      sqos().providerSpecific = providerSpecific(value);
      return;
    case "group sending token rate":
      gqos().sending = flowspec(Number(value));
      return;
    case "group receiving token rate":
      gqos().receiving = flowspec(Number(value));
      return;
    case "group provider-specific QOS":
      gqos().providerSpecific = providerSpecific(value);
      return;
    case "service type":
    case "group service type": {
      // "best effort" asks for no guaranteed service, so even a provider without QOS can honour it.
      if (value !== "best effort") throw new Error(`${key} takes "best effort", not "${value}"`);
      const q = key === "service type" ? sqos() : gqos();
      q.sending.serviceType = q.receiving.serviceType = SERVICETYPE_BESTEFFORT;
      return;
    }
    case "dwFlags":
      args.dwFlags = { JL_SENDER_ONLY: 1, JL_RECEIVER_ONLY: 2, JL_BOTH: 4 }[value] ?? Number(value);
      return;
    default:
      throw new Error(`unknown join parameter "${key}" in the scenario's table`);
  }
}

