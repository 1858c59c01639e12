// reports/index.html: every run at a glance (its verdict, counts and colour, a chart of statuses
// per area) and links to every report.
import { existsSync } from "node:fs";
import path from "node:path";
import { STATUSES } from "../results";
import { computeVerdict, describeRegression, VerdictSummary } from "../verdict";
import { areaChart, chartLibrary, countsByArea } from "./chart";
import { esc, page, statusClass } from "./html";
import type { LoadedRun } from "./runs";
import { requiredEntries, Suite } from "./suite";

export interface IndexRun {
  run: LoadedRun;
  /** Link to the run's Allure report, relative to the index, or why there is none. */
  allureHref?: string;
  allureNote?: string;
}

/** The verdict of one run as the index shows it: the whole catalogue for the run's edition. */
export function runVerdict(run: LoadedRun, suite: Suite): VerdictSummary {
  const edition = run.info.edition;
  return computeVerdict(run.results, {
    required: edition ? requiredEntries(suite, edition) : undefined,
    complete: run.info.complete,
    catalogue: suite.catalogue,
    comparison: run.comparison,
    expectationsFile: run.expectations?.file,
  });
}

const VERDICT_CLASS: Record<string, string> = {
  CONFORMANT: "st-pass",
  "CONFORMANT WITH DEVIATIONS": "st-expected-fail",
  "NOT CONFORMANT": "st-fail",
};

const INDEX_CSS = `
table.runs td.verdict { font-weight: 700; white-space: nowrap; }
table.runs td.counts span { margin-right: 4px; padding: 0 5px; border-radius: 4px; font-size: 12px; font-weight: 600; white-space: nowrap; }
table.runs tr.run td:first-child { border-left: 6px solid var(--line); }
table.runs tr.run.v-conformant td:first-child { border-left-color: var(--pass); }
table.runs tr.run.v-deviations td:first-child { border-left-color: #e0a100; }
table.runs tr.run.v-not td:first-child { border-left-color: var(--fail); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 12px; }
`;

export function renderIndexHtml(out: string, runs: IndexRun[], suite: Suite, generatedAt = new Date().toISOString()): string {
  const rel = (f: string) => path.relative(out, f).split(path.sep).join("/");
  const verdicts = runs.map((r) => runVerdict(r.run, suite));
  const rows = runs
    .map(({ run: r, allureHref, allureNote }, i) => {
      const v = verdicts[i];
      const dir = path.dirname(r.info.source);
      const link = (f: string, label: string) => (existsSync(path.join(dir, f)) ? `<a href="${esc(rel(path.join(dir, f)))}">${label}</a>` : "");
      const counts = STATUSES.filter((s) => v.counts[s] > 0)
        .map((s) => `<span class="${statusClass(s)}" title="${esc(s)}">${v.counts[s]} ${esc(s)}</span>`)
        .join("");
      const cls = v.verdict === "CONFORMANT" ? "v-conformant" : v.verdict === "NOT CONFORMANT" ? "v-not" : "v-deviations";
      const links = [
        link("report.html", "Cucumber HTML"),
        allureHref ? `<a href="${esc(allureHref)}">Allure</a>` : allureNote ? `<span class="muted">Allure: ${esc(allureNote)}</span>` : "",
        link("junit.xml", "JUnit XML"),
        link("messages.ndjson", "messages"),
        link("bundle/product.json", "certification bundle"),
      ]
        .filter(Boolean)
        .join(" · ");
      return `<tr class="run ${cls}"><td><strong>${esc(r.info.run)}</strong></td><td>${esc(r.info.driver ?? "")}</td><td>${esc(r.info.edition ?? "")}</td><td class="verdict ${VERDICT_CLASS[v.verdict]}" title="${esc(v.reasons.join("\n"))}">${esc(v.verdict)}</td><td>${r.results.length}</td><td class="counts">${counts || `<span class="muted">none</span>`}</td><td>${esc(describeRegression(v.regression))}${r.expectations ? ` <span class="muted">(${esc(r.expectations.file)})</span>` : ""}</td><td>${links}</td></tr>`;
    })
    .join("\n");
  const charts = runs.length
    ? `<h2 id="charts">Statuses per area</h2>${chartLibrary()}<div class="charts">${runs
        .map(({ run: r }, i) => areaChart(`chart-${i}`, `${r.info.run}: ${verdicts[i].verdict}`, countsByArea(r.results, suite.catalogue)))
        .join("\n")}</div><noscript><p class="muted">The charts need JavaScript; the counts are in the table above.</p></noscript>`
    : "";
  return page(
    "WSAJoinLeaf conformance reports",
    `<h1>WSAJoinLeaf conformance reports</h1>
<p class="lead">Generated ${esc(generatedAt)}. The verdict of each run judges every catalogue entry of its edition (certify --profile judges one profile); hover a verdict for its reasons. "Expectations" is the regression check CI uses: does the run match its expectations file.</p>
<ul>
<li><a href="matrix.html">Conformance matrix</a>: catalogue entries × runs (<a href="matrix.md">Markdown</a>)</li>
<li><a href="trace.html">Traceability</a>: entry → rules → scenarios → results, gaps first (<a href="trace.md">Markdown</a>)</li>
<li><a href="spec.html">Readable specification</a>: the catalogue and the scenarios, by entry (<a href="spec.md">Markdown</a>)</li>
</ul>
<h2>Runs</h2>
<table class="runs"><thead><tr><th>Run</th><th>Driver</th><th>Edition</th><th>Verdict</th><th>Scenarios</th><th>Statuses</th><th>Expectations</th><th>Reports</th></tr></thead><tbody>${rows || `<tr><td colspan="8">No runs yet.</td></tr>`}</tbody></table>
${charts}`,
    INDEX_CSS,
  );
}
