// One run's results, read from its Cucumber message stream (reports/<run>/messages.ndjson).
//
// Every scenario (pickle) that was started gets one result, from its last attempt (a retried
// scenario counts once). Status rules:
//   - a failed, undefined, pending or ambiguous step: FAIL, or TIMEOUT/CRASH when the scenario
//     carries a status note saying so (out-of-process drivers); a setup call that failed before
//     the outcome steps (PreconditionNotMet): UNSUPPORTED, "precondition not met";
//   - skipped: the status note's UNSUPPORTED or NOT TESTABLE; @untestable without a note is
//     NOT TESTABLE; a skip with no note at all is UNSUPPORTED with a reason that says so;
//   - a scenario that started but never finished (the run died): CRASH;
//   - otherwise PASS.
// EXPECTED FAIL and UNEXPECTED PASS come only from an expectations file (src/expectations.ts).
import type * as messages from "@cucumber/messages";
import { Query } from "@cucumber/query";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { STATUS_MEDIA_TYPE } from "../steps/status";
import { rulesOf } from "./report/suite";

export const STATUSES = [
  "PASS",
  "FAIL",
  "UNSUPPORTED",
  "NOT TESTABLE",
  "EXPECTED FAIL",
  "UNEXPECTED PASS",
  "TIMEOUT",
  "CRASH",
] as const;
export type Status = (typeof STATUSES)[number];

/** From worst to best: a cell for several scenarios shows the first of these that occurs. */
export const SEVERITY: readonly Status[] = [
  "CRASH",
  "TIMEOUT",
  "FAIL",
  "UNEXPECTED PASS",
  "EXPECTED FAIL",
  "UNSUPPORTED",
  "NOT TESTABLE",
  "PASS",
];

/** Statuses that make a run (after expectations) fail. */
export const FAILING: ReadonlySet<Status> = new Set<Status>(["FAIL", "UNEXPECTED PASS", "TIMEOUT", "CRASH"]);

export { STATUS_MEDIA_TYPE };

export interface AppliedExpectation {
  file: string;
  /** 1-based position in the file's entries list. */
  entry: number;
  expected: string;
  observed?: string;
  note?: string;
}

export interface ScenarioResult {
  run: string;
  uri: string;
  name: string;
  /** Line of the scenario (or of the example row of an outline). */
  line: number;
  /** "<uri>:<name>", the key expectation files use. */
  key: string;
  /** Catalogue entry IDs from @req tags (inherited from the rule). */
  rules: string[];
  tags: string[];
  status: Status;
  /** Failure message, or the reason of a status note. */
  message?: string;
  /** The Winsock error (or "success") the failure message says was observed. */
  observed?: string;
  /** The Winsock error the failure message says was wanted. */
  expectedError?: string;
  /** The step that failed, as written ("Then the join fails with WSAEISCONN"). */
  failedStep?: string;
  durationMs: number;
  /** How many attempts Cucumber made (retries); the result is the last one's. */
  attempts: number;
  /** For EXPECTED FAIL of a TIMEOUT or CRASH: what happened. */
  expectedStatus?: Status;
  /** UNSUPPORTED because the provider lacks the protocol feature the rule is about (steps/status.ts). */
  notApplicable?: boolean;
  /** The expectations entry that applied. */
  expectation?: AppliedExpectation;
}

export interface RunInfo {
  run: string;
  /** The messages.ndjson this run was read from. */
  source: string;
  driver?: string;
  edition?: string;
  /** Where the edition came from: run.json, or guessed from the @edition tags that ran. */
  editionFrom?: "run.json" | "tags";
  tags?: string;
  cucumber?: string;
  os?: string;
  node?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Cucumber's own verdict (before expectations). */
  success?: boolean;
  /** False when the stream has no testRunFinished (the run was cut off). */
  complete: boolean;
}

export interface RunResults {
  info: RunInfo;
  scenarios: ScenarioResult[];
  /** Feature sources as the run saw them (uri → text). */
  sources: Record<string, string>;
}

export class ResultsError extends Error {}

const ERROR_NAME = /\b(WSA[A-Z_0-9]+|NO_ERROR)\b/;

