// The native driver: the driver contract on a real ws2_32.dll through koffi (Windows, or Wine).
//
// It runs only inside an agent process (`joinleaf agent --driver native-host`), so a crash or a
// hang in the implementation ends one scenario as CRASH or TIMEOUT instead of the harness.
// Before every call it plants a sentinel last-error value, so a call that fails without setting
// an error code is reported as exactly that. Every output buffer is followed by guard bytes.
//
// Calls that can block (a join, accept, WSAAccept, send, recv, a select that waits) run on call
// threads of their own (call-thread.ts), each planting and reading the sentinel on its own thread,
// so the agent keeps answering while one waits: a blocking join can wait while the scenario's other
// party acts. Calls that return at once stay on the agent's thread.
//
// WSAStartup references: the process holds some the application never took (Node's own, and the
// driver's, to list the providers), so the application's last WSACleanup cannot leave this process
// uninitialised. While the application holds none, its joins and cleanups run in a child process
// that has dropped every reference of its own (uninitialised.ts): a Winsock really not initialised.
import type {
  AcceptCondition,
  AcceptOutcome,
  AsyncMessage,
  CalleeBuffer,
  Driver,
  DriverCapability,
  Fault,
  Hex,
  HostOptions,
  JoinLeafArgs,
  JoinLeafOutcome,
  NetworkEvents,
  PeerBehaviour,
  PeerLog,
  ProtocolInfo,
  Ptr,
  Qos,
  Result,
  SelectSets,
  Sock,
  SocketOptions,
} from "../driver";
import { GUARD_BYTES, guardIntact, prepareCalleeMemory } from "../callee-buffer";
import { done, fail, ok } from "../driver";
import { encodeSockAddr, inet } from "../sockaddr";
import { CF_ACCEPT, CF_DEFER, CF_REJECT, ERRORS, XP1_CONNECT_DATA, XP1_MULTIPOINT_CONTROL_PLANE, XP1_SUPPORT_MULTIPOINT, FD_MAX_EVENTS, FIONBIO, NO_ERROR_SET_SENTINEL, SIO_GET_QOS, SIO_SET_GROUP_QOS, SIO_SET_QOS } from "../winsock";
import { callThreads, RawJoin, ThreadAnswer, ThreadOp } from "./call-thread";
import { runUninitialised } from "./uninitialised";
import {
  HANDLE,
  INVALID_SOCKET,
  IP_MULTICAST_IF,
  IP_MULTICAST_TTL,
  IPPROTO_IP,
  LAYOUT,
  loadWs2,
  ProtocolInfo as NativeProtocolInfo,
  selectError,
  selectEvent,
  SO_REUSEADDR,
  SOCKET,
  SOCKET_ERROR,
  SOL_SOCKET,
  toPointer,
  toSocket,
  Ws2,
} from "./ws2";

/** A pointer no process owns: Windows answers WSAEFAULT; a weaker implementation may crash (we are in an agent). */
const INVALID_POINTER = 0x10n;
const SO_GROUP_ID = 0x2001;
const ASYNC_MESSAGE_RANGE: [number, number] = [0x0400, 0xbfff]; // WM_USER .. WM_APP range
/** Multicast sessions the driver hands out: administratively scoped, kept on this host. */
const SESSION_BASE = "239.255.77.";
const SESSION_PORT = 47000;

export interface NativeOptions {
  /** Pick the provider under test: a protocol name, a catalog entry id or a provider GUID. */
  provider?: string;
  /**
   * What WSAPROTOCOL_INFO cannot say, from the provider's documentation, as JSON:
   * {"maxConnectData": 64, "rootInitiatedJoins": true, "leafInitiatedJoins": true, "sideChat": false}.
   */
  providerTraits?: string;
}

type ProviderTraits = Partial<Pick<ProtocolInfo, "maxConnectData" | "rootInitiatedJoins" | "leafInitiatedJoins" | "sideChat">>;

