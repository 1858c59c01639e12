// The agent: hosts one local driver behind the driver protocol, over stdio or TCP.
// It answers every line, whatever it holds; nothing a harness sends can make it crash.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { read, readSync, renameSync, writeFileSync, writeSync } from "node:fs";
import net from "node:net";
import type { Driver } from "../drivers/driver";
import { createDriver, PASSIVE_BETWEEN_CALLS } from "../drivers/index";
import {
  ErrorCode,
  HelloParams,
  HelloResult,
  LineSplitter,
  MAX_MESSAGE_BYTES,
  METHODS,
  MethodName,
  PROTOCOL_NAME,
  PROTOCOL_VERSION,
} from "../drivers/remote/protocol";
import { requestProblem } from "../drivers/remote/request-schema";
import type { Edition } from "../drivers/simulator/simulator";
import { UsageError } from "./usage-error";

export interface AgentOptions {
  driver: string;
  edition: Edition;
  /** Required from TCP clients; stdio clients are trusted (they started the agent). */
  token?: string;
  driverOptions?: Record<string, string>;
}

/** Callee buffers one session may hold at once, in bytes (reset frees them). */
export const SESSION_CALLEE_BUDGET = 64 * 1024 * 1024;

class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** One client connection: its own driver instance, created at hello and renewed by reset. */
export class AgentSession {
  private driver: Driver | null = null;
  private greetedFlag = false;
  private greeting: Promise<HelloResult> | null = null;
  private barrier: Promise<unknown> = Promise.resolve();
  /** Resets not yet finished: while there is one, every request waits behind it (the barrier). */
  private resetsPending = 0;
  private closed = false;
  private inflight = 0;
  private whenIdle: Array<() => void> = [];
  /** Bytes of callee buffer the current driver was asked to allocate. */
  private calleeBytes = 0;
  private readonly running = new Set<() => void>();

  constructor(
    private readonly options: AgentOptions,
    private readonly write: (text: string) => void,
    private readonly requireToken: boolean,
    private readonly hangUp: () => void = () => undefined,
    private readonly onTrusted: () => void = () => undefined,
  ) {}

  readonly splitter = new LineSplitter(
    (line) => void this.handle(line),
    () => this.reply(`{"id":null,"error":${JSON.stringify({ code: "too-large", message: `message longer than the ${MAX_MESSAGE_BYTES}-byte limit; skipped to the next newline` })}}\n`),
  );

  get greeted(): boolean {
    return this.greetedFlag;
  }

  /** True while a request is being served (a blocking call counts). */
  get busy(): boolean {
    return this.inflight > 0;
  }

  /** Resolves when no request is being served. */
  idle(): Promise<void> {
    return this.inflight === 0 ? Promise.resolve() : new Promise((r) => this.whenIdle.push(r));
  }

  private reply(text: string): void {
    if (!this.closed) this.write(text);
  }

  async handle(line: string): Promise<void> {
    this.inflight++;
    // The id goes back as the text it came as: JSON numbers above 2^53 do not survive a parse.
    let idText = "null";
    try {
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch (e) {
        throw new ProtocolError("parse-error", `not JSON: ${(e as Error).message}`.slice(0, 300));
      }
      if (typeof msg !== "object" || msg === null || Array.isArray(msg)) throw new ProtocolError("parse-error", "a message must be a JSON object");
      const m = msg as { id?: unknown; method?: unknown; params?: unknown };
      if (!Number.isInteger(m.id)) throw new ProtocolError("invalid-request", "id must be an integer");
      idText = Number.isSafeInteger(m.id) ? String(m.id) : (rawIdText(line) ?? String(m.id));
      if (typeof m.method !== "string") throw new ProtocolError("invalid-request", "method must be a string");
      if (m.method !== "hello" && !this.greetedFlag) {
        // Requests pipelined behind a hello wait for it; otherwise requests run concurrently.
        await this.greeting?.catch(() => undefined);
        if (!this.greetedFlag) throw new ProtocolError("hello-required", `"${m.method.slice(0, 100)}" before a successful hello`);
      }
      const problem = requestProblem(m as { method: string });
      if (problem) throw new ProtocolError(problem.code, problem.message);
      const result = await this.dispatch(m.method, (m.params ?? {}) as Record<string, unknown>);
      const text = `{"id":${idText},"result":${JSON.stringify(result ?? null)}}\n`;
      // An answer the harness would have to drop as too large is refused here instead.
      if (text.length > MAX_MESSAGE_BYTES / 3 && Buffer.byteLength(text) - 1 > MAX_MESSAGE_BYTES) {
        throw new ProtocolError("driver-error", `the answer to "${m.method}" would be ${Buffer.byteLength(text)} bytes, over the ${MAX_MESSAGE_BYTES}-byte limit`);
      }
      this.reply(text);
    } catch (e) {
      const err = e instanceof ProtocolError ? e : new ProtocolError("driver-error", (e as Error)?.message ?? String(e));
      this.reply(`{"id":${idText},"error":${JSON.stringify({ code: err.code, message: err.message })}}\n`);
      if (err.code === "unauthorized") this.hangUp();
    } finally {
      if (--this.inflight === 0) for (const r of this.whenIdle.splice(0)) r();
    }
  }

