// Feasibility probe for the Wine lane: what does ws2_32.dll (Wine 8 here, or
// real Windows) do for the calls the WSAJoinLeaf suite needs?
//
//   scripts/setup-wine.sh                       # once
//   WINE_NODE_TIMEOUT=120 scripts/wine-node.sh scripts/wine-smoke.ts > smoke.jsonl
//
// On Windows proper: node -r ts-node/register/transpile-only scripts/wine-smoke.ts
//
// Prints one JSON object per line on fd 1 (fs.writeSync: under Wine,
// process.stdout throws EBADF when it is a pipe). Each probe is isolated: an
// exception is recorded and the next probe runs. Before each probed call the
// thread's last error is set to 0xDEAD (57005), so `err: 57005` means "the call
// did not set an error". Traffic goes only to 127.0.0.1; the multicast group
// address is only ever handed to WSAJoinLeaf (no datagram is sent to it).

import * as fs from "fs";
import * as os from "os";
import {
  AF_INET,
  CF_ACCEPT,
  CF_DEFER,
  CF_REJECT,
  FD_ACCEPT,
  FD_BIT,
  FD_CLOSE,
  FD_CONNECT,
  FD_READ,
  FD_WRITE,
  INVALID_SOCKET,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IP_MULTICAST_IF,
  IP_MULTICAST_LOOP,
  IP_MULTICAST_TTL,
  IPPROTO_IP,
  JL_BOTH,
  JL_RECEIVER_ONLY,
  JL_SENDER_ONLY,
  SIO_GET_QOS,
  SIO_MULTICAST_SCOPE,
  SIO_MULTIPOINT_LOOPBACK,
  SOCK_DGRAM,
  SOCK_STREAM,
  SOCKET,
  WM_USER,
  WSA_FLAG_MULTIPOINT_C_LEAF,
  WSA_FLAG_MULTIPOINT_C_ROOT,
  WSA_FLAG_MULTIPOINT_D_LEAF,
  WSA_FLAG_MULTIPOINT_D_ROOT,
  WSA_FLAG_OVERLAPPED,
  WSA_WAIT_TIMEOUT,
  Ws2,
  XP1_CONNECT_DATA,
  XP1_MULTIPOINT_CONTROL_PLANE,
  XP1_MULTIPOINT_DATA_PLANE,
  XP1_QOS_SUPPORTED,
  XP1_SUPPORT_MULTIPOINT,
  decodeServiceFlags1,
  loadWs2,
  selectError,
  selectEvent,
  sockaddrIn,
  ws2Layouts,
  wsaErrorName,
} from "../drivers/native/ws2";

const MARK = 0xdead;
const GROUP = "239.255.0.1";
const GROUP_PORT = 45678;
const LEAF = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;

function replacer(_k: string, v: unknown): unknown {
  if (typeof v === "bigint") return v === INVALID_SOCKET ? "INVALID_SOCKET" : `0x${v.toString(16)}`;
  if (Buffer.isBuffer(v)) return v.toString("hex");
  // JSON.stringify applies Buffer#toJSON before the replacer sees the value
  if (v && typeof v === "object" && (v as { type?: unknown }).type === "Buffer" && Array.isArray((v as { data?: unknown }).data)) {
    return Buffer.from((v as { data: number[] }).data).toString("hex");
  }
  return v;
}
function emit(obj: Record<string, unknown>): void {
  fs.writeSync(1, JSON.stringify(obj, replacer) + "\n");
}
function errInfo(code: number): { err: number; errName: string } {
  return { err: code, errName: code === MARK ? "UNCHANGED(0xDEAD)" : wsaErrorName(code) };
}

const t0 = Date.now();
let ws: Ws2;

