// `joinleaf trace`: catalogue entry → rules → scenarios → latest result per run.
import type { Command } from "commander";
import { addRunOptions, type RunOptions } from "./run-options";
import { asUsage, loadSelectedRuns, loadSuiteAndCatalogue, writeOut } from "../report/common";
import { buildTrace, readVariantSummary, renderTraceHtml, renderTraceMarkdown } from "../report/trace";

export const define = addRunOptions;

export async function run(values: RunOptions, positionals: string[]): Promise<number> {
  const { catalogue, suite } = loadSuiteAndCatalogue();
  const runs = loadSelectedRuns(positionals, values, catalogue);
  const out = values.out ?? values.reports;
  const t = buildTrace(catalogue, suite, runs, { variants: asUsage(() => readVariantSummary(values.reports)) });
  const files = [writeOut(out, "trace.html", renderTraceHtml(t)), writeOut(out, "trace.md", renderTraceMarkdown(t))];
  const gaps = t.entries.filter((e) => e.group === "no-scenario").length;
  const failing = t.entries.filter((e) => e.group === "no-passing-run").length;
  process.stdout.write(`trace of ${t.entries.length} entries over ${runs.length} run(s): ${gaps} testable without a scenario, ${failing} without a passing run: ${files.join(", ")}\n`);
  return 0;
}
