// The agent under load and under attack: pipelined bursts, big answers, junk and idle TCP clients,
// oversized allocations, and the protocol's edge cases (ids past 2^53, \r at the limit, --listen forms).
import assert from "node:assert/strict";
import { ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { AgentSession, isLoopback, parseListen, serveTcp } from "../src/agent";
import { LineSplitter, MAX_CALLEE_BYTES, MAX_MESSAGE_BYTES } from "../drivers/remote/protocol";
import { PACKAGE_ROOT } from "../src/package-root";

const BIN = path.join(PACKAGE_ROOT, "bin", "joinleaf.js");
const HELLO = { protocol: "joinleaf-driver", versions: [1] };
const line = (id: number | string, method: string, params: unknown = {}) => `{"id":${id},"method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}\n`;

/** The real agent binary over stdio; `lines` collects every answer line as it arrives. */
function stdioAgent(): { child: ChildProcessWithoutNullStreams; lines: string[]; until(n: number, ms?: number): Promise<void> } {
  const child = spawn(process.execPath, [BIN, "agent"], { stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l), () => lines.push("<<over the limit>>"), 64 * MAX_MESSAGE_BYTES);
  child.stdout.on("data", (c: Buffer) => splitter.push(c));
  const until = async (n: number, ms = 60_000) => {
    const end = Date.now() + ms;
    while (lines.length < n && Date.now() < end && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
  };
  return { child, lines, until };
}

test("a pipelined burst of 20,000 requests over stdio, sent in one write and read slowly, is answered line for line", { timeout: 120_000 }, async () => {
  const a = stdioAgent();
  const N = 20_000;
  let burst = line(0, "hello", HELLO);
  for (let i = 1; i <= N; i++) burst += i % 2 ? line(i, "advance", { ms: 0 }) : line(i, "openSockets");
  a.child.stdout.pause(); // let the agent's stdout pipe fill up: its writes must wait, not fail or split
  a.child.stdin.write(burst);
  await new Promise((r) => setTimeout(r, 500));
  a.child.stdout.resume();
  await a.until(N + 1);
  a.child.stdin.end();
  const code = await new Promise((r) => a.child.on("exit", r));
  assert.equal(code, 0, "the agent lived through the burst and left cleanly");
  assert.equal(a.lines.length, N + 1);
  const ids = a.lines.map((l) => JSON.parse(l) as { id: number; result?: unknown; error?: unknown });
  assert.ok(ids.every((m) => "result" in m), "every request got a result");
  assert.deepEqual(ids.map((m) => m.id).sort((x, y) => x - y), Array.from({ length: N + 1 }, (_, i) => i));
});

test("answers of more than 250 KB come through whole, each on its own line", { timeout: 60_000 }, async () => {
  const a = stdioAgent();
  a.child.stdin.write(line(1, "hello", HELLO) + line(2, "protocols"));
  await a.until(2);
  const atm = (JSON.parse(a.lines[1]).result as Array<{ id: string; rootInitiatedJoins: boolean }>).find((p) => p.rootInitiatedJoins)!.id;
  a.child.stdin.write(line(3, "startup", { host: "local" }) + line(4, "socket", { options: { host: "local", protocol: atm, flags: 0x02 | 0x08 } }));
  await a.until(4);
  const root = JSON.parse(a.lines[3]).result.value as number;
  a.child.stdin.write(line(5, "setNonBlocking", { s: root, on: true }) + line(6, "definePeer", { name: "B", behaviour: { answer: "silent" } }));
  await a.until(6);
  const peer = JSON.parse(a.lines[5]).result.value as string;
  const args = { name: peer, namelen: 16, lpCallerData: null, lpCalleeData: { len: MAX_CALLEE_BYTES }, lpSQOS: null, lpGQOS: null, dwFlags: 4 };
  a.child.stdin.write(line(7, "joinLeaf", { s: root, args }));
  await a.until(7);
  const join = JSON.parse(a.lines[6]).result as { callId: number; callee: { bytes: string } };
  assert.equal(join.callee.bytes.length, 2 * MAX_CALLEE_BYTES, "the join's own answer carries the whole unwritten buffer");
  const K = 20;
  let burst = "";
  for (let i = 0; i < K; i++) burst += line(100 + i, "calleeBuffer", { callId: join.callId }) + line(200 + i, "openSockets");
  a.child.stdout.pause();
  a.child.stdin.write(burst);
  await new Promise((r) => setTimeout(r, 300));
  a.child.stdout.resume();
  await a.until(7 + 2 * K);
  a.child.stdin.end();
  await new Promise((r) => a.child.on("exit", r));
  const big = a.lines.slice(7).map((l) => JSON.parse(l) as { id: number; result: { bytes?: string } });
  assert.equal(big.length, 2 * K);
  for (const m of big.filter((x) => x.id < 200)) {
    assert.ok(a.lines[7 + big.indexOf(m)].length > 250_000);
    assert.equal(m.result.bytes, "cc".repeat(MAX_CALLEE_BYTES), `answer ${m.id} is whole`);
  }
});

test("ids above 2^53 come back as sent; a \\r after a line of exactly the limit does not make it too long", async () => {
  const out: string[] = [];
  const s = new AgentSession({ driver: "simulator", edition: "current" }, (t) => out.push(t), false);
  s.splitter.push(Buffer.from(line("123456789012345678901234567890", "hello", HELLO)));
  s.splitter.push(Buffer.from(line("9007199254740993", "openSockets") + line("-9007199254740993", "fly")));
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(out.some((o) => o.startsWith('{"id":123456789012345678901234567890,"result":{"protocol"')), out.join(""));
  assert.ok(out.includes('{"id":9007199254740993,"result":[]}\n'), out.join(""));
  assert.ok(out.some((o) => o.startsWith('{"id":-9007199254740993,"error":{"code":"unknown-method"')), out.join(""));

  const lines: string[] = [];
  let oversize = 0;
  const split = new LineSplitter((l) => lines.push(l), () => oversize++, 10);
  split.push(Buffer.from("0123456789\r\n0123456789\n01234567890\n012345678\r9\n"));
  assert.deepEqual(lines, ["0123456789", "0123456789"]);
  assert.equal(oversize, 2, "eleven bytes without \\r, or with it in the middle, are one too many");
});

test("a callee buffer over the protocol's limit is refused as invalid-params, at once and without allocating it", async () => {
  const out: Array<{ id: number; error?: { code: string; message: string } }> = [];
  const s = new AgentSession({ driver: "simulator", edition: "current" }, (t) => out.push(JSON.parse(t)), false);
  const before = process.memoryUsage().arrayBuffers;
  s.splitter.push(Buffer.from(line(1, "hello", HELLO) + line(2, "startup", { host: "local" })));
  await new Promise((r) => setTimeout(r, 50));
  const args = { name: "02001388" + "7f000001" + "0".repeat(16), namelen: 16, lpCallerData: null, lpSQOS: null, lpGQOS: null, dwFlags: 4 };
  for (const len of [2 ** 31, 4294967295, MAX_CALLEE_BYTES + 1]) {
    const started = Date.now();
    await s.handle(line(3, "joinLeaf", { s: 1, args: { ...args, lpCalleeData: { len } } }).trim());
    assert.ok(Date.now() - started < 1_000);
    const answer = out[out.length - 1];
    assert.equal(answer.error?.code, "invalid-params", `len ${len}: ${JSON.stringify(answer)}`);
    assert.match(answer.error!.message, new RegExp(`${MAX_CALLEE_BYTES}`));
  }
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024, "no buffer of that size was made");
  await s.close();
});

/** Connects and collects what the agent says until it closes the connection. */
function client(port: number, host = "127.0.0.1") {
  const socket = net.connect(port, host);
  let got = "";
  let closedAt = 0;
  socket.on("data", (d) => (got += d));
  socket.on("error", () => undefined);
  const closed = new Promise<void>((r) => socket.on("close", () => ((closedAt = Date.now()), r())));
  return { socket, closed, text: () => got, closedAt: () => closedAt };
}

test("an idle unauthenticated TCP connection is closed after the hello timeout; a logged-in one stays", async () => {
  const agent = await serveTcp({ driver: "simulator", edition: "current", token: "t0k" }, "127.0.0.1", 0, undefined, { helloTimeoutMs: 300 });
  try {
    const started = Date.now();
    const idle = client(agent.port);
    const good = client(agent.port);
    good.socket.write(line(1, "hello", { ...HELLO, token: "t0k" }));
    await idle.closed;
    assert.ok(idle.closedAt() - started >= 250, "not before the timeout");
    assert.match(idle.text(), /no successful hello within 300 ms/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(good.closedAt(), 0, "the logged-in connection is still open");
    good.socket.write(line(2, "openSockets"));
    await new Promise((r) => setTimeout(r, 100));
    assert.match(good.text(), /"id":2,"result":\[\]/);
    good.socket.destroy();
  } finally {
    await agent.close();
  }
});

test("a logged-in TCP connection that keeps talking outlives the idle timeout; once quiet for that long, it is closed", async () => {
  // Talking every 50 ms against a 600 ms limit: a loaded machine would have to stall half a second to close it wrongly.
  const IDLE = 600;
  const agent = await serveTcp({ driver: "simulator", edition: "current", token: "t0k" }, "127.0.0.1", 0, undefined, { idleTimeoutMs: IDLE });
  try {
    const talker = client(agent.port);
    const quiet = client(agent.port);
    talker.socket.write(line(1, "hello", { ...HELLO, token: "t0k" }));
    quiet.socket.write(line(1, "hello", { ...HELLO, token: "t0k" }));
    const started = Date.now();
    let lastSent = started;
    for (let id = 2; Date.now() - started < 2 * IDLE; id++) {
      talker.socket.write(line(id, "openSockets"));
      lastSent = Date.now();
      await new Promise((r) => setTimeout(r, 50));
    }
    await quiet.closed;
    assert.ok(quiet.closedAt() - started >= IDLE - 50, "the quiet one was closed before its idle time was up");
    assert.equal(talker.closedAt(), 0, "the connection that kept talking was closed");
    await talker.closed;
    assert.ok(talker.closedAt() - lastSent >= IDLE - 5, `closed ${talker.closedAt() - lastSent} ms after it fell quiet, before its ${IDLE} ms`);
  } finally {
    await agent.close();
  }
});

test("junk before hello is cut off at the pre-hello limit and does not hold up a logged-in client", { timeout: 30_000 }, async () => {
  const agent = await serveTcp({ driver: "simulator", edition: "current", token: "t0k" }, "127.0.0.1", 0);
  try {
    const attackers = Array.from({ length: 20 }, () => client(agent.port));
    const junk = Buffer.alloc(2 * 1024 * 1024, "x");
    for (const a of attackers) a.socket.write(junk);
    const good = client(agent.port);
    const started = Date.now();
    good.socket.write(line(1, "hello", { ...HELLO, token: "t0k" }));
    while (!good.text().includes("\n") && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 5));
    assert.match(good.text(), /"id":1,"result":\{"protocol":"joinleaf-driver"/);
    assert.ok(Date.now() - started < 2_000, `the logged-in client waited ${Date.now() - started} ms`);
    await Promise.all(attackers.map((a) => a.closed));
    assert.ok(attackers.every((a) => /bytes before a successful hello/.test(a.text()) || a.text() === ""), "every junk sender was cut off");
    good.socket.destroy();
  } finally {
    await agent.close();
  }
});

test("connections waiting for hello are capped: a new one closes the oldest", async () => {
  const agent = await serveTcp({ driver: "simulator", edition: "current", token: "t0k" }, "127.0.0.1", 0, undefined, { maxUngreeted: 3 });
  try {
    const first = client(agent.port);
    await new Promise((r) => setTimeout(r, 50));
    const rest = Array.from({ length: 3 }, () => client(agent.port));
    await first.closed;
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(rest.every((c) => c.closedAt() === 0));
    for (const c of rest) c.socket.destroy();
  } finally {
    await agent.close();
  }
});

test("the ready file is readable by its owner only", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "joinleaf-ready-"));
  try {
    const file = path.join(dir, "ready.json");
    const agent = await serveTcp({ driver: "simulator", edition: "current" }, "127.0.0.1", 0, file);
    await agent.close();
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(JSON.parse(readFileSync(file, "utf8")).token, agent.token);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--listen: a bare port or no host is loopback, [::1]:0 works, an empty --token is refused in one line", async () => {
  assert.deepEqual(parseListen("8123"), { host: "127.0.0.1", port: 8123 });
  assert.deepEqual(parseListen(":0"), { host: "127.0.0.1", port: 0 });
  assert.deepEqual(parseListen("[::1]:0"), { host: "::1", port: 0 });
  assert.deepEqual(parseListen("localhost:9"), { host: "localhost", port: 9 });
  for (const bad of ["::1:0", "host:", "h:70000", "[::1:0", ""]) assert.throws(() => parseListen(bad), /--listen wants/, bad);
  for (const h of ["127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1", "localhost", "[::1]"]) assert.ok(isLoopback(h), h);
  for (const h of ["0.0.0.0", "::", "10.0.0.1", "::ffff:10.0.0.1", "example.com"]) assert.ok(!isLoopback(h), h);

  const v6 = await serveTcp({ driver: "simulator", edition: "current", token: "t" }, "::1", 0).catch((e: Error) => e);
  if (!(v6 instanceof Error)) {
    const c = client(v6.port, "::1");
    c.socket.write(line(1, "hello", { ...HELLO, token: "t" }));
    await new Promise((r) => setTimeout(r, 200));
    assert.match(c.text(), /"result":\{"protocol"/);
    c.socket.destroy();
    await v6.close();
  } else {
    assert.match(v6.message, /EADDRNOTAVAIL|EAFNOSUPPORT/, "only a machine without IPv6 may refuse ::1");
  }

  const r = spawnSync(process.execPath, [BIN, "agent", "--listen", "127.0.0.1:0", "--token", ""], { encoding: "utf8", timeout: 30_000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr.split("\n")[0], /^joinleaf: --token must not be empty/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
});

/** A greeted in-process session with a plain (not c_root) socket bound and listening; answers by id. */
async function listeningPlainSocket() {
  const answers = new Map<number, { result?: unknown; error?: { code: string; message: string } }>();
  const s = new AgentSession({ driver: "simulator", edition: "current" }, (t) => {
    const m = JSON.parse(t);
    answers.set(m.id, m);
  }, false);
  const call = async (id: number, method: string, params: unknown = {}) => {
    await s.handle(line(id, method, params).trim());
    return answers.get(id) as { result?: { ok?: boolean; value?: unknown } & Record<string, unknown>; error?: { code: string; message: string } };
  };
  await call(1, "hello", HELLO);
  const protocols = (await call(2, "protocols")).result as unknown as Array<{ id: string; rootInitiatedJoins: boolean }>;
  await call(3, "startup", { host: "local" });
  const sock = (await call(4, "socket", { options: { host: "local", protocol: protocols.find((p) => p.rootInitiatedJoins)!.id, flags: 0 } })).result!.value as number;
  const address = (await call(5, "hostAddress", { host: "local" })).result as unknown as string;
  const name = "02001b58" + Buffer.from(address.split(".").map(Number)).toString("hex") + "0".repeat(16);
  assert.equal((await call(6, "bind", { s: sock, name, namelen: 16 })).result?.ok, true);
  assert.equal((await call(7, "listen", { s: sock, backlog: 5 })).result?.ok, true);
  return { s, sock, answers, call };
}

test("a blocking accept on a listening socket that is not a root is answered when reset discards it (13.9)", async () => {
  const { s, sock, answers, call } = await listeningPlainSocket();
  void s.handle(line(8, "accept", { s: sock }).trim());
  await call(9, "advance", { ms: 1000 });
  assert.equal(answers.has(8), false, "nobody connects, so accept blocks");
  await call(10, "reset", { edition: "current" });
  await new Promise((r) => setImmediate(r));
  assert.equal(answers.get(8)?.error?.code, "driver-error", JSON.stringify(answers.get(8)));
  await s.close();
});

// Closing a listening socket ends a blocking accept on it with a Winsock error, root or not.
test("closesocket ends a blocking accept on a listening socket that is not a root (13.9)", async () => {
  const { s, sock, answers, call } = await listeningPlainSocket();
  void s.handle(line(8, "accept", { s: sock }).trim());
  await call(9, "advance", { ms: 100 });
  await call(10, "closesocket", { s: sock });
  await call(11, "advance", { ms: 100 });
  const answer = answers.get(8);
  await s.close();
  assert.equal((answer?.result as { ok?: boolean } | undefined)?.ok, false, `accept after closesocket: ${JSON.stringify(answer)}`);
});
