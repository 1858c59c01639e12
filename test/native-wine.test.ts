// The native driver's own plumbing, checked against Wine's ws2_32 through a real agent process.
// (The suite's scenarios stop at Wine's stub WSAJoinLeaf; these calls reach past it.)
import assert from "node:assert/strict";
import dgram from "node:dgram";
import net from "node:net";
import path from "node:path";
import { test } from "node:test";
import type { Result } from "../drivers/driver";
import { execFileSync } from "node:child_process";
import { WINE_NODE, wineLaneStatus, wineLoader } from "../drivers/native/wine";
import { closeAllConnections, connectRemote } from "../drivers/remote/remote-driver";
import { decodeSockAddr, encodeSockAddr, inet } from "../drivers/sockaddr";
import { ERRORS, FD_BITS, NO_ERROR_SET_SENTINEL, WSA_FLAG_MULTIPOINT_C_LEAF, WSA_FLAG_MULTIPOINT_D_LEAF } from "../drivers/winsock";
import { PACKAGE_ROOT } from "../src/package-root";

const lane = wineLaneStatus();
const BIN = path.join(PACKAGE_ROOT, "bin", "joinleaf.js");
const LAUNCH = `"${WINE_NODE}" "${BIN}" agent --driver native-host --listen 127.0.0.1:0 --ready-file "{readyFile}"`;
const SKIP = lane.ready ? false : `Wine lane not set up: ${!lane.ready && lane.reason} (npm run setup:wine)`;

function value<T>(what: string, r: Result<T>): T {
  if (!r.ok) throw new Error(`${what} failed with ${r.error}`);
  return r.value;
}

test("the native driver under Wine: protocols, sockets, names, events, select, guard bytes", { skip: SKIP }, async () => {
  const d = await connectRemote({ launch: LAUNCH, startTimeoutMs: 120_000 }, "current");
  try {
    assert.equal(d.name, "remote:native");
    assert.match(d.implementation.wine ?? "", /^\d+\./, "the agent reports Wine's version");
    const udp = (await d.protocols()).find((p) => p.name === "UDP/IP");
    assert.ok(udp, "Wine lists a UDP/IP entry");
    value("WSAStartup", await d.startup("local"));

    const s = value("WSASocket", await d.socket({ host: "local", protocol: udp.id, flags: WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF }));
    const name = encodeSockAddr(inet("127.0.0.1", 0));
    value("bind", await d.bind(s, name, 16));
    const bound = decodeSockAddr(value("getsockname", await d.getsockname(s)));
    assert.equal(bound?.address, "127.0.0.1");
    assert.ok((bound?.port ?? 0) > 0, "bind to port 0 picked a port");

    const session = value("a session", await d.definePeer("group", { answer: "session" }));
    const join = await d.joinLeaf(s, { name: session, namelen: 16, lpCallerData: null, lpCalleeData: { len: 8 }, lpSQOS: null, lpGQOS: null, dwFlags: 4 });
    // Wine 8's stub: INVALID_SOCKET and no error code; the sentinel shows it.
    if (!join.result.ok) assert.equal(join.result.error, NO_ERROR_SET_SENTINEL);
    assert.ok(join.callee, "the callee buffer is read back");
    assert.equal(join.callee.guardIntact, true);
    assert.equal(join.callee.len, join.result.ok ? join.callee.len : 8, "a failed join leaves lpCalleeData->len alone");

    value("WSAEventSelect", await d.eventSelect(s, 1 << FD_BITS.FD_READ));
    assert.deepEqual(value("WSAEnumNetworkEvents", await d.enumNetworkEvents(s)).events, 0);
    value("WSAAsyncSelect", await d.asyncSelect(s, 0x8001, 1 << FD_BITS.FD_READ));
    assert.deepEqual(await d.takeMessages("local"), []);
    const sel = value("select", await d.select({ read: [], write: [s], except: [] }, 0));
    assert.deepEqual(sel.write, [s], "an idle UDP socket is writable");

    value("closesocket", await d.closesocket(s));
    assert.deepEqual(await d.openSockets(), []);
    assert.equal((await d.closesocket(s)).ok, false, "a closed descriptor is refused");
  } finally {
    await d.dispose();
    closeAllConnections();
  }
});