/** Runs a probe; exceptions become {"probe":..., "exception": ...}. */
function probe(name: string, fn: () => Record<string, unknown> | void): void {
  const started = Date.now();
  try {
    const r = fn();
    if (r) emit({ probe: name, ms: Date.now() - started, ...r });
  } catch (e) {
    emit({ probe: name, ms: Date.now() - started, exception: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
}

/** Sets the last error to 0xDEAD, runs call, reads WSAGetLastError. */
function marked<T>(call: () => T): { ret: T; err: number; errName: string } {
  ws.WSASetLastError(MARK);
  const ret = call();
  return { ret, ...errInfo(ws.WSAGetLastError()) };
}

function closeAll(...socks: Array<SOCKET | undefined>): void {
  for (const s of socks) if (s !== undefined && s !== INVALID_SOCKET) ws.closesocket(s);
}

/** TCP listener on 127.0.0.1:ephemeral; returns socket + port. */
function tcpListener(nonBlocking = true): { s: SOCKET; port: number } {
  const s = ws.WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, 0);
  if (s === INVALID_SOCKET) throw new Error(`listener socket: ${wsaErrorName(ws.WSAGetLastError())}`);
  if (ws.bind(s, sockaddrIn("127.0.0.1", 0)) !== 0) throw new Error(`bind: ${wsaErrorName(ws.WSAGetLastError())}`);
  if (ws.listen(s, 8) !== 0) throw new Error(`listen: ${wsaErrorName(ws.WSAGetLastError())}`);
  if (nonBlocking) ws.setNonBlocking(s, true);
  const port = ws.getsockname(s).addr?.port ?? 0;
  return { s, port };
}

/** Non-blocking loopback connect from a fresh TCP socket; waits until the listener is readable. */
function connectTo(listener: SOCKET, port: number): { c: SOCKET; connectRc: number; connectErr: number; listenerReadable: boolean } {
  const c = ws.WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, 0);
  ws.setNonBlocking(c, true);
  const m = marked(() => ws.connect(c, sockaddrIn("127.0.0.1", port)));
  const sel = ws.select([listener], [], [], 3000);
  return { c, connectRc: m.ret, connectErr: m.err, listenerReadable: sel.read.length > 0 };
}

async function main(): Promise<void> {
  emit({
    probe: "environment",
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    osRelease: os.release(),
    wineVersion: wineVersion(),
  });
  probe("layouts", () => {
    const checks = ws2Layouts();
    return { ok: checks.every((c) => c.ok), checks };
  });

  const loadStart = Date.now();
  ws = loadWs2();
  emit({ probe: "loadWs2", ms: Date.now() - loadStart, ok: true });

  probe("WSAStartup", () => {
    const m = marked(() => ws.WSAStartup(0x0202));
    return { rc: m.ret.rc, ...m.ret.data, err: m.err };
  });

  // ------------------------------------------------------------------ protocols
  let multipointProto: Buffer | null = null;
  probe("WSAEnumProtocolsW", () => {
    const r = ws.WSAEnumProtocolsW(null);
    for (const p of r.protocols) {
      const f = p.dwServiceFlags1;
      emit({
        probe: "protocol",
        index: p.index,
        name: p.szProtocol,
        af: p.iAddressFamily,
        type: p.iSocketType,
        protocol: p.iProtocol,
        dwServiceFlags1: `0x${f.toString(16)}`,
        XP1_SUPPORT_MULTIPOINT: (f & XP1_SUPPORT_MULTIPOINT) !== 0,
        XP1_MULTIPOINT_CONTROL_PLANE: (f & XP1_MULTIPOINT_CONTROL_PLANE) !== 0,
        XP1_MULTIPOINT_DATA_PLANE: (f & XP1_MULTIPOINT_DATA_PLANE) !== 0,
        XP1_QOS_SUPPORTED: (f & XP1_QOS_SUPPORTED) !== 0,
        XP1_CONNECT_DATA: (f & XP1_CONNECT_DATA) !== 0,
        flags: decodeServiceFlags1(f),
        dwProviderFlags: `0x${p.dwProviderFlags.toString(16)}`,
        catalogEntryId: p.dwCatalogEntryId,
        providerId: p.providerId,
        chainLen: p.chainLen,
        iVersion: p.iVersion,
        maxSockAddr: p.iMaxSockAddr,
        minSockAddr: p.iMinSockAddr,
        messageSize: p.dwMessageSize,
      });
      if (!multipointProto && p.iAddressFamily === AF_INET && p.iSocketType === SOCK_DGRAM && f & XP1_SUPPORT_MULTIPOINT) {
        multipointProto = p.raw;
      }
    }
    return { rc: r.rc, ...errInfo(r.error), requiredLength: r.requiredLength, count: r.protocols.length };
  });
  probe("WSAEnumProtocolsW(size query)", () => {
    const len = [0];
    const m = marked(() => ws.raw.WSAEnumProtocolsW(null, null, len) as number);
    return { rc: m.ret, err: m.err, errName: m.errName, requiredLength: len[0] };
  });
  probe("WSAEnumProtocolsW([IPPROTO_UDP])", () => {
    const r = ws.WSAEnumProtocolsW([IPPROTO_UDP]);
    return { rc: r.rc, ...errInfo(r.error), names: r.protocols.map((p) => p.szProtocol) };
  });

  // -------------------------------------------------------------- socket creation
  const socketCases: Array<[string, number, number, number, number]> = [
    ["udp plain", AF_INET, SOCK_DGRAM, IPPROTO_UDP, 0],
    ["udp C_LEAF|D_LEAF", AF_INET, SOCK_DGRAM, IPPROTO_UDP, LEAF],
    ["udp OVERLAPPED|C_LEAF|D_LEAF", AF_INET, SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_OVERLAPPED | LEAF],
    ["udp C_ROOT|D_LEAF", AF_INET, SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF],
    ["udp C_LEAF|D_ROOT", AF_INET, SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_ROOT],
    ["udp C_LEAF only", AF_INET, SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_MULTIPOINT_C_LEAF],
    ["tcp C_LEAF|D_LEAF", AF_INET, SOCK_STREAM, IPPROTO_TCP, LEAF],
  ];
  for (const [label, af, type, proto, flags] of socketCases) {
    probe(`WSASocketW(${label})`, () => {
      const m = marked(() => ws.WSASocketW(af, type, proto, null, 0, flags));
      closeAll(m.ret);
      return { flags: `0x${flags.toString(16)}`, socket: m.ret, ok: m.ret !== INVALID_SOCKET, err: m.err, errName: m.errName };
    });
  }
  if (multipointProto) {
    const pi: Buffer = multipointProto;
    probe("WSASocketW(FROM_PROTOCOL_INFO multipoint udp, C_LEAF|D_LEAF)", () => {
      const m = marked(() => ws.WSASocketW(-1, -1, -1, pi, 0, LEAF));
      closeAll(m.ret);
      return { socket: m.ret, ok: m.ret !== INVALID_SOCKET, err: m.err, errName: m.errName };
    });
  } else {
    emit({ probe: "WSASocketW(FROM_PROTOCOL_INFO multipoint udp)", skipped: "no AF_INET SOCK_DGRAM entry with XP1_SUPPORT_MULTIPOINT" });
  }

  // ------------------------------------------------------------------ WSAJoinLeaf
  const group = sockaddrIn(GROUP, GROUP_PORT);
  interface JoinCase {
    label: string;
    flags: number; // WSASocketW flags
    type?: number;
    name: Buffer | null;
    namelen?: number;
    jl?: number;
    prep?: (s: SOCKET) => Record<string, unknown>;
    opts?: Parameters<Ws2["WSAJoinLeaf"]>[3];
    closeFirst?: boolean;
  }
  const joinCases: JoinCase[] = [
    { label: "udp leaf, group, JL_BOTH", flags: LEAF, name: group },
    { label: "udp plain (no multipoint flags), group", flags: 0, name: group },
    { label: "udp leaf, JL_SENDER_ONLY", flags: LEAF, name: group, jl: JL_SENDER_ONLY },
    { label: "udp leaf, JL_RECEIVER_ONLY", flags: LEAF, name: group, jl: JL_RECEIVER_ONLY },
    { label: "udp leaf, dwFlags 0", flags: LEAF, name: group, jl: 0 },
    { label: "udp leaf, dwFlags 0x80 (undefined bit)", flags: LEAF, name: group, jl: 0x80 },
    { label: "udp leaf, NULL name, namelen 16", flags: LEAF, name: null, namelen: 16 },
    { label: "udp leaf, group, namelen 0", flags: LEAF, name: group, namelen: 0 },
    { label: "udp leaf, group, namelen 8 (short)", flags: LEAF, name: group, namelen: 8 },
    { label: "udp C_ROOT|D_LEAF socket (c_root)", flags: WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF, name: group },
    { label: "udp leaf, loopback-ish (IP_MULTICAST_IF=127.0.0.1, LOOP=1, TTL=0)", flags: LEAF, name: group, prep: loopbackish },
    { label: "udp leaf, bound to 127.0.0.1:0 first", flags: LEAF, name: group, prep: (s) => ({ bind: ws.bind(s, sockaddrIn("127.0.0.1", 0)) }) },
    {
      label: "udp leaf, caller data + callee capacity 16 + sqos/gqos",
      flags: LEAF,
      name: group,
      opts: { callerData: Buffer.from("hello"), calleeDataCapacity: 16, sqos: {}, gqos: {} },
    },
    { label: "udp leaf, unicast 127.0.0.1:9 (non-multicast name)", flags: LEAF, name: sockaddrIn("127.0.0.1", 9) },
    { label: "tcp leaf (non-blocking), 127.0.0.1:<closed port 1>", flags: LEAF, type: SOCK_STREAM, name: sockaddrIn("127.0.0.1", 1), prep: (s) => ({ fionbio: ws.setNonBlocking(s, true) }) },
    { label: "closed socket", flags: LEAF, name: group, closeFirst: true },
  ];
  for (const jc of joinCases) {
    probe(`WSAJoinLeaf(${jc.label})`, () => {
      const type = jc.type ?? SOCK_DGRAM;
      const s = ws.WSASocketW(AF_INET, type, type === SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP, null, 0, jc.flags);
      const socketErr = s === INVALID_SOCKET ? ws.WSAGetLastError() : 0;
      const prep = jc.prep && s !== INVALID_SOCKET ? jc.prep(s) : undefined;
      if (jc.closeFirst) ws.closesocket(s);
      ws.WSASetLastError(MARK);
      const r = ws.WSAJoinLeaf(s, jc.name, jc.namelen, { flags: jc.jl ?? JL_BOTH, ...(jc.opts ?? {}) });
      const out: Record<string, unknown> = {
        socketFlags: `0x${jc.flags.toString(16)}`,
        socket: s,
        socketErr: socketErr ? wsaErrorName(socketErr) : undefined,
        prep,
        ret: r.socket,
        ok: r.ok,
        sameAsInput: r.socket === s,
        ...errInfo(r.error),
        calleeDataLen: r.calleeDataLen,
      };
      if (r.ok && r.socket !== s) closeAll(r.socket);
      if (!jc.closeFirst) closeAll(s);
      return out;
    });
  }
  probe("WSAJoinLeaf(INVALID_SOCKET)", () => {
    ws.WSASetLastError(MARK);
    const r = ws.WSAJoinLeaf(INVALID_SOCKET, group, 16, { flags: JL_BOTH });
    return { ret: r.socket, ...errInfo(r.error) };
  });
  probe("WSAIoctl(multipoint ioctls on a leaf udp socket)", () => {
    const s = ws.WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LEAF);
    const one = Buffer.alloc(4);
    one.writeUInt32LE(1, 0);
    const res: Record<string, unknown> = {};
    for (const [name, code, input, outSize] of [
      ["SIO_MULTIPOINT_LOOPBACK(set 1)", SIO_MULTIPOINT_LOOPBACK, one, 0],
      ["SIO_MULTIPOINT_LOOPBACK(get)", SIO_MULTIPOINT_LOOPBACK, null, 4],
      ["SIO_MULTICAST_SCOPE(set 1)", SIO_MULTICAST_SCOPE, one, 0],
      ["SIO_MULTICAST_SCOPE(get)", SIO_MULTICAST_SCOPE, null, 4],
      ["SIO_GET_QOS", SIO_GET_QOS, null, 80],
    ] as Array<[string, number, Buffer | null, number]>) {
      const m = marked(() => ws.WSAIoctl(s, code, input, outSize));
      res[name] = { rc: m.ret.rc, bytesReturned: m.ret.bytesReturned, out: m.ret.output?.subarray(0, m.ret.bytesReturned), err: m.err, errName: m.errName };
    }
    closeAll(s);
    return res;
  });

  // ------------------------------------- WSAEventSelect + WSAEnumNetworkEvents
  probe("WSAEventSelect+connect FD_CONNECT (listening port)", () => eventSelectConnect(true, "connect"));
  probe("WSAEventSelect+connect FD_CONNECT (refused port)", () => eventSelectConnect(false, "connect"));
  probe("WSAEventSelect+WSAJoinLeaf(tcp) FD_CONNECT (listening port)", () => eventSelectConnect(true, "joinleaf"));
  probe("WSAEventSelect FD_ACCEPT on listener", () => {
    const { s: l, port } = tcpListener(false);
    const ev = ws.WSACreateEvent();
    const es = marked(() => ws.WSAEventSelect(l, ev, FD_ACCEPT));
    const c = ws.WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, 0);
    ws.setNonBlocking(c, true);
    ws.connect(c, sockaddrIn("127.0.0.1", port));
    const wait = ws.WSAWaitForMultipleEvents([ev], false, 3000);
    const ne = ws.WSAEnumNetworkEvents(l, ev);
    ws.WSACloseEvent(ev);
    closeAll(c, l);
    return { eventSelect: es, wait, waitTimedOut: wait === WSA_WAIT_TIMEOUT, lNetworkEvents: `0x${ne.lNetworkEvents.toString(16)}`, acceptErr: ne.iErrorCode[FD_BIT.FD_ACCEPT], rc: ne.rc };
  });
  probe("WSAEnumNetworkEvents(bad socket)", () => {
    const m = marked(() => ws.WSAEnumNetworkEvents(INVALID_SOCKET, 0n));
    return { rc: m.ret.rc, err: m.err, errName: m.errName };
  });

  // ------------------------------------------------------ WSAAccept + condition
  probe("WSAAccept(condition CF_ACCEPT)", () => wsaAccept(CF_ACCEPT));
  probe("WSAAccept(condition CF_REJECT)", () => wsaAccept(CF_REJECT));
  probe("WSAAccept(condition CF_DEFER)", () => wsaAccept(CF_DEFER));
  probe("WSAAccept(NULL condition)", () => wsaAccept(null));
  probe("WSAAccept(condition throws)", () => wsaAccept("throw"));
  probe("WSAAccept(nothing pending, non-blocking)", () => {
    const { s: l } = tcpListener(true);
    let called = false;
    const m = marked(() =>
      ws.WSAAccept(l, () => {
        called = true;
        return CF_ACCEPT;
      }),
    );
    closeAll(m.ret.socket, l);
    return { ret: m.ret.socket, err: m.err, errName: m.errName, conditionCalled: called };
  });

  // --------------------------------------------------------- WSAAsyncSelect
  probe("WSAAsyncSelect FD_CONNECT via message-only window", () => {
    const win = ws.createMessageWindow();
    if (win.hwnd === 0n) return { createWindowFailed: true, lastError: win.error };
    const { s: l, port } = tcpListener(false);
    const c = ws.WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, 0);
    const msg = WM_USER + 1;
    const as = marked(() => ws.WSAAsyncSelect(c, win.hwnd, msg, FD_CONNECT | FD_WRITE | FD_CLOSE));
    const cn = marked(() => ws.connect(c, sockaddrIn("127.0.0.1", port)));
    const got: Array<Record<string, unknown>> = [];
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && got.length < 2) {
      const m = ws.waitMessage(win.hwnd, msg, msg, Math.max(1, deadline - Date.now()));
      if (!m) break;
      got.push({ wParam: m.wParam, event: `0x${selectEvent(m.lParam).toString(16)}`, error: selectError(m.lParam) });
    }
    closeAll(c, l);
    ws.destroyWindow(win.hwnd);
    return { hwnd: win.hwnd, asyncSelect: as, connect: cn, messages: got, socket: c };
  });

  // ---------------------------------------------------- plain data path sanity
  probe("udp loopback sendto/recvfrom", () => {
    const a = ws.WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, 0);
    const b = ws.WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, 0);
    ws.bind(b, sockaddrIn("127.0.0.1", 0));
    const port = ws.getsockname(b).addr?.port ?? 0;
    const sent = ws.sendto(a, Buffer.from("ping"), sockaddrIn("127.0.0.1", port));
    const sel = ws.select([b], [], [], 2000);
    const r = sel.read.length ? ws.recvfrom(b, 64) : null;
    closeAll(a, b);
    return { sent, readable: sel.read.length > 0, recv: r ? { rc: r.rc, data: r.data.toString(), from: r.from } : null };
  });
  probe("tcp loopback send/recv after accept", () => {
    const { s: l, port } = tcpListener(true);
    const k = connectTo(l, port);
    const a = ws.accept(l);
    const sel = ws.select([], [k.c], [], 2000);
    const sent = ws.send(k.c, Buffer.from("hello"));
    const rsel = ws.select([a.socket], [], [], 2000);
    const r = ws.recv(a.socket, 64);
    closeAll(k.c, a.socket, l);
    return { accepted: a.socket !== INVALID_SOCKET, peer: a.addr, clientWritable: sel.write.length > 0, sent, readable: rsel.read.length > 0, recv: r.data.toString() };
  });

  // ------------------------------------------- koffi async call under Wine
  await probeAsync("WSAWaitForMultipleEventsAsync (koffi worker thread) FD_CONNECT", async () => {
    const { s: l, port } = tcpListener(false);
    const c = ws.WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, 0);
    const ev = ws.WSACreateEvent();
    ws.WSAEventSelect(c, ev, FD_CONNECT);
    const pending = ws.WSAWaitForMultipleEventsAsync([ev], false, 3000);
    const cn = marked(() => ws.connect(c, sockaddrIn("127.0.0.1", port)));
    const wait = await pending;
    const ne = ws.WSAEnumNetworkEvents(c, ev);
    ws.WSACloseEvent(ev);
    closeAll(c, l);
    return { connect: cn, wait, lNetworkEvents: `0x${ne.lNetworkEvents.toString(16)}`, connectErr: ne.iErrorCode[FD_BIT.FD_CONNECT] };
  });
  await probeAsync("WSAWaitForMultipleEventsAsync timeout 200ms", async () => {
    const ev = ws.WSACreateEvent();
    const started = Date.now();
    let timerFiredAt = -1;
    const timer = setTimeout(() => (timerFiredAt = Date.now() - started), 50);
    const wait = await ws.WSAWaitForMultipleEventsAsync([ev], false, 200);
    clearTimeout(timer);
    ws.WSACloseEvent(ev);
    // a 50 ms JS timer firing before the 200 ms wait ends shows the JS thread stayed free
    return { wait, waitTimedOut: wait === WSA_WAIT_TIMEOUT, elapsedMs: Date.now() - started, jsTimerFiredAtMs: timerFiredAt };
  });

  // ------------------------------------------------------------------ cleanup
  probe("WSACleanup", () => {
    const m = marked(() => ws.WSACleanup());
    return { rc: m.ret, err: m.err, errName: m.errName };
  });
  probe("WSAJoinLeaf after WSACleanup", () => {
    ws.WSASetLastError(MARK);
    const r = ws.WSAJoinLeaf(0x100n, group, 16, { flags: JL_BOTH });
    return { ret: r.socket, ...errInfo(r.error) };
  });
  probe("WSASocketW after WSACleanup", () => {
    const m = marked(() => ws.WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LEAF));
    closeAll(m.ret);
    return { ret: m.ret, err: m.err, errName: m.errName };
  });
  probe("WSACleanup until it fails (libuv holds its own WSAStartup)", () => {
    const calls: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 6; i++) {
      const m = marked(() => ws.WSACleanup());
      calls.push({ rc: m.ret, err: m.err, errName: m.errName });
      if (m.ret !== 0) break;
    }
    const sock = marked(() => ws.WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LEAF));
    closeAll(sock.ret);
    ws.WSASetLastError(MARK);
    const jl = ws.WSAJoinLeaf(0x100n, group, 16, { flags: JL_BOTH });
    const restart = ws.WSAStartup(0x0202).rc;
    return { calls, thenWSASocketW: { ret: sock.ret, err: sock.err, errName: sock.errName }, thenWSAJoinLeaf: { ret: jl.socket, ...errInfo(jl.error) }, restartRc: restart };
  });
  emit({ probe: "done", totalMs: Date.now() - t0 });
}