export function parseTraits(json: string | undefined): ProviderTraits {
  if (!json) return {};
  let t: unknown;
  try {
    t = JSON.parse(json);
  } catch (e) {
    throw new Error(`--provider-traits is not JSON: ${(e as Error).message}`);
  }
  const known: Record<string, string> = { maxConnectData: "number", rootInitiatedJoins: "boolean", leafInitiatedJoins: "boolean", sideChat: "boolean" };
  if (typeof t !== "object" || t === null || Array.isArray(t)) throw new Error("--provider-traits must be a JSON object");
  for (const [k, v] of Object.entries(t)) {
    if (!(k in known)) throw new Error(`--provider-traits: unknown trait "${k}" (known: ${Object.keys(known).join(", ")})`);
    if (typeof v !== known[k]) throw new Error(`--provider-traits: ${k} must be a ${known[k]}`);
  }
  return t as ProviderTraits;
}

interface CalleeMemory {
  wsabuf: bigint;
  data: bigint;
  capacity: number;
}

/** A join's inputs, built in the driver's memory before the call. */
export interface BuiltJoin {
  callId: number;
  raw: RawJoin;
  hasCallee: boolean;
  inputs: Buffer[];
  before: Buffer[];
}

export class NativeDriver implements Driver {
  readonly name = "native";
  // A real network: nothing here is programmable, and time is real.
  readonly capabilities: ReadonlySet<DriverCapability> = new Set<DriverCapability>();
  /** Calls that cannot wait run on this thread before they return; blocking ones go to call threads (Driver.inOrder). */
  readonly inOrder = true;
  readonly implementation: Record<string, string>;
  private readonly api: Ws2;
  private readonly entries: Array<{ info: ProtocolInfo; native: NativeProtocolInfo }>;
  private readonly open = new Set<Sock>();
  private readonly events = new Map<Sock, HANDLE>();
  private readonly callee = new Map<number, CalleeMemory>();
  private readonly memory: bigint[] = [];
  private window: HANDLE = 0n;
  /** While a join's inputs are being built: views of every piece of them. */
  private inputViews: Buffer[] | null = null;
  private nextCall = 1;
  private nextSession = 1;
  /** WSAStartup references this driver took: its own (listing providers) plus the application's. */
  private started = 0;
  /** The application's own: successful startups less successful cleanups. */
  private appStarted = 0;
  /** Calls still running on a call thread (their memory must outlive them). */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Callee buffers of joins made in the uninitialised child, as it read them back. */
  private readonly childCallee = new Map<number, CalleeBuffer>();

  constructor(options: NativeOptions = {}) {
    this.api = loadWs2();
    const startup = this.api.WSAStartup(0x0202);
    this.started++;
    const all = this.api.WSAEnumProtocolsW(null).protocols;
    const wanted = options.provider?.toLowerCase();
    const picked = all.filter(
      (p) => !wanted || p.szProtocol.toLowerCase() === wanted || String(p.dwCatalogEntryId) === wanted || p.providerId.toLowerCase() === wanted,
    );
    if (wanted && picked.length === 0) {
      throw new Error(`no protocol entry matches provider "${options.provider}"; entries: ${all.map((p) => `${p.szProtocol} (${p.dwCatalogEntryId}, ${p.providerId})`).join("; ")}`);
    }
    const traits = parseTraits(options.providerTraits);
    this.entries = picked.map((native) => ({ native, info: { ...toProtocolInfo(native), ...traits } }));
    this.implementation = {
      winsock: `${startup.data.szDescription} (${startup.data.szSystemStatus})`,
      winsockVersion: `${startup.data.wVersion & 0xff}.${startup.data.wVersion >> 8}`,
      ...wineVersion(this.api),
    };
  }

  /** Runs one Winsock call with the sentinel planted; returns its value and the last error. */
  private call<T>(run: () => T): { value: T; error: number } {
    this.api.WSASetLastError(NO_ERROR_SET_SENTINEL);
    const value = run();
    return { value, error: this.api.WSAGetLastError() };
  }

  private intResult(run: () => number): Result {
    const { value, error } = this.call(run);
    return value === SOCKET_ERROR ? fail(error) : done;
  }

