// The remote driver: the driver contract spoken to an agent over stdio or TCP.
//
// One agent connection serves a whole run; each scenario gets a fresh driver inside the agent
// ("reset"). A call that does not answer in time ends the scenario as TIMEOUT, an agent that
// exits or drops the connection ends it as CRASH; the next scenario starts a fresh agent.
import { ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { Driver, DriverCapability, DriverFault, ProtocolInfo, Sock, TestbedCalls } from "../driver";
import { fail } from "../driver";
import type { Edition } from "../simulator/simulator";
import { ERRORS } from "../winsock";
import {
  encode,
  HelloResult,
  LineSplitter,
  MAX_MESSAGE_BYTES,
  METHODS,
  MethodName,
  PROTOCOL_NAME,
  PROTOCOL_VERSION,
  Response,
} from "./protocol";

export interface RemoteOptions {
  /** Command that starts an agent speaking on its stdin/stdout. */
  agent?: string;
  /** Command that starts an agent listening on TCP; it must write {host, port, token} to {readyFile}. */
  launch?: string;
  /** host:port of an agent that is already running (needs token). */
  connect?: string;
  token?: string;
  /** Longest a call may take before the scenario is ended as TIMEOUT. */
  callTimeoutMs?: number;
  /** Longest an agent may take to start and greet. */
  startTimeoutMs?: number;
  /** The implementation behind the agent runs on this machine's real network (native, wine), whatever its hello says. */
  network?: "real";
}

export class DriverFaultError extends Error {
  constructor(readonly fault: DriverFault) {
    super(`${fault.status}: ${fault.reason}`);
  }
}

const STDERR_KEPT = 4096;
/** How long the harness stays awake for an answer after a request (Connection.stayAwake). */
const AWAKE_NS = 300_000n;

/** Requests sent in this process, and how many of them went out with no other answer due: each such one is a wait for the agent (bench:suite prints both). */
export const requestCounts = { requests: 0, waits: 0 };

/** Agents still starting or being greeted, each with what stops it so far (closeAllConnections calls it). */
const starting = new Set<{ stop: () => void }>();

/** A live conversation with one agent. */
class Connection {
  hello!: HelloResult;
  /** The agent's protocols answer after the connection's first reset: a catalogue does not change between scenarios. */
  catalogue: ProtocolInfo[] | null = null;
  fault: DriverFault | null = null;
  private nextId = 1;

  /** The agent's hello promised requests take effect in the order they arrive (docs, "inOrder"). */
  get inOrder(): boolean {
    return this.hello.inOrder === true;
  }
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; deadline: number; timeoutMs: number; method: string }>();
  /** One timer for every pending call, due at the earliest deadline: a timer per call cost a few µs of each round trip. */
  private deadlineTimer: NodeJS.Timeout | null = null;
  private deadlineDue = Infinity;
  /** Until when (hrtime, ns) the harness stays awake for an answer; see AWAKE_NS. */
  private awakeUntil = 0n;
  private awake = false;
  private stderrTail = "";
  private closing = false;
  private readonly closers: Array<() => void> = [];

  private constructor(
    private readonly send: (text: string) => void,
    private readonly kill: () => void,
    private readonly callTimeoutMs: number,
  ) {}

  /** Starts (or reaches) an agent and greets it; closeAllConnections stops one still starting. */
  static async open(o: RemoteOptions): Promise<Connection> {
    const abort = { stop: () => undefined as void };
    starting.add(abort);
    try {
      return await Connection.start(o, abort);
    } finally {
      starting.delete(abort);
    }
  }

  /** `abort.stop` is kept pointing at what ends the attempt so far: the agent's process, then the connection. */
  private static async start(o: RemoteOptions, abort: { stop: () => void }): Promise<Connection> {
    const callTimeoutMs = o.callTimeoutMs ?? 30_000;
    const startTimeoutMs = o.startTimeoutMs ?? 60_000;
    let conn: Connection;
    if (o.connect) {
      const [host, port] = splitHostPort(o.connect);
      conn = await Connection.overTcp(host, port, callTimeoutMs, () => undefined, startTimeoutMs);
    } else if (o.launch) {
      // A folder only we can read: the ready file and the agent's log both hold the token.
      const dir = mkdtempSync(path.join(os.tmpdir(), "joinleaf-agent-"));
      const readyFile = path.join(dir, "ready.json");
      // Output goes to a file: Windows Node under Wine cannot write to a pipe (EBADF).
      const logFile = path.join(dir, "agent.log");
      const log = openSync(logFile, "w", 0o600);
      const child = spawn(o.launch.replaceAll("{readyFile}", readyFile), { shell: true, stdio: ["ignore", log, log], detached: true });
      closeSync(log);
      abort.stop = () => killTree(child);
      const removeDir = () => rmSync(dir, { recursive: true, force: true });
      try {
        const ready = await waitForReadyFile(readyFile, child, startTimeoutMs, logFile);
        o = { ...o, token: ready.token };
        conn = await Connection.overTcp(ready.host, ready.port, callTimeoutMs, () => killTree(child), startTimeoutMs);
      } catch (e) {
        killTree(child);
        removeDir();
        throw e;
      }
      conn.watch(child, logFile);
      child.once("exit", removeDir); // registered after watch's handler, which reads the log's last words
      conn.onClose(removeDir);
    } else {
      const child = startAgent(o.agent ?? defaultAgentCommand());
      conn = new Connection((t) => void child.stdin?.write(t), () => killTree(child), callTimeoutMs);
      const splitter = new LineSplitter((line) => conn.onLine(line), () => conn.die("CRASH", "the agent sent a line over the size limit"));
      child.stdout?.on("data", (c: Buffer) => splitter.push(c));
      child.stdin?.on("error", () => undefined); // EPIPE after the agent died: reported through exit
      conn.watch(child);
    }
    abort.stop = () => conn.close();
    try {
      conn.hello = (await conn.call("hello", { protocol: PROTOCOL_NAME, versions: [PROTOCOL_VERSION], token: o.token }, startTimeoutMs)) as HelloResult;
      if (conn.hello?.protocol !== PROTOCOL_NAME || conn.hello.version !== PROTOCOL_VERSION) {
        throw new Error(`the agent answered hello with protocol ${conn.hello?.protocol} version ${conn.hello?.version}; this harness speaks ${PROTOCOL_NAME} ${PROTOCOL_VERSION}`);
      }
    } catch (e) {
      conn.close(); // an agent we cannot talk to must not outlive the attempt
      throw e;
    }
    return conn;
  }

  private static overTcp(host: string, port: number, callTimeoutMs: number, kill: () => void, startTimeoutMs: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new DriverFaultError({ status: "TIMEOUT", reason: `no TCP connection to the agent at ${host}:${port} within ${startTimeoutMs} ms` }));
      }, startTimeoutMs);
      socket.once("error", (e) => {
        clearTimeout(timer);
        reject(new DriverFaultError({ status: "CRASH", reason: `cannot reach the agent at ${host}:${port}: ${e.message}` }));
      });
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        const conn = new Connection((t) => void socket.write(t), () => {
          socket.destroy();
          kill();
        }, callTimeoutMs);
        const splitter = new LineSplitter((line) => conn.onLine(line), () => conn.die("CRASH", "the agent sent a line over the size limit"));
        socket.on("data", (c) => splitter.push(c));
        socket.on("error", () => undefined);
        socket.on("close", () => conn.die("CRASH", "the agent closed the TCP connection"));
        socket.unref();
        resolve(conn);
      });
    });
  }

  private watch(child: ChildProcess, logFile?: string): void {
    child.stderr?.on("data", (c: Buffer) => (this.stderrTail = (this.stderrTail + c.toString()).slice(-STDERR_KEPT)));
    child.on("exit", (code, signal) => {
      const tail = (logFile ? tailOf(logFile) : this.stderrTail).trim();
      this.die("CRASH", `the agent exited (${signal ? `signal ${signal}` : `code ${code}`})${tail ? `; its last words: ${tail}` : ""}`);
    });
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
  }

  private onLine(line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      return this.die("CRASH", `the agent sent a line that is not JSON: ${line.slice(0, 200)}`);
    }
    const problem = responseProblem(msg);
    if (problem) return this.die("CRASH", `the agent sent a malformed response (${problem}): ${line.slice(0, 200)}`);
    const r = msg as Response;
    // An error the agent could not attribute to a request (id null) has nothing pending to fail.
    if (r.id === null) return;
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    // Nothing pending: the timer must not keep the harness's process alive.
    if (this.pending.size === 0) this.deadlineTimer?.unref();
    if ("error" in r) p.reject(new Error(`agent error in ${p.method} (${r.error.code}): ${r.error.message}`));
    else p.resolve(r.result);
  }


  call(method: string, params: Record<string, unknown>, timeoutMs = this.callTimeoutMs): Promise<unknown> {
    if (this.fault) return Promise.reject(new DriverFaultError(this.fault));
    const id = this.nextId++;
    const line = encode({ id, method, params });
    // A UTF-8 byte is at most 3 per UTF-16 unit: a short line needs no count.
    const bytes = line.length * 3 > MAX_MESSAGE_BYTES ? Buffer.byteLength(line) : 0;
    if (bytes - 1 > MAX_MESSAGE_BYTES) {
      // The agent would drop it unanswered; this is the harness's mistake, not the agent's fault.
      return Promise.reject(new Error(`${method}: the request is ${bytes} bytes, over the protocol's ${MAX_MESSAGE_BYTES}-byte limit`));
    }
    requestCounts.requests++;
    if (this.pending.size === 0) requestCounts.waits++;
    return new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      this.pending.set(id, { resolve, reject, deadline, timeoutMs, method });
      this.watchDeadline(deadline);
      this.send(line);
      this.stayAwake();
    });
  }

  /**
   * Keeps the event loop turning (setImmediate: libuv then polls without sleeping) while an answer
   * is due, for at most AWAKE_NS after the last request. An agent mostly answers well within that;
   * a harness that slept meanwhile is woken by the answer, which on a virtual machine whose idle
   * CPUs halt is a trip through the hypervisor (bench/machine.ts). Here a stdio round trip went from
   * about 80 to 40 µs, at no more CPU per call.
   */
  private stayAwake(): void {
    this.awakeUntil = process.hrtime.bigint() + AWAKE_NS;
    if (this.awake) return;
    this.awake = true;
    const poll = () => {
      // A fault empties pending (die), so it ends the polling too.
      if (this.pending.size > 0 && process.hrtime.bigint() < this.awakeUntil) setImmediate(poll);
      else this.awake = false;
    };
    setImmediate(poll);
  }

  private watchDeadline(deadline: number): void {
    if (this.deadlineTimer && deadline >= this.deadlineDue) {
      this.deadlineTimer.ref();
      return;
    }
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineDue = deadline;
    this.deadlineTimer = setTimeout(() => this.checkDeadlines(), Math.max(0, deadline - Date.now()));
  }

  /** Ends the connection as TIMEOUT when a call is past its deadline; else waits for the next one. */
  private checkDeadlines(): void {
    this.deadlineTimer = null;
    this.deadlineDue = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const p of this.pending.values()) {
      if (p.deadline <= now) return this.die("TIMEOUT", `${p.method} did not answer within ${p.timeoutMs} ms`);
      next = Math.min(next, p.deadline);
    }
    if (next < Infinity) this.watchDeadline(next);
  }

  /** Marks the agent dead: every pending and later call fails with the fault; the agent is stopped. */
  die(status: DriverFault["status"], reason: string): void {
    if (this.fault) return;
    this.fault = this.closing ? { status: "CRASH", reason: "connection closed by the harness" } : { status, reason };
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
    for (const p of this.pending.values()) {
      p.reject(new DriverFaultError(this.fault));
    }
    this.pending.clear();
    this.kill();
  }

  close(): void {
    this.closing = true;
    this.die("CRASH", "closed");
    for (const f of this.closers.splice(0)) f();
  }

  /** Runs `f` when the harness closes this connection (the end of a run). */
  onClose(f: () => void): void {
    this.closers.push(f);
  }
}