async function probeAsync(name: string, fn: () => Promise<Record<string, unknown>>): Promise<void> {
  const started = Date.now();
  try {
    const r = await fn();
    emit({ probe: name, ms: Date.now() - started, ...r });
  } catch (e) {
    emit({ probe: name, ms: Date.now() - started, exception: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
}

function loopbackish(s: SOCKET): Record<string, unknown> {
  const lo = Buffer.from([127, 0, 0, 1]);
  return {
    IP_MULTICAST_IF: marked(() => ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, lo)),
    IP_MULTICAST_LOOP: marked(() => ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, 1)),
    IP_MULTICAST_TTL: marked(() => ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, 0)),
  };
}

function eventSelectConnect(listening: boolean, how: "connect" | "joinleaf"): Record<string, unknown> {
  let l: SOCKET | undefined;
  let port = 1; // tcpmux: nothing listens there on loopback
  if (listening) ({ s: l, port } = tcpListener(false));
  const c = ws.WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, how === "joinleaf" ? LEAF : 0);
  const ev = ws.WSACreateEvent();
  const es = marked(() => ws.WSAEventSelect(c, ev, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE));
  let call: Record<string, unknown>;
  if (how === "connect") {
    const m = marked(() => ws.connect(c, sockaddrIn("127.0.0.1", port)));
    call = { connect: m.ret, err: m.err, errName: m.errName };
  } else {
    ws.WSASetLastError(MARK);
    const r = ws.WSAJoinLeaf(c, sockaddrIn("127.0.0.1", port), 16, { flags: JL_BOTH });
    call = { joinLeaf: r.socket, sameAsInput: r.socket === c, ...errInfo(r.error) };
  }
  const wait = ws.WSAWaitForMultipleEvents([ev], false, 3000);
  const ne = marked(() => ws.WSAEnumNetworkEvents(c, ev));
  const wait2 = ws.WSAWaitForMultipleEvents([ev], false, 0);
  ws.WSACloseEvent(ev);
  closeAll(c, l);
  return {
    event: ev,
    eventSelect: es,
    call,
    wait,
    waitTimedOut: wait === WSA_WAIT_TIMEOUT,
    enum: { rc: ne.ret.rc, err: ne.err },
    lNetworkEvents: `0x${ne.ret.lNetworkEvents.toString(16)}`,
    FD_CONNECT: (ne.ret.lNetworkEvents & FD_CONNECT) !== 0,
    connectErr: ne.ret.iErrorCode[FD_BIT.FD_CONNECT],
    connectErrName: wsaErrorName(ne.ret.iErrorCode[FD_BIT.FD_CONNECT]),
    iErrorCode: ne.ret.iErrorCode,
    eventResetAfterEnum: wait2 === WSA_WAIT_TIMEOUT,
  };
}

