// Blocking Winsock calls on OS threads of their own.
//
// A blocking call (a join, accept, recv, a select that waits) holds its thread until the network
// answers. Made on the agent's JS thread it would freeze the agent, so a scenario whose blocking
// join waits on another of its own calls could only end as TIMEOUT. Each such call therefore runs
// on a Node worker thread with a koffi binding of its own; the sentinel last error is planted and
// read on that thread, right around the call, because the last error is per thread.
//
// Workers are pooled process-wide (a worker starts in about a second under Wine): a call takes an
// idle worker or starts a new one, so any number of blocking calls can wait at the same time.
// Pointers and SOCKET handles are process-wide, so the driver builds a call's inputs in its own
// memory and passes their addresses.
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import { NO_ERROR_SET_SENTINEL } from "../winsock";
import { FROM_SOURCES, transpiledClosure, tsLoaderPrelude } from "./ts-sources";
import type { Ws2 } from "./ws2";

/** The raw WSAJoinLeaf arguments, every pointer already in process memory (0n/null = NULL). */
export type RawJoin = [s: bigint, name: bigint | null, namelen: number, caller: bigint | null, callee: bigint | null, sqos: bigint | null, gqos: bigint | null, flags: number];

/** What a WSAAccept condition function does, said as data (a closure cannot cross threads). */
export interface ThreadCondition {
  verdict: number;
  /** Bytes to write into lpCalleeData when accepting. */
  calleeData: string | null;
  /** A join made from inside the condition function, while the provider waits on it. */
  joinInside: RawJoin | null;
}

export type ThreadOp =
  /** api[fn](...args): a wrapper of ws2.ts. */
  | { op: "call"; fn: string; args: unknown[] }
  /** api.raw[fn](...args): the bare prototype. */
  | { op: "raw"; fn: string; args: unknown[] }
  | { op: "wsaAccept"; s: bigint; condition: ThreadCondition };

export interface ThreadAnswer<T = unknown> {
  value: T;
  /** WSAGetLastError() on the calling thread right after the call (the sentinel when none was set). */
  error: number;
  /** For wsaAccept: the caller data the condition saw, and the inner join's socket and error. */
  callerData?: string | null;
  joinInside?: { socket: bigint; error: number };
}

type Reply = { ok: true; answer: ThreadAnswer } | { ok: false; message: string };

// ------------------------------------------------------------------ the worker's side

/** Structured cloning turns Buffers into Uint8Arrays; koffi and ws2.ts want Buffers. */
function buffers(v: unknown): unknown {
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (Array.isArray(v)) return v.map(buffers);
  return v;
}

function runOp(api: Ws2, m: ThreadOp): ThreadAnswer {
  if (m.op === "wsaAccept") return wsaAccept(api, m.s, m.condition);
  const fn = m.op === "raw" ? api.raw[m.fn] : (api as unknown as Record<string, (...a: unknown[]) => unknown>)[m.fn];
  if (typeof fn !== "function") throw new Error(`no Winsock call "${m.fn}" to run on a call thread`);
  const args = m.args.map(buffers);
  api.WSASetLastError(NO_ERROR_SET_SENTINEL);
  const value = (fn as (...a: unknown[]) => unknown)(...args);
  return { value, error: api.WSAGetLastError() };
}

function wsaAccept(api: Ws2, s: bigint, c: ThreadCondition): ThreadAnswer {
  let callerData: string | null = null;
  let joinInside: ThreadAnswer["joinInside"];
  api.WSASetLastError(NO_ERROR_SET_SENTINEL);
  const value = api.WSAAccept(s, (args) => {
    // Never let an exception escape: koffi would answer 0, which means CF_ACCEPT.
    try {
      callerData = args.callerData ? args.callerData.toString("hex") : null;
      if (c.joinInside) {
        api.WSASetLastError(NO_ERROR_SET_SENTINEL);
        const socket = api.raw.WSAJoinLeaf(...c.joinInside) as number | bigint;
        joinInside = { socket: BigInt.asUintN(64, BigInt(socket)), error: api.WSAGetLastError() };
        api.WSASetLastError(NO_ERROR_SET_SENTINEL); // WSAAccept's own error must not be the inner call's
      }
      if (c.calleeData !== null && args.calleeDataPtr && args.calleeDataLen) {
        const data = Buffer.from(c.calleeData, "hex").subarray(0, args.calleeDataLen);
        Buffer.from(api.koffi.view(args.calleeDataPtr as never, data.length) as ArrayBuffer).set(data);
      }
      return c.verdict;
    } catch {
      return 1; // CF_REJECT
    }
  });
  return { value, error: api.WSAGetLastError(), callerData, joinInside };
}

/** The body of a call thread: answer one op at a time with its value and this thread's last error. */
export function serveCallThread(): void {
  if (isMainThread || !parentPort) throw new Error("serveCallThread runs inside a worker thread only");
  const port = parentPort;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api = (require("./ws2") as typeof import("./ws2")).loadWs2();
  port.on("message", (m: ThreadOp) => {
    let reply: Reply;
    try {
      reply = { ok: true, answer: runOp(api, m) };
    } catch (e) {
      reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  });
}

// ------------------------------------------------------------------ the driver's side

/** A worker loads this module and serves calls (its TypeScript arrives transpiled: ts-sources.ts). */
function bootstrap(): { code: string; sources: Record<string, string> } {
  const serve = `require(${JSON.stringify(__filename)}).serveCallThread();`;
  if (!FROM_SOURCES) return { code: serve, sources: {} };
  const load = `const { workerData } = require("node:worker_threads");\n${tsLoaderPrelude("workerData.sources")}`;
  return { code: `${load}\n${serve}`, sources: transpiledClosure([__filename]) };
}

let boot: ReturnType<typeof bootstrap> | undefined;

const MAX_IDLE = 4;

class CallThreads {
  private readonly idle: Worker[] = [];
  private started = 0;

  /** Runs `op` on a thread of its own; resolves when the call returns, however long it blocks. */
  run<T>(op: ThreadOp): Promise<ThreadAnswer<T>> {
    const worker = this.idle.pop() ?? this.spawn();
    return new Promise<ThreadAnswer<T>>((resolve, reject) => {
      const done = () => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
      };
      const onMessage = (r: Reply) => {
        done();
        if (this.idle.length < MAX_IDLE) this.idle.push(worker);
        else void worker.terminate();
        if (r.ok) resolve(r.answer as ThreadAnswer<T>);
        else reject(new Error(r.message));
      };
      const onError = (e: Error) => {
        done();
        reject(new Error(`call thread failed: ${e.message}`));
      };
      const onExit = (code: number) => {
        done();
        reject(new Error(`call thread exited (code ${code}) during ${op.op === "wsaAccept" ? "WSAAccept" : op.fn}`));
      };
      worker.on("message", onMessage);
      worker.once("error", onError);
      worker.once("exit", onExit);
      worker.postMessage(op);
    });
  }

  /** Starts one idle thread ahead of the first blocking call (it takes a while to start). */
  warm(): void {
    if (this.idle.length === 0 && this.started === 0) this.idle.push(this.spawn());
  }

  /** How many threads were started so far (for tests and findings). */
  get threadsStarted(): number {
    return this.started;
  }

  private spawn(): Worker {
    boot ??= bootstrap();
    const w = new Worker(boot.code, { eval: true, workerData: { sources: boot.sources }, stdout: false, stderr: false });
    w.unref(); // an idle call thread never keeps the agent alive
    this.started++;
    return w;
  }
}

let shared: CallThreads | undefined;

/** The process's call threads. */
export function callThreads(): CallThreads {
  return (shared ??= new CallThreads());
}
