// Soak: a bounded mix of valid, hostile and pipelined traffic against agents hosting the simulator,
// over stdio and over TCP loopback (npm run bench:soak). Stops by itself after SOAK_REQUESTS
// requests per transport or SOAK_SECONDS, whichever comes first, and prints requests, answers,
// errors by code, unanswered requests, crashes and the agent's memory before and after.
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { LineSplitter, MAX_MESSAGE_BYTES } from "../drivers/remote/protocol";

const REQUESTS = Number(process.env.SOAK_REQUESTS ?? 20_000);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const BIN = path.join(__dirname, "..", "bin", "joinleaf.js");
const HELLO = { protocol: "joinleaf-driver", versions: [1] };

interface Tally {
  sent: number;
  answered: number;
  results: number;
  errors: Map<string, number>;
  crashes: number;
  memoryBefore: number;
  memoryAfter: number;
  hostileConnections: number;
}

/** Resident memory of a process in MiB (Linux), or NaN where /proc is not there. */
function rssMiB(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** A deterministic pseudo-random sequence, so two soaks send the same traffic. */
function random(seed = 12345): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const req = (id: number | string, method: string, params: unknown) => `{"id":${id},"method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}\n`;

/** One burst of traffic: mostly valid calls, some hostile lines; returns the text and how many answers it asks for. */
function burst(nextId: () => number, rnd: () => number, size: number): { text: string; expected: number } {
  let text = "";
  let expected = 0;
  for (let i = 0; i < size; i++) {
    const r = rnd();
    const id = nextId();
    if (r < 0.5) text += req(id, "advance", { ms: Math.floor(rnd() * 50) });
    else if (r < 0.6) text += req(id, "socket", { options: { host: "local", protocol: "sim-multicast", flags: 0x14 } });
    else if (r < 0.7) text += req(id, "openSockets", {});
    else if (r < 0.75) text += req(id, "closesocket", { s: 256 + Math.floor(rnd() * 64) });
    else if (r < 0.8) text += req(id, "advance", { ms: "soon" }); // schema-invalid
    else if (r < 0.83) text += req(id, "fly", {}); // unknown method
    else if (r < 0.86) text += "{not json\n"; // parse error
    else if (r < 0.88) text += req("123456789012345678901234567890", "openSockets", {}); // id past 2^53
    else if (r < 0.9) text += req(id, "joinLeaf", { s: 256, args: { name: null, namelen: 16, lpCallerData: null, lpCalleeData: { len: 2 ** 31 }, lpSQOS: null, lpGQOS: null, dwFlags: 4 } });
    else if (r < 0.905) text += "x".repeat(MAX_MESSAGE_BYTES + 10) + "\n"; // too large
    else if (r < 0.95) text += req(id, "enumNetworkEvents", { s: 256 });
    else text += req(id, "getsockname", { s: 256 });
    expected++;
  }
  return { text, expected };
}

/** Drives one agent connection until the budget is spent; `write` sends, `lines` receives. */
async function drive(label: string, t: Tally, write: (text: string) => void, lines: string[], alive: () => boolean, deadline: number): Promise<void> {
  let id = 1;
  const rnd = random(label.length);
  const answersBy = async (n: number) => {
    const until = Date.now() + 30_000;
    while (lines.length < n && alive() && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  };
  write(req(id++, "hello", HELLO) + req(id++, "reset", { edition: "current" }) + req(id++, "startup", { host: "local" }));
  t.sent += 3;
  await answersBy(t.sent);
  let round = 0;
  while (t.sent < REQUESTS && Date.now() < deadline && alive()) {
    // Every tenth round is a big pipelined burst in one write; the others are small.
    const { text, expected } = burst(() => id++, rnd, ++round % 10 === 0 ? 2_000 : 50);
    write(text);
    t.sent += expected;
    await answersBy(t.sent);
    if (round % 20 === 0) {
      write(req(id++, "reset", { edition: "current" }) + req(id++, "startup", { host: "local" }));
      t.sent += 2;
      await answersBy(t.sent);
    }
  }
}

function count(t: Tally, line: string): void {
  t.answered++;
  try {
    const m = JSON.parse(line) as { result?: unknown; error?: { code: string } };
    if (m.error) t.errors.set(m.error.code, (t.errors.get(m.error.code) ?? 0) + 1);
    else t.results++;
  } catch {
    t.errors.set("(answer not JSON)", (t.errors.get("(answer not JSON)") ?? 0) + 1);
  }
}

const tally = (): Tally => ({ sent: 0, answered: 0, results: 0, errors: new Map(), crashes: 0, memoryBefore: NaN, memoryAfter: NaN, hostileConnections: 0 });

async function soakStdio(deadline: number): Promise<Tally> {
  const t = tally();
  const child = spawn(process.execPath, [BIN, "agent"], { stdio: ["pipe", "pipe", "inherit"] });
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => (lines.push(l), count(t, l)), () => count(t, "(over the limit)"), 4 * MAX_MESSAGE_BYTES);
  child.stdout.on("data", (c: Buffer) => splitter.push(c));
  child.on("exit", (code) => code !== 0 && t.crashes++);
  await new Promise((r) => setTimeout(r, 1500)); // started and settled
  t.memoryBefore = rssMiB(child.pid);
  await drive("stdio", t, (text) => child.stdin.write(text), lines, () => child.exitCode === null, deadline);
  t.memoryAfter = rssMiB(child.pid);
  child.stdin.end();
  await new Promise((r) => (child.exitCode !== null ? r(null) : child.on("exit", r)));
  return t;
}

async function soakTcp(deadline: number): Promise<Tally> {
  const t = tally();
  const dir = mkdtempSync(path.join(os.tmpdir(), "joinleaf-soak-"));
  const readyFile = path.join(dir, "ready.json");
  const child: ChildProcess = spawn(process.execPath, [BIN, "agent", "--listen", "127.0.0.1:0", "--ready-file", readyFile], { stdio: ["ignore", "ignore", "ignore"] });
  child.on("exit", (code, signal) => signal !== "SIGTERM" && code !== 0 && t.crashes++);
  try {
    while (!existsSync(readyFile) && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const ready = JSON.parse(readFileSync(readyFile, "utf8")) as { host: string; port: number; token: string };
    await new Promise((r) => setTimeout(r, 500));
    t.memoryBefore = rssMiB(child.pid);
    // Hostile neighbours: idle strangers and junk before hello, all the while.
    const strangers: net.Socket[] = [];
    for (let i = 0; i < 40; i++) {
      const s = net.connect(ready.port, ready.host);
      s.on("error", () => undefined);
      if (i % 2) s.write(Buffer.alloc(256 * 1024, "j"));
      strangers.push(s);
      t.hostileConnections++;
    }
    const socket = net.connect(ready.port, ready.host);
    socket.on("error", () => undefined);
    let open = true;
    socket.on("close", () => {
      open = false;
      if (Date.now() < deadline && t.sent < REQUESTS) t.crashes++;
    });
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => (lines.push(l), count(t, l)), () => count(t, "(over the limit)"), 4 * MAX_MESSAGE_BYTES);
    socket.on("data", (c) => splitter.push(c));
    await new Promise((r) => socket.once("connect", r));
    const write = (text: string) => socket.write(text.replace(`"params":${JSON.stringify(HELLO)}`, `"params":${JSON.stringify({ ...HELLO, token: ready.token })}`));
    await drive("tcp", t, write, lines, () => open, deadline);
    t.memoryAfter = rssMiB(child.pid);
    for (const s of strangers) s.destroy();
    socket.destroy();
  } finally {
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
  return t;
}

function print(label: string, t: Tally, seconds: number): void {
  const errors = [...t.errors].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ") || "none";
  console.log(`${label.padEnd(5)} requests ${t.sent} in ${seconds.toFixed(1)} s, answered ${t.answered} (results ${t.results}), unanswered ${t.sent - t.answered}`);
  console.log(`${"".padEnd(5)} errors: ${errors}`);
  console.log(`${"".padEnd(5)} crashes ${t.crashes}${t.hostileConnections ? `, hostile connections alongside ${t.hostileConnections}` : ""}; agent memory ${t.memoryBefore.toFixed(1)} MiB before, ${t.memoryAfter.toFixed(1)} MiB after`);
}

async function main(): Promise<void> {
  console.log(`soak: up to ${REQUESTS} requests or ${SECONDS} s per transport, loopback only`);
  for (const [label, run] of [["stdio", soakStdio], ["tcp", soakTcp]] as const) {
    const started = Date.now();
    const t = await run(started + SECONDS * 1000);
    print(label, t, (Date.now() - started) / 1000);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
