// The variant self-test: the suite, in process, against every named simulator variant
// (drivers/simulator/variants.ts). A conformant variant must come out with no FAIL in either
// edition; a broken one must be caught (some FAIL) in at least one. One Cucumber support library
// serves every run; no report formatters run, only the message stream is kept, in memory.
import { loadConfiguration, runCucumber } from "@cucumber/cucumber/api";
import type { Envelope } from "@cucumber/messages";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { Variant, VARIANTS } from "../drivers/simulator/variants";
import { featureFiles, supportCode } from "./conformance";
import { parseMessages, Status, STATUSES } from "./results";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { profile, reportsRoot } = require("./profile") as typeof import("./profile");

export type Edition = "current" | "legacy";

export interface EditionOutcome {
  statuses: Record<Status, number>;
  failed: Array<{ scenario: string; rules: string[] }>;
}

export interface VariantOutcome {
  id: string;
  kind: Variant["kind"];
  summary: string;
  breaks: string[];
  editions: Partial<Record<Edition, EditionOutcome>>;
  /** ok: conformant with no FAIL, or broken and caught; false-fail / not-caught otherwise. */
  verdict: "ok" | "false-fail" | "not-caught";
}

export interface VariantsOptions {
  kind?: "conformant" | "broken" | "all";
  only?: string[];
  editions?: Edition[];
  /** Called after each variant, e.g. to print its line. */
  onVariant?: (o: VariantOutcome) => void;
}

/**
 * The fixed sample npm test runs (npm run test:variants runs them all): choices and bugs of
 * different kinds. Only variants the suite already settles right are in it; the conformant ones
 * that still false-fail (docs/variants.md) join it once their scenarios accept every reading.
 */
export const SAMPLE: readonly string[] = [
  "reference",
  "instant-joins",
  "late-callee-buffer",
  "descriptor-reuse",
  "reversed-ties",
  "callee-overrun",
  "callee-after-fd-connect",
  "fd-connect-always-zero",
  "no-already-check",
  "no-fd-close-at-root",
];

const FAILED_STATUSES: ReadonlySet<Status> = new Set<Status>(["FAIL", "TIMEOUT", "CRASH"]);

/** Envelopes the results reader needs (the rest of the stream is left out). */
const KEPT: ReadonlyArray<keyof Envelope> = ["meta", "pickle", "testCase", "testCaseStarted", "testCaseFinished", "testStepFinished", "attachment", "testRunFinished"];

export function selectVariants(o: Pick<VariantsOptions, "kind" | "only">): Variant[] {
  const kind = o.kind ?? "all";
  return VARIANTS.filter((v) => (kind === "all" || v.kind === kind) && (!o.only || o.only.includes(v.id)));
}

export async function runVariants(o: VariantsOptions = {}): Promise<VariantOutcome[]> {
  const editions = o.editions ?? ["current", "legacy"];
  const features = featureFiles().readable;
  const configs = new Map<Edition, Awaited<ReturnType<typeof loadConfiguration>>["runConfiguration"]>();
  for (const edition of editions) {
    const provided = { ...profile({ driver: "simulator", edition, run: `variants-${edition}`, paths: features }), format: [], formatOptions: {} };
    configs.set(edition, (await loadConfiguration({ provided, file: false })).runConfiguration);
  }
  const support = await supportCode(configs.values().next().value as Parameters<typeof supportCode>[0]);
  const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
  const outcomes: VariantOutcome[] = [];
  for (const v of selectVariants(o)) {
    const out: VariantOutcome = { id: v.id, kind: v.kind, summary: v.summary, breaks: v.breaks ?? [], editions: {}, verdict: "ok" };
    for (const edition of editions) {
      const config = configs.get(edition) as NonNullable<ReturnType<typeof configs.get>>;
      const lines: string[] = [];
      const runtime = { ...config.runtime, worldParameters: { ...config.runtime.worldParameters, driverOptions: { variant: v.id } } };
      await runCucumber({ ...config, runtime, support }, { stdout: quiet, stderr: quiet }, (e) => {
        if (KEPT.some((k) => e[k] !== undefined)) lines.push(JSON.stringify(e));
      });
      const results = parseMessages(lines.join("\n"), { run: `variant-${v.id}-${edition}` });
      const statuses = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
      for (const r of results.scenarios) statuses[r.status]++;
      const failed = results.scenarios.filter((r) => FAILED_STATUSES.has(r.status)).map((r) => ({ scenario: r.key, rules: r.rules }));
      out.editions[edition] = { statuses, failed };
    }
    const caught = Object.values(out.editions).some((e) => e.failed.length > 0);
    out.verdict = v.kind === "conformant" ? (caught ? "false-fail" : "ok") : caught ? "ok" : "not-caught";
    o.onVariant?.(out);
    outcomes.push(out);
  }
  return outcomes;
}

/** One line per variant: id, kind, FAIL count per edition, caught or not, the failing entries. */
export function describeOutcome(o: VariantOutcome): string {
  const counts = Object.entries(o.editions)
    .map(([e, r]) => `${e} ${r.failed.length} FAIL`)
    .join(", ");
  const rules = [...new Set(Object.values(o.editions).flatMap((r) => r.failed.flatMap((f) => f.rules)))].sort();
  const word = o.kind === "conformant" ? (o.verdict === "ok" ? "clean" : "FALSE FAIL") : o.verdict === "ok" ? "caught" : "NOT CAUGHT";
  return `${o.id.padEnd(30)} ${o.kind.padEnd(10)} ${counts.padEnd(30)} ${word}${rules.length ? ` (${rules.join(" ")})` : ""}`;
}

/** Writes <reports root>/variants/summary.json (read by the trace report). */
export function writeSummary(outcomes: VariantOutcome[], root = reportsRoot()): string {
  const dir = path.join(root, "variants");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "summary.json");
  writeFileSync(file, `${JSON.stringify({ variants: outcomes }, null, 2)}\n`);
  return file;
}

/** The variant list as docs/variants.md shows it (a test keeps the page in step with VARIANTS). */
export function variantsTable(): string {
  const rows = VARIANTS.map((v) => `| \`${v.id}\` | ${v.kind} | ${v.breaks?.join(", ") ?? ""} | ${v.summary} |`);
  return ["| id | kind | breaks | what it is |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
