// The one verdict function. Every report, certify and verify compute from here.
//
// Two questions, kept apart:
//   - conformance: does the implementation do what the suite's required rules say? Judged on what
//     happened, whatever an expectations file lists: an EXPECTED FAIL of a required rule is still a
//     failure of that rule, and an UNEXPECTED PASS is a pass.
//   - regression (for CI): does the run match its expectations? No new failure, no unexpected pass.
//
// CONFORMANT WITH DEVIATIONS is only for what the suite's own rules allow: a failed scenario all of
// whose entries are recommended or optional (strength should, may or advice), a failed scenario
// tagged with a named reading of a contested sentence (@reading:<name>, docs/editions.md), and
// required entries that no scenario could exercise because the driver or testbed lacks a
// capability (each is named). Everything else that fails makes the run NOT CONFORMANT.
//
// An entry whose every scenario was UNSUPPORTED because the provider has no protocol entry with the
// feature it is about (connect data, QOS, rooted control, ...) does not apply to that provider: it
// is named as such and neither counts against the verdict nor as exercised.
import type { Comparison } from "./expectations";
import { countStatuses, ScenarioResult, Status, STATUSES } from "./results";
import type { Catalogue } from "./report/catalogue";

export type Verdict = "CONFORMANT" | "CONFORMANT WITH DEVIATIONS" | "NOT CONFORMANT";

/** Strengths whose failure is an allowed deviation; `must` (and anything unknown) is required. */
export const OPTIONAL_STRENGTHS: ReadonlySet<string> = new Set(["should", "may", "advice"]);

export interface Regression {
  /** Whether the run matches its expectations (or, with none, has no failing status). */
  matches: boolean;
  /** Whether an expectations file applied. */
  expectations: boolean;
  /** Scenario keys that failed with no matching expectation. */
  newFailures: string[];
  /** Scenario keys expected to fail that passed. */
  unexpectedPasses: string[];
  expectedFailures: number;
  /** Expectation entries that matched no scenario of the run. */
  staleEntries: number;
}

export interface Deviation {
  scenario: string;
  rules: string[];
  /** "optional entries (should)" or "reading abortive-close". */
  allowedBy: string;
}

export interface VerdictSummary {
  verdict: Verdict;
  /** The profile judged (null: every entry of the catalogue). */
  profile: string | null;
  /** Counts of each status as reported (after expectations). */
  counts: Record<Status, number>;
  scenarios: number;
  /** Entries whose failure makes the run NOT CONFORMANT (FAIL, TIMEOUT, CRASH, expected or not). */
  failingRules: string[];
  /** Failures the suite's own rules allow. */
  deviations: Deviation[];
  /** Required entries with no result at all in the run. */
  missingRules: string[];
  /** Required entries whose every result is UNSUPPORTED or NOT TESTABLE: nothing checked them. */
  unexercisedRules: string[];
  /** Required entries that do not apply: every scenario needs a protocol feature the provider lacks. */
  notApplicableRules: string[];
  /** How many required entries some scenario exercised (ran and did not skip), of how many. */
  exercised: { count: number; of: number };
  /** Why scenarios were UNSUPPORTED, with how many each. */
  unsupported: Record<string, number>;
  regression: Regression;
  /** Why the verdict is what it is, one line each. */
  reasons: string[];
}

export interface VerdictOptions {
  /** Entries a complete run must have results for (see requiredEntries in src/report/suite.ts). */
  required?: string[];
  /** False when the run was cut off. */
  complete?: boolean;
  /** For entry strengths and profiles; without it every entry counts as required. */
  catalogue?: Catalogue;
  profile?: string;
  /** The expectations comparison the results came from, for the regression verdict. */
  comparison?: Comparison;
  /** The expectations file applied, if any (for how the regression verdict reads). */
  expectationsFile?: string;
}

const SKIPPED: ReadonlySet<Status> = new Set<Status>(["UNSUPPORTED", "NOT TESTABLE"]);

