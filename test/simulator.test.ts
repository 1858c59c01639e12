// The reference model tested directly, not through the features.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { JoinLeafArgs, Result } from "../drivers/driver";
import { GUARD_BYTES, GUARD_FILL, guardIntact } from "../drivers/callee-buffer";
import { Simulator } from "../drivers/simulator/simulator";
import { decodeSockAddr, encodeSockAddr, inet } from "../drivers/sockaddr";
import { ERRORS, FD_BITS, WSA_FLAG_MULTIPOINT_C_LEAF, WSA_FLAG_MULTIPOINT_C_ROOT, WSA_FLAG_MULTIPOINT_D_LEAF, WSA_FLAG_MULTIPOINT_D_ROOT } from "../drivers/winsock";

const ROOT = WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
const LEAF = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`call failed with ${r.error}`);
  return r.value;
}

function joinTo(name: string, extra: Partial<JoinLeafArgs> = {}): JoinLeafArgs {
  return { name, namelen: 16, lpCallerData: null, lpCalleeData: null, lpSQOS: null, lpGQOS: null, dwFlags: 4, ...extra };
}

/** A blocking join returns only when simulated time passes: let it pass until it does. */
async function blockingJoin(sim: Simulator, s: number, args: JoinLeafArgs) {
  let done = false;
  const call = sim.joinLeaf(s, args).finally(() => (done = true));
  for (let i = 0; i < 1000 && !done; i++) {
    await sim.advance(100);
    await new Promise((r) => setImmediate(r));
  }
  return call;
}

async function rootAndPeer(answer: "accept" | "refuse" | "silent", edition: "current" | "legacy" = "current") {
  const sim = new Simulator({ edition });
  await sim.startup("h");
  const root = value(await sim.socket({ host: "h", protocol: "sim-atm-p2mp", flags: ROOT }));
  const peer = value(await sim.definePeer("B", { answer, calleeData: "0102" }));
  return { sim, root, peer };
}

test("sockaddr_in round-trips", () => {
  assert.deepEqual(decodeSockAddr(encodeSockAddr(inet("10.0.0.7", 5000))), inet("10.0.0.7", 5000));
  assert.equal(decodeSockAddr(encodeSockAddr(inet("10.0.0.7", 5000)), 8), undefined);
});

test("a nonblocking root join is pending until the peer answers, then the new socket is usable", async () => {
  const { sim, root, peer } = await rootAndPeer("accept");
  value(await sim.eventSelect(root, 1 << FD_BITS.FD_CONNECT));
  const out = await sim.joinLeaf(root, joinTo(peer));
  const leaf = value(out.result);
  assert.notEqual(leaf, root);
  assert.equal((await sim.send(leaf, "00")).ok, false, "the new descriptor is unusable while pending");
  assert.equal(value(await sim.enumNetworkEvents(root)).events, 0);
  assert.equal((await sim.joinLeaf(root, joinTo(peer))).result.ok, false);
  await sim.advance(100);
  const events = value(await sim.enumNetworkEvents(root));
  assert.equal(events.events, 1 << FD_BITS.FD_CONNECT);
  assert.equal(events.errors[FD_BITS.FD_CONNECT], 0);
  assert.equal((await sim.peerLog("B")).member, true);
});

test("a join to a silent peer times out on the virtual clock, and only then", async () => {
  const { sim, root, peer } = await rootAndPeer("silent");
  value(await sim.eventSelect(root, 1 << FD_BITS.FD_CONNECT));
  await sim.joinLeaf(root, joinTo(peer));
  await sim.advance(14_999);
  assert.equal(value(await sim.enumNetworkEvents(root)).events, 0);
  await sim.advance(1);
  assert.equal(value(await sim.enumNetworkEvents(root)).errors[FD_BITS.FD_CONNECT], ERRORS.WSAETIMEDOUT);
});

test("a blocking join settles only when simulated time passes", async () => {
  const { sim, root, peer } = await rootAndPeer("refuse");
  let settled: number | undefined;
  const call = sim.joinLeaf(root, joinTo(peer)).then((o) => (settled = o.result.ok ? 0 : o.result.error));
  await new Promise((r) => setImmediate(r));
  assert.equal(settled, undefined);
  await sim.advance(50);
  await call;
  assert.equal(settled, ERRORS.WSAECONNREFUSED);
});

test("faults and missing startup come from host state", async () => {
  const { sim, root, peer } = await rootAndPeer("accept");
  await sim.injectFault("h", "network-down", true);
  assert.deepEqual((await sim.joinLeaf(root, joinTo(peer))).result, { ok: false, error: ERRORS.WSAENETDOWN });
  await sim.injectFault("h", "network-down", false);
  await sim.injectFault("h", "no-buffers", true);
  assert.deepEqual((await sim.joinLeaf(root, joinTo(peer))).result, { ok: false, error: ERRORS.WSAENOBUFS });
  value(await sim.cleanup("h"));
  assert.deepEqual((await sim.joinLeaf(root, joinTo(peer))).result, { ok: false, error: ERRORS.WSANOTINITIALISED });
  assert.deepEqual(await sim.openSockets(), [], "WSACleanup closes the host's sockets");
});

test("an unbound leaf is bound by its join, to a unique port", async () => {
  const sim = new Simulator();
  await sim.startup("h");
  const session = value(await sim.definePeer("S", { answer: "session" }));
  const a = value(await sim.socket({ host: "h", protocol: "sim-multicast", flags: LEAF }));
  const b = value(await sim.socket({ host: "h", protocol: "sim-multicast", flags: LEAF }));
  assert.equal((await sim.getsockname(a)).ok, false);
  await blockingJoin(sim, a, joinTo(session));
  await blockingJoin(sim, b, joinTo(session));
  assert.notEqual(value(await sim.getsockname(a)), value(await sim.getsockname(b)));
});