/** The error a failure message says was observed (e.g. "failed with WSAEINVAL (10022), not ..."). */
export function observedError(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const patterns = [
    /failed with (WSA[A-Z_0-9]+|NO_ERROR|no error code set)/,
    /\bsucceeded where\b/,
    /\bwith (WSA[A-Z_0-9]+|NO_ERROR)\b/,
    /\bgot (?:\w+ )?\(?(WSA[A-Z_0-9]+|NO_ERROR)\b/,
    /\banswered (WSA[A-Z_0-9]+|NO_ERROR)\b/,
  ];
  for (const p of patterns) {
    const m = p.exec(message);
    if (m) return m[1] ?? "success";
  }
  return ERROR_NAME.exec(message)?.[1];
}

/**
 * The outcome a failure message says was wanted: "..., not WSAEISCONN" and "where WSAEISCONN was
 * expected" name an error; a bare "failed with WSAE..." means success was wanted.
 */
export function expectedErrorIn(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const named = (/\bnot (WSA[A-Z_0-9]+|NO_ERROR)\b/.exec(message) ?? /where (WSA[A-Z_0-9]+) was expected/.exec(message))?.[1];
  if (named) return named;
  // "X failed with WSAENOTCONN (10057)" and nothing wanted instead: the step wanted the call to work.
  if (/\bfailed with (WSA[A-Z_0-9]+|NO_ERROR)\b/.test(message)) return "success";
  return undefined;
}

interface Timestamp {
  seconds: number;
  nanos: number;
}
const ms = (t: Timestamp | undefined) => (t ? t.seconds * 1000 + t.nanos / 1e6 : undefined);
const iso = (t: Timestamp | undefined) => (t ? new Date(ms(t)!).toISOString() : undefined);
// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");

function firstLines(s: string, max = 600): string {
  const t = stripAnsi(s).trim();
  return t.length > max ? t.slice(0, max) + "…" : t;
}

/* Envelopes as parsed, before @cucumber/query reads them: only the fields looked at first. */
type Envelope = Partial<Pick<messages.Envelope, "meta" | "source" | "gherkinDocument" | "pickle" | "testCase">>;

/** Parses an ndjson text into envelopes; a broken line is an error naming file and line. */
export function parseNdjson(text: string, file = "<messages>"): Envelope[] {
  const out: Envelope[] = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      throw new ResultsError(`${file}:${i + 1}: not a JSON message (${(err as Error).message}): ${line.slice(0, 80)}`);
    }
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new ResultsError(`${file}:${i + 1}: not a Cucumber message envelope`);
    out.push(v as Envelope);
  });
  return out;
}