  // Not async, and no await on the common path: each await is a turn of the microtask queue, and
  // a round trip's cost is mostly the code that runs between a wakeup and the answer's write.
  private dispatch(method: string, params: Record<string, unknown>): Promise<unknown> {
    if (method === "hello") return (this.greeting = this.hello(params as unknown as HelloParams));
    if (method === "reset") {
      // Requests sent behind a reset must reach the fresh driver, not the old one.
      const done = this.barrier.then(() => this.reset(params.edition));
      this.resetsPending++;
      this.barrier = done.catch(() => undefined).finally(() => this.resetsPending--);
      return done;
    }
    // The harness lets time pass while a blocking call waits; a call that can finish at once must
    // finish first, and when none is still waiting, no time passes (it was answered in transit).
    if (this.resetsPending > 0 || this.driver === null || (method === "advance" && params.onlyWhileWaiting)) {
      return this.barrier.then(async () => {
        if (method === "advance" && params.onlyWhileWaiting) {
          await new Promise((r) => setImmediate(r));
          if (this.running.size === 0) return null;
        }
        return this.callDriver(method, params, await this.ensureDriver());
      });
    }
    return this.callDriver(method, params, this.driver);
  }

  private callDriver(method: string, params: Record<string, unknown>, driver: Driver): Promise<unknown> {
    if (method === "joinLeaf") this.reserveCallee(params.args as { lpCalleeData?: { len?: number } | null });
    const names = METHODS[method as MethodName] as readonly string[];
    const call = (driver[method as MethodName] as (...a: unknown[]) => Promise<unknown>).apply(driver, names.map((n) => params[n]));
    // A call still blocked when its driver is thrown away is answered then, not never.
    return new Promise((resolve, reject) => {
      const abandon = () => reject(new ProtocolError("driver-error", `"${method}" was still running when reset or the end of the session discarded its driver`));
      this.running.add(abandon);
      call.then(
        (v) => {
          this.running.delete(abandon);
          resolve(v);
        },
        (e) => {
          this.running.delete(abandon);
          reject(e);
        },
      );
    });
  }

  /** Answers every call still running on the current driver, which is about to go. */
  private abandonRunning(): void {
    for (const abandon of this.running) abandon();
    this.running.clear();
  }

  /** Every callee buffer is allocated by the driver; one session may not hold more than the budget. */
  private reserveCallee(args: { lpCalleeData?: { len?: number } | null }): void {
    const len = args?.lpCalleeData?.len ?? 0; // at most MAX_CALLEE_BYTES: the schema says so
    if (this.calleeBytes + len > SESSION_CALLEE_BUDGET) {
      throw new ProtocolError("driver-error", `the session already holds ${this.calleeBytes} bytes of callee buffers (limit ${SESSION_CALLEE_BUDGET}); reset frees them`);
    }
    this.calleeBytes += len;
  }

