// docs/driver-protocol.schema.json against the code and against real conversations.
//
// No JSON Schema library: a small checker below understands exactly the keywords the schema
// uses, and the first test fails if the schema ever uses one it does not know. The structure
// tests tie the schema to METHODS and to the contract's types (the key lists are type-checked
// by `npm run typecheck`); the transcript tests validate every line of real sessions with the
// simulator agent, with the Python example agent, and the transcripts printed in the doc.
import assert from "node:assert/strict";
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import type {
  AcceptCondition,
  AcceptOutcome,
  AsyncMessage,
  CalleeBuffer,
  Flowspec,
  HostOptions,
  JoinLeafArgs,
  JoinLeafOutcome,
  NetworkEvents,
  PeerBehaviour,
  PeerLog,
  ProtocolInfo,
  Qos,
  SelectSets,
  SocketOptions,
  WsaBufIn,
} from "../drivers/driver";
import { DRIVER_CAPABILITIES } from "../drivers/capabilities";
import { ErrorCode, HelloParams, HelloResult, LineSplitter, MAX_CALLEE_BYTES, METHODS, OPTIONAL_PARAMS, ResetParams } from "../drivers/remote/protocol";
import { AgentSession } from "../src/agent";
import { loadValidators, writePrebuiltValidators } from "../drivers/remote/request-schema";
import { encodeSockAddr, inet } from "../drivers/sockaddr";
import { fdMask } from "../drivers/winsock";
import { PACKAGE_ROOT } from "../src/package-root";

const ROOT = PACKAGE_ROOT;
const SCHEMA_FILE = path.join(ROOT, "docs", "driver-protocol.schema.json");
const DOC_FILE = path.join(ROOT, "docs", "driver-protocol.md");
const PYTHON_AGENT = path.join(ROOT, "examples", "python-agent", "agent.py");

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = { [k: string]: Json };
const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as Schema;
const defs = schema.$defs as Record<string, Schema>;

// ------------------------------------------------------------------ a checker for the schema's keywords

const ANNOTATIONS = new Set(["$schema", "$defs", "title", "description", "$comment"]);
const ASSERTIONS = new Set([
  "$ref", "type", "const", "enum", "pattern", "minLength", "minimum", "maximum",
  "items", "minItems", "maxItems", "uniqueItems",
  "properties", "required", "additionalProperties", "minProperties", "maxProperties",
  "oneOf", "anyOf",
]);

function resolve(ref: string): Schema {
  const m = /^#\/\$defs\/([A-Za-z0-9_]+)$/.exec(ref);
  assert.ok(m, `only local "#/$defs/Name" references are used, not ${ref}`);
  const target = defs[m[1]];
  assert.ok(target, `${ref} names no definition`);
  return target;
}

const typeOf = (v: Json): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v;