/** The run.json a run folder may hold (written by src/report/run-info-formatter.js). */
export function readRunJson(dir: string): Partial<RunInfo> | undefined {
  const f = path.join(dir, "run.json");
  if (!existsSync(f)) return undefined;
  try {
    return JSON.parse(readFileSync(f, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Reads one run. `file` is a messages.ndjson or a folder holding one. The run is named after its
 * folder unless `run` says otherwise.
 */
export function readRun(file: string, opts: { run?: string } = {}): RunResults {
  let f = file;
  if (existsSync(f) && !f.endsWith(".ndjson")) f = path.join(f, "messages.ndjson");
  if (!existsSync(f)) throw new ResultsError(`no run results at ${file} (expected a messages.ndjson or a folder holding one)`);
  const dir = path.dirname(f);
  const sidecar = readRunJson(dir);
  const run = opts.run ?? sidecar?.run ?? path.basename(path.resolve(dir));
  let text: string;
  try {
    text = readFileSync(f, "utf8");
  } catch (err) {
    throw new ResultsError(`cannot read ${f}: ${(err as Error).message}`);
  }
  const r = parseMessages(text, { run, file: f });
  if (sidecar) {
    r.info.driver = sidecar.driver ?? r.info.driver;
    if (sidecar.edition) {
      r.info.edition = sidecar.edition;
      r.info.editionFrom = "run.json";
    }
    r.info.tags = sidecar.tags ?? r.info.tags;
  }
  return r;
}

export function parseMessages(text: string, opts: { run: string; file?: string }): RunResults {
  return readEnvelopes(parseNdjson(text, opts.file ?? "<messages>"), opts);
}

/**
 * The kinds of envelope readEnvelopes needs for each scenario's status: a run kept in memory needs
 * no others. Without the gherkinDocuments a scenario's line is 0 (they cost a variant's run 40 ms).
 */
export const RESULT_ENVELOPES = ["meta", "pickle", "testCase", "testRunStarted", "testCaseStarted", "testCaseFinished", "testStepFinished", "attachment", "testRunFinished"] as const;

/** Whether readEnvelopes needs this envelope. */
export const readsEnvelope = (e: messages.Envelope): boolean => RESULT_ENVELOPES.some((k) => e[k] !== undefined);

/** A run from its envelopes as Cucumber emitted them (in memory: no ndjson text to write and read back). */
export function readEnvelopes(envelopes: ReadonlyArray<Envelope | messages.Envelope>, opts: { run: string; file?: string }): RunResults {
  const file = opts.file ?? "<messages>";
  const info: RunInfo = { run: opts.run, source: file, complete: false };
  const sources: Record<string, string> = {};
  // @cucumber/query joins the stream: test cases to pickles, attempts, steps, attachments.
  const query = new Query();
  let sawMessages = false;
  for (const [i, e] of envelopes.entries()) {
    if (e.meta || e.pickle || e.testCase || e.gherkinDocument) sawMessages = true;
    if (e.source) sources[e.source.uri] = e.source.data;
    try {
      query.update(e as messages.Envelope);
    } catch (err) {
      throw new ResultsError(`${file}: message ${i + 1} does not fit the stream (${(err as Error).message})`);
    }
  }
  if (!sawMessages && envelopes.length) throw new ResultsError(`${file} does not look like a Cucumber message stream (no meta, pickle or testCase)`);
  const meta = query.findMeta();
  if (meta) {
    info.cucumber = `${meta.implementation.name} ${meta.implementation.version ?? ""}`.trim();
    info.os = `${meta.os.name} ${meta.os.version ?? ""}`.trim();
    info.node = `${meta.runtime.name} ${meta.runtime.version ?? ""}`.trim();
  }
  info.startedAt = iso(query.findTestRunStarted()?.timestamp);
  const runFinished = query.findTestRunFinished();
  if (runFinished) {
    info.finishedAt = iso(runFinished.timestamp);
    info.success = runFinished.success;
    info.complete = true;
  }

  const scenarios: ScenarioResult[] = [];
  const keys = new Map<string, number>();
  const editionTags = new Set<string>();
  // The last attempt of each test case (Query leaves out attempts that were retried).
  for (const start of query.findAllTestCaseStarted()) {
    const tc = query.findTestCaseBy(start);
    const pickle = query.findPickleBy(start);
    if (!tc || !pickle) throw new ResultsError(`${file}: testCaseStarted ${start.id} names a test case or pickle the stream never defined`);
    const tags = pickle.tags.map((t) => t.name);
    tags.filter((t) => t.startsWith("@edition:")).forEach((t) => editionTags.add(t.slice("@edition:".length)));
    let key = `${pickle.uri}:${pickle.name}`;
    const n = (keys.get(key) ?? 0) + 1;
    keys.set(key, n);
    if (n > 1) key = `${key} #${n}`;
    const result: ScenarioResult = {
      run: opts.run,
      uri: pickle.uri,
      name: pickle.name,
      line: query.findLocationOf(pickle)?.line ?? 0,
      key,
      rules: rulesOf(tags),
      tags,
      status: "PASS",
      durationMs: 0,
      attempts: start.attempt + 1,
    };
    const end = query.findTestCaseFinishedBy(start);
    const stepResults = query.findTestStepFinishedAndTestStepBy(start);
    const begin = ms(start.timestamp) ?? 0;
    result.durationMs = Math.round(end ? (ms(end.timestamp) ?? begin) - begin : stepResults.reduce((a, [f]) => a + (ms(f.testStepResult.duration) ?? 0), 0));
    let note: { status: string; reason?: string; notApplicable?: boolean } | undefined;
    for (const [f] of stepResults) for (const att of query.findAttachmentsBy(f) ?? []) note = statusNote(att) ?? note;
    classify(result, stepResults, note, !!end, query);
    scenarios.push(result);
  }
  scenarios.sort((a, b) => (a.uri === b.uri ? a.line - b.line : a.uri < b.uri ? -1 : 1));
  if (!info.edition && editionTags.size === 1) {
    info.edition = [...editionTags][0];
    info.editionFrom = "tags";
  }
  return { info, scenarios, sources };
}

/** A status note attachment, or undefined for any other attachment (an unreadable note is ignored). */
function statusNote(a: messages.Attachment): { status: string; reason?: string } | undefined {
  if (a.mediaType !== STATUS_MEDIA_TYPE) return undefined;
  try {
    const body = a.contentEncoding === "BASE64" ? Buffer.from(a.body, "base64").toString("utf8") : a.body;
    const note = JSON.parse(body);
    return note && typeof note.status === "string" ? note : undefined;
  } catch {
    return undefined;
  }
}

const FAILED_STEP = new Set(["FAILED", "UNDEFINED", "PENDING", "AMBIGUOUS"]);

function classify(
  r: ScenarioResult,
  stepResults: ReadonlyArray<readonly [messages.TestStepFinished, messages.TestStep]>,
  note: { status: string; reason?: string; notApplicable?: boolean } | undefined,
  finished: boolean,
  query: Query,
): void {
  const failed = stepResults.find(([f]) => FAILED_STEP.has(f.testStepResult.status));
  if (failed) {
    const [f, step] = failed;
    const res = f.testStepResult;
    const pickleStep = step.pickleStepId ? query.findPickleStepBy(step) : undefined;
    r.failedStep = pickleStep ? pickleStep.text : step.hookId ? "(hook)" : undefined;
    const text =
      res.status === "FAILED"
        ? res.exception?.message ?? res.message ?? "failed"
        : `step ${res.status.toLowerCase()}${pickleStep ? `: ${pickleStep.text}` : ""}${res.message ? ` (${res.message})` : ""}`;
    r.message = firstLines(text);
    // A setup call the scenario built on failed (steps/world.ts expectOk): the rule was never reached,
    // so the scenario did not exercise it, and the setup's error is not the call under test's.
    if (res.exception?.type === "PreconditionNotMet" && pickleStep?.type !== "Outcome" && !note) {
      r.status = "UNSUPPORTED";
      r.message = `precondition not met: ${r.message}; the rule under test was never reached`;
      return;
    }
    r.observed = observedError(r.message);
    r.expectedError = expectedErrorIn(r.message);
    r.status = note?.status === "TIMEOUT" || note?.status === "CRASH" ? note.status : "FAIL";
    if (r.status !== "FAIL" && note?.reason && !r.message.includes(note.reason)) r.message = `${note.reason} — ${r.message}`;
    return;
  }
  if (note?.status === "TIMEOUT" || note?.status === "CRASH") {
    r.status = note.status;
    r.message = note.reason;
    return;
  }
  if (!finished) {
    r.status = "CRASH";
    r.message = "the run ended before this scenario finished";
    return;
  }
  if (stepResults.some(([f]) => f.testStepResult.status === "SKIPPED")) {
    if (note?.status === "UNSUPPORTED" || note?.status === "NOT TESTABLE") {
      r.status = note.status;
      r.message = note.reason;
      if (note.status === "UNSUPPORTED" && note.notApplicable) r.notApplicable = true;
    } else if (r.tags.includes("@untestable")) {
      r.status = "NOT TESTABLE";
      r.message = "tagged @untestable";
    } else {
      r.status = "UNSUPPORTED";
      r.message = "skipped without a status note (the harness did not say why)";
    }
    return;
  }
  if (!stepResults.some(([, step]) => step.pickleStepId)) {
    // Only hooks ran: nothing was checked, so nothing passed.
    r.status = "FAIL";
    r.message = NO_STEPS;
    return;
  }
  r.status = "PASS";
}

/** The message of a scenario that has no steps (FAIL: a run that checks nothing does not pass). */
export const NO_STEPS = "the scenario has no steps: it checks nothing, so it cannot pass";

/** Counts per status (every status present, zero when none). */
export function countStatuses(results: readonly ScenarioResult[]): Record<Status, number> {
  const c = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const r of results) c[r.status]++;
  return c;
}

/** The worst of several statuses (by SEVERITY). */
export function worst(statuses: readonly Status[]): Status | undefined {
  for (const s of SEVERITY) if (statuses.includes(s)) return s;
  return undefined;
}
