// The driver protocol from both ends: the agent never falls over on bad input, and the remote
// driver turns a hung or dead agent into TIMEOUT or CRASH and starts afresh.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { AgentSession, serveTcp } from "../src/agent";
import { closeAllConnections, connectRemote, DriverFaultError } from "../drivers/remote/remote-driver";
import { MAX_MESSAGE_BYTES } from "../drivers/remote/protocol";
import { readRun } from "../src/results";
import { PACKAGE_ROOT } from "../src/package-root";
import { cliHere } from "./cli-here";

const HELLO = JSON.stringify({ id: 1, method: "hello", params: { protocol: "joinleaf-driver", versions: [1] } });

function session(requireToken = false, token?: string) {
  const out: Array<Record<string, unknown>> = [];
  const s = new AgentSession({ driver: "simulator", edition: "current", token }, (t) => out.push(JSON.parse(t)), requireToken);
  const send = async (line: string) => {
    s.splitter.push(Buffer.from(line + "\n"));
    await new Promise((r) => setTimeout(r, 5));
  };
  return { s, out, send };
}

test("every bad line gets an error answer and the session goes on", async () => {
  const { out, send } = session();
  await send("{not json");
  await send("[1,2]");
  await send(JSON.stringify({ id: 2, method: "socket", params: {} }));
  await send(HELLO);
  await send(JSON.stringify({ id: 3, method: "fly", params: {} }));
  await send(JSON.stringify({ id: 4, method: "socket", params: { wrong: 1 } }));
  await send(JSON.stringify({ id: 5, method: "bind", params: { s: 1 } }));
  await send(JSON.stringify({ method: "startup" }));
  await send("x".repeat(MAX_MESSAGE_BYTES + 10));
  await send(JSON.stringify({ id: 6, method: "startup", params: { host: "h" } }));
  const codes = out.map((m) => (m.error as { code?: string } | undefined)?.code ?? "ok");
  assert.deepEqual(codes, ["parse-error", "parse-error", "hello-required", "ok", "unknown-method", "invalid-params", "invalid-params", "invalid-request", "too-large", "ok"]);
  assert.deepEqual(out[out.length - 1], { id: 6, result: { ok: true, value: null } });
});

test("a TCP agent wants the token and survives a client that drops mid-line", async () => {
  const agent = await serveTcp({ driver: "simulator", edition: "current", token: "s3cret" }, "127.0.0.1", 0);
  try {
    const talk = (lines: string[]) =>
      new Promise<string[]>((resolve) => {
        const c = net.connect(agent.port, agent.host);
        let got = "";
        c.on("data", (d) => (got += d));
        c.on("close", () => resolve(got.trim().split("\n").filter(Boolean)));
        c.write(lines.join("\n") + "\n");
        setTimeout(() => c.end(), 100);
      });
    const denied = await talk([HELLO]);
    assert.match(denied[0], /unauthorized/);
    const dropped = net.connect(agent.port, agent.host);
    dropped.write('{"id": 1, "meth');
    dropped.destroy();
    const hello = JSON.stringify({ id: 1, method: "hello", params: { protocol: "joinleaf-driver", versions: [1], token: "s3cret" } });
    const ok = await talk([hello]);
    assert.match(ok[0], /"driver":"simulator"/);
  } finally {
    await agent.close();
  }
});

const misbehaving = (mode: string) => `MODE=${mode} "${process.execPath}" "${path.join(PACKAGE_ROOT, "test", "agents", "misbehaving-agent.js")}"`;

test("a call the agent never answers ends as TIMEOUT; the next connection is a fresh agent", async () => {
  const options = { agent: misbehaving("hang"), callTimeoutMs: 300 };
  const driver = await connectRemote(options, "current");
  const asked = Date.now();
  await assert.rejects(driver.socket({ host: "h", protocol: "p", flags: 0 }), (e: unknown) => e instanceof DriverFaultError && e.fault.status === "TIMEOUT");
  // hello (60 s to start) and reset (300 ms) came first: the call's own 300 ms count, not theirs.
  const waited = Date.now() - asked;
  assert.ok(waited >= 290 && waited < 3_000, `TIMEOUT after ${waited} ms, for a 300 ms call timeout`);
  assert.equal(driver.fault?.status, "TIMEOUT");
  assert.deepEqual(await driver.openSockets(), [], "cleanup after a fault does not throw again");
  const next = await connectRemote(options, "current");
  assert.equal(next.fault, null);
  closeAllConnections();
});