  private async hello(p: HelloParams): Promise<HelloResult> {
    if (this.requireToken && !tokenMatches(this.options.token ?? "", p.token)) throw new ProtocolError("unauthorized", "wrong or missing token");
    // The client holds the token: the limits on strangers no longer apply, however long the driver takes to start.
    this.onTrusted();
    if (!p.versions.includes(PROTOCOL_VERSION)) throw new ProtocolError("version-mismatch", `this agent speaks version ${PROTOCOL_VERSION} only`);
    const driver = await this.ensureDriver();
    this.greetedFlag = true;
    return {
      protocol: PROTOCOL_NAME,
      version: PROTOCOL_VERSION,
      driver: driver.name,
      implementation: { ...(driver.implementation ?? {}), agentPlatform: `${process.platform}-${process.arch}`, agentNode: process.version },
      capabilities: [...driver.capabilities],
      protocols: await driver.protocols(),
      // Requests are dispatched as they arrive (behind a reset, once it is done): in order whenever the driver's calls are.
      ...(driver.inOrder ? { inOrder: true } : {}),
    };
  }

  private async reset(edition: unknown): Promise<null> {
    if (edition) this.options.edition = edition as Edition;
    this.abandonRunning();
    await this.driver?.dispose();
    this.driver = null;
    this.calleeBytes = 0;
    await this.ensureDriver();
    return null;
  }

  private async ensureDriver(): Promise<Driver> {
    if (!this.driver) {
      try {
        this.driver = await createDriver(this.options.driver, { edition: this.options.edition, options: this.options.driverOptions });
      } catch (e) {
        throw new ProtocolError("driver-error", `cannot start driver "${this.options.driver}": ${(e as Error).message}`);
      }
    }
    return this.driver;
  }

  async close(): Promise<void> {
    this.abandonRunning();
    this.closed = true;
    await this.driver?.dispose().catch(() => undefined);
    this.driver = null;
  }
}

/** The text of a message's top-level "id" value, read from the line itself (null when not found). */
export function rawIdText(line: string): string | null {
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === '"') {
      const end = stringEnd(line, i);
      if (depth === 1 && JSON.parse(line.slice(i, end + 1)) === "id") {
        const m = /^\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(line.slice(end + 1, end + 400));
        if (m) return m[1];
      }
      i = end;
    }
  }
  return null;
}

function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== "string" || expected === "") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Writes to a file descriptor whole and in order. fs.writeSync, because under Wine node.exe's
 * process.stdout throws EBADF on a Unix pipe; but a pipe may be nonblocking and full (EAGAIN)
 * or take part of a write, so what does not go through is queued and retried until it has.
 */
export class FdWriter {
  private queue: Buffer[] = [];
  private waiting = false;
  private broken = false;
  private drainedWaiters: Array<() => void> = [];

  constructor(private readonly fd: number) {}

  write(text: string): void {
    if (this.broken) return;
    const data = Buffer.from(text);
    if (this.waiting) {
      this.queue.push(data);
      return;
    }
    const done = this.tryWrite(data);
    if (done < data.length) {
      this.queue.push(data.subarray(done));
      this.retryLater();
    }
  }

  /** True while some of what was written is still queued (the pipe was full). */
  get pending(): boolean {
    return this.waiting;
  }

  /** Resolves once everything written so far is out (or the reader is gone). */
  drained(): Promise<void> {
    return this.waiting ? new Promise((r) => this.drainedWaiters.push(r)) : Promise.resolve();
  }

  /** Bytes written, 0 when the pipe is full; a reader that is gone ends all writing. */
  private tryWrite(data: Buffer): number {
    try {
      return writeSync(this.fd, data);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") return 0;
      this.broken = true; // EPIPE and the like: the harness is gone, nobody will read the rest
      this.queue = [];
      return data.length;
    }
  }

  private retryLater(): void {
    this.waiting = true;
    setTimeout(() => this.pump(), 1);
  }

  private pump(): void {
    while (this.queue.length) {
      const data = this.queue.length === 1 ? this.queue[0] : Buffer.concat(this.queue);
      this.queue = [];
      const done = this.tryWrite(data);
      if (done < data.length) {
        this.queue.unshift(data.subarray(done));
        return this.retryLater();
      }
    }
    this.waiting = false;
    for (const r of this.drainedWaiters.splice(0)) r();
  }
}

/** How long a session with requests still running may keep the agent after stdin ends. */
const END_GRACE_MS = 2_000;