test("callee data larger than the buffer fails the join and writes nothing past it", async () => {
  const { sim, root, peer } = await rootAndPeer("accept");
  const out = await blockingJoin(sim, root, joinTo(peer, { lpCalleeData: { len: 1 } }));
  assert.deepEqual(out.result, { ok: false, error: ERRORS.WSAEFAULT });
  assert.equal((await sim.calleeBuffer(out.callId)).guardIntact, true);
});

test("the guard check notices a write past the declared length", () => {
  const memory = Buffer.alloc(4 + GUARD_BYTES, GUARD_FILL);
  assert.equal(guardIntact(memory, 4), true);
  memory[5] = 0;
  assert.equal(guardIntact(memory, 4), false);
});

test("socket flags must name exactly one role per plane, as the protocol allows", async () => {
  const sim = new Simulator();
  await sim.startup("h");
  const make = (protocol: string, flags: number) => sim.socket({ host: "h", protocol, flags });
  assert.equal((await make("sim-multicast", ROOT)).ok, false, "no c_root on nonrooted control");
  assert.equal((await make("sim-atm-p2mp", WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF)).ok, false);
  assert.equal((await make("sim-atm-p2mp", ROOT)).ok, true);
});

test("the legacy reading turns a nonblocking c_leaf join into WSAEWOULDBLOCK plus a writable socket", async () => {
  const sim = new Simulator({ edition: "legacy" });
  await sim.startup("h");
  const peer = value(await sim.definePeer("R", { answer: "accept" }));
  const leaf = value(await sim.socket({ host: "h", protocol: "sim-atm-p2mp", flags: LEAF }));
  value(await sim.setNonBlocking(leaf, true));
  assert.deepEqual((await sim.joinLeaf(leaf, joinTo(peer))).result, { ok: false, error: ERRORS.WSAEWOULDBLOCK });
  const sets = { read: [], write: [leaf], except: [] };
  assert.deepEqual(value(await sim.select(sets, 0)).write, []);
  await sim.advance(100);
  assert.deepEqual(value(await sim.select(sets, 0)).write, [leaf]);
});

test("1,000 peers of one kind get distinct addresses without running out", async () => {
  const sim = new Simulator();
  await sim.startup("h");
  const seen = new Set<string>();
  for (const answer of ["accept", "session", "unreachable"] as const) {
    for (let i = 0; i < 1000; i++) {
      const addr = value(await sim.definePeer(`${answer}${i}`, { answer }));
      assert.equal(seen.has(addr), false, `address of ${answer}${i} given twice`);
      seen.add(addr);
    }
  }
  // The 1,000th accepting peer is a peer like the first: a root can join it.
  const root = value(await sim.socket({ host: "h", protocol: "sim-atm-p2mp", flags: ROOT }));
  value(await sim.eventSelect(root, 1 << FD_BITS.FD_CONNECT));
  value((await sim.joinLeaf(root, joinTo(value(await sim.definePeer("last", { answer: "accept" }))))).result);
  await sim.advance(100);
  assert.equal(value(await sim.enumNetworkEvents(root)).errors[FD_BITS.FD_CONNECT], 0);
  assert.equal((await sim.peerLog("last")).member, true);
});

test("choices: FD_CLOSE's error code, descriptor numbering and when a session join completes", async () => {
  const sim = new Simulator({
    choices: { fdCloseError: 10054, descriptors: { first: 4, step: 4, reuse: true }, sessionJoin: "at-once" },
  });
  await sim.startup("h");
  const session = value(await sim.definePeer("S", { answer: "session" }));
  const a = value(await sim.socket({ host: "h", protocol: "sim-multicast", flags: LEAF }));
  assert.equal(a, 4);
  value(await sim.eventSelect(a, 1 << FD_BITS.FD_CONNECT));
  value((await sim.joinLeaf(a, joinTo(session))).result);
  assert.equal(value(await sim.enumNetworkEvents(a)).events, 1 << FD_BITS.FD_CONNECT, "completed inside the call");
  value(await sim.closesocket(a));
  assert.equal(value(await sim.socket({ host: "h", protocol: "sim-multicast", flags: LEAF })), 4, "the freed descriptor comes back");

  const closing = new Simulator({ choices: { fdCloseError: 10054 } });
  await closing.startup("h");
  const r = value(await closing.socket({ host: "h", protocol: "sim-atm-p2mp", flags: ROOT }));
  value(await closing.eventSelect(r, (1 << FD_BITS.FD_CONNECT) | (1 << FD_BITS.FD_CLOSE)));
  const peer = value(await closing.definePeer("B", { answer: "accept" }));
  const leaf = value((await closing.joinLeaf(r, joinTo(peer))).result);
  await closing.advance(100);
  value(await closing.enumNetworkEvents(leaf));
  await closing.peerLeave("B");
  await closing.advance(100);
  assert.equal(value(await closing.enumNetworkEvents(leaf)).errors[FD_BITS.FD_CLOSE], 10054);
});

test("a defect changes exactly what it names: callee data past lpCalleeData->len", async () => {
  const sim = new Simulator({ defects: { calleeIgnoresLen: true } });
  await sim.startup("h");
  const root = value(await sim.socket({ host: "h", protocol: "sim-atm-p2mp", flags: ROOT }));
  const peer = value(await sim.definePeer("B", { answer: "accept", calleeData: "010203" }));
  const out = await blockingJoin(sim, root, joinTo(peer, { lpCalleeData: { len: 1 } }));
  assert.equal(out.result.ok, true);
  assert.equal((await sim.calleeBuffer(out.callId)).guardIntact, false);
});