test("a reset sent without waiting that fails is the error of the scenario's first call, and the cleanup does not fail again", async () => {
  const options = { agent: misbehaving("second-reset-fails") };
  await connectRemote(options, "current"); // the first reset is waited for, and the catalogue read
  const driver = await connectRemote(options, "current");
  assert.equal(driver.inOrder, true);
  await assert.rejects(driver.startup("local"), /agent error in reset \(driver-error\): the provider would not start again/);
  await assert.rejects(driver.socket({ host: "local", protocol: "p", flags: 0 }), /error in reset/, "every later call fails the same way");
  assert.deepEqual(await driver.openSockets(), []);
  assert.equal(await driver.dispose(), null);
  closeAllConnections();
});

/** The requests a run through the recording proxy made, each with the methods still unanswered when it arrived. */
async function requestsOfRun(inOrder: "yes" | "no"): Promise<Array<{ method: string; behind: string[] }>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "joinleaf-order-"));
  try {
    const log = path.join(dir, "requests.ndjson");
    const agent = `LOG="${log}" INORDER=${inOrder} "${process.execPath}" "${path.join(PACKAGE_ROOT, "test", "agents", "recording-proxy.js")}"`;
    const r = await cliHere(["conformance", "--quiet", "--driver", "remote", "--agent", agent, "--tags", "@needs:connect-data", "--run", "order"], dir);
    assert.equal(r.status, 0, `inOrder ${inOrder}: exit ${r.status}\n${r.stdout}${r.stderr}`);
    return readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the harness sends without waiting only to an agent that keeps order, and reads the catalogue once per connection", { timeout: 120_000 }, async () => {
  const behind = (requests: Array<{ method: string; behind: string[] }>, method: string, earlier: string) => requests.filter((q) => q.method === method && q.behind.includes(earlier)).length;
  const ordered = await requestsOfRun("yes");
  const scenarios = ordered.filter((q) => q.method === "reset").length;
  assert.ok(scenarios >= 8, `${scenarios} resets`);
  assert.equal(ordered.filter((q) => q.method === "protocols").length, 1);
  // Every scenario but the first (whose reset the catalogue waits for) starts up right behind its reset.
  assert.ok(behind(ordered, "startup", "reset") >= scenarios - 2, `${behind(ordered, "startup", "reset")} of ${scenarios} startups behind their reset`);
  assert.ok(behind(ordered, "openSockets", "closesocket") > scenarios / 2, `${behind(ordered, "openSockets", "closesocket")} leak checks behind their closes`);
  assert.ok(behind(ordered, "dispose", "openSockets") > scenarios / 2, `${behind(ordered, "dispose", "openSockets")} disposes behind their leak check`);

  const unordered = await requestsOfRun("no");
  assert.equal(unordered.filter((q) => q.method === "protocols").length, 1);
  for (const q of unordered) {
    assert.ok(!q.behind.includes("reset"), `${q.method} was sent behind an unanswered reset`);
    if (q.method === "openSockets" || q.method === "dispose" || q.method === "reset") assert.deepEqual(q.behind, [], `${q.method} was sent behind ${q.behind.join(", ")}`);
  }
  assert.ok(behind(unordered, "closesocket", "closesocket") > 0, "a scenario's closes go out together whatever the agent");
});

test("a harness waiting for an answer that does not come stays awake only briefly, not for the whole wait", async () => {
  const driver = await connectRemote({ agent: misbehaving("hang"), callTimeoutMs: 1_500 }, "current");
  const cpu = process.cpuUsage();
  const asked = Date.now();
  await assert.rejects(driver.socket({ host: "h", protocol: "p", flags: 0 }), (e: unknown) => e instanceof DriverFaultError && e.fault.status === "TIMEOUT");
  const waitedMs = Date.now() - asked;
  const used = process.cpuUsage(cpu);
  const usedMs = (used.user + used.system) / 1000;
  // Kept awake for the whole wait, the harness would have used most of a CPU for it.
  assert.ok(usedMs < waitedMs * 0.3, `${usedMs.toFixed(0)} ms of CPU while waiting ${waitedMs} ms for an answer`);
  closeAllConnections();
});

test("an agent that dies ends the scenario as CRASH with its exit status", async () => {
  const driver = await connectRemote({ agent: misbehaving("crash") }, "current");
  await assert.rejects(driver.socket({ host: "h", protocol: "p", flags: 0 }), /CRASH: the agent exited \(code 7\)/);
  closeAllConnections();
});