/** Serves one harness over this process's stdin/stdout until stdin ends. */
export function serveStdio(options: AgentOptions): Promise<void> {
  const out = new FdWriter(1);
  const session = new AgentSession(options, (text) => out.write(text), false);
  return new Promise((resolve) => {
    const end = async () => {
      // Answer what was asked before the end, then leave.
      await Promise.race([session.idle(), new Promise((r) => setTimeout(r, END_GRACE_MS).unref())]);
      await session.close();
      await out.drained();
      resolve();
    };
    const onEventLoop = () => {
      process.stdin.on("data", (chunk: Buffer) => session.splitter.push(chunk));
      process.stdin.on("end", end);
    };
    // Not on Windows: there the blocking read and its fallback are untried.
    if (PASSIVE_BETWEEN_CALLS.has(options.driver) && process.platform !== "win32") readWhileIdle(session, out, end, onEventLoop);
    else onEventLoop();
  });
}

/**
 * Reads stdin with a blocking read whenever the session has nothing to do, and through the event
 * loop while it has: a request that waits (a blocking call, a timer) must not stop the next one
 * from being read. A wakeup from a blocking read costs less than one through the event loop (the
 * stdio round trip: 11,800 -> 15,000 a second here). If stdin cannot be read that way (it is
 * nonblocking), it falls back to the event loop for good.
 */
function readWhileIdle(session: AgentSession, out: FdWriter, end: () => void, onEventLoop: () => void): void {
  const buffer = Buffer.allocUnsafe(64 * 1024);
  // "none": nothing is reading (a chunk's requests are running); "given up": process.stdin reads.
  let reading: "blocking" | "event-loop" | "none" | "given up" = "none";
  let idleAwaited = false;
  let checkQueued = false;
  // Blocking is safe only when nothing here waits on a timer or a callback: no request running,
  // no answer queued behind a full pipe.
  const canBlock = () => !session.busy && !out.pending;
  const afterChunk = () => {
    if (!idleAwaited) {
      idleAwaited = true;
      void session.idle().then(() => {
        idleAwaited = false;
        if (reading !== "none") return;
        if (canBlock()) readBlocking();
        else readOnEventLoop();
      });
    }
    // The requests run as far as they can before the event loop turns; one still running then is
    // waiting, and the next chunk (which may be what it waits for) is read through the event loop.
    if (!checkQueued) {
      checkQueued = true;
      setImmediate(() => {
        checkQueued = false;
        if (reading === "none" && !canBlock()) readOnEventLoop();
      });
    }
  };
  const push = (n: number) => session.splitter.push(Buffer.from(buffer.subarray(0, n)));
  const readBlocking = () => {
    reading = "blocking";
    do {
      let n: number;
      try {
        n = readSync(0, buffer, 0, buffer.length, null);
      } catch {
        reading = "given up"; // stdin is nonblocking (EAGAIN) or cannot be read this way
        return onEventLoop();
      }
      if (n === 0) return end();
      push(n);
    } while (canBlock()); // a chunk without a whole line runs nothing: read on
    reading = "none";
    afterChunk();
  };
  const readOnEventLoop = () => {
    reading = "event-loop";
    read(0, buffer, 0, buffer.length, null, (err, n) => {
      reading = "none";
      if (err || n === 0) return end();
      push(n);
      afterChunk();
    });
  };
  readBlocking();
}

export interface Listening {
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** What one TCP client may cost the agent before it has proved it holds the token, and after. */
export interface TcpLimits {
  /** A connection that has not presented the token in a hello by then is closed. */
  helloTimeoutMs: number;
  /** A greeted connection with nothing received and nothing running for this long is closed. */
  idleTimeoutMs: number;
  /** Connections open at once; more are refused by the listener. */
  maxConnections: number;
  /** Connections waiting for their hello at once; a newer one closes the oldest. */
  maxUngreeted: number;
  /** Bytes a connection may send before its hello has succeeded. */
  preHelloBytes: number;
  /** Answers queued for a client that does not read them; beyond this the connection is closed. */
  maxQueuedBytes: number;
}

export const TCP_LIMITS: TcpLimits = {
  helloTimeoutMs: 10_000,
  idleTimeoutMs: 30 * 60_000,
  maxConnections: 64,
  maxUngreeted: 16,
  preHelloBytes: 64 * 1024,
  maxQueuedBytes: 64 * 1024 * 1024,
};

/** True for addresses that never leave the machine: 127.0.0.0/8, ::1 (also IPv4-mapped), localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  const v4 = h.replace(/^::ffff:/, "");
  return net.isIPv4(v4) && v4.startsWith("127.");
}

/** --listen's value: HOST:PORT, [IPv6]:PORT, or a bare PORT / :PORT, which listen on loopback (127.0.0.1). */
export function parseListen(text: string): { host: string; port: number } {
  const bad = () => new UsageError(`--listen wants HOST:PORT, [IPv6]:PORT or PORT, not "${text}"`);
  const t = text.trim();
  const i = t.lastIndexOf(":");
  let host = i < 0 ? "" : t.slice(0, i);
  const portText = i < 0 ? t : t.slice(i + 1);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw bad();
  if (host.startsWith("[") || host.endsWith("]")) {
    if (!/^\[[^\]]+\]$/.test(host)) throw bad();
    host = host.slice(1, -1);
  } else if (host.includes(":")) {
    throw bad(); // an IPv6 address goes in brackets, or its last group reads as the port
  }
  return { host: host === "" ? "127.0.0.1" : host, port: Number(portText) };
}

