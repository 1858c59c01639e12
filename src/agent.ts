// The agent: hosts one local driver behind the driver protocol, over stdio or TCP.
// It answers every line, whatever it holds; nothing a harness sends can make it crash.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { writeFileSync, writeSync } from "node:fs";
import net from "node:net";
import type { Driver } from "../drivers/driver";
import { createDriver } from "../drivers/index";
import {
  encode,
  ErrorCode,
  HelloParams,
  HelloResult,
  LineSplitter,
  METHODS,
  MethodName,
  OPTIONAL_PARAMS,
  PROTOCOL_NAME,
  PROTOCOL_VERSION,
  Response,
} from "../drivers/remote/protocol";
import type { Edition } from "../drivers/simulator/simulator";

export interface AgentOptions {
  driver: string;
  edition: Edition;
  /** Required from TCP clients; stdio clients are trusted (they started the agent). */
  token?: string;
  driverOptions?: Record<string, string>;
}

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
  private greeted = false;
  private greeting: Promise<HelloResult> | null = null;
  private barrier: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly options: AgentOptions,
    private readonly write: (text: string) => void,
    private readonly requireToken: boolean,
    private readonly hangUp: () => void = () => undefined,
  ) {}

  readonly splitter = new LineSplitter(
    (line) => void this.handle(line),
    () => this.reply({ id: null, error: { code: "too-large", message: "message longer than the 1 MiB limit; skipped to the next newline" } }),
  );

  private reply(r: Response): void {
    if (!this.closed) this.write(encode(r));
  }

  async handle(line: string): Promise<void> {
    let id: number | null = null;
    try {
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch (e) {
        throw new ProtocolError("parse-error", `not JSON: ${(e as Error).message}`);
      }
      if (typeof msg !== "object" || msg === null || Array.isArray(msg)) throw new ProtocolError("parse-error", "a message must be a JSON object");
      const m = msg as { id?: unknown; method?: unknown; params?: unknown };
      if (typeof m.id !== "number" || !Number.isInteger(m.id)) throw new ProtocolError("invalid-request", "id must be an integer");
      id = m.id;
      if (typeof m.method !== "string") throw new ProtocolError("invalid-request", "method must be a string");
      const params = m.params ?? {};
      if (typeof params !== "object" || params === null || Array.isArray(params)) throw new ProtocolError("invalid-params", "params must be an object");
      const result = await this.dispatch(m.method, params as Record<string, unknown>);
      this.reply({ id, result: result === undefined ? null : result });
    } catch (e) {
      const err = e instanceof ProtocolError ? e : new ProtocolError("driver-error", (e as Error)?.message ?? String(e));
      this.reply({ id, error: { code: err.code, message: err.message } });
      if (err.code === "unauthorized") this.hangUp();
    }
  }

  private async dispatch(method: string, params: Record<string, unknown>): Promise<unknown> {
    if (method === "hello") return (this.greeting = this.hello(params as unknown as HelloParams));
    // Requests pipelined behind a hello wait for it; otherwise requests run concurrently.
    await this.greeting?.catch(() => undefined);
    if (!this.greeted) throw new ProtocolError("hello-required", `"${method}" before a successful hello`);
    if (method === "reset") {
      // Requests sent behind a reset must reach the fresh driver, not the old one.
      const done = this.barrier.then(() => this.reset(params.edition));
      this.barrier = done.catch(() => undefined);
      return done;
    }
    await this.barrier;
    if (!Object.prototype.hasOwnProperty.call(METHODS, method)) throw new ProtocolError("unknown-method", `no method "${method}"`);
    const names = METHODS[method as MethodName] as readonly string[];
    for (const key of Object.keys(params)) {
      if (!names.includes(key)) throw new ProtocolError("invalid-params", `"${method}" takes no parameter "${key}" (it takes: ${names.join(", ") || "none"})`);
    }
    const args = names.map((n) => {
      if (!(n in params) && !OPTIONAL_PARAMS.has(`${method}.${n}`)) throw new ProtocolError("invalid-params", `"${method}" needs parameter "${n}"`);
      return params[n];
    });
    const driver = await this.ensureDriver();
    return (driver[method as MethodName] as (...a: unknown[]) => Promise<unknown>).apply(driver, args);
  }

  private async hello(p: HelloParams): Promise<HelloResult> {
    if (p?.protocol !== PROTOCOL_NAME) throw new ProtocolError("invalid-params", `hello.protocol must be "${PROTOCOL_NAME}"`);
    if (this.requireToken && !tokenMatches(this.options.token ?? "", p.token)) throw new ProtocolError("unauthorized", "wrong or missing token");
    if (!Array.isArray(p.versions) || !p.versions.includes(PROTOCOL_VERSION)) {
      throw new ProtocolError("version-mismatch", `this agent speaks version ${PROTOCOL_VERSION} only`);
    }
    const driver = await this.ensureDriver();
    this.greeted = true;
    return {
      protocol: PROTOCOL_NAME,
      version: PROTOCOL_VERSION,
      driver: driver.name,
      implementation: { ...(driver.implementation ?? {}), agentPlatform: `${process.platform}-${process.arch}`, agentNode: process.version },
      capabilities: [...driver.capabilities],
      protocols: await driver.protocols(),
    };
  }

  private async reset(edition: unknown): Promise<null> {
    if (edition !== undefined && edition !== "current" && edition !== "legacy") throw new ProtocolError("invalid-params", "edition must be current or legacy");
    if (edition) this.options.edition = edition as Edition;
    await this.driver?.dispose();
    this.driver = null;
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
    this.closed = true;
    await this.driver?.dispose().catch(() => undefined);
    this.driver = null;
  }
}

function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== "string" || expected === "") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Serves one harness over this process's stdin/stdout until stdin ends. */
export function serveStdio(options: AgentOptions): Promise<void> {
  // fs.writeSync: under Wine, node.exe's process.stdout throws EBADF on a Unix pipe.
  const session = new AgentSession(options, (text) => writeSync(1, text), false);
  return new Promise((resolve) => {
    process.stdin.on("data", (chunk: Buffer) => session.splitter.push(chunk));
    process.stdin.on("end", () => void session.close().then(resolve));
  });
}

export interface Listening {
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Serves harnesses over TCP, one session per connection; a dropped connection ends only that session. */
export function serveTcp(options: AgentOptions, host: string, port: number, readyFile?: string): Promise<Listening> {
  const token = options.token ?? randomBytes(16).toString("hex");
  const opts = { ...options, token };
  const sessions = new Set<AgentSession>();
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    const session = new AgentSession({ ...opts }, (text) => void socket.write(text), true, () => socket.end());
    sessions.add(session);
    socket.on("data", (chunk) => session.splitter.push(chunk));
    socket.on("error", () => undefined); // a reset connection is the client's business
    socket.on("close", () => {
      sessions.delete(session);
      void session.close();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const addr = server.address() as net.AddressInfo;
      const ready = { host: addr.address, port: addr.port, token };
      if (readyFile) writeFileSync(readyFile, JSON.stringify(ready));
      resolve({
        ...ready,
        close: async () => {
          for (const s of sessions) await s.close();
          await new Promise<void>((r) => server.close(() => r()));
        },
      });
    });
  });
}
