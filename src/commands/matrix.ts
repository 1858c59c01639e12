// `joinleaf matrix`: the conformance matrix of a set of runs, as HTML and Markdown.
import { parseArgs } from "node:util";
import { buildMatrix, renderMatrixHtml, renderMatrixMarkdown } from "../report/matrix";
import { loadSelectedRuns, loadSuiteAndCatalogue, RUN_OPTIONS, RUN_USAGE, writeOut } from "../report/common";

export const summary = "build the conformance matrix (entries × runs) as matrix.html and matrix.md";
export const usage = RUN_USAGE;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: RUN_OPTIONS, allowPositionals: true, strict: true });
  const { catalogue } = loadSuiteAndCatalogue();
  const runs = loadSelectedRuns(positionals, values, catalogue);
  const out = values.out ?? values.reports;
  const m = buildMatrix(runs, catalogue);
  const files = [writeOut(out, "matrix.html", renderMatrixHtml(m)), writeOut(out, "matrix.md", renderMatrixMarkdown(m))];
  process.stdout.write(`matrix of ${runs.length} run(s) × ${m.rows.length} entries: ${files.join(", ")}\n`);
  return 0;
}