test("an agent that answers with garbage ends as CRASH", async () => {
  const driver = await connectRemote({ agent: misbehaving("garbage") }, "current");
  await assert.rejects(driver.socket({ host: "h", protocol: "p", flags: 0 }), /CRASH: the agent sent a line that is not JSON/);
  closeAllConnections();
});

test("the real agent binary serves the simulator over stdio", async () => {
  const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, "bin", "joinleaf.js"), "agent"], { stdio: ["pipe", "pipe", "inherit"] });
  const lines: string[] = [];
  child.stdout.on("data", (d) => lines.push(...String(d).trim().split("\n")));
  child.stdin.write(HELLO + "\n" + JSON.stringify({ id: 2, method: "protocols", params: {} }) + "\n");
  child.stdin.end();
  const code = await new Promise((r) => child.on("exit", r));
  assert.equal(code, 0);
  assert.equal(lines.length, 2);
  assert.ok((JSON.parse(lines[1]).result as unknown[]).length >= 2);
});

/**
 * Talks to a real stdio agent one request at a time, each sent once the one before is answered:
 * the agent waits for every one with nothing to do. `nodeArgs` come before the command.
 */
async function oneAtATime(nodeArgs: string[], requests: object[]): Promise<Array<Record<string, unknown>>> {
  const child = spawn(process.execPath, [...nodeArgs, path.join(PACKAGE_ROOT, "bin", "joinleaf.js"), "agent"], { stdio: ["pipe", "pipe", "inherit"] });
  const answers: Array<Record<string, unknown>> = [];
  let waiting: (() => void) | null = null;
  child.stdout.on("data", (d) => {
    answers.push(...String(d).trim().split("\n").map((l) => JSON.parse(l)));
    waiting?.();
  });
  for (const [i, request] of requests.entries()) {
    await new Promise((r) => setTimeout(r, 50));
    const answered = new Promise<void>((r) => (waiting = r));
    child.stdin.write(JSON.stringify(request) + "\n");
    await Promise.race([answered, new Promise((_, reject) => setTimeout(() => reject(new Error(`request ${i + 1} not answered: ${JSON.stringify(request)}`)), 10_000))]);
  }
  child.stdin.end();
  assert.equal(await new Promise((r) => child.on("exit", r)), 0);
  return answers;
}

// The stdio agent reads with a blocking read while it has nothing to do (src/agent.ts); a request
// that waits for the event loop (advance onlyWhileWaiting looks once it has turned) must still be
// answered and the next one read, and a stdin something else made nonblocking is read on the
// event loop instead.
for (const [how, nodeArgs] of [["its own stdin", []], ["a stdin made nonblocking before it started", ["-e", "process.stdin; require(process.argv[1])", "--"]]] as Array<[string, string[]]>) {
  test(`the stdio agent answers one request after another on ${how}`, async () => {
    const requests = [JSON.parse(HELLO), { id: 2, method: "advance", params: { ms: 5, onlyWhileWaiting: true } }, { id: 3, method: "advance", params: { ms: 5 } }, { id: 4, method: "openSockets", params: {} }];
    const answers = await oneAtATime(nodeArgs, requests);
    assert.deepEqual(answers.map((a) => [a.id, "result" in a]), [[1, true], [2, true], [3, true], [4, true]]);
  });
}

test("requests pipelined behind a reset reach the fresh driver", async () => {
  const { out, send } = session();
  const lines = [
    HELLO,
    JSON.stringify({ id: 2, method: "reset", params: { edition: "current" } }),
    JSON.stringify({ id: 3, method: "startup", params: { host: "h" } }),
    JSON.stringify({ id: 4, method: "socket", params: { options: { host: "h", protocol: "sim-multicast", flags: 0x14 } } }),
    JSON.stringify({ id: 5, method: "openSockets", params: {} }),
  ];
  await send(lines.join("\n"));
  await new Promise((r) => setTimeout(r, 20));
  const byId = new Map(out.map((m) => [m.id, m]));
  const sock = (byId.get(4)?.result as { value: number }).value;
  assert.deepEqual(byId.get(5)?.result, [sock]);
});

