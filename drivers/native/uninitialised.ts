// A Winsock that is really not initialised, for the application that has cleaned up.
//
// The agent's process holds WSAStartup references the application never took (Node's libuv takes
// one when it starts, the driver one to list the providers), and it cannot drop them: the last
// WSACleanup closes every socket of the process, the agent's own link among them. So while the
// application holds no reference, its joins and cleanups (the calls the suite makes then; any other
// call still goes to the agent's Winsock) go to a child process that drops every reference it
// holds (it has no socket to lose: it talks to us through its environment and a file), checks that
// a further WSACleanup answers WSANOTINITIALISED, and then makes the call on ws2_32 for real.
//
// The descriptor the application passes is the agent's; in the child it names nothing, just as an
// application's sockets are all closed by its own last WSACleanup.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CalleeBuffer, JoinLeafArgs, Result, Sock } from "../driver";
import { done, fail } from "../driver";
import { ERRORS, NO_ERROR_SET_SENTINEL } from "../winsock";
import { FROM_SOURCES, transpiledClosure, tsLoaderPrelude } from "./ts-sources";

export type UninitialisedRequest = { method: "cleanup" } | { method: "joinLeaf"; s: Sock; args: JoinLeafArgs };

export interface UninitialisedReply {
  result: Result<Sock> | Result;
  callee?: CalleeBuffer;
  inputsUnchanged?: boolean;
  /** How many references the child dropped before Winsock answered WSANOTINITIALISED. */
  dropped: number;
}

/** What the child writes: its reply, or why it could not reach an uninitialised Winsock. */
type ChildOutput = { ok: true; reply: UninitialisedReply } | { ok: false; reason: string };

const REQUEST_ENV = "JOINLEAF_UNINITIALISED_REQUEST";
const OUT_ENV = "JOINLEAF_UNINITIALISED_OUT";
const CHILD_TIMEOUT_MS = 60_000;
/** More references than any process holds; a Winsock still initialised after this many is broken. */
const MAX_REFERENCES = 64;

export class UninitialisedUnreachable extends Error {}

/** Runs one call in a child process with no WSAStartup in force. */
export async function runUninitialised(request: UninitialisedRequest): Promise<UninitialisedReply> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "joinleaf-uninit-"));
  const out = path.join(dir, "reply.json");
  try {
    // The child's TypeScript arrives transpiled, in a file next to its reply (ts-sources.ts).
    const sources = path.join(dir, "sources.json");
    if (FROM_SOURCES) writeFileSync(sources, JSON.stringify(transpiledClosure([__filename])));
    const code = [
      FROM_SOURCES ? tsLoaderPrelude(`JSON.parse(require("node:fs").readFileSync(${JSON.stringify(sources)}, "utf8"))`) : "",
      `require(${JSON.stringify(__filename)}).serveUninitialised();`,
    ].join("\n");
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        ["-e", code],
        { env: { ...process.env, [REQUEST_ENV]: JSON.stringify(request), [OUT_ENV]: out }, timeout: CHILD_TIMEOUT_MS, windowsHide: true },
        (err, _stdout, stderr) => {
          if (err) reject(new UninitialisedUnreachable(`the uninitialised-Winsock child failed: ${err.message.split("\n")[0]}${stderr ? ` (${String(stderr).trim().split("\n").pop()})` : ""}`));
          else resolve();
        },
      );
    });
    const output = JSON.parse(readFileSync(out, "utf8")) as ChildOutput;
    if (!output.ok) throw new UninitialisedUnreachable(output.reason);
    return output.reply;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The child's side: drop every reference, check Winsock says so, make the call, write the answer. */
export function serveUninitialised(): void {
  const out = process.env[OUT_ENV];
  const request = JSON.parse(process.env[REQUEST_ENV] ?? "null") as UninitialisedRequest;
  let output: ChildOutput;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { NativeDriver } = require("./native-driver") as typeof import("./native-driver");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const api = (require("./ws2") as typeof import("./ws2")).loadWs2();
    const driver = new NativeDriver(); // builds the join's inputs; its own reference goes with the rest
    let dropped = 0;
    let error = 0;
    for (; dropped <= MAX_REFERENCES; dropped++) {
      api.WSASetLastError(NO_ERROR_SET_SENTINEL);
      if (api.WSACleanup() !== 0) {
        error = api.WSAGetLastError();
        break;
      }
    }
    if (error !== ERRORS.WSANOTINITIALISED) {
      output = { ok: false, reason: `a process that dropped ${dropped} WSAStartup references still is not uninitialised: WSACleanup answered ${error === 0 ? "success" : error}, not WSANOTINITIALISED` };
    } else if (request.method === "cleanup") {
      api.WSASetLastError(NO_ERROR_SET_SENTINEL);
      const rc = api.WSACleanup();
      const e = api.WSAGetLastError();
      output = { ok: true, reply: { result: rc === 0 ? done : fail(e), dropped } };
    } else {
      const join = driver.joinOnThisThread(request.s, request.args);
      output = { ok: true, reply: { result: join.result, callee: join.callee, inputsUnchanged: join.inputsUnchanged, dropped } };
    }
  } catch (e) {
    output = { ok: false, reason: `the uninitialised-Winsock child could not make the call: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (out) writeFileSync(out, JSON.stringify(output));
}
