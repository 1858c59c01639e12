// `joinleaf spec`: the catalogue and the features as one readable document.
import { parseArgs } from "node:util";
import { loadSuiteAndCatalogue, writeOut } from "../report/common";
import { REPORTS_DIR } from "../report/runs";
import { buildSpec, renderSpecHtml, renderSpecMarkdown } from "../report/spec";

export const summary = "render the readable specification (catalogue + scenarios) as spec.html and spec.md";
export const usage = `  --out DIR            where to write (default: reports)`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: "string", default: REPORTS_DIR } }, strict: true });
  const { catalogue, suite } = loadSuiteAndCatalogue();
  const s = buildSpec(catalogue, suite);
  const files = [writeOut(values.out, "spec.html", renderSpecHtml(s)), writeOut(values.out, "spec.md", renderSpecMarkdown(s))];
  process.stdout.write(`readable spec of ${catalogue.entries.length} entries and ${suite.blocks.length} scenarios: ${files.join(", ")}\n`);
  return 0;
}