function validate(s: Schema, v: Json, at = "$"): string[] {
  const errors: string[] = [];
  const err = (msg: string) => errors.push(`${at}: ${msg}`);
  if (typeof s.$ref === "string") errors.push(...validate(resolve(s.$ref), v, at));
  if (typeof s.type === "string") {
    const t = typeOf(v);
    if (!(t === s.type || (s.type === "number" && t === "integer"))) err(`is ${t}, not ${s.type}`);
  }
  if ("const" in s && !deepEqual(s.const, v)) err(`is ${JSON.stringify(v)}, not ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, v))) err(`${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`);
  if (typeof v === "string") {
    if (typeof s.pattern === "string" && !new RegExp(s.pattern, "u").test(v)) err(`"${v.slice(0, 40)}" does not match ${s.pattern}`);
    if (typeof s.minLength === "number" && [...v].length < s.minLength) err(`is shorter than ${s.minLength}`);
  }
  if (typeof v === "number") {
    if (typeof s.minimum === "number" && v < s.minimum) err(`${v} < ${s.minimum}`);
    if (typeof s.maximum === "number" && v > s.maximum) err(`${v} > ${s.maximum}`);
  }
  if (Array.isArray(v)) {
    if (typeof s.minItems === "number" && v.length < s.minItems) err(`has ${v.length} items, fewer than ${s.minItems}`);
    if (typeof s.maxItems === "number" && v.length > s.maxItems) err(`has ${v.length} items, more than ${s.maxItems}`);
    if (s.uniqueItems === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) err("has repeated items");
    if (s.items && typeof s.items === "object") v.forEach((x, i) => errors.push(...validate(s.items as Schema, x, `${at}[${i}]`)));
  }
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const k of (s.required ?? []) as string[]) if (!(k in v)) err(`lacks "${k}"`);
    for (const [k, x] of Object.entries(v)) {
      if (k in props) errors.push(...validate(props[k], x, `${at}.${k}`));
      else if (s.additionalProperties === false) err(`has no property "${k}" in the schema`);
      else if (s.additionalProperties && typeof s.additionalProperties === "object") errors.push(...validate(s.additionalProperties as Schema, x, `${at}.${k}`));
    }
    const n = Object.keys(v).length;
    if (typeof s.minProperties === "number" && n < s.minProperties) err(`has fewer than ${s.minProperties} properties`);
    if (typeof s.maxProperties === "number" && n > s.maxProperties) err(`has more than ${s.maxProperties} properties`);
  }
  if (Array.isArray(s.oneOf)) {
    const outcomes = s.oneOf.map((b) => validate(b as Schema, v, at));
    const passing = outcomes.filter((e) => e.length === 0).length;
    if (passing !== 1) err(passing === 0 ? `matches no oneOf branch (${closest(outcomes)})` : `matches ${passing} oneOf branches`);
  }
  if (Array.isArray(s.anyOf)) {
    const outcomes = s.anyOf.map((b) => validate(b as Schema, v, at));
    if (!outcomes.some((e) => e.length === 0)) err(`matches no anyOf branch (${closest(outcomes)})`);
  }
  return errors;
}

/** The branch that came nearest, to make a failure readable. */
function closest(outcomes: string[][]): string {
  const best = [...outcomes].sort((a, b) => a.length - b.length)[0] ?? [];
  return best.slice(0, 3).join("; ");
}

function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function expectValid(s: Schema, v: unknown, what: string): void {
  const errors = validate(s, v as Json);
  assert.deepEqual(errors, [], `${what} does not fit the schema:\n  ${errors.join("\n  ")}\n  ${JSON.stringify(v).slice(0, 400)}`);
}

/** Every schema object inside `s`, with where it is. */
function* subschemas(s: Schema, at: string): Generator<[string, Schema]> {
  yield [at, s];
  for (const [k, v] of Object.entries(s)) {
    if ((k === "$defs" || k === "properties") && v && typeof v === "object") {
      for (const [name, sub] of Object.entries(v)) yield* subschemas(sub as Schema, `${at}/${k}/${name}`);
    } else if ((k === "items" || k === "additionalProperties") && v && typeof v === "object" && !Array.isArray(v)) {
      yield* subschemas(v as Schema, `${at}/${k}`);
    } else if ((k === "oneOf" || k === "anyOf") && Array.isArray(v)) {
      for (const [i, sub] of v.entries()) yield* subschemas(sub as Schema, `${at}/${k}/${i}`);
    }
  }
}

const request = (line: unknown) => expectValid({ $ref: "#/$defs/Request" }, line, "request");
const response = (line: unknown) => expectValid({ $ref: "#/$defs/Response" }, line, "response");
const resultOf = (method: string, result: unknown) => expectValid({ $ref: "#/$defs/MethodResults" }, { [method]: result }, `the result of ${method}`);

// ------------------------------------------------------------------ structure

test("the schema is draft 2020-12, uses only keywords this checker knows, and every reference resolves", () => {
  assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  const used = new Set<string>();
  for (const [at, s] of subschemas(schema, "#")) {
    for (const k of Object.keys(s)) {
      assert.ok(ANNOTATIONS.has(k) || ASSERTIONS.has(k), `${at} uses "${k}", which the checker in this test does not understand`);
      used.add(k);
    }
    if (typeof s.$ref === "string") resolve(s.$ref);
    if (Array.isArray(s.required)) {
      for (const r of s.required as string[]) assert.ok(r in ((s.properties ?? {}) as object), `${at} requires "${r}" but does not describe it`);
    }
  }
  const referenced = new Set([...JSON.stringify(schema).matchAll(/"#\/\$defs\/([A-Za-z0-9_]+)"/g)].map((m) => m[1]));
  // MethodResults is the second entry point: a response's result is checked against it.
  const unused = Object.keys(defs).filter((d) => !referenced.has(d) && d !== "MethodResults");
  assert.deepEqual(unused, [], "every definition is used");
});

test("the request envelope names exactly the methods of METHODS plus hello and reset, each with exactly its parameters", () => {
  const branches = (defs.Request.oneOf as Schema[]).map((b) => resolve(b.$ref as string));
  const seen: string[] = [];
  for (const b of branches) {
    const props = b.properties as Record<string, Schema>;
    const method = props.method.const as string;
    seen.push(method);
    assert.equal(b.additionalProperties, false, `the ${method} request allows no other keys`);
    assert.deepEqual(Object.keys(props), ["id", "method", "params"]);
    const params = props.params.$ref ? resolve(props.params.$ref as string) : props.params;
    assert.equal(params.type, "object");
    assert.equal(params.additionalProperties, false, `${method}'s params allow no other keys`);
    const names = Object.keys(params.properties as object);
    const required = (params.required ?? []) as string[];
    if (method === "hello") {
      assert.deepEqual(names, Object.keys(HELLO_PARAMS));
      assert.deepEqual(required, requiredOf(HELLO_PARAMS));
    } else if (method === "reset") {
      assert.deepEqual(names, Object.keys(RESET_PARAMS));
      assert.deepEqual(required, requiredOf(RESET_PARAMS));
    } else {
      assert.ok(method in METHODS, `the schema has a method "${method}" that METHODS does not`);
      const expected = METHODS[method as keyof typeof METHODS] as readonly string[];
      assert.deepEqual(names, [...expected], `${method}'s parameters, in call order`);
      assert.deepEqual(required, expected.filter((n) => !OPTIONAL_PARAMS.has(`${method}.${n}`)), `${method}'s required parameters`);
    }
    assert.deepEqual(b.required, required.length ? ["id", "method", "params"] : ["id", "method"], `${method}: params may be left out only when none is required`);
  }
  assert.deepEqual([...seen].sort(), ["hello", "reset", ...Object.keys(METHODS)].sort());
  assert.equal(new Set(seen).size, seen.length, "one branch per method");
  assert.deepEqual(Object.keys(defs.MethodResults.properties as object).sort(), [...seen].sort(), "MethodResults has one entry per method");
});