// Wine 8's bind reads through a bad name pointer and faults where Windows answers WSAEFAULT:
// exactly the kind of implementation crash the agent process is there to contain.
test("a page fault inside Wine's ws2_32 ends as CRASH, and a fresh agent serves the next call", { skip: SKIP }, async () => {
  const options = { launch: LAUNCH, startTimeoutMs: 120_000 };
  const d = await connectRemote(options, "current");
  try {
    const udp = (await d.protocols()).find((p) => p.name === "UDP/IP");
    assert.ok(udp);
    value("WSAStartup", await d.startup("local"));
    const s = value("WSASocket", await d.socket({ host: "local", protocol: udp.id, flags: 0 }));
    let outcome: string;
    try {
      const r = await d.bind(s, "invalid", 16);
      outcome = r.ok ? "bound" : `error ${r.error}`;
    } catch (e) {
      outcome = (e as Error).message;
    }
    assert.match(outcome, /^(CRASH: |error 10014$)/, `a bad name pointer gave: ${outcome}`);
    const fresh = await connectRemote(options, "current");
    assert.equal(fresh.fault, null);
    assert.ok((await fresh.protocols()).length > 0);
  } finally {
    closeAllConnections();
  }
});

/** Whether `p` is still pending after the agent answered another call (it was asked first). */
async function stillPending(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void p.then(() => (settled = true), () => (settled = true));
  await new Promise((r) => setImmediate(r));
  return !settled;
}

// Wine's WSAJoinLeaf is a stub that never blocks, so blocking calls whose other party is real
// stand in for it: the same call threads carry a blocking join.
test("blocking calls wait on threads of their own while the agent serves the scenario's other calls", { skip: SKIP }, async () => {
  const d = await connectRemote({ launch: LAUNCH, startTimeoutMs: 120_000 }, "current");
  const client = new net.Socket();
  const sender = dgram.createSocket("udp4");
  try {
    const protocols = await d.protocols();
    const tcp = protocols.find((p) => p.name === "TCP/IP");
    const udp = protocols.find((p) => p.name === "UDP/IP");
    assert.ok(tcp && udp, "Wine lists TCP/IP and UDP/IP");
    value("WSAStartup", await d.startup("local"));

    // A blocking accept, then a blocking recv on another socket: both wait at once.
    const l = value("WSASocket", await d.socket({ host: "local", protocol: tcp.id, flags: 0 }));
    value("bind", await d.bind(l, encodeSockAddr(inet("127.0.0.1", 0)), 16));
    value("listen", await d.listen(l, 4));
    const tcpPort = decodeSockAddr(value("getsockname", await d.getsockname(l)))?.port ?? 0;
    const accepting = d.accept(l);

    const u = value("WSASocket", await d.socket({ host: "local", protocol: udp.id, flags: 0 }));
    value("bind", await d.bind(u, encodeSockAddr(inet("127.0.0.1", 0)), 16));
    const udpPort = decodeSockAddr(value("getsockname", await d.getsockname(u)))?.port ?? 0;
    const receiving = d.recv(u, 64);
    // The agent answers while both calls block: on one thread it could not.
    assert.ok((await d.protocols()).length > 0);
    assert.equal(await stillPending(accepting), true, "accept returned before anyone connected");
    assert.equal(await stillPending(receiving), true, "recv returned before any datagram arrived");

    // The other parties act: a connection and a datagram arrive over loopback.
    await new Promise<void>((resolve, reject) => client.once("error", reject).connect(tcpPort, "127.0.0.1", () => resolve()));
    const accepted = value("accept", await accepting);
    assert.ok(accepted !== l, "accept returned a new socket");
    await new Promise<void>((resolve, reject) => sender.send(Buffer.from("joinleaf"), udpPort, "127.0.0.1", (e) => (e ? reject(e) : resolve())));
    assert.equal(value("recv", await receiving), Buffer.from("joinleaf").toString("hex"));

    // A select that waits returns when the listener becomes readable.
    const waiting = d.select({ read: [l], write: [], except: [] }, 20_000);
    assert.equal(await stillPending(waiting), true, "select returned before a second connection");
    const second = new net.Socket();
    await new Promise<void>((resolve, reject) => second.once("error", reject).connect(tcpPort, "127.0.0.1", () => resolve()));
    assert.deepEqual(value("select", await waiting).read, [l]);
    // WSAAccept's condition function runs on the accepting thread, and so does a join made inside it.
    // Each join goes from a fresh socket to a unicast loopback name: no multicast out here.
    const joinArgs = { name: encodeSockAddr(inet("127.0.0.1", udpPort)), namelen: 16, lpCallerData: null, lpCalleeData: { len: 8 }, lpSQOS: null, lpGQOS: null, dwFlags: 4 };
    const outside = value("WSASocket", await d.socket({ host: "local", protocol: udp.id, flags: WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF }));
    const inside = value("WSASocket", await d.socket({ host: "local", protocol: udp.id, flags: WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF }));
    const inner = await d.joinLeaf(outside, joinArgs);
    const withCondition = await d.wsaAccept(l, { verdict: "accept", joinInside: { s: inside, args: joinArgs } });
    const acceptedAgain = value("WSAAccept", withCondition.result);
    assert.ok(acceptedAgain !== l && acceptedAgain !== accepted, "WSAAccept returned a new socket");
    assert.equal(withCondition.callerData, null, "a TCP connect carries no caller data");
    assert.ok(withCondition.joinInside, "the join inside the condition function was made");
    // The same join answers the same inside the condition as outside it (Wine: the stub's answer).
    const same = (r: Result<number>, own: number) => (r.ok ? (r.value === own ? "the same socket" : "a new socket") : r.error);
    assert.equal(same(withCondition.joinInside.result, inside), same(inner.result, outside));
    assert.equal(withCondition.joinInside.callee?.guardIntact, true);
    second.destroy();

    // A blocked call ends when its socket is closed: dispose is never held up by one.
    const u2 = value("WSASocket", await d.socket({ host: "local", protocol: udp.id, flags: 0 }));
    value("bind", await d.bind(u2, encodeSockAddr(inet("127.0.0.1", 0)), 16));
    const orphan = d.recv(u2, 16);
    value("closesocket", await d.closesocket(u2));
    const orphaned = await orphan;
    assert.equal(orphaned.ok, false, "recv on a socket closed under it fails");
  } finally {
    client.destroy();
    sender.close();
    await d.dispose();
    closeAllConnections();
  }
});

