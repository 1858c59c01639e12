// The driver protocol, version 1: the driver contract as JSON lines (docs/driver-protocol.md).
//
// Harness -> agent: {"id": 7, "method": "joinLeaf", "params": {"s": 256, "args": {...}}}
// Agent -> harness: {"id": 7, "result": {...}}  or  {"id": 7, "error": {"code": "...", "message": "..."}}
// The first request on a connection must be "hello"; "reset" gives the connection a fresh driver.

export const PROTOCOL_NAME = "joinleaf-driver";
export const PROTOCOL_VERSION = 1;
/** Longest line either side accepts, in bytes (without the newline). */
export const MAX_MESSAGE_BYTES = 1 << 20;
/**
 * Largest callee buffer (lpCalleeData.len) one joinLeaf may ask the agent to allocate, in bytes:
 * its hex in a calleeBuffer answer stays under half the line limit. Larger is invalid-params.
 */
export const MAX_CALLEE_BYTES = 256 * 1024;

/** Each contract method and the names of its parameters, in call order. */
export const METHODS = {
  protocols: [],
  startup: ["host", "options"],
  cleanup: ["host"],
  socket: ["options"],
  bind: ["s", "name", "namelen"],
  setReuseAddress: ["s", "on"],
  listen: ["s", "backlog"],
  accept: ["s"],
  wsaAccept: ["s", "condition"],
  joinLeaf: ["s", "args"],
  calleeBuffer: ["callId"],
  setNonBlocking: ["s", "on"],
  eventSelect: ["s", "mask"],
  enumNetworkEvents: ["s"],
  asyncSelect: ["s", "message", "mask"],
  takeMessages: ["host"],
  select: ["sets", "timeoutMs"],
  closesocket: ["s"],
  getsockname: ["s"],
  send: ["s", "data"],
  recv: ["s", "capacity"],
  setQos: ["s", "qos", "group"],
  getQos: ["s"],
  groupId: ["s"],
  cancelBlockingCall: ["host"],
  hostAddress: ["host"],
  definePeer: ["name", "behaviour"],
  peerLog: ["name"],
  peerLeave: ["name"],
  peerSend: ["name", "data", "sideChat"],
  peerRequestJoin: ["name", "root", "callerData"],
  injectFault: ["host", "fault", "on"],
  advance: ["ms", "onlyWhileWaiting"],
  openSockets: [],
  dispose: [],
} as const satisfies Record<string, readonly string[]>;

export type MethodName = keyof typeof METHODS;
/** Parameters that may be left out (they are optional in the contract). */
export const OPTIONAL_PARAMS: ReadonlySet<string> = new Set(["startup.options", "peerSend.sideChat", "advance.onlyWhileWaiting"]);

export type ErrorCode =
  | "parse-error" // the line is not JSON, or not a JSON object
  | "too-large" // the line is longer than MAX_MESSAGE_BYTES
  | "invalid-request" // no numeric id, or no method
  | "unknown-method"
  | "invalid-params"
  | "hello-required" // a call before a successful hello
  | "unauthorized" // wrong or missing token (TCP)
  | "version-mismatch"
  | "driver-error"; // the hosted driver threw (not a Winsock failure: those are results)

export interface HelloParams {
  protocol: typeof PROTOCOL_NAME;
  /** Versions the harness speaks; the agent picks one. */
  versions: number[];
  /** Required by agents that listen on TCP. */
  token?: string;
}

export interface HelloResult {
  protocol: typeof PROTOCOL_NAME;
  version: number;
  driver: string;
  /** Free text about the implementation under test (product, version, OS). */
  implementation: Record<string, string>;
  capabilities: string[];
  protocols: unknown[];
  /** "real": the agent fronts a real stack on the harness's machine; the harness brings real peers and faults. */
  testbed?: "real";
  /**
   * true: a request that arrives before the earlier ones are answered takes effect after them
   * (calls that may wait excepted), so the harness may send some without waiting (docs, "inOrder").
   */
  inOrder?: boolean;
}

export interface ResetParams {
  /** Which reading of the reference text a modelled driver follows. */
  edition: "current" | "legacy";
}

export interface Request {
  id: number;
  method: string;
  params?: Record<string, unknown>;
}

export type Response =
  | { id: number | null; result: unknown }
  | { id: number | null; error: { code: ErrorCode; message: string } };

/**
 * Splits a byte stream into lines. A line longer than the limit is reported once as too large
 * and skipped up to its newline, so one bad message never costs the ones after it.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private discarding = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOversize: () => void,
    private readonly limit = MAX_MESSAGE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, nl === -1 ? chunk.length : nl);
      if (!this.discarding) {
        this.parts.push(piece);
        this.size += piece.length;
        // One byte over is still a line when that byte turns out to be the tolerated \r.
        if (this.size > this.limit + 1) this.oversize();
      }
      if (nl === -1) return;
      if (!this.discarding) {
        const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
        const cr = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d;
        if (bytes.length - (cr ? 1 : 0) > this.limit) this.oversize();
        else {
          const line = bytes.toString("utf8", 0, bytes.length - (cr ? 1 : 0));
          if (line.trim() !== "") this.onLine(line);
        }
      }
      this.parts = [];
      this.size = 0;
      this.discarding = false;
      start = nl + 1;
    }
  }

  private oversize(): void {
    this.parts = [];
    this.size = 0;
    this.discarding = true;
    this.onOversize();
  }
}

export function encode(message: Request | Response | { id: number; method: string; params: unknown }): string {
  return JSON.stringify(message) + "\n";
}
