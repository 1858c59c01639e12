// The variant self-test: the suite, in process, against every named simulator variant
// (drivers/simulator/variants.ts). A conformant variant must come out with no FAIL in either
// edition; a broken one must be caught (some FAIL) in at least one, or, when it says only explore
// catches it, explore must find it with a fixed seed. One Cucumber support library serves every
// run; no report formatters run, only the message stream is kept, in memory.
import { loadConfiguration, runCucumber } from "@cucumber/cucumber/api";
import type { Envelope } from "@cucumber/messages";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { caughtBy, Variant, VARIANTS } from "../drivers/simulator/variants";
import { featureFiles, supportCode } from "./conformance";
import { explore } from "./explore/explore";
import { conformantVariantIds } from "./explore/references";
import { readEnvelopes, readsEnvelope, Status, STATUSES } from "./results";
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
  /** Broken only: the tool expected to catch it. */
  caughtBy?: "suite" | "explore";
  editions: Partial<Record<Edition, EditionOutcome>>;
  /** Some scenario failed in some edition (for a conformant variant, a false FAIL). */
  suiteCaught: boolean;
  /** For a variant only explore is expected to catch: what the fixed-seed explore run found. */
  explore?: { seed: number; runs: number; found: boolean; at?: string; actions?: number };
  /**
   * ok: conformant with no FAIL, or broken and caught by what its caughtBy names; false-fail /
   * not-caught otherwise; mislabelled: said to be caught only by explore, yet the suite catches it.
   */
  verdict: VariantVerdict;
}

/**
 * The explore run that must find each variant only explore catches: a fixed seed, so the check
 * gives the same answer every time, and few runs, so it stays quick. Should a change to the
 * generator make it miss, the message says which variant: look at what explore now generates.
 */
export const EXPLORE_CHECK = { seed: 1, runs: 500, length: 20 } as const;

export type VariantVerdict = "ok" | "false-fail" | "not-caught" | "mislabelled";

export interface VariantsOptions {
  kind?: "conformant" | "broken" | "all";
  only?: string[];
  editions?: Edition[];
  /** Called after each variant, e.g. to print its line. */
  onVariant?: (o: VariantOutcome) => void;
}

/**
 * The fixed sample npm test runs (npm run test:variants and CI run them all): choices and bugs of
 * different kinds, each in both editions. Only variants the suite already settles right are in it.
 * The reference is not: equivalence runs it in process in both editions and fails on any FAIL.
 */
export const SAMPLE: readonly string[] = [
  // Choices the texts leave open: when a join completes, when the callee buffer is filled, the
  // order of events of one instant.
  "instant-joins",
  "late-callee-buffer",
  "reversed-ties",
  // Bugs in the callee buffer, in FD_CONNECT's error, in the pending-join check.
  "callee-overrun",
  "fd-connect-always-zero",
  "no-already-check",
  // The one variant only explore catches: its explore run takes a second or two.
  "failed-join-left-pending",
];

const FAILED_STATUSES: ReadonlySet<Status> = new Set<Status>(["FAIL", "TIMEOUT", "CRASH"]);

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
    const out: VariantOutcome = { id: v.id, kind: v.kind, summary: v.summary, breaks: v.breaks ?? [], editions: {}, suiteCaught: false, verdict: "ok" };
    if (v.kind === "broken") out.caughtBy = caughtBy(v);
    for (const edition of editions) {
      const config = configs.get(edition) as NonNullable<ReturnType<typeof configs.get>>;
      const kept: Envelope[] = [];
      const runtime = { ...config.runtime, worldParameters: { ...config.runtime.worldParameters, driverOptions: { variant: v.id } } };
      await runCucumber({ ...config, runtime, support }, { stdout: quiet, stderr: quiet }, (e) => {
        if (readsEnvelope(e)) kept.push(e);
      });
      const results = readEnvelopes(kept, { run: `variant-${v.id}-${edition}` });
      const statuses = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
      for (const r of results.scenarios) statuses[r.status]++;
      const failed = results.scenarios.filter((r) => FAILED_STATUSES.has(r.status)).map((r) => ({ scenario: r.key, rules: r.rules }));
      out.editions[edition] = { statuses, failed };
    }
    out.suiteCaught = Object.values(out.editions).some((e) => e.failed.length > 0);
    if (out.caughtBy === "explore") out.explore = await exploreCheck(v, support);
    out.verdict = variantVerdict(v, out.suiteCaught, out.explore?.found);
    o.onVariant?.(out);
    outcomes.push(out);
  }
  return outcomes;
}

/**
 * A conformant variant must pass the suite; a broken one must be caught by what its caughtBy
 * names. An explore-only variant the suite catches too is mislabelled: docs/variants.md and the
 * trace report would say no scenario catches a bug one does.
 */
export function variantVerdict(v: Variant, suiteCaught: boolean, exploreFound: boolean | undefined): VariantVerdict {
  if (v.kind === "conformant") return suiteCaught ? "false-fail" : "ok";
  if (caughtBy(v) === "suite") return suiteCaught ? "ok" : "not-caught";
  if (suiteCaught) return "mislabelled";
  // Caught only if explore ran and found it: a check that did not run catches nothing.
  return exploreFound === true ? "ok" : "not-caught";
}

/** Explore, with the fixed seed, against one variant of the model. */
async function exploreCheck(v: Variant, support: Awaited<ReturnType<typeof supportCode>>): Promise<NonNullable<VariantOutcome["explore"]>> {
  const { seed, runs, length } = EXPLORE_CHECK;
  const r = await explore({ driver: "simulator", driverOptions: { variant: v.id }, edition: "current", runs, seed, length, references: conformantVariantIds() }, support);
  if (!r.failure) return { seed, runs, found: false };
  return { seed, runs, found: true, at: r.failure.divergence.message.replace(/: got .*/s, ""), actions: r.failure.trace.length + 1 };
}

/** One line per variant: id, kind, FAIL count per edition, caught or not, the failing entries; for an explore-only one, what explore found. */
export function describeOutcome(o: VariantOutcome): string {
  const counts = Object.entries(o.editions)
    .map(([e, r]) => `${e} ${r.failed.length} FAIL`)
    .join(", ");
  const rules = [...new Set(Object.values(o.editions).flatMap((r) => r.failed.flatMap((f) => f.rules)))].sort();
  const line = (word: string) => `${o.id.padEnd(30)} ${o.kind.padEnd(10)} ${counts.padEnd(30)} ${word}${rules.length ? ` (${rules.join(" ")})` : ""}`;
  if (o.kind === "conformant") return line(o.verdict === "ok" ? "clean" : "FALSE FAIL");
  const x = o.explore;
  if (!x) return line(o.verdict === "ok" ? "caught" : "NOT CAUGHT");
  const found = x.found ? `caught by explore (seed ${x.seed}, shrunk to ${x.actions} actions, ${x.at})` : `NOT CAUGHT by explore (seed ${x.seed}, ${x.runs} runs)`;
  return line(`${found}; suite: ${o.suiteCaught ? "MISLABELLED: the suite catches it too, so it is not explore-only (drop its caughtBy)" : "not caught"}`);
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
  const rows = VARIANTS.map((v) => `| \`${v.id}\` | ${v.kind} | ${v.breaks?.join(", ") ?? ""} | ${v.kind === "broken" ? caughtBy(v) : ""} | ${v.summary} |`);
  return ["| id | kind | breaks | caught by | what it is |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}
