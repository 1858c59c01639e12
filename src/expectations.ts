// Expectation files: the known deviations of one implementation (like Wine's todo_wine).
//
//   implementation: Wine 9.0 ws2_32
//   driver: wine
//   entries:
//     - scenario: "features/membership.feature:A leaf already in the session joins again"
//       expected: FAIL            # FAIL | TIMEOUT | CRASH | UNSUPPORTED
//       observed: WSAEINVAL       # optional: the failure must show this error to count as expected
//       note: "wine bug 12345"
//     - rule: JL-103              # every scenario covering the catalogue entry
//       expected: FAIL
//
// A result matching its entry becomes EXPECTED FAIL (an expected UNSUPPORTED stays UNSUPPORTED);
// a scenario expected to fail that passes is UNEXPECTED PASS; a failure with no entry, or with an
// entry whose expected status or observed error differ, stays a (new) failure.
import { readFileSync } from "node:fs";
import YAML from "js-yaml";
import { FAILING, ScenarioResult, Status } from "./results";

export const EXPECTED_KINDS = ["FAIL", "TIMEOUT", "CRASH", "UNSUPPORTED"] as const;
export type ExpectedKind = (typeof EXPECTED_KINDS)[number];

export interface ExpectationEntry {
  /** 1-based position in the file's entries list. */
  index: number;
  scenario?: string;
  rule?: string;
  expected: ExpectedKind;
  observed?: string;
  note?: string;
}

export interface Expectations {
  file: string;
  implementation: string;
  driver: string;
  entries: ExpectationEntry[];
}

export class ExpectationsError extends Error {}

const ENTRY_KEYS = new Set(["scenario", "rule", "expected", "observed", "note"]);
const TOP_KEYS = new Set(["implementation", "driver", "entries"]);

/**
 * Reads and checks an expectations file. `knownRules` (catalogue IDs) and `knownScenarios`
 * (scenario keys of the suite), when given, make entries naming something unknown an error.
 */
export function loadExpectations(file: string, known: { rules?: Set<string>; scenarios?: Set<string> } = {}): Expectations {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ExpectationsError(`cannot read expectations file ${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
  }
  return parseExpectations(text, file, known);
}

export function parseExpectations(text: string, file: string, known: { rules?: Set<string>; scenarios?: Set<string> } = {}): Expectations {
  const fail = (msg: string): never => {
    throw new ExpectationsError(`${file}: ${msg}`);
  };
  let doc: unknown;
  try {
    doc = YAML.load(text);
  } catch (err) {
    fail(`not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) fail("expected a mapping with implementation, driver and entries");
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!TOP_KEYS.has(k)) fail(`unknown key "${k}" (allowed: ${[...TOP_KEYS].join(", ")})`);
  if (typeof d.implementation !== "string" || !d.implementation.trim()) fail(`"implementation" must be a non-empty text`);
  if (typeof d.driver !== "string" || !d.driver.trim()) fail(`"driver" must be a driver name`);
  if (d.entries === undefined || d.entries === null) d.entries = [];
  if (!Array.isArray(d.entries)) fail(`"entries" must be a list`);
  const entries: ExpectationEntry[] = [];
  const seen = new Map<string, number>();
  (d.entries as unknown[]).forEach((raw, i) => {
    const where = `entry ${i + 1}`;
    const bad = (msg: string): never => fail(`${where}: ${msg}`);
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) bad("expected a mapping with scenario or rule, and expected");
    const e = raw as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!ENTRY_KEYS.has(k)) bad(`unknown key "${k}" (allowed: ${[...ENTRY_KEYS].join(", ")})`);
    if ((e.scenario === undefined) === (e.rule === undefined)) bad(`give exactly one of "scenario" or "rule"`);
    const entry: ExpectationEntry = { index: i + 1, expected: "FAIL" };
    if (e.scenario !== undefined) {
      if (typeof e.scenario !== "string" || !/^.+\.feature:.+$/.test(e.scenario)) bad(`"scenario" must read "<feature uri>:<scenario name>", e.g. "features/membership.feature:A leaf already in the session joins again"`);
      if (known.scenarios && !known.scenarios.has(e.scenario as string)) bad(`no scenario "${e.scenario}" in the suite`);
      entry.scenario = e.scenario as string;
    } else {
      if (typeof e.rule !== "string" || !/^JL-\d{3}$/.test(e.rule)) bad(`"rule" must be a catalogue ID like JL-031, not ${JSON.stringify(e.rule)}`);
      if (known.rules && !known.rules.has(e.rule as string)) bad(`${e.rule} is not in the catalogue`);
      entry.rule = e.rule as string;
    }
    if (!EXPECTED_KINDS.includes(e.expected as ExpectedKind)) bad(`"expected" must be one of ${EXPECTED_KINDS.join(", ")}, not ${JSON.stringify(e.expected)}`);
    entry.expected = e.expected as ExpectedKind;
    if (e.observed !== undefined) {
      if (typeof e.observed !== "string" || !e.observed.trim()) bad(`"observed" must be an error name such as WSAEINVAL`);
      if (entry.expected !== "FAIL") bad(`"observed" only applies to expected: FAIL`);
      entry.observed = (e.observed as string).trim();
    }
    if (e.note !== undefined) {
      if (typeof e.note !== "string") bad(`"note" must be text`);
      entry.note = e.note as string;
    }
    const id = entry.scenario ? `scenario ${entry.scenario}` : `rule ${entry.rule}`;
    if (seen.has(id)) bad(`${id} is already listed by entry ${seen.get(id)}`);
    seen.set(id, i + 1);
    entries.push(entry);
  });
  return { file, implementation: (d.implementation as string).trim(), driver: (d.driver as string).trim(), entries };
}