/** What happened, before expectations: EXPECTED FAIL is the failure it was, UNEXPECTED PASS a pass. */
export function actualStatus(r: ScenarioResult): Status {
  if (r.status === "EXPECTED FAIL") return r.expectedStatus ?? "FAIL";
  if (r.status === "UNEXPECTED PASS") return "PASS";
  return r.status;
}

const ACTUAL_FAILURES: ReadonlySet<Status> = new Set<Status>(["FAIL", "TIMEOUT", "CRASH"]);

export function readingsOf(tags: readonly string[]): string[] {
  return tags.filter((t) => t.startsWith("@reading:")).map((t) => t.slice("@reading:".length));
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function computeVerdict(results: readonly ScenarioResult[], o: VerdictOptions = {}): VerdictSummary {
  const counts = countStatuses(results);
  const cat = o.catalogue;
  const inProfile = (id: string) => {
    const e = cat?.byId.get(id);
    return !o.profile || !e?.profiles?.length || e.profiles.includes(o.profile);
  };
  const optional = (id: string) => OPTIONAL_STRENGTHS.has(cat?.byId.get(id)?.strength ?? "must");

  // Conformance, on what actually happened.
  const failing = new Set<string>();
  const deviations: Deviation[] = [];
  const outside: string[] = [];
  for (const r of results) {
    const status = actualStatus(r);
    if (!ACTUAL_FAILURES.has(status)) continue;
    const judged = r.rules.filter(inProfile);
    if (r.rules.length && !judged.length) {
      outside.push(r.key);
      continue;
    }
    const readings = readingsOf(r.tags);
    if (status === "FAIL" && readings.length) deviations.push({ scenario: r.key, rules: r.rules, allowedBy: `reading ${readings.join(", ")}` });
    else if (status === "FAIL" && judged.length && judged.every(optional)) {
      deviations.push({ scenario: r.key, rules: r.rules, allowedBy: `optional entries (${[...new Set(judged.map((id) => cat?.byId.get(id)?.strength))].join(", ")})` });
    } else judged.forEach((id) => failing.add(id));
  }
  const failingRules = [...failing].sort();
  const present = new Set(results.flatMap((r) => r.rules));
  // Without a list, every entry a result cites is required, except what only NOT TESTABLE results cite.
  const required = o.required ?? [...new Set(results.filter((r) => r.status !== "NOT TESTABLE").flatMap((r) => r.rules))].filter(inProfile).sort();
  const missingRules = required.filter((id) => !present.has(id));
  const exercisedSet = new Set(results.filter((r) => !SKIPPED.has(r.status)).flatMap((r) => r.rules));
  const notApplicableSet = new Set(required.filter((id) => present.has(id) && !exercisedSet.has(id) && results.filter((r) => r.rules.includes(id) && r.status === "UNSUPPORTED").every((r) => r.notApplicable) && results.some((r) => r.rules.includes(id) && r.notApplicable)));
  const notApplicableRules = [...notApplicableSet];
  const unexercisedRules = required.filter((id) => present.has(id) && !exercisedSet.has(id) && !notApplicableSet.has(id));
  const unsupported: Record<string, number> = {};
  for (const r of results.filter((x) => x.status === "UNSUPPORTED")) unsupported[r.message ?? "no reason"] = (unsupported[r.message ?? "no reason"] ?? 0) + 1;

  const reasons: string[] = [];
  const actualCounts = countStatuses(results.map((r) => ({ ...r, status: actualStatus(r) })));
  const failed = STATUSES.filter((s) => ACTUAL_FAILURES.has(s) && actualCounts[s] > 0);
  if (failingRules.length) {
    reasons.push(`failing results: ${failed.map((s) => `${actualCounts[s]} ${s}`).join(", ")}${counts["EXPECTED FAIL"] ? ` (${counts["EXPECTED FAIL"]} of them listed in the expectations, which does not make a required rule optional)` : ""}`);
    reasons.push(`${plural(failingRules.length, "required entry fails", "required entries fail")}: ${failingRules.join(", ")}`);
  }
  if (missingRules.length) reasons.push(`${plural(missingRules.length, "required entry has", "required entries have")} no result (partial run?): ${missingRules.join(", ")}`);
  if (o.complete === false) reasons.push("the run did not finish (no testRunFinished message)");
  if (!results.length) reasons.push("no scenario ran");
  else if (!results.some((r) => !SKIPPED.has(r.status))) reasons.push("no scenario was exercised: every one was UNSUPPORTED or NOT TESTABLE");
  else if (!results.some((r) => actualStatus(r) === "PASS")) reasons.push("no scenario passed");

  let verdict: Verdict;
  if (reasons.length) verdict = "NOT CONFORMANT";
  else if (deviations.length || unexercisedRules.length) {
    verdict = "CONFORMANT WITH DEVIATIONS";
    for (const d of deviations) reasons.push(`allowed deviation (${d.allowedBy}): ${d.scenario} [${d.rules.join(", ")}]`);
    if (unexercisedRules.length) reasons.push(`${plural(unexercisedRules.length, "required entry was", "required entries were")} not exercised at all (every scenario UNSUPPORTED or NOT TESTABLE): ${unexercisedRules.join(", ")}`);
  } else {
    verdict = "CONFORMANT";
    reasons.push(`every required entry${o.profile ? ` of the ${o.profile} profile` : ""} was exercised and every scenario that ran passed (or is not testable)`);
  }
  if (notApplicableRules.length) reasons.push(`${plural(notApplicableRules.length, "required entry does", "required entries do")} not apply: the provider has no protocol entry with the feature ${notApplicableRules.length === 1 ? "it is" : "they are"} about: ${notApplicableRules.join(", ")}`);
  if (outside.length) reasons.push(`${plural(outside.length, "failed scenario checks", "failed scenarios check")} only entries outside the ${o.profile} profile and ${outside.length === 1 ? "is" : "are"} not judged: ${outside.join("; ")}`);

  const c = o.comparison;
  const regression: Regression = c
    ? {
        matches: !c.newFailures.length && !c.unexpectedPasses.length,
        expectations: !!o.expectationsFile,
        newFailures: c.newFailures.map((r) => r.key),
        unexpectedPasses: c.unexpectedPasses.map((r) => r.key),
        expectedFailures: c.expectedFailures.length,
        staleEntries: c.unusedEntries.length,
      }
    : (() => {
        const nf = results.filter((r) => r.status === "FAIL" || r.status === "TIMEOUT" || r.status === "CRASH").map((r) => r.key);
        const up = results.filter((r) => r.status === "UNEXPECTED PASS").map((r) => r.key);
        return { matches: !nf.length && !up.length, expectations: false, newFailures: nf, unexpectedPasses: up, expectedFailures: counts["EXPECTED FAIL"], staleEntries: 0 };
      })();
  return {
    verdict,
    profile: o.profile ?? null,
    counts,
    scenarios: results.length,
    failingRules,
    deviations,
    missingRules,
    unexercisedRules,
    notApplicableRules,
    exercised: { count: required.filter((id) => exercisedSet.has(id)).length, of: required.length - notApplicableRules.length },
    unsupported,
    regression,
    reasons,
  };
}

/** One line for the regression verdict. */
export function describeRegression(r: Regression): string {
  if (!r.expectations) return r.matches ? "no failing status (no expectations file)" : `${r.newFailures.length} failing scenario(s) (no expectations file)`;
  if (r.matches) return `the run matches its expectations${r.expectedFailures ? ` (${r.expectedFailures} expected failure(s))` : ""}${r.staleEntries ? `; ${r.staleEntries} expectation entr${r.staleEntries === 1 ? "y" : "ies"} matched nothing` : ""}`;
  return `the run does NOT match its expectations: ${[r.newFailures.length ? `${r.newFailures.length} new failure(s)` : "", r.unexpectedPasses.length ? `${r.unexpectedPasses.length} unexpected pass(es)` : ""].filter(Boolean).join(", ")}`;
}