function wsaAccept(mode: number | null | "throw"): Record<string, unknown> {
  const { s: l, port } = tcpListener(true);
  const k = connectTo(l, port);
  const calls: Array<Record<string, unknown>> = [];
  const cond =
    mode === null
      ? null
      : (a: Parameters<Parameters<Ws2["WSAAccept"]>[1] & object>[0]): number => {
          calls.push({
            callerId: a.callerId ? { len: a.callerIdLen, addr: a.callerId.length >= 8 ? `${a.callerId[4]}.${a.callerId[5]}.${a.callerId[6]}.${a.callerId[7]}:${a.callerId.readUInt16BE(2)}` : a.callerId } : null,
            callerData: a.callerData ?? (a.callerDataLen === null ? null : { len: a.callerDataLen }),
            sqos: a.sqos,
            gqos: a.gqos,
            calleeId: a.calleeId ? { len: a.calleeIdLen, hex: a.calleeId } : null,
            calleeData: a.calleeDataLen === null ? null : { len: a.calleeDataLen },
            group: a.groupPtr,
            callbackData: a.callbackData,
          });
          if (mode === "throw") throw new Error("condition threw");
          return mode;
        };
  let thrown: string | undefined;
  const m = marked(() => {
    try {
      return ws.WSAAccept(l, cond, 0x1234n);
    } catch (e) {
      // koffi hands 0 (= CF_ACCEPT) to the native caller, then rethrows here
      thrown = e instanceof Error ? e.message : String(e);
      return { socket: INVALID_SOCKET, addr: null, addrlen: 0 };
    }
  });
  // a second attempt shows what happened to the pending connection
  const again = marked(() => ws.WSAAccept(l, cond ? () => CF_ACCEPT : null, 0n));
  const clientSel = ws.select([k.c], [], [], 500);
  const clientRecv = clientSel.read.length ? marked(() => ws.recv(k.c, 16)) : null;
  closeAll(m.ret.socket, again.ret.socket, k.c, l);
  return {
    connect: { rc: k.connectRc, err: k.connectErr, listenerReadable: k.listenerReadable },
    ret: thrown === undefined ? m.ret.socket : "unknown (exception)",
    exception: thrown,
    accepted: thrown === undefined ? m.ret.socket !== INVALID_SOCKET : undefined,
    addr: m.ret.addr,
    err: m.err,
    errName: m.errName,
    conditionCalls: calls,
    secondWSAAccept: { ret: again.ret.socket, err: again.err, errName: again.errName },
    clientAfter: clientRecv ? { rc: clientRecv.ret.rc, err: clientRecv.err, errName: clientRecv.errName } : "not readable",
  };
}

function wineVersion(): string | null {
  if (process.platform !== "win32") return null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const koffi = require("koffi") as typeof import("koffi");
    const ntdll = koffi.load("ntdll.dll");
    const fn = ntdll.func("const char *wine_get_version()");
    return fn() as string;
  } catch {
    return null; // real Windows: ntdll has no wine_get_version
  }
}

main().catch((e: unknown) => {
  emit({ probe: "fatal", exception: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ""}` : String(e) });
  process.exitCode = 1;
});