/** What is wrong with a response line's shape, or null when it is a proper response. */
function responseProblem(msg: unknown): string | null {
  if (typeof msg !== "object" || msg === null || Array.isArray(msg)) return "not an object";
  const m = msg as Record<string, unknown>;
  if (m.id !== null && !Number.isInteger(m.id)) return "id is neither an integer nor null";
  const hasResult = "result" in m;
  const hasError = "error" in m;
  if (hasResult === hasError) return "it must carry exactly one of result and error";
  if (hasError) {
    const e = m.error as Record<string, unknown> | null;
    if (typeof e !== "object" || e === null || typeof e.code !== "string" || typeof e.message !== "string") return "error needs a string code and message";
  }
  return null;
}

function splitHostPort(text: string): [string, number] {
  const i = text.lastIndexOf(":");
  const port = Number(text.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`--connect wants host:port, not "${text}"`);
  return [text.slice(0, i).replace(/^\[|\]$/g, ""), port];
}

function defaultAgentCommand(): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { BIN } = require("../../src/package-root") as typeof import("../../src/package-root");
  return `"${process.execPath}" "${BIN}" agent --driver simulator`;
}

function startAgent(command: string): ChildProcess {
  // A shell runs the command so users can give one string; its own process group lets us stop all of it.
  return spawn(command, { shell: true, stdio: ["pipe", "pipe", "pipe"], detached: true });
}

