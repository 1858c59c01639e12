// `joinleaf trace`: catalogue entry → rules → scenarios → latest result per run.
import { parseArgs } from "node:util";
import { loadSelectedRuns, loadSuiteAndCatalogue, RUN_OPTIONS, RUN_USAGE, writeOut } from "../report/common";
import { buildTrace, renderTraceHtml, renderTraceMarkdown } from "../report/trace";

export const summary = "build the traceability report (entry → rules → scenarios → results) as trace.html and trace.md";
export const usage = RUN_USAGE;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: RUN_OPTIONS, allowPositionals: true, strict: true });
  const { catalogue, suite } = loadSuiteAndCatalogue();
  const runs = loadSelectedRuns(positionals, values, catalogue);
  const out = values.out ?? values.reports;
  const t = buildTrace(catalogue, suite, runs);
  const files = [writeOut(out, "trace.html", renderTraceHtml(t)), writeOut(out, "trace.md", renderTraceMarkdown(t))];
  const gaps = t.entries.filter((e) => e.group === "no-scenario").length;
  const failing = t.entries.filter((e) => e.group === "no-passing-run").length;
  process.stdout.write(`trace of ${t.entries.length} entries over ${runs.length} run(s): ${gaps} testable without a scenario, ${failing} without a passing run: ${files.join(", ")}\n`);
  return 0;
}