  /** Runs a call that may block on a call thread of its own (sentinel planted and read there). */
  private async blocking<T>(op: ThreadOp): Promise<ThreadAnswer<T>> {
    const call = callThreads().run<T>(op);
    this.inFlight.add(call);
    try {
      return await call;
    } finally {
      this.inFlight.delete(call);
    }
  }

  private alloc(bytes: number, fill = 0): { ptr: bigint; view: Buffer } {
    const k = this.api.koffi;
    const ptr = toPointer(k.alloc("uint8_t", Math.max(1, bytes)));
    const view = Buffer.from(k.view(ptr as never, Math.max(1, bytes)) as ArrayBuffer);
    view.fill(fill);
    this.memory.push(ptr);
    this.inputViews?.push(view);
    return { ptr, view };
  }

  private pointer<T>(p: Ptr<T>, build: (v: T) => bigint): bigint | null {
    if (p === null) return null;
    if (p === "invalid") return INVALID_POINTER;
    return build(p);
  }

  private wsabuf(len: number, buf: bigint | null): bigint {
    const w = this.alloc(LAYOUT.WSABUF.size);
    w.view.writeUInt32LE(len >>> 0, LAYOUT.WSABUF.len);
    w.view.writeBigUInt64LE(buf ?? 0n, LAYOUT.WSABUF.buf);
    return w.ptr;
  }

  private bytes(hex: Hex): bigint {
    const b = Buffer.from(hex, "hex");
    const m = this.alloc(b.length);
    b.copy(m.view);
    return m.ptr;
  }

  private qos(q: Qos): bigint {
    const m = this.alloc(LAYOUT.QOS.size);
    writeQos(m.view, q);
    const ps = q.providerSpecific;
    const buf = ps.buf === null ? 0n : ps.buf === "invalid" ? INVALID_POINTER : this.bytes(ps.buf);
    m.view.writeUInt32LE(ps.len >>> 0, LAYOUT.QOS.ProviderSpecific + LAYOUT.WSABUF.len);
    m.view.writeBigUInt64LE(buf, LAYOUT.QOS.ProviderSpecific + LAYOUT.WSABUF.buf);
    return m.ptr;
  }

  async protocols(): Promise<ProtocolInfo[]> {
    return this.entries.map((e) => ({ ...e.info }));
  }

  async startup(_host: string, options: HostOptions = {}): Promise<Result> {
    const { value } = this.call(() => this.api.WSAStartup(options.version === "1.1" ? 0x0101 : 0x0202));
    if (value.rc !== 0) return fail(value.rc);
    this.started++;
    this.appStarted++;
    callThreads().warm(); // an application at work will soon make a blocking call
    return done;
  }

  async cleanup(_host: string): Promise<Result> {
    // With no reference of the application's left, only a process holding none answers truly.
    if (this.appStarted === 0) return (await runUninitialised({ method: "cleanup" })).result as Result;
    const r = this.intResult(() => this.api.WSACleanup());
    if (r.ok) {
      this.started--;
      this.appStarted--;
    }
    return r;
  }

  async socket(o: SocketOptions): Promise<Result<Sock>> {
    const entry = this.entries.find((e) => e.info.id === o.protocol);
    if (!entry) return fail(ERRORS.WSAEPROTONOSUPPORT);
    const n = entry.native;
    const { value, error } = this.call(() => this.api.WSASocketW(n.iAddressFamily, n.iSocketType, n.iProtocol, n.raw, o.group ?? 0, o.flags));
    if (value === INVALID_SOCKET) return fail(error);
    const s = Number(value);
    this.open.add(s);
    if (n.iSocketType === 2 /* SOCK_DGRAM */) keepMulticastOnHost(this.api, value);
    return ok(s);
  }

  async bind(s: Sock, name: Ptr<Hex>, namelen: number): Promise<Result> {
    const p = this.pointer(name, (h) => this.bytes(h));
    return this.intResult(() => this.api.raw.bind(BigInt(s), p, namelen) as number);
  }

  async setReuseAddress(s: Sock, on: boolean): Promise<Result> {
    return this.intResult(() => this.api.setsockopt(BigInt(s), SOL_SOCKET, SO_REUSEADDR, on ? 1 : 0));
  }