function killTree(child: ChildProcess): void {
  if (child.exitCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

function tailOf(file: string): string {
  try {
    return readFileSync(file, "utf8").slice(-STDERR_KEPT);
  } catch {
    return "";
  }
}

async function waitForReadyFile(file: string, child: ChildProcess, timeoutMs: number, logFile: string): Promise<{ host: string; port: number; token: string }> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) {
      throw new DriverFaultError({ status: "CRASH", reason: `the agent exited with code ${child.exitCode} before it was ready; its output: ${tailOf(logFile).trim() || "(none)"}` });
    }
    if (existsSync(file)) {
      try {
        const ready = JSON.parse(readFileSync(file, "utf8"));
        rmSync(file, { force: true });
        return ready;
      } catch {
        // half-written: read again
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  killTree(child);
  throw new DriverFaultError({ status: "TIMEOUT", reason: `the agent was not ready within ${timeoutMs} ms` });
}

// ---------------------------------------------------------------- one connection per run

const connections = new Map<string, Connection>();
/** Agents being started: whoever asks meanwhile waits for the same one (one crash, one replacement). */
const opening = new Map<string, Promise<Connection>>();
/** Agents that could not be started or greeted: the rest of the run fails at once, not once per scenario. */
const failedStarts = new Map<string, Error>();
/** Bumped by closeAllConnections: an agent that finishes starting after it is stopped at once. */
let generation = 0;

function connectionFor(o: RemoteOptions): Promise<Connection> {
  const key = JSON.stringify(o);
  const live = connections.get(key);
  if (live && !live.fault) return Promise.resolve(live);
  const failed = failedStarts.get(key);
  if (failed) return Promise.reject(failed);
  let started = opening.get(key);
  if (!started) {
    started = openConnection(key, o, generation);
    opening.set(key, started);
    const forget = () => opening.delete(key);
    started.then(forget, forget);
  }
  return started;
}

async function openConnection(key: string, o: RemoteOptions, born: number): Promise<Connection> {
  try {
    const fresh = await Connection.open(o);
    if (born !== generation) {
      fresh.close();
      throw new DriverFaultError({ status: "CRASH", reason: "the run ended while the agent was starting" });
    }
    connections.set(key, fresh);
    return fresh;
  } catch (e) {
    if (born !== generation) throw e;
    const fault = e instanceof DriverFaultError ? e.fault : { status: "CRASH" as const, reason: (e as Error).message };
    const remembered = new DriverFaultError({ ...fault, reason: `${fault.reason} (the agent could not be started; not tried again in this run)` });
    failedStarts.set(key, remembered);
    throw remembered;
  }
}

// A Cucumber worker process ends without a run's cleanup: its agents must not outlive it.
process.once("exit", () => closeAllConnections());

/** Stops every agent this process started (end of a run). */
export function closeAllConnections(): void {
  generation++;
  for (const abort of [...starting]) abort.stop();
  for (const c of connections.values()) c.close();
  connections.clear();
  opening.clear();
  failedStarts.clear();
}

/** Every testbed call is forwarded too; whether the harness uses them is the testbed's choice. */
export interface RemoteDriver extends Omit<Driver, keyof TestbedCalls>, TestbedCalls {}

/** Each contract method forwards to the agent; the class adds the lifecycle around them. */
export class RemoteDriver {
  readonly name: string;
  readonly capabilities: ReadonlySet<DriverCapability>;
  readonly implementation: Readonly<Record<string, string>>;
  /** "real" when the agent's hello says testbed "real" (it fronts a real stack on this machine). */
  readonly network?: "real";
  readonly inOrder: boolean;
  /** Why this scenario's reset failed, once it has (only a reset not waited for can fail after the driver exists). */
  private resetError: Error | null = null;

  /** `reset`: this scenario's reset when it was not waited for; every call answers after it, or fails with it. */
  constructor(private readonly conn: Connection, network?: "real", private reset?: Promise<unknown>) {
    this.name = `remote:${conn.hello.driver}`;
    this.inOrder = conn.inOrder;
    this.network = network ?? (conn.hello.testbed === "real" ? "real" : undefined);
    this.capabilities = new Set(conn.hello.capabilities as DriverCapability[]);
    this.implementation = conn.hello.implementation;
    reset?.then(
      () => (this.reset = undefined),
      (e: Error) => (this.resetError = e),
    );
  }

  get fault(): DriverFault | null {
    return this.conn.fault;
  }

  call(method: MethodName, args: unknown[]): Promise<unknown> {
    // After a hang, a crash or a failed reset, the after-scenario cleanup must not fail a second time.
    if (this.conn.fault || this.resetError) {
      if (method === "dispose") return Promise.resolve(null);
      if (method === "openSockets" || method === "takeMessages") return Promise.resolve([] as Sock[]);
      if (method === "closesocket") return Promise.resolve(fail(ERRORS.WSAENOTSOCK));
    }
    if (this.resetError) return Promise.reject(this.resetError);
    if (method === "protocols" && this.conn.catalogue) return Promise.resolve(this.conn.catalogue.map((p) => ({ ...p })));
    const names = METHODS[method] as readonly string[];
    const params: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) params[names[i]] = args[i];
    const answer = this.conn.call(method, params);
    if (!this.reset) return answer;
    answer.catch(() => undefined); // when the reset failed, its error is the one to report
    return this.reset.then(() => answer);
  }
}

for (const method of Object.keys(METHODS) as MethodName[]) {
  (RemoteDriver.prototype as unknown as Record<string, unknown>)[method] = function (this: RemoteDriver, ...args: unknown[]) {
    return this.call(method, args);
  };
}

export async function connectRemote(o: RemoteOptions, edition: Edition): Promise<RemoteDriver> {
  const conn = await connectionFor(o);
  const reset = conn.call("reset", { edition });
  // An agent that takes requests in order gets the scenario's first call right behind its reset:
  // a round trip less per scenario, which over a network is most of a short scenario's time.
  if (conn.inOrder && conn.catalogue) {
    reset.catch(() => undefined); // reported by the calls that wait for it
    return new RemoteDriver(conn, o.network, reset);
  }
  await reset;
  if (!conn.catalogue) {
    const catalogue = await conn.call("protocols", {});
    if (Array.isArray(catalogue)) conn.catalogue = catalogue as ProtocolInfo[];
  }
  return new RemoteDriver(conn, o.network);
}

export function parseRemoteOptions(options: Record<string, string> = {}): RemoteOptions {
  const num = (k: string) => (options[k] === undefined ? undefined : Number(options[k]));
  return {
    agent: options.agent,
    launch: options.launch,
    connect: options.connect,
    token: options.token,
    callTimeoutMs: num("callTimeoutMs"),
    startTimeoutMs: num("startTimeoutMs"),
  };
}

export type { ProtocolInfo };
