// `joinleaf report` (`npm run report`): every report over every run present — the matrix, the
// traceability report, the readable spec, an index page, and each run's Allure HTML report.
import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { buildAllureReports, JAVA_HELP, javaProblem } from "../report/allure";
import { loadSelectedRuns, loadSuiteAndCatalogue, writeOut } from "../report/common";
import { addRunOptions, type RunOptions } from "./run-options";
import { esc, page } from "../report/html";
import { buildMatrix, renderMatrixHtml, renderMatrixMarkdown } from "../report/matrix";
import { buildSpec, renderSpecHtml, renderSpecMarkdown } from "../report/spec";
import { buildTrace, renderTraceHtml, renderTraceMarkdown } from "../report/trace";
import type { LoadedRun } from "../report/runs";

export function define(cmd: Command): void {
  addRunOptions(cmd).option("--no-allure", "skip the Allure HTML reports (they need Java)");
}

export async function run(values: RunOptions & { allure: boolean }, positionals: string[]): Promise<number> {
  const t0 = Date.now();
  const { catalogue, suite } = loadSuiteAndCatalogue();
  const runs = loadSelectedRuns(positionals, values, catalogue);
  const out = values.out ?? values.reports;
  const written: string[] = [];
  const m = buildMatrix(runs, catalogue);
  written.push(writeOut(out, "matrix.html", renderMatrixHtml(m)), writeOut(out, "matrix.md", renderMatrixMarkdown(m)));
  const t = buildTrace(catalogue, suite, runs);
  written.push(writeOut(out, "trace.html", renderTraceHtml(t)), writeOut(out, "trace.md", renderTraceMarkdown(t)));
  const s = buildSpec(catalogue, suite);
  written.push(writeOut(out, "spec.html", renderSpecHtml(s)), writeOut(out, "spec.md", renderSpecMarkdown(s)));
  const tReports = Date.now() - t0;
  if (!runs.length) process.stdout.write(`no runs found${positionals.length ? "" : ` under ${values.reports}/`}: run "npx joinleaf conformance --driver simulator" first; the matrix and trace are empty\n`);

  const allure: Array<{ run: LoadedRun; href?: string; note?: string }> = [];
  let tAllure = 0;
  if (!values.allure) {
    process.stdout.write("Allure reports skipped (--no-allure)\n");
  } else if (runs.length) {
    const problem = javaProblem();
    if (problem) {
      process.stdout.write(`Allure reports skipped: ${problem}.\n${JAVA_HELP}\n`);
      for (const r of runs) allure.push({ run: r, note: "needs Java" });
    } else {
      const a0 = Date.now();
      const outcomes = await buildAllureReports(runs.map((r) => path.dirname(r.info.source)));
      runs.forEach((r, i) => {
        const o = outcomes[i];
        if (o.ok) {
          written.push(o.message);
          allure.push({ run: r, href: path.relative(out, path.join(o.reportDir!, "index.html")) });
        } else {
          process.stdout.write(`${o.message}\n`);
          allure.push({ run: r, note: o.message });
        }
      });
      tAllure = Date.now() - a0;
    }
  }
  written.push(writeOut(out, "index.html", indexPage(out, runs, allure)));
  for (const f of written) process.stdout.write(`  ${f}\n`);
  process.stdout.write(`reports for ${runs.length} run(s) written in ${Date.now() - t0} ms (matrix, trace, spec: ${tReports} ms${tAllure ? `; Allure: ${tAllure} ms` : ""}); open ${path.join(out, "index.html")}\n`);
  return 0;
}

function indexPage(out: string, runs: LoadedRun[], allure: Array<{ run: LoadedRun; href?: string; note?: string }>): string {
  const rel = (f: string) => path.relative(out, f).split(path.sep).join("/");
  const rows = runs
    .map((r) => {
      const dir = path.dirname(r.info.source);
      const link = (f: string, label: string) => (existsSync(path.join(dir, f)) ? `<a href="${esc(rel(path.join(dir, f)))}">${label}</a>` : "");
      const a = allure.find((x) => x.run === r);
      return `<tr><td><strong>${esc(r.info.run)}</strong></td><td>${esc(r.info.driver ?? "")}</td><td>${esc(r.info.edition ?? "")}</td><td>${r.results.length}</td><td>${[
        link("report.html", "Cucumber HTML"),
        a?.href ? `<a href="${esc(a.href.split(path.sep).join("/"))}">Allure</a>` : a?.note ? `<span class="muted">Allure: ${esc(a.note)}</span>` : "",
        link("junit.xml", "JUnit XML"),
        link("messages.ndjson", "messages"),
        link("bundle/product.json", "certification bundle"),
      ]
        .filter(Boolean)
        .join(" · ")}</td></tr>`;
    })
    .join("");
  return page(
    "WSAJoinLeaf conformance reports",
    `<h1>WSAJoinLeaf conformance reports</h1>
<p class="lead">Generated ${esc(new Date().toISOString())}.</p>
<ul>
<li><a href="matrix.html">Conformance matrix</a>: catalogue entries × runs (<a href="matrix.md">Markdown</a>)</li>
<li><a href="trace.html">Traceability</a>: entry → rules → scenarios → results, gaps first (<a href="trace.md">Markdown</a>)</li>
<li><a href="spec.html">Readable specification</a>: the catalogue and the scenarios, by entry (<a href="spec.md">Markdown</a>)</li>
</ul>
<h2>Runs</h2>
<table><thead><tr><th>Run</th><th>Driver</th><th>Edition</th><th>Scenarios</th><th>Reports</th></tr></thead><tbody>${rows || `<tr><td colspan="5">No runs yet.</td></tr>`}</tbody></table>`,
  );
}