  async listen(s: Sock, backlog: number): Promise<Result> {
    return this.intResult(() => this.api.listen(BigInt(s), backlog));
  }

  async accept(s: Sock): Promise<Result<Sock>> {
    const { value, error } = await this.blocking<{ socket: SOCKET }>({ op: "call", fn: "accept", args: [BigInt(s)] });
    return this.adopt(value.socket, error);
  }

  async wsaAccept(s: Sock, condition: AcceptCondition): Promise<AcceptOutcome> {
    const verdict = { accept: CF_ACCEPT, reject: CF_REJECT, defer: CF_DEFER }[condition.verdict];
    // A join inside the condition function runs on the accepting thread, while the provider waits on it.
    const inner = condition.joinInside ? this.buildJoin(condition.joinInside.s, condition.joinInside.args) : null;
    const answer = await this.blocking<{ socket: SOCKET }>({
      op: "wsaAccept",
      s: BigInt(s),
      condition: { verdict, calleeData: verdict === CF_ACCEPT && condition.calleeData ? condition.calleeData : null, joinInside: inner?.raw ?? null },
    });
    const result = this.adopt(answer.value.socket, answer.error);
    const callerData = answer.callerData ?? null;
    if (!inner || !answer.joinInside) return { result, callerData };
    return { result, callerData, joinInside: this.endJoin(inner, answer.joinInside.socket, answer.joinInside.error) };
  }

  private adopt(socket: SOCKET, error: number): Result<Sock> {
    if (socket === INVALID_SOCKET) return fail(error);
    const s = Number(socket);
    this.open.add(s);
    return ok(s);
  }

  async joinLeaf(s: Sock, a: JoinLeafArgs): Promise<JoinLeafOutcome> {
    if (this.appStarted === 0) {
      // The application cleaned up: the join goes to a process with no WSAStartup in force.
      const child = await runUninitialised({ method: "joinLeaf", s, args: a });
      const callId = this.nextCall++;
      if (child.callee) this.childCallee.set(callId, child.callee);
      return { callId, result: child.result as Result<Sock>, callee: child.callee, inputsUnchanged: child.inputsUnchanged };
    }
    const built = this.buildJoin(s, a);
    const { value, error } = await this.blocking<number | bigint>({ op: "raw", fn: "WSAJoinLeaf", args: built.raw });
    return this.endJoin(built, toSocket(value), error);
  }

  /** The join made on the calling thread (the uninitialised child's way: it has no other party). */
  joinOnThisThread(s: Sock, a: JoinLeafArgs): JoinLeafOutcome {
    const built = this.buildJoin(s, a);
    const { value, error } = this.call(() => this.api.raw.WSAJoinLeaf(...built.raw) as number | bigint);
    return this.endJoin(built, toSocket(value), error);
  }

  /** Every input of a join in memory of ours, with copies to see afterwards whether the call wrote there. */
  private buildJoin(s: Sock, a: JoinLeafArgs): BuiltJoin {
    const callId = this.nextCall++;
    this.inputViews = [];
    const name = this.pointer(a.name, (h) => this.bytes(h));
    const caller = this.pointer(a.lpCallerData, (w) => this.wsabuf(w.len, this.pointer(w.buf, (h) => this.bytes(h))));
    const sqos = a.lpSQOS ? this.qos(a.lpSQOS) : null;
    const gqos = a.lpGQOS ? this.qos(a.lpGQOS) : null;
    const inputs = this.inputViews;
    this.inputViews = null;
    let calleePtr: bigint | null = null;
    if (a.lpCalleeData) {
      const capacity = a.lpCalleeData.len;
      const data = this.alloc(capacity + GUARD_BYTES);
      prepareCalleeMemory(data.view, capacity);
      calleePtr = this.wsabuf(capacity, data.ptr);
      this.callee.set(callId, { wsabuf: calleePtr, data: data.ptr, capacity });
    }
    const before = inputs.map((v) => Buffer.from(v));
    return { callId, raw: [BigInt(s), name, a.namelen, caller, calleePtr, sqos, gqos, a.dwFlags >>> 0], hasCallee: a.lpCalleeData !== null, inputs, before };
  }

