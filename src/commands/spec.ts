// `joinleaf spec`: the catalogue and the features as one readable document.
import type { Command } from "commander";
import { loadSuiteAndCatalogue, writeOut } from "../report/common";
import { REPORTS_DIR } from "../report/runs";
import { buildSpec, renderSpecHtml, renderSpecMarkdown } from "../report/spec";

export function define(cmd: Command): void {
  cmd.option("--out <dir>", "where to write", REPORTS_DIR);
}

export async function run(values: { out: string }): Promise<number> {
  const { catalogue, suite } = loadSuiteAndCatalogue();
  const s = buildSpec(catalogue, suite);
  const files = [writeOut(values.out, "spec.html", renderSpecHtml(s)), writeOut(values.out, "spec.md", renderSpecMarkdown(s))];
  process.stdout.write(`readable spec of ${catalogue.entries.length} entries and ${suite.blocks.length} scenarios: ${files.join(", ")}\n`);
  return 0;
}