test("error codes and capabilities are the protocol's own", () => {
  assert.deepEqual([...(defs.ErrorCode.enum as string[])].sort(), Object.keys(ERROR_CODES).sort());
  assert.deepEqual(defs.DriverCapability.enum, [...DRIVER_CAPABILITIES]);
  assert.deepEqual((defs.HelloParams.properties as Record<string, Schema>).protocol.const, "joinleaf-driver");
});

/** For each contract type: every key, and whether it may be left out. Checked by the type checker. */
type Shape<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? "optional" : "required" };
const HELLO_PARAMS: Shape<HelloParams> = { protocol: "required", versions: "required", token: "optional" };
const RESET_PARAMS: Shape<ResetParams> = { edition: "required" };
const ERROR_CODES: Record<ErrorCode, true> = {
  "parse-error": true, "too-large": true, "invalid-request": true, "unknown-method": true, "invalid-params": true,
  "hello-required": true, unauthorized: true, "version-mismatch": true, "driver-error": true,
};
const SHAPES: Record<string, Record<string, "optional" | "required">> = {
  ProtocolInfo: {
    id: "required", name: "required", catalogEntryId: "required", providerId: "required", addressFamily: "required", socketType: "required",
    protocol: "required", serviceFlags1: "required", maxConnectData: "required", rootInitiatedJoins: "required", leafInitiatedJoins: "required", sideChat: "required",
  } satisfies Shape<ProtocolInfo>,
  Flowspec: {
    tokenRate: "required", tokenBucketSize: "required", peakBandwidth: "required", latency: "required", delayVariation: "required",
    serviceType: "required", maxSduSize: "required", minimumPolicedSize: "required",
  } satisfies Shape<Flowspec>,
  Qos: { sending: "required", receiving: "required", providerSpecific: "required" } satisfies Shape<Qos>,
  WsaBufIn: { len: "required", buf: "required" } satisfies Shape<WsaBufIn>,
  CalleeRequest: { len: "required" } satisfies Shape<NonNullable<JoinLeafArgs["lpCalleeData"]>>,
  JoinLeafArgs: {
    name: "required", namelen: "required", lpCallerData: "required", lpCalleeData: "required", lpSQOS: "required", lpGQOS: "required", dwFlags: "required",
  } satisfies Shape<JoinLeafArgs>,
  CalleeBuffer: { len: "required", bytes: "required", guardIntact: "required" } satisfies Shape<CalleeBuffer>,
  JoinLeafOutcome: { callId: "required", result: "required", callee: "optional", inputsUnchanged: "optional" } satisfies Shape<JoinLeafOutcome>,
  AcceptCondition: { verdict: "required", calleeData: "optional", joinInside: "optional" } satisfies Shape<AcceptCondition>,
  AcceptOutcome: { result: "required", callerData: "optional", joinInside: "optional" } satisfies Shape<AcceptOutcome>,
  NetworkEvents: { events: "required", errors: "required" } satisfies Shape<NetworkEvents>,
  AsyncMessage: { socket: "required", message: "required", event: "required", error: "required" } satisfies Shape<AsyncMessage>,
  SelectSets: { read: "required", write: "required", except: "required" } satisfies Shape<SelectSets>,
  PeerBehaviour: { answer: "required", calleeData: "optional" } satisfies Shape<PeerBehaviour>,
  PeerLog: {
    joinRequests: "required", lastCallerData: "required", lastQosTokenRate: "required", member: "required", sawClose: "required", received: "required",
  } satisfies Shape<PeerLog>,
  HostOptions: { version: "optional" } satisfies Shape<HostOptions>,
  SocketOptions: { host: "required", protocol: "required", flags: "required", group: "optional" } satisfies Shape<SocketOptions>,
  HelloParams: HELLO_PARAMS,
  ResetParams: RESET_PARAMS,
  HelloResult: {
    protocol: "required", version: "required", driver: "required", implementation: "required", capabilities: "required", protocols: "required", testbed: "optional", inOrder: "optional",
  } satisfies Shape<HelloResult>,
};
function requiredOf(shape: Record<string, string>): string[] {
  return Object.entries(shape).filter(([, r]) => r === "required").map(([k]) => k);
}