  private endJoin(b: BuiltJoin, socket: SOCKET, error: number): JoinLeafOutcome {
    const result = this.adopt(socket, error);
    const inputsUnchanged = b.inputs.every((v, i) => v.equals(b.before[i]));
    return { callId: b.callId, result, callee: b.hasCallee ? this.readCallee(b.callId) : undefined, inputsUnchanged };
  }

  async calleeBuffer(callId: number): Promise<CalleeBuffer> {
    return this.readCallee(callId);
  }

  private readCallee(callId: number): CalleeBuffer {
    const fromChild = this.childCallee.get(callId);
    if (fromChild) return fromChild;
    const m = this.callee.get(callId);
    if (!m) return { len: 0, bytes: "", guardIntact: true };
    const k = this.api.koffi;
    const w = Buffer.from(k.view(m.wsabuf as never, LAYOUT.WSABUF.size) as ArrayBuffer);
    const len = w.readUInt32LE(LAYOUT.WSABUF.len);
    const data = Buffer.from(k.view(m.data as never, m.capacity + GUARD_BYTES) as ArrayBuffer);
    return { len, bytes: data.subarray(0, Math.min(len, m.capacity)).toString("hex"), guardIntact: guardIntact(data, m.capacity) };
  }

  async setNonBlocking(s: Sock, on: boolean): Promise<Result> {
    return this.intResult(() => this.api.ioctlsocket(BigInt(s), FIONBIO, on ? 1 : 0).rc);
  }

  async eventSelect(s: Sock, mask: number): Promise<Result> {
    let event = this.events.get(s);
    if (event === undefined) {
      event = this.api.WSACreateEvent();
      this.events.set(s, event);
    }
    const h = event;
    return this.intResult(() => this.api.WSAEventSelect(BigInt(s), h, mask));
  }

  async enumNetworkEvents(s: Sock): Promise<Result<NetworkEvents>> {
    // A socket returned by a join reports on its parent's event object; NULL asks without resetting one.
    const event = this.events.get(s) ?? 0n;
    const { value, error } = this.call(() => this.api.WSAEnumNetworkEvents(BigInt(s), event));
    if (value.rc === SOCKET_ERROR) return fail(error);
    return ok({ events: value.lNetworkEvents, errors: value.iErrorCode.slice(0, FD_MAX_EVENTS) });
  }

  async asyncSelect(s: Sock, message: number, mask: number): Promise<Result> {
    if (this.window === 0n) {
      const w = this.api.createMessageWindow();
      if (w.hwnd === 0n) return fail(w.error);
      this.window = w.hwnd;
    }
    const hwnd = this.window;
    return this.intResult(() => this.api.WSAAsyncSelect(BigInt(s), hwnd, message, mask));
  }

  async takeMessages(_host: string): Promise<AsyncMessage[]> {
    const out: AsyncMessage[] = [];
    if (this.window === 0n) return out;
    for (let m = this.api.peekMessage(this.window, ...ASYNC_MESSAGE_RANGE); m; m = this.api.peekMessage(this.window, ...ASYNC_MESSAGE_RANGE)) {
      out.push({ socket: Number(m.wParam), message: m.message, event: selectEvent(m.lParam), error: selectError(m.lParam) });
    }
    return out;
  }

  async select(sets: SelectSets, timeoutMs: number): Promise<Result<SelectSets>> {
    const big = (l: Sock[]) => l.map((s) => BigInt(s));
    const args = [big(sets.read), big(sets.write), big(sets.except), timeoutMs] as const;
    // A select that waits runs on a call thread; one that only looks stays here.
    const { value, error } =
      timeoutMs === 0 ? this.call(() => this.api.select(...args)) : await this.blocking<ReturnType<Ws2["select"]>>({ op: "call", fn: "select", args: [...args] });
    if (value.rc === SOCKET_ERROR) return fail(error);
    const num = (l: SOCKET[]) => l.map((s) => Number(s));
    return ok({ read: num(value.read), write: num(value.write), except: num(value.except) });
  }

