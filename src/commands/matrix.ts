// `joinleaf matrix`: the conformance matrix of a set of runs, as HTML and Markdown.
import type { Command } from "commander";
import { countsByArea } from "../report/chart";
import { buildMatrix, renderMatrixHtml, renderMatrixMarkdown } from "../report/matrix";
import { addRunOptions, type RunOptions } from "./run-options";
import { loadSelectedRuns, loadSuiteAndCatalogue, writeOut } from "../report/common";

export const define = addRunOptions;

export async function run(values: RunOptions, positionals: string[]): Promise<number> {
  const { catalogue } = loadSuiteAndCatalogue();
  const runs = loadSelectedRuns(positionals, values, catalogue);
  const out = values.out ?? values.reports;
  const m = buildMatrix(runs, catalogue);
  const charts = runs.map((r) => ({ run: r.info.run, data: countsByArea(r.results, catalogue) }));
  const files = [writeOut(out, "matrix.html", renderMatrixHtml(m, { charts })), writeOut(out, "matrix.md", renderMatrixMarkdown(m))];
  process.stdout.write(`matrix of ${runs.length} run(s) × ${m.rows.length} entries: ${files.join(", ")}\n`);
  return 0;
}
