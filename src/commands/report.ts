// `joinleaf report` (`npm run report`): every report over every run present — the matrix, the
// traceability report, the readable spec, an index page, and each run's Allure HTML report.
import path from "node:path";
import type { Command } from "commander";
import { allureUpToDate, buildAllureReports, JAVA_HELP, javaProblem } from "../report/allure";
import { countsByArea } from "../report/chart";
import { asUsage, loadSelectedRuns, loadSuiteAndCatalogue, writeOut } from "../report/common";
import { addRunOptions, type RunOptions } from "./run-options";
import { IndexRun, renderIndexHtml, runVerdict } from "../report/index-page";
import { buildMatrix, renderMatrixHtml, renderMatrixMarkdown } from "../report/matrix";
import type { LoadedRun } from "../report/runs";
import type { Suite } from "../report/suite";
import { buildSpec, renderSpecHtml, renderSpecMarkdown } from "../report/spec";
import { buildTrace, readVariantSummary, renderTraceHtml, renderTraceMarkdown } from "../report/trace";
import { STATUSES } from "../results";
import type { VerdictSummary } from "../verdict";

export function define(cmd: Command): void {
  addRunOptions(cmd)
    .option("--no-allure", "skip the Allure HTML reports (they need Java)")
    .option("--rebuild-allure", "rebuild every Allure report, also those whose run has not changed");
}

export async function run(values: RunOptions & { allure: boolean; rebuildAllure?: boolean }, positionals: string[]): Promise<number> {
  const t0 = Date.now();
  const say = (line: string) => process.stdout.write(line + "\n");
  const { catalogue, suite } = loadSuiteAndCatalogue();
  const runs = loadSelectedRuns(positionals, values, catalogue);
  const out = values.out ?? values.reports;
  say(`reading ${runs.length} run(s): matrix, trace, spec, index…`);
  const written: string[] = [];
  const m = buildMatrix(runs, catalogue);
  const charts = runs.map((r) => ({ run: r.info.run, data: countsByArea(r.results, catalogue) }));
  written.push(writeOut(out, "matrix.html", renderMatrixHtml(m, { charts })), writeOut(out, "matrix.md", renderMatrixMarkdown(m)));
  const t = buildTrace(catalogue, suite, runs, { variants: asUsage(() => readVariantSummary(values.reports)) });
  written.push(writeOut(out, "trace.html", renderTraceHtml(t)), writeOut(out, "trace.md", renderTraceMarkdown(t)));
  const s = buildSpec(catalogue, suite);
  written.push(writeOut(out, "spec.html", renderSpecHtml(s)), writeOut(out, "spec.md", renderSpecMarkdown(s)));
  const tReports = Date.now() - t0;
  if (!runs.length) say(`no runs found${positionals.length ? "" : ` under ${values.reports}/`}: run "npx joinleaf conformance --driver simulator" first; the matrix and trace are empty`);

  const allure: IndexRun[] = runs.map((run) => ({ run }));
  let tAllure = 0;
  if (!values.allure) {
    say("Allure reports skipped (--no-allure)");
  } else if (runs.length) {
    const problem = javaProblem();
    if (problem) {
      say(`Allure reports skipped: ${problem}.\n${JAVA_HELP}`);
      for (const a of allure) a.allureNote = "needs Java";
    } else {
      const a0 = Date.now();
      const dirs = runs.map((r) => path.dirname(r.info.source));
      const titles = runs.map((r) => allureTitle(r, suite));
      const force = values.rebuildAllure ?? false;
      const stale = force ? dirs.length : dirs.filter((d, i) => !allureUpToDate(d, titles[i])).length;
      say(`Allure: ${stale} of ${runs.length} report(s) to build${stale < runs.length ? ` (${runs.length - stale} unchanged since their run)` : ""}${stale ? "; about 2 s of Java each…" : ""}`);
      const outcomes = await buildAllureReports(dirs, {
        force,
        titles,
        onDone: (o, done) => {
          if (!o.unchanged) say(`  [${done}/${runs.length}] ${o.run}: ${o.ok ? `built in ${(o.ms / 1000).toFixed(1)} s` : o.message}`);
        },
      });
      runs.forEach((_r, i) => {
        const o = outcomes[i];
        if (o.ok) {
          written.push(o.message + (o.unchanged ? " (unchanged)" : ""));
          allure[i].allureHref = path.relative(out, path.join(o.reportDir!, "index.html")).split(path.sep).join("/");
        } else allure[i].allureNote = o.message;
      });
      tAllure = Date.now() - a0;
    }
  }
  written.push(writeOut(out, "index.html", renderIndexHtml(out, allure, suite)));
  for (const f of written) say(`  ${f}`);
  say(`reports for ${runs.length} run(s) written in ${Date.now() - t0} ms (matrix, trace, spec: ${tReports} ms${tAllure ? `; Allure: ${tAllure} ms` : ""}); open ${path.join(out, "index.html")}`);
  return 0;
}

/** The Allure report's name: the run, the suite's verdict and its counts (Allure's own rate leaves skips out). */
export function allureTitle(r: LoadedRun, suite: Suite): string {
  const v: VerdictSummary = runVerdict(r, suite);
  return `WSAJoinLeaf conformance: ${r.info.run} — ${v.verdict} (${STATUSES.filter((s) => v.counts[s]).map((s) => `${v.counts[s]} ${s}`).join(", ")} of ${v.scenarios})`;
}