  async closesocket(s: Sock): Promise<Result> {
    const r = this.intResult(() => this.api.closesocket(BigInt(s)));
    if (r.ok) this.open.delete(s);
    return r;
  }

  async getsockname(s: Sock): Promise<Result<Hex>> {
    const { value, error } = this.call(() => this.api.getsockname(BigInt(s)));
    return value.rc === SOCKET_ERROR ? fail(error) : ok(value.raw.toString("hex"));
  }

  async send(s: Sock, data: Hex): Promise<Result<number>> {
    const { value, error } = await this.blocking<number>({ op: "call", fn: "send", args: [BigInt(s), Buffer.from(data, "hex")] });
    return value === SOCKET_ERROR ? fail(error) : ok(value);
  }

  async recv(s: Sock, capacity: number): Promise<Result<Hex>> {
    const { value, error } = await this.blocking<{ rc: number; data: Uint8Array }>({ op: "call", fn: "recv", args: [BigInt(s), capacity] });
    return value.rc === SOCKET_ERROR ? fail(error) : ok(Buffer.from(value.data).subarray(0, value.rc).toString("hex"));
  }

  async setQos(s: Sock, q: Qos, group: boolean): Promise<Result> {
    const input = Buffer.alloc(LAYOUT.QOS.size);
    writeQos(input, q);
    return this.intResult(() => this.api.WSAIoctl(BigInt(s), group ? SIO_SET_GROUP_QOS : SIO_SET_QOS, input, 0).rc);
  }

  async getQos(s: Sock): Promise<Result<Qos>> {
    const { value, error } = this.call(() => this.api.WSAIoctl(BigInt(s), SIO_GET_QOS, null, LAYOUT.QOS.size));
    if (value.rc === SOCKET_ERROR || !value.output) return fail(error);
    return ok(readQos(value.output));
  }

  async groupId(s: Sock): Promise<Result<number>> {
    const { value, error } = this.call(() => this.api.getsockopt(BigInt(s), SOL_SOCKET, SO_GROUP_ID, 4));
    return value.rc === SOCKET_ERROR ? fail(error) : ok(value.value.readUInt32LE(0));
  }

  async cancelBlockingCall(_host: string): Promise<Result> {
    // Still exported by ws2_32 for Winsock 1.1 applications; Winsock 2 answers WSAEOPNOTSUPP itself.
    const fn = this.api.koffi.load("ws2_32.dll").func("int __stdcall WSACancelBlockingCall()");
    return this.intResult(() => fn() as number);
  }

  async hostAddress(_host: string): Promise<string> {
    return "127.0.0.1";
  }

  /** Only multicast sessions exist on a real network without programmable peers. */
  async definePeer(_name: string, behaviour: PeerBehaviour): Promise<Result<Hex>> {
    if (behaviour.answer !== "session") return fail(ERRORS.WSAEOPNOTSUPP);
    return ok(encodeSockAddr(inet(`${SESSION_BASE}${this.nextSession++}`, SESSION_PORT)));
  }

  async peerLog(name: string): Promise<PeerLog> {
    throw new Error(`the native driver cannot observe peer "${name}": it has no programmable peers`);
  }

  async peerLeave(name: string): Promise<void> {
    throw new Error(`the native driver cannot make peer "${name}" leave`);
  }

  async peerSend(name: string, _data?: Hex, _sideChat?: boolean): Promise<void> {
    throw new Error(`the native driver cannot send as peer "${name}"`);
  }

  async peerRequestJoin(name: string): Promise<void> {
    throw new Error(`the native driver cannot make peer "${name}" ask to join`);
  }

  async injectFault(_host: string, fault: Fault): Promise<void> {
    throw new Error(`the native driver cannot inject "${fault}"`);
  }

  async advance(ms: number): Promise<void> {
    await new Promise((r) => setTimeout(r, Math.min(ms, 1000)));
  }

  async openSockets(): Promise<Sock[]> {
    return [...this.open];
  }