test("a request over the size limit is refused by the harness, and the agent lives on", async () => {
  const driver = await connectRemote({}, "current");
  await assert.rejects(driver.send(1, "00".repeat(MAX_MESSAGE_BYTES)), /over the protocol's/);
  assert.equal(driver.fault, null);
  assert.deepEqual(await driver.openSockets(), []);
  closeAllConnections();
});

test("a response of the wrong shape ends as CRASH at once", async () => {
  const driver = await connectRemote({ agent: misbehaving("malformed"), callTimeoutMs: 10_000 }, "current");
  await assert.rejects(driver.socket({ host: "h", protocol: "p", flags: 0 }), /CRASH: the agent sent a malformed response/);
  closeAllConnections();
});

test("an agent that never greets is given up on once for the run, not once per scenario", async () => {
  const options = { agent: misbehaving("mute"), startTimeoutMs: 300 };
  await assert.rejects(connectRemote(options, "current"), /TIMEOUT: hello did not answer/);
  const started = Date.now();
  await assert.rejects(connectRemote(options, "current"), /not tried again in this run/);
  assert.ok(Date.now() - started < 200, "the second scenario fails at once");
  closeAllConnections();
});

const crashOnce = path.join(PACKAGE_ROOT, "test", "agents", "crash-once-agent.js");

test("after a crash, scenarios that ask for a driver at the same time share one replacement agent", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "joinleaf-crash-"));
  try {
    const starts = path.join(dir, "starts");
    const agent = `CRASH_MARKER="${path.join(dir, "marker")}" STARTS_FILE="${starts}" "${process.execPath}" "${crashOnce}"`;
    const first = await connectRemote({ agent }, "current");
    writeFileSync(path.join(dir, "marker"), "no crash wanted here");
    await new Promise((r) => setTimeout(r, 10));
    // The agent dies; then two callers want a driver before either has one.
    process.kill(Number(readFileSync(starts, "utf8").trim()), "SIGKILL");
    await assert.rejects(first.openSockets(), /CRASH/);
    const [a, b] = await Promise.all([connectRemote({ agent }, "current"), connectRemote({ agent }, "current")]);
    assert.equal(readFileSync(starts, "utf8").trim().split("\n").length, 2, "one agent at start, one replacement");
    assert.deepEqual([await a.openSockets(), await b.openSockets()], [[], []]);
  } finally {
    closeAllConnections();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a crash in the middle of a blocking join costs that scenario only (repeated runs)", { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "joinleaf-crash-"));
  try {
    for (let round = 1; round <= 4; round++) {
      const marker = path.join(dir, `marker-${round}`);
      const starts = path.join(dir, `starts-${round}`);
      const agent = `CRASH_MARKER="${marker}" STARTS_FILE="${starts}" "${process.execPath}" "${crashOnce}"`;
      // In this process, as equivalence runs the suite twice in one: Cucumber loads once for the four rounds.
      const r = await cliHere(["conformance", "--driver", "remote", "--agent", agent, "--tags", "@req:JL-094 or @req:JL-096", "--run", `crash-${round}`, "--quiet"], dir);
      assert.ok(existsSync(marker), `round ${round}: the agent crashed (${r.stderr})`);
      const { scenarios } = readRun(path.join(dir, `crash-${round}`));
      const statuses = scenarios.map((s) => `${s.name}: ${s.status}`);
      assert.equal(scenarios.filter((s) => s.status === "CRASH").length, 1, `round ${round}: ${statuses.join("; ")}`);
      assert.ok(scenarios.length >= 3 && scenarios.every((s) => s.status === "CRASH" || s.status === "PASS"), `round ${round}: ${statuses.join("; ")}`);
      assert.equal(readFileSync(starts, "utf8").trim().split("\n").length, 2, `round ${round}: one replacement agent`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--launch keeps the token's files in a folder only its owner can read, and removes it when the run ends", { timeout: 60_000 }, async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "joinleaf-launch-"));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = tmp; // os.tmpdir() follows it: this test's agent folder lands here
  try {
    const launch = `"${process.execPath}" "${path.join(PACKAGE_ROOT, "bin", "joinleaf.js")}" agent --listen 127.0.0.1:0 --ready-file "{readyFile}"`;
    const driver = await connectRemote({ launch }, "current");
    const [folder] = readdirSync(tmp).filter((f) => f.startsWith("joinleaf-agent-"));
    assert.ok(folder, "the agent's folder is in the temp folder");
    assert.equal(statSync(path.join(tmp, folder)).mode & 0o777, 0o700);
    assert.equal(statSync(path.join(tmp, folder, "agent.log")).mode & 0o777, 0o600);
    assert.deepEqual(await driver.openSockets(), []);
    closeAllConnections();
    assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith("joinleaf-agent-")), [], "nothing is left behind");
  } finally {
    process.env.TMPDIR = saved;
    if (saved === undefined) delete process.env.TMPDIR;
    rmSync(tmp, { recursive: true, force: true });
  }
});