test("after the application's last WSACleanup, Winsock answers as not initialised", { skip: SKIP }, async () => {
  const d = await connectRemote({ launch: LAUNCH, startTimeoutMs: 120_000 }, "current");
  try {
    const udp = (await d.protocols()).find((p) => p.name === "UDP/IP");
    assert.ok(udp);
    value("WSAStartup", await d.startup("local"));
    const s = value("WSASocket", await d.socket({ host: "local", protocol: udp.id, flags: WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF }));
    value("WSACleanup", await d.cleanup("local"));
    // One WSACleanup too many: only a process with no reference at all answers WSANOTINITIALISED.
    const again = await d.cleanup("local");
    assert.deepEqual(again, { ok: false, error: ERRORS.WSANOTINITIALISED }, "a WSACleanup with no WSAStartup in force");
    const session = value("a session", await d.definePeer("group", { answer: "session" }));
    const join = await d.joinLeaf(s, { name: session, namelen: 16, lpCallerData: null, lpCalleeData: null, lpSQOS: null, lpGQOS: null, dwFlags: 4 });
    // Wine 8's stub never checks initialisation: INVALID_SOCKET with no error code; Windows says WSANOTINITIALISED.
    assert.equal(join.result.ok, false);
    if (!join.result.ok) assert.ok([ERRORS.WSANOTINITIALISED, NO_ERROR_SET_SENTINEL].includes(join.result.error), `the join failed with ${join.result.error}`);
    // The agent itself still works: its own references were never touched.
    value("WSAStartup", await d.startup("local"));
    value("closesocket", await d.closesocket(s));
  } finally {
    await d.dispose();
    closeAllConnections();
  }
});

const LINUX = process.platform === "linux" ? false : "the Wine lane runs on Linux only";

test("--wine PATH / JOINLEAF_WINE / WINELOADER pick the loader; a path that is no Wine loader is said so in one line", { skip: LINUX }, () => {
  const saved = { JOINLEAF_WINE: process.env.JOINLEAF_WINE, WINELOADER: process.env.WINELOADER };
  try {
    delete process.env.JOINLEAF_WINE;
    process.env.WINELOADER = "/opt/wine-from-env/wine64";
    assert.deepEqual(wineLoader(), { path: "/opt/wine-from-env/wine64", explicit: true });
    process.env.JOINLEAF_WINE = "/opt/wine-joinleaf/wine64";
    assert.deepEqual(wineLoader(), { path: "/opt/wine-joinleaf/wine64", explicit: true }, "JOINLEAF_WINE comes before WINELOADER");
    assert.deepEqual(wineLoader("/opt/given/wine64"), { path: "/opt/given/wine64", explicit: true }, "--wine comes first");
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const status = wineLaneStatus("/bin/ls");
  assert.equal(status.ready, false);
  assert.equal(!status.ready && status.reason, "/bin/ls is not a Wine loader: '/bin/ls --version' does not print a Wine version");
  const missing = wineLaneStatus("/nonexistent/wine64");
  assert.equal(!missing.ready && missing.reason, "/nonexistent/wine64 is not a Wine loader: no executable file there");
  // wine-node.sh says the same, in one line, and runs nothing.
  let stderr = "";
  try {
    execFileSync(WINE_NODE, ["--wine", "/bin/ls", "-e", "0"], { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  } catch (e) {
    stderr = String((e as { stderr?: string }).stderr ?? "");
  }
  assert.equal(stderr, "wine-node.sh: /bin/ls is not a Wine loader: '/bin/ls --version' does not print a Wine version\n");
});