test("every contract type has a definition with exactly its keys, required where the type requires them", () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    const d = defs[name];
    assert.ok(d, `no $defs/${name}`);
    assert.equal(d.type, "object", name);
    assert.equal(d.additionalProperties, false, `${name} allows no other keys`);
    assert.deepEqual(Object.keys(d.properties as object).sort(), Object.keys(shape).sort(), `${name}'s keys`);
    assert.deepEqual([...((d.required ?? []) as string[])].sort(), requiredOf(shape).sort(), `${name}'s required keys`);
  }
});

test("the checker itself: it rejects what it should", () => {
  const bad: Array<[unknown, string]> = [
    [{ id: 1, method: "joinLeaf", params: { s: 1 } }, "missing args"],
    [{ id: 1, method: "joinLeaf", params: { s: 1, args: {}, extra: 1 } }, "unknown parameter"],
    [{ id: 1, method: "fly", params: {} }, "unknown method"],
    [{ id: "1", method: "protocols" }, "string id"],
    [{ id: 1, method: "send", params: { s: 1, data: "ABC" } }, "odd, uppercase hex"],
  ];
  for (const [line, why] of bad) assert.notDeepEqual(validate({ $ref: "#/$defs/Request" }, line as Json), [], why);
  assert.notDeepEqual(validate({ $ref: "#/$defs/MethodResults" }, { socket: { ok: true, value: -1 } }), [], "negative descriptor");
  assert.notDeepEqual(validate({ $ref: "#/$defs/MethodResults" }, { socket: { ok: false, error: 10038, value: 3 } }), [], "a Fail with a value");
  assert.notDeepEqual(validate({ $ref: "#/$defs/Response" }, { id: 1, result: null, error: { code: "driver-error", message: "" } }), [], "both result and error");
  assert.deepEqual(validate(schema, { id: null, error: { code: "too-large", message: "skipped" } }), []);
});

// ------------------------------------------------------------------ real conversations

/** Talks to an agent over stdio; every line both ways is checked against the schema. */
class Session {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { method: string; resolve: (m: Record<string, unknown>) => void }>();
  readonly answered = new Map<string, number>();
  readonly problems: string[] = [];
  stderr = "";

  constructor(command: string, args: string[]) {
    this.child = spawn(command, args, { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr?.on("data", (d) => (this.stderr += d));
    const splitter = new LineSplitter(
      (line) => this.onLine(line),
      () => assert.fail("the agent sent a line over the size limit"),
    );
    this.child.stdout?.on("data", (c: Buffer) => splitter.push(c));
  }

  private onLine(line: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
      response(msg);
    } catch (e) {
      this.problems.push((e as Error).message);
      return;
    }
    const p = this.pending.get(msg.id as number);
    if (!p) return;
    this.pending.delete(msg.id as number);
    if ("result" in msg) {
      try {
        resultOf(p.method, msg.result);
        this.answered.set(p.method, (this.answered.get(p.method) ?? 0) + 1);
      } catch (e) {
        this.problems.push((e as Error).message);
      }
    }
    p.resolve(msg);
  }

  /** Fails the test with whatever did not fit the schema so far. */
  check(): void {
    assert.deepEqual(this.problems, [], "every line the agent sent fits the schema");
  }

  /** Sends a request and resolves with the whole response (result or error). */
  send(method: string, params: Record<string, unknown>, { wellFormed = true } = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const msg = { id, method, params };
    if (wellFormed) request(msg);
    return new Promise<Record<string, unknown>>((resolve) => {
      this.pending.set(id, { method, resolve });
      this.child.stdin?.write(JSON.stringify(msg) + "\n");
    }).finally(() => this.check());
  }

  /** Sends a request that must succeed at the protocol level; resolves with its result. */
  async call<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const r = await this.send(method, params);
    assert.ok("result" in r, `${method} answered with an error: ${JSON.stringify(r.error)}`);
    return r.result as T;
  }

  /** Sends a line as it is, not checked as a request (its error answer is still checked). */
  raw(line: string): void {
    this.child.stdin?.write(line + "\n");
  }

  /** Ends stdin (the agent should then exit 0) and checks every line it sent. */
  async close(): Promise<number | null> {
    this.child.stdin?.end();
    const code = await new Promise<number | null>((resolve) => {
      if (this.child.exitCode !== null) resolve(this.child.exitCode);
      else this.child.on("exit", (c) => resolve(c));
    });
    this.check();
    return code;
  }
}