/** Writes the ready file readable by its owner only, whole at once (a reader never sees half of it). */
function writeReadyFile(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, file);
}

/** Serves harnesses over TCP, one session per connection; a dropped connection ends only that session. */
export function serveTcp(options: AgentOptions, host: string, port: number, readyFile?: string, limits: Partial<TcpLimits> = {}): Promise<Listening> {
  if (options.token === "") throw new UsageError("--token must not be empty: no client could ever log in");
  const lim = { ...TCP_LIMITS, ...limits };
  const token = options.token ?? randomBytes(16).toString("hex");
  const opts = { ...options, token };
  const sessions = new Set<AgentSession>();
  const ungreeted = new Set<net.Socket>();
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    let trusted = false;
    const refuse = (message: string) => {
      if (socket.destroyed) return;
      socket.write(`{"id":null,"error":${JSON.stringify({ code: "unauthorized", message })}}\n`, () => socket.destroy());
      setTimeout(() => socket.destroy(), 1_000).unref();
    };
    const session = new AgentSession(
      { ...opts },
      (text) => {
        socket.write(text);
        if (socket.writableLength > lim.maxQueuedBytes) socket.destroy(); // a client that never reads
      },
      true,
      () => socket.end(),
      () => {
        trusted = true;
        ungreeted.delete(socket);
        clearTimeout(helloTimer);
      },
    );
    sessions.add(session);
    open.add(socket);
    ungreeted.add(socket);
    if (ungreeted.size > lim.maxUngreeted) {
      const oldest = ungreeted.values().next().value as net.Socket;
      ungreeted.delete(oldest);
      oldest.destroy();
    }
    const helloTimer = setTimeout(() => refuse(`no successful hello within ${lim.helloTimeoutMs} ms`), lim.helloTimeoutMs);
    // The idle timer looks at when data last came rather than being re-armed on every chunk
    // (a re-arm per request cost a few µs of each round trip).
    let lastHeard = Date.now();
    let idleTimer = setTimeout(function idle() {
      const quietFor = Date.now() - lastHeard;
      if (session.busy) idleTimer = setTimeout(idle, lim.idleTimeoutMs);
      else if (quietFor < lim.idleTimeoutMs) idleTimer = setTimeout(idle, lim.idleTimeoutMs - quietFor);
      else socket.destroy();
    }, lim.idleTimeoutMs);
    let before = 0;
    socket.on("data", (chunk) => {
      lastHeard = Date.now();
      if (!trusted && (before += chunk.length) > lim.preHelloBytes) return refuse(`more than ${lim.preHelloBytes} bytes before a successful hello`);
      session.splitter.push(chunk);
    });
    socket.on("error", () => undefined); // a reset connection is the client's business
    socket.on("close", () => {
      clearTimeout(helloTimer);
      clearTimeout(idleTimer);
      ungreeted.delete(socket);
      open.delete(socket);
      sessions.delete(session);
      void session.close();
    });
  });
  server.maxConnections = lim.maxConnections;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const addr = server.address() as net.AddressInfo;
      const ready = { host: addr.address, port: addr.port, token };
      if (readyFile) writeReadyFile(readyFile, JSON.stringify(ready));
      resolve({
        ...ready,
        close: async () => {
          const closed = new Promise<void>((r) => server.close(() => r()));
          for (const s of sessions) await s.close();
          for (const s of open) s.destroy();
          await closed;
        },
      });
    });
  });
}