  async dispose(): Promise<void> {
    for (const s of this.open) this.api.closesocket(BigInt(s));
    this.open.clear();
    // Closing the sockets ends the calls still blocked on them; their memory is freed only after.
    const stuck = await settleWithin([...this.inFlight], 5_000);
    for (const e of this.events.values()) this.api.WSACloseEvent(e);
    this.events.clear();
    if (this.window !== 0n) this.api.destroyWindow(this.window);
    this.window = 0n;
    while (this.started > 0 && this.api.WSACleanup() === 0) this.started--;
    this.appStarted = 0;
    // A call that never returned may still write into its inputs: leak them rather than free them.
    const memory = this.memory.splice(0);
    if (!stuck) for (const p of memory) this.api.koffi.free(p as never);
    this.callee.clear();
    this.childCallee.clear();
  }
}

/** Whether some of `calls` were still running after `ms` (true) or all settled (false). */
async function settleWithin(calls: Promise<unknown>[], ms: number): Promise<boolean> {
  if (calls.length === 0) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<true>((r) => (timer = setTimeout(() => r(true), ms)));
  const all = Promise.allSettled(calls).then(() => false as const);
  try {
    return await Promise.race([all, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function toProtocolInfo(n: NativeProtocolInfo): ProtocolInfo {
  return {
    id: `${n.szProtocol.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}-${n.dwCatalogEntryId}`,
    name: n.szProtocol,
    catalogEntryId: n.dwCatalogEntryId,
    providerId: n.providerId,
    addressFamily: n.iAddressFamily,
    socketType: n.iSocketType,
    protocol: n.iProtocol,
    serviceFlags1: n.dwServiceFlags1,
    // WSAPROTOCOL_INFO has no field for these: assumed from the flags, overridable with --provider-traits.
    maxConnectData: n.dwServiceFlags1 & XP1_CONNECT_DATA ? 65535 : 0,
    rootInitiatedJoins: (n.dwServiceFlags1 & XP1_MULTIPOINT_CONTROL_PLANE) !== 0,
    leafInitiatedJoins: (n.dwServiceFlags1 & XP1_SUPPORT_MULTIPOINT) !== 0,
    sideChat: false,
  };
}

const FLOWSPEC_FIELDS = [
  "tokenRate",
  "tokenBucketSize",
  "peakBandwidth",
  "latency",
  "delayVariation",
  "serviceType",
  "maxSduSize",
  "minimumPolicedSize",
] as const;

function writeQos(view: Buffer, q: Qos): void {
  FLOWSPEC_FIELDS.forEach((f, i) => view.writeUInt32LE(q.sending[f] >>> 0, LAYOUT.QOS.SendingFlowspec + 4 * i));
  FLOWSPEC_FIELDS.forEach((f, i) => view.writeUInt32LE(q.receiving[f] >>> 0, LAYOUT.QOS.ReceivingFlowspec + 4 * i));
}

function readQos(view: Buffer): Qos {
  const flow = (base: number) =>
    Object.fromEntries(FLOWSPEC_FIELDS.map((f, i) => [f, view.readUInt32LE(base + 4 * i)])) as unknown as Qos["sending"];
  return {
    sending: flow(LAYOUT.QOS.SendingFlowspec),
    receiving: flow(LAYOUT.QOS.ReceivingFlowspec),
    providerSpecific: { len: view.readUInt32LE(LAYOUT.QOS.ProviderSpecific + LAYOUT.WSABUF.len), buf: null },
  };
}

/** Multicast traffic of the suite stays on this host: loopback interface, TTL 0. */
function keepMulticastOnHost(api: Ws2, s: SOCKET): void {
  const loopback = Buffer.from([127, 0, 0, 1]);
  api.setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, loopback);
  api.setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, 0);
}

function wineVersion(api: Ws2): Record<string, string> {
  try {
    const ntdll = api.koffi.load("ntdll.dll");
    const fn = ntdll.func("const char *wine_get_version()");
    return { wine: String(fn()) };
  } catch {
    return {};
  }
}