type Ok<T> = { ok: true; value: T } | { ok: false; error: number };
const value = <T>(r: Ok<T>): T => {
  assert.ok(r.ok, `expected success, got error ${r.ok ? "" : r.error}`);
  return r.value;
};
const HELLO = { protocol: "joinleaf-driver", versions: [1] };
const NO_QOS = 0xffffffff;
const flow = (tokenRate: number) => ({
  tokenRate, tokenBucketSize: NO_QOS, peakBandwidth: NO_QOS, latency: NO_QOS, delayVariation: NO_QOS, serviceType: 2, maxSduSize: NO_QOS, minimumPolicedSize: NO_QOS,
});
const QOS = { sending: flow(1000), receiving: flow(1000), providerSpecific: { len: 0, buf: null } };
const args = (name: string, extra: Record<string, unknown> = {}) => ({
  name, namelen: 16, lpCallerData: null, lpCalleeData: null, lpSQOS: null, lpGQOS: null, dwFlags: 4, ...extra,
});

test("a session with the simulator agent that calls every method fits the schema, line by line", { timeout: 60_000 }, async () => {
  const a = new Session(process.execPath, [path.join(ROOT, "bin", "joinleaf.js"), "agent"]);
  try {
    const hello = await a.call<HelloResult>("hello", HELLO);
    assert.ok(hello.protocols.length > 0);
    await a.call("reset", { edition: "current" });
    const protocols = await a.call<ProtocolInfo[]>("protocols");
    const atm = protocols.find((p) => p.rootInitiatedJoins && p.leafInitiatedJoins)?.id;
    const multicast = protocols.find((p) => !(p.serviceFlags1 & 0x800))?.id;
    assert.ok(atm && multicast, "the simulator has a rooted entry with both join directions and a nonrooted one");
    value(await a.call("startup", { host: "local" }));
    value(await a.call("startup", { host: "R", options: { version: "2.2" } }));
    const local = await a.call<string>("hostAddress", { host: "local" });

    const root = value(await a.call<Ok<number>>("socket", { options: { host: "local", protocol: atm, flags: 0x02 | 0x08, group: 1 } }));
    const leafR = value(await a.call<Ok<number>>("socket", { options: { host: "R", protocol: atm, flags: 0x04 | 0x10 } }));
    const member = value(await a.call<Ok<number>>("socket", { options: { host: "local", protocol: multicast, flags: 0x04 | 0x10 } }));
    value(await a.call("setReuseAddress", { s: root, on: true }));
    const rootName = encodeSockAddr(inet(local, 7000));
    value(await a.call("bind", { s: root, name: rootName, namelen: 16 }));
    assert.equal(value(await a.call<Ok<string>>("getsockname", { s: root })), rootName);
    value(await a.call("listen", { s: root, backlog: 5 }));
    value(await a.call("eventSelect", { s: root, mask: fdMask("FD_ACCEPT") | fdMask("FD_CONNECT") | fdMask("FD_CLOSE") }));
    value(await a.call("asyncSelect", { s: member, message: 0x8001, mask: fdMask("FD_READ") | fdMask("FD_CONNECT") }));
    value(await a.call("setQos", { s: root, qos: QOS, group: false }));
    value(await a.call("getQos", { s: root }));
    assert.ok(value(await a.call<Ok<number>>("groupId", { s: root })) > 0);

    const peer = value(await a.call<Ok<string>>("definePeer", { name: "B", behaviour: { answer: "accept", calleeData: "0102" } }));
    const session = value(await a.call<Ok<string>>("definePeer", { name: "G", behaviour: { answer: "session" } }));
    const join = await a.call<JoinLeafOutcome>("joinLeaf", {
      s: root,
      args: args(peer, { lpCallerData: { len: 2, buf: "aabb" }, lpCalleeData: { len: 8 }, lpSQOS: QOS }),
    });
    assert.ok(join.callee, "a callee buffer was given");
    await a.call<JoinLeafOutcome>("joinLeaf", { s: member, args: args(session) });
    await a.call("advance", { ms: 1000 });
    assert.equal((await a.call<CalleeBuffer>("calleeBuffer", { callId: join.callId })).bytes, "0102");
    assert.ok(value(await a.call<Ok<NetworkEvents>>("enumNetworkEvents", { s: root })).events & fdMask("FD_CONNECT"));
    assert.ok((await a.call<AsyncMessage[]>("takeMessages", { host: "local" })).length > 0);
    assert.equal((await a.call<PeerLog>("peerLog", { name: "B" })).lastCallerData, "aabb");

    assert.equal(value(await a.call<Ok<number>>("send", { s: member, data: "010203" })), 3);
    await a.call("peerSend", { name: "G", data: "0405" });
    await a.call("advance", { ms: 100 });
    value(await a.call("select", { sets: { read: [member], write: [member], except: [] }, timeoutMs: 0 }));
    assert.equal(value(await a.call<Ok<string>>("recv", { s: member, capacity: 4096 })), "0405");
    // A multicast session has no root to side-chat with: a side chat there carries nothing.
    await a.call("peerSend", { name: "G", data: "06", sideChat: true });
    await a.call("advance", { ms: 100 });
    const nothing = await a.call<Ok<string>>("recv", { s: member, capacity: 4096 });
    assert.ok(!nothing.ok, "a session's side chat reached the member");

    // A blocking join from host R stays unanswered while other calls go on; WSAAccept lets it in.
    const blocking = a.call<JoinLeafOutcome>("joinLeaf", { s: leafR, args: args(rootName) });
    await a.call("advance", { ms: 100 });
    const admitted = await a.call<AcceptOutcome>("wsaAccept", { s: root, condition: { verdict: "accept", calleeData: "99" } });
    value(admitted.result);
    await a.call("advance", { ms: 100 });
    value((await blocking).result);

    await a.call("definePeer", { name: "P", behaviour: { answer: "accept" } });
    await a.call("peerRequestJoin", { name: "P", root: rootName, callerData: "0a0b" });
    await a.call("advance", { ms: 100 });
    value(await a.call<Ok<number>>("accept", { s: root }));
    await a.call("peerLeave", { name: "B" });
    value(await a.call("setNonBlocking", { s: member, on: true }));
    assert.deepEqual(await a.call("cancelBlockingCall", { host: "local" }), { ok: false, error: 10045 }, "WSACancelBlockingCall is not in Winsock 2.2");
    await a.call("injectFault", { host: "local", fault: "network-down", on: true });
    assert.deepEqual(await a.call("closesocket", { s: member }), { ok: false, error: 10050 });
    await a.call("injectFault", { host: "local", fault: "network-down", on: false });
    value(await a.call("cleanup", { host: "R" }));
    for (const s of await a.call<number[]>("openSockets")) value(await a.call("closesocket", { s }));
    assert.deepEqual(await a.call("openSockets"), []);
    await a.call("dispose");

    // Protocol errors are responses too.
    assert.equal(((await a.send("fly", {}, { wellFormed: false })).error as { code: string }).code, "unknown-method");
    assert.equal(((await a.send("bind", { s: root }, { wellFormed: false })).error as { code: string }).code, "invalid-params");

    const missing = ["hello", "reset", ...Object.keys(METHODS)].filter((m) => !a.answered.has(m));
    assert.deepEqual(missing, [], "every method was answered with a result and checked");
  } finally {
    assert.equal(await a.close(), 0, a.stderr);
  }
});

