// Certification: the verdict of one run, the bundle that records it, and the checks `verify`
// makes on a bundle. The bundle format is described in docs/reports.md.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { applyExpectations, Expectations, parseExpectations } from "../expectations";
import { parseMessages, ScenarioResult, STATUSES } from "../results";
import { computeVerdict, VerdictSummary } from "../verdict";
import { Catalogue, sha256 } from "./catalogue";
import { buildMatrix, matrixJson, renderMatrixMarkdown } from "./matrix";
import type { LoadedRun } from "./runs";
import { combinedHash, requiredEntries, Suite } from "./suite";

export const BUNDLE_FORMAT = "joinleaf-certification-bundle/2";
export const BUNDLE_FILES = ["product.json", "messages.ndjson", "junit.xml", "matrix.md", "matrix.json"] as const;

export { computeVerdict } from "../verdict";
export type { Verdict, VerdictSummary } from "../verdict";

/**
 * The entries a complete run of `edition` must have results for: testable, part of the edition
 * (and of the profile, when one is named), and cited by a scenario of the suite that runs in that edition.
 */
export function requiredRules(_catalogue: Catalogue, suite: Suite, edition: string, profile?: string): string[] {
  return requiredEntries(suite, edition, profile);
}

export interface ProtocolSummary {
  id: string;
  name: string;
  providerId: string;
  catalogEntryId: number;
  serviceFlags1: number;
  traits: string[];
}

/** product.json: the verdict's figures as computeVerdict gave them, plus what was tested and how. */
export interface ProductJson
  extends Pick<VerdictSummary, "verdict" | "profile" | "counts" | "scenarios" | "failingRules" | "deviations" | "missingRules" | "unexercisedRules" | "notApplicableRules" | "exercised" | "regression"> {
  format: string;
  run: string;
  driver: string;
  edition: string;
  tags: string | null;
  requiredRules: string[];
  implementation: {
    driver: string;
    /** From `details`: version, else wine, else winsockVersion; null when the driver says none. */
    version: string | null;
    /** The driver's own description of what is under test (Driver.implementation). */
    details: Record<string, string>;
    providers: string[];
    protocols: ProtocolSummary[];
    error?: string;
  };
  expectations: null | { file: string; implementation: string; driver: string; entries: number; sha256: string };
  environment: { os: { platform: string; type: string; release: string; version: string; arch: string }; node: string; cucumber: string | null };
  suite: {
    name: string;
    version: string;
    catalogue: { path: string; sha256: string };
    features: Record<string, string>;
    combined: string;
  };
  /** sha256 of every other file of the bundle. */
  files: Record<string, string>;
  timestamps: { runStarted: string | null; runFinished: string | null; bundled: string };
}

export interface Check {
  ok: boolean;
  what: string;
  detail?: string;
}

/** The matrix column of one run, as markdown and JSON (both go into the bundle). */
export function matrixColumn(run: LoadedRun, catalogue: Catalogue, profile?: string): { json: unknown; md: string } {
  const m = buildMatrix([run], catalogue, { profile });
  return { json: matrixJson(m), md: renderMatrixMarkdown(m, { specHref: "spec.md" }) };
}