export interface Comparison {
  results: ScenarioResult[];
  /** Failures with no matching entry (including ones whose entry expected something else). */
  newFailures: ScenarioResult[];
  unexpectedPasses: ScenarioResult[];
  expectedFailures: ScenarioResult[];
  /** Entries that matched no scenario of the run (stale, or the scenario was not run). */
  unusedEntries: ExpectationEntry[];
  /** Entries that matched but did not fit what happened (e.g. expected FAIL, got UNSUPPORTED). */
  mismatches: Array<{ entry: ExpectationEntry; result: ScenarioResult; why: string }>;
}

/** The entry for a result: a scenario entry first, then the first rule entry covering it. */
export function entryFor(exp: Expectations, r: ScenarioResult): ExpectationEntry | undefined {
  return exp.entries.find((e) => e.scenario === r.key) ?? exp.entries.find((e) => e.rule !== undefined && r.rules.includes(e.rule));
}

/** Applies expectations to a run's results (new objects; the input is left alone). */
export function applyExpectations(results: readonly ScenarioResult[], exp: Expectations | undefined): Comparison {
  const out: Comparison = { results: [], newFailures: [], unexpectedPasses: [], expectedFailures: [], unusedEntries: [], mismatches: [] };
  const used = new Set<number>();
  for (const original of results) {
    const r: ScenarioResult = { ...original };
    const e = exp && entryFor(exp, r);
    if (e && exp) {
      used.add(e.index);
      r.expectation = { file: exp.file, entry: e.index, expected: e.expected, observed: e.observed, note: e.note };
      const was: Status = r.status;
      if (was === "PASS") {
        r.status = "UNEXPECTED PASS";
        r.message = `expected ${e.expected}${e.observed ? ` with ${e.observed}` : ""}, but it passed${e.note ? ` (${e.note})` : ""}`;
      } else if (e.expected === "FAIL" && was === "FAIL") {
        if (e.observed && r.observed !== e.observed) {
          const why = `expected to fail with ${e.observed}, but failed with ${r.observed ?? "another error"}`;
          r.message = `${why}: ${r.message ?? ""}`;
          out.mismatches.push({ entry: e, result: r, why });
        } else r.status = "EXPECTED FAIL";
      } else if ((e.expected === "TIMEOUT" || e.expected === "CRASH") && was === e.expected) {
        r.status = "EXPECTED FAIL";
        r.expectedStatus = was;
      } else if (e.expected === "UNSUPPORTED" && was === "UNSUPPORTED") {
        /* stays UNSUPPORTED, now marked as expected */
      } else {
        out.mismatches.push({ entry: e, result: r, why: `expected ${e.expected}, got ${was}` });
      }
    }
    out.results.push(r);
    if (r.status === "UNEXPECTED PASS") out.unexpectedPasses.push(r);
    else if (r.status === "EXPECTED FAIL") out.expectedFailures.push(r);
    else if (FAILING.has(r.status)) out.newFailures.push(r);
  }
  if (exp) out.unusedEntries = exp.entries.filter((e) => !used.has(e.index));
  return out;
}

/** Human-readable lines about a comparison (for the commands). */
export function describeComparison(c: Comparison): string[] {
  const lines: string[] = [];
  for (const r of c.newFailures) lines.push(`new ${r.status}: ${r.key} [${r.rules.join(", ")}]${r.message ? ` — ${r.message.split("\n")[0]}` : ""}`);
  for (const r of c.unexpectedPasses) lines.push(`UNEXPECTED PASS: ${r.key} [${r.rules.join(", ")}] (entry ${r.expectation?.entry}; remove it from the expectations)`);
  for (const m of c.mismatches.filter((m) => !FAILING.has(m.result.status))) lines.push(`note: entry ${m.entry.index} (${m.entry.scenario ?? m.entry.rule}): ${m.why}`);
  for (const e of c.unusedEntries) lines.push(`note: entry ${e.index} (${e.scenario ?? e.rule}) matched no scenario of this run`);
  return lines;
}