test("the transcripts printed in docs/driver-protocol.md fit the schema", () => {
  // Requests the agent turned down for their shape must be ones the schema turns down too.
  const SHAPE_ERRORS = new Set(["parse-error", "invalid-request", "unknown-method", "invalid-params"]);
  const blocks = readFileSync(DOC_FILE, "utf8").split(/^```.*$/m);
  let requests = 0;
  let responses = 0;
  for (const block of blocks) {
    const sent: Array<Record<string, unknown>> = [];
    const answers = new Map<unknown, Record<string, unknown>>();
    for (const line of block.split("\n")) {
      const m = /^([<>]) (\{".*\})\s*$/.exec(line);
      if (!m) continue;
      const msg = JSON.parse(m[2]) as Record<string, unknown>;
      if (m[1] === ">") sent.push(msg);
      else {
        response(msg);
        responses++;
        if (msg.id !== null) answers.set(msg.id, msg);
      }
    }
    for (const msg of sent) {
      requests++;
      const answer = Number.isInteger(msg.id) ? answers.get(msg.id) : undefined;
      const code = (answer?.error as { code?: string } | undefined)?.code;
      if (!Number.isInteger(msg.id) || (code && SHAPE_ERRORS.has(code))) {
        assert.notDeepEqual(validate({ $ref: "#/$defs/Request" }, msg as Json), [], `the schema accepts ${JSON.stringify(msg)}, which the agent rejected`);
        continue;
      }
      request(msg);
      if (answer && "result" in answer) resultOf(msg.method as string, answer.result);
    }
  }
  assert.ok(requests >= 20 && responses >= 20, `the doc holds at least one full scenario transcript (found ${requests} requests, ${responses} responses)`);
});

const python = spawnSync("python3", ["--version"]).status === 0;

test("the Python example agent's answers fit the schema", { skip: python ? false : "python3 is not installed", timeout: 30_000 }, async () => {
  const a = new Session("python3", [PYTHON_AGENT]);
  try {
    assert.equal(((await a.send("startup", { host: "local" })).error as { code: string }).code, "hello-required");
    const hello = await a.call<HelloResult>("hello", HELLO);
    assert.equal(hello.driver, "python-null");
    assert.deepEqual(hello.capabilities, []);
    await a.call("reset", { edition: "current" });
    const [entry] = await a.call<ProtocolInfo[]>("protocols");
    assert.equal(entry.id, "py-null");
    value(await a.call("startup", { host: "local" }));
    const s = value(await a.call<Ok<number>>("socket", { options: { host: "local", protocol: "py-null", flags: 0x04 | 0x10 } }));
    await a.call("hostAddress", { host: "local" });
    const join = await a.call<JoinLeafOutcome>("joinLeaf", { s, args: args(encodeSockAddr(inet("239.1.2.3", 5000)), { lpCalleeData: { len: 4 } }) });
    assert.deepEqual(join.result, { ok: false, error: 10045 });
    await a.call("calleeBuffer", { callId: join.callId });
    assert.match(value(await a.call<Ok<string>>("definePeer", { name: "G", behaviour: { answer: "session" } })), /^0200....ef/, "a session is a multicast address");
    assert.equal(((await a.send("definePeer", { name: "B", behaviour: { answer: "accept" } })).error as { code: string }).code, "driver-error");
    for (const [method, params] of Object.entries(SAMPLE_CALLS(s))) {
      const r = await a.send(method, params);
      if (method in TESTBED) assert.ok("error" in r, `${method} answers with a protocol error`);
    }
    assert.deepEqual(await a.call("openSockets"), [s]);
    value(await a.call("closesocket", { s }));
    assert.deepEqual(await a.call("openSockets"), []);
    await a.call("dispose");
    assert.equal(((await a.send("bind", { s }, { wellFormed: false })).error as { code: string }).code, "invalid-params");
    assert.equal(((await a.send("fly", {}, { wellFormed: false })).error as { code: string }).code, "unknown-method");
    a.raw("{not json");
    const missing = ["hello", "reset", ...Object.keys(METHODS)].filter((m) => !a.answered.has(m) && !(m in TESTBED));
    assert.deepEqual(missing, [], "every method but the testbed's was answered with a result and checked");
  } finally {
    assert.equal(await a.close(), 0, a.stderr);
  }
});

const TESTBED = { peerLog: 1, peerLeave: 1, peerSend: 1, peerRequestJoin: 1, injectFault: 1 };
/** One well-formed call of each remaining method. */
const SAMPLE_CALLS = (s: number): Record<string, Record<string, unknown>> => ({
  bind: { s, name: encodeSockAddr(inet("0.0.0.0", 7000)), namelen: 16 },
  setReuseAddress: { s, on: true },
  listen: { s, backlog: 5 },
  accept: { s },
  wsaAccept: { s, condition: { verdict: "accept" } },
  setNonBlocking: { s, on: true },
  eventSelect: { s, mask: 16 },
  enumNetworkEvents: { s },
  asyncSelect: { s, message: 0x8001, mask: 16 },
  takeMessages: { host: "local" },
  select: { sets: { read: [s], write: [], except: [] }, timeoutMs: 0 },
  getsockname: { s },
  send: { s, data: "00" },
  recv: { s, capacity: 16 },
  setQos: { s, qos: QOS, group: false },
  getQos: { s },
  groupId: { s },
  cancelBlockingCall: { host: "local" },
  peerLog: { name: "B" },
  peerLeave: { name: "B" },
  peerSend: { name: "B", data: "00" },
  peerRequestJoin: { name: "B", root: encodeSockAddr(inet("127.0.0.1", 7000)), callerData: null },
  injectFault: { host: "local", fault: "no-buffers", on: true },
  advance: { ms: 10 },
  cleanup: { host: "other" },
});

// ------------------------------------------------------------------ the agent refuses what the schema refuses

/** A small instance that fits `s` (checked by the caller), built from the schema alone. */
function sample(s: Schema): Json {
  if (typeof s.$ref === "string") return sample(resolve(s.$ref));
  if ("const" in s) return s.const as Json;
  if (Array.isArray(s.enum)) return s.enum[0] as Json;
  const branches = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  if (branches) return branches.map(sample).find((v) => validate(s, v).length === 0) ?? sample(branches[0]);
  switch (s.type) {
    case "object": {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(((s.required ?? []) as string[]).map((k) => [k, sample(props[k])]));
    }
    case "array":
      return Array.from({ length: Number(s.minItems ?? 0) }, () => sample(s.items as Schema));
    case "integer":
    case "number":
      return Number(s.minimum ?? 0);
    case "string":
      return ["", "a", "127.0.0.1", "{00000000-0000-0000-0000-000000000000}"].find((v) => validate(s, v).length === 0) ?? "";
    case "boolean":
      return false;
    default:
      return null;
  }
}

const WRONG_VALUES: Json[] = ["soon", 1.5, -1, 2 ** 60, true, null, [], {}, "zz"];

/** Copies of `params` with one thing wrong: a value of another type or range, a key missing, a key too many. */
function* mutations(params: { [k: string]: Json }, at: string[] = []): Generator<{ params: Json; what: string }> {
  const set = (value: Json | undefined, path: string[]): Json => {
    const copy = structuredClone(params);
    let o = copy as { [k: string]: Json };
    for (const k of path.slice(0, -1)) o = o[k] as { [k: string]: Json };
    if (value === undefined) delete o[path[path.length - 1]];
    else o[path[path.length - 1]] = value;
    return copy;
  };
  const walk = function* (node: { [k: string]: Json }, path: string[]): Generator<{ params: Json; what: string }> {
    yield { params: set("x", [...path, "bogus"]), what: `${[...path, "bogus"].join(".")} added` };
    for (const [k, v] of Object.entries(node)) {
      yield { params: set(undefined, [...path, k]), what: `${[...path, k].join(".")} left out` };
      for (const w of WRONG_VALUES) yield { params: set(w, [...path, k]), what: `${[...path, k].join(".")} = ${JSON.stringify(w)}` };
      if (v !== null && typeof v === "object" && !Array.isArray(v) && path.length < 2) yield* walk(v, [...path, k]);
    }
  };
  yield* walk(params, at);
}

test("every schema-invalid request made from the schema is refused, never carried out (advance {ms: \"soon\"} among them)", async () => {
  const out: Array<{ id: number; result?: unknown; error?: { code: string } }> = [];
  const s = new AgentSession({ driver: "simulator", edition: "current" }, (t) => out.push(JSON.parse(t)), false);
  await s.handle(JSON.stringify({ id: 0, method: "hello", params: HELLO }));
  await s.handle(JSON.stringify({ id: 1, method: "advance", params: { ms: "soon" } }));
  assert.equal(out[1].error?.code, "invalid-params", "advance {ms: \"soon\"}");
  let id = 10;
  const refused: string[] = [];
  const accepted: string[] = [];
  for (const method of [...Object.keys(METHODS), "reset"]) {
    const def = defs[`${method[0].toUpperCase()}${method.slice(1)}Request`];
    const valid = { id: 2, method, params: sample((def.properties as { [k: string]: Schema }).params) };
    expectValid(def, valid, `the sample ${method} request`);
    for (const m of mutations(valid.params as { [k: string]: Json })) {
      const req = { id: ++id, method, params: m.params };
      if (validate(def, req as Json).length === 0) continue; // that change happens to be allowed
      await s.handle(JSON.stringify(req));
      const answer = out[out.length - 1];
      assert.equal(answer.id, id);
      (answer.error?.code === "invalid-params" ? refused : accepted).push(`${method}: ${m.what} -> ${JSON.stringify(answer).slice(0, 120)}`);
    }
  }
  assert.deepEqual(accepted, [], `${accepted.length} schema-invalid requests were not refused as invalid-params`);
  assert.ok(refused.length > 500, `only ${refused.length} invalid requests were made`);
  await s.close();
});

test("the build's validators are used only when written from this very schema, and judge every request as the compiled ones do", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "joinleaf-validators-"));
  try {
    const file = path.join(dir, "request-validators.js");
    writePrebuiltValidators(file);
    const prebuilt = loadValidators(file);
    const compiled = loadValidators(path.join(dir, "absent.js"));
    assert.equal(prebuilt.from, "prebuilt");
    assert.equal(compiled.from, "compiled");
    assert.deepEqual([...prebuilt.validators.keys()].sort(), [...compiled.validators.keys()].sort());
    let judged = 0;
    for (const [method, check] of compiled.validators) {
      const def = defs[`${method[0].toUpperCase()}${method.slice(1)}Request`];
      const paramsSchema = (def.properties as { [k: string]: Schema }).params;
      const params = paramsSchema ? (sample(paramsSchema) as { [k: string]: Json }) : undefined;
      const changed = params ? [...mutations(params)].map((m) => ({ id: 3, method, params: m.params })) : [{ id: 3, method, params: { extra: 1 } }];
      for (const req of [{ id: 2, method, ...(params ? { params } : {}) }, ...changed]) {
        assert.equal(prebuilt.validators.get(method)!(req), check(req), `${method}: ${JSON.stringify(req).slice(0, 200)}`);
        judged++;
      }
    }
    assert.ok(judged > 500, `only ${judged} requests judged`);
    // Written from another schema (edited since the build): compiled afresh instead.
    const stale = path.join(dir, "stale.js");
    writeFileSync(stale, readFileSync(file, "utf8").replace(/schemaSha256: "[0-9a-f]{64}"/, `schemaSha256: "${"0".repeat(64)}"`));
    assert.equal(loadValidators(stale).from, "compiled");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the callee buffer limit in the schema is the protocol's MAX_CALLEE_BYTES", () => {
  assert.equal(((defs.CalleeRequest.properties as { [k: string]: Schema }).len).maximum, MAX_CALLEE_BYTES);
});