/** Checks a bundle folder against the current suite. Every check is reported, passed or not. */
export function verifyBundle(dir: string, catalogue: Catalogue, suite: Suite): Check[] {
  const checks: Check[] = [];
  const add = (ok: boolean, what: string, detail?: string) => checks.push({ ok, what, detail });
  const missing = BUNDLE_FILES.filter((f) => !existsSync(path.join(dir, f)));
  add(!missing.length, "required files present", missing.length ? `missing: ${missing.join(", ")}` : BUNDLE_FILES.join(", "));
  if (!existsSync(path.join(dir, "product.json"))) return checks;
  let product: ProductJson;
  try {
    product = JSON.parse(readFileSync(path.join(dir, "product.json"), "utf8"));
  } catch (err) {
    add(false, "product.json is JSON", (err as Error).message);
    return checks;
  }
  add(product.format === BUNDLE_FORMAT, "bundle format", `${product.format ?? "(none)"}${product.format === BUNDLE_FORMAT ? "" : `, expected ${BUNDLE_FORMAT}`}`);
  if (product.format !== BUNDLE_FORMAT) return checks;

  // Files of the bundle are the ones product.json recorded.
  const listed = product.files ?? {};
  const expectedFiles = [...new Set([...BUNDLE_FILES.filter((f) => f !== "product.json"), ...(product.expectations ? ["expectations.yaml"] : []), ...Object.keys(listed)])];
  const fileProblems: string[] = [];
  for (const f of expectedFiles) {
    const p = path.join(dir, f);
    if (!existsSync(p)) fileProblems.push(`${f} missing`);
    else if (listed[f] !== sha256(readFileSync(p))) fileProblems.push(`${f} changed since bundling (sha256 differs)`);
  }
  add(!fileProblems.length, "bundle files match their recorded sha256", fileProblems.join("; ") || undefined);

  // The suite the run used is the suite here.
  const current = suite.hashes;
  const recorded = product.suite ?? ({} as ProductJson["suite"]);
  const suiteProblems: string[] = [];
  if (recorded.catalogue?.sha256 !== current.catalogue.sha256) suiteProblems.push(`${current.catalogue.path} differs`);
  const recFeatures = recorded.features ?? {};
  for (const [uri, h] of Object.entries(current.features)) {
    if (!(uri in recFeatures)) suiteProblems.push(`${uri} is not in the bundle's suite`);
    else if (recFeatures[uri] !== h) suiteProblems.push(`${uri} differs`);
  }
  for (const uri of Object.keys(recFeatures)) if (!(uri in current.features)) suiteProblems.push(`${uri} is no longer in the suite`);
  const recomputed = combinedHash({ ...recFeatures, [recorded.catalogue?.path ?? current.catalogue.path]: recorded.catalogue?.sha256 ?? "" });
  if (recorded.combined !== recomputed) suiteProblems.push("the combined hash does not match the recorded file hashes");
  else if (recorded.combined !== current.combined) suiteProblems.push("the combined hash differs from the current suite's");
  add(!suiteProblems.length, "suite hashes match the current suite (catalogue and every feature file)", suiteProblems.join("; ") || `combined ${current.combined.slice(0, 16)}…`);

  // Results, read again from the recorded messages.
  let results: ScenarioResult[];
  let runComplete = true;
  let sources: Record<string, string> = {};
  try {
    const run = parseMessages(readFileSync(path.join(dir, "messages.ndjson"), "utf8"), { run: product.run, file: path.join(dir, "messages.ndjson") });
    results = run.scenarios;
    runComplete = run.info.complete;
    sources = run.sources;
  } catch (err) {
    add(false, "messages.ndjson is a readable Cucumber message stream", (err as Error).message);
    return checks;
  }
  const sourceProblems = Object.entries(sources)
    .filter(([uri, text]) => recFeatures[uri] !== sha256(text))
    .map(([uri]) => uri);
  add(!sourceProblems.length, "the features in messages.ndjson are the ones product.json hashed", sourceProblems.length ? `differ: ${sourceProblems.join(", ")}` : undefined);

  let expectations: Expectations | undefined;
  if (product.expectations) {
    try {
      const known = { rules: new Set(catalogue.entries.map((e) => e.id)) };
      expectations = parseExpectations(readFileSync(path.join(dir, "expectations.yaml"), "utf8"), product.expectations.file, known);
      add(expectations.driver === product.driver, "expectations are for the bundle's driver", `${expectations.driver} vs ${product.driver}`);
    } catch (err) {
      add(false, "expectations.yaml is valid", (err as Error).message);
      return checks;
    }
  }
  const comparison = applyExpectations(results, expectations);
  const profile = product.profile ?? undefined;
  if (profile && !(profile in catalogue.profiles)) {
    add(false, "the bundle's profile is one the catalogue defines", `${profile} is not in ${Object.keys(catalogue.profiles).join(", ") || "(no profiles)"}`);
    return checks;
  }
  const required = requiredEntries(suite, product.edition, profile);
  const verdict = computeVerdict(comparison.results, { required, complete: runComplete, catalogue, profile, comparison, expectationsFile: product.expectations?.file });

  add(!verdict.missingRules.length, `every required entry of the ${product.edition} edition has a result`, verdict.missingRules.length ? `no result for ${verdict.missingRules.join(", ")}` : `${required.length} entries`);
  const countDiffs = STATUSES.filter((s) => (product.counts?.[s] ?? 0) !== verdict.counts[s]).map((s) => `${s}: recorded ${product.counts?.[s] ?? 0}, found ${verdict.counts[s]}`);
  if (product.scenarios !== verdict.scenarios) countDiffs.push(`scenarios: recorded ${product.scenarios}, found ${verdict.scenarios}`);
  add(!countDiffs.length, "recorded counts match the results", countDiffs.join("; ") || undefined);
  add(product.verdict === verdict.verdict, "recorded verdict matches the results", `recorded ${product.verdict}, results say ${verdict.verdict}${profile ? ` (${profile} profile)` : ""}`);
  const reg = product.regression;
  add(
    !!reg && reg.matches === verdict.regression.matches && reg.newFailures.join("\n") === verdict.regression.newFailures.join("\n") && reg.unexpectedPasses.join("\n") === verdict.regression.unexpectedPasses.join("\n"),
    "recorded regression verdict (matches the expectations or not) matches the results",
    `recorded ${reg ? (reg.matches ? "matches" : "does not match") : "nothing"}, results say ${verdict.regression.matches ? "matches" : "does not match"}`,
  );
  const fr = (product.failingRules ?? []).join(",") === verdict.failingRules.join(",");
  add(fr, "recorded failing entries match the results", fr ? undefined : `recorded ${product.failingRules?.join(", ") || "none"}, found ${verdict.failingRules.join(", ") || "none"}`);

  // The matrix column agrees with the results.
  try {
    const mj = JSON.parse(readFileSync(path.join(dir, "matrix.json"), "utf8")) as { rows: Array<{ id: string; cells: Array<{ status: string | null; count: number; total: number }> }> };
    const fresh = matrixJson(buildMatrix([{ info: { run: product.run, source: "", complete: runComplete, edition: product.edition }, results: comparison.results, sources: {} }], catalogue, { profile })) as typeof mj;
    const recordedCells = new Map(mj.rows.map((r) => [r.id, r.cells[0]]));
    const diffs: string[] = [];
    for (const row of fresh.rows) {
      const a = recordedCells.get(row.id);
      const b = row.cells[0];
      if (!a || a.status !== b.status || a.count !== b.count || a.total !== b.total) diffs.push(`${row.id}: recorded ${a ? `${a.status ?? "—"} ${a.count}/${a.total}` : "nothing"}, found ${b.status ?? "—"} ${b.count}/${b.total}`);
    }
    add(!diffs.length, "matrix.json agrees with the results", diffs.slice(0, 10).join("; ") + (diffs.length > 10 ? ` (+${diffs.length - 10} more)` : "") || undefined);
  } catch (err) {
    add(false, "matrix.json is readable", (err as Error).message);
  }
  return checks;
}
