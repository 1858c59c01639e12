// The conformance matrix: catalogue entries down, runs across, one status per cell.
// A cell for an entry covered by several scenarios shows the worst status and how many of the
// scenarios have it ("FAIL 1/3"); "—" means the run has no result for the entry, with why.
import type { Status } from "../results";
import { countStatuses, SEVERITY, STATUSES, worst } from "../results";
import type { ScenarioResult } from "../results";
import { appliesTo, Catalogue, CatalogueEntry } from "./catalogue";
import { esc, firstLine, mdCell, page, shorten, statusClass } from "./html";
import type { LoadedRun } from "./runs";
import { AreaCounts, areaChart, chartLibrary } from "./chart";

export interface MatrixCell {
  status?: Status;
  /** Scenarios of this entry with the cell's status. */
  count: number;
  /** Scenarios of this entry in this run. */
  total: number;
  /** Short text: "FAIL 1/3" or "—". */
  text: string;
  /** One line of detail: observed/expected error, reason, or why there is no result. */
  detail?: string;
  scenarios: Array<{ key: string; status: Status; message?: string; observed?: string; expected?: string; attempts: number }>;
}

export interface MatrixRun {
  name: string;
  driver?: string;
  edition?: string;
  editionFrom?: string;
  source: string;
  complete: boolean;
  startedAt?: string;
  expectations?: string;
  scenarios: number;
  totals: Record<Status, number>;
  /** Catalogue entries with at least one result in this run. */
  entriesCovered: number;
}

export interface MatrixRow {
  entry: CatalogueEntry;
  cells: MatrixCell[];
}

export interface Matrix {
  generatedAt: string;
  /** The profile whose entries the rows are (null: every entry). */
  profile: string | null;
  runs: MatrixRun[];
  rows: MatrixRow[];
  /** @req IDs found in results that the catalogue does not have. */
  unknownRules: string[];
}

/** What the scenario wanted: from its failure message, else the entry's error code (error-code entries only). */
export function expectedErrorOf(r: ScenarioResult, entry: CatalogueEntry | undefined): string | undefined {
  return r.expectedError ?? (entry?.kind === "error-code" ? entry.error : undefined);
}

function cellFor(entry: CatalogueEntry, run: LoadedRun): MatrixCell {
  const results = run.results.filter((r) => r.rules.includes(entry.id));
  const scenarios = results.map((r) => ({
    key: r.key,
    status: r.status,
    message: r.message,
    observed: r.observed,
    expected: expectedErrorOf(r, entry),
    attempts: r.attempts,
  }));
  if (!results.length) {
    let detail = "not run";
    if (!entry.testable) detail = "not testable (catalogue)";
    else if (run.info.edition && !appliesTo(entry, run.info.edition)) detail = `not in the ${run.info.edition} edition`;
    return { count: 0, total: 0, text: "—", detail, scenarios };
  }
  const status = worst(results.map((r) => r.status))!;
  const same = results.filter((r) => r.status === status);
  const count = same.length;
  const text = results.length === 1 ? status : `${status} ${count}/${results.length}`;
  const first = same[0];
  let detail: string | undefined;
  if (status === "FAIL" || status === "TIMEOUT" || status === "CRASH") {
    const obs = first.observed;
    const exp = expectedErrorOf(first, entry);
    if (status !== "FAIL" || !obs) detail = firstLine(first.message, 120);
    else detail = exp ? `observed ${obs}, expected ${exp}` : `observed ${obs}: ${firstLine(first.message, 90)}`;
  } else if (status === "EXPECTED FAIL") {
    detail = first.expectedStatus ? `expected ${first.expectedStatus}` : `observed ${first.observed ?? "?"} (expected failure)`;
    if (first.expectation?.note) detail += `: ${first.expectation.note}`;
  } else if (status === "UNEXPECTED PASS") {
    detail = `expected ${first.expectation?.expected ?? "a failure"}; update the expectations`;
  } else if (status === "UNSUPPORTED" || status === "NOT TESTABLE") {
    detail = firstLine(first.message, 120);
  } else if (status === "PASS") {
    const retried = results.filter((r) => r.attempts > 1).length;
    if (retried) detail = `${retried} passed only after a retry`;
  }
  return { status, count, total: results.length, text, detail, scenarios };
}

export function buildMatrix(runs: LoadedRun[], catalogue: Catalogue, o: { profile?: string } = {}): Matrix {
  const known = new Set(catalogue.entries.map((e) => e.id));
  const unknown = new Set<string>();
  for (const run of runs) for (const r of run.results) for (const id of r.rules) if (!known.has(id)) unknown.add(id);
  const entries = catalogue.entries.filter((e) => !o.profile || !e.profiles?.length || e.profiles.includes(o.profile));
  const rows = entries.map((entry) => ({ entry, cells: runs.map((run) => cellFor(entry, run)) }));
  return {
    generatedAt: new Date().toISOString(),
    profile: o.profile ?? null,
    runs: runs.map((run, i) => ({
      name: run.info.run,
      driver: run.info.driver,
      edition: run.info.edition,
      editionFrom: run.info.editionFrom,
      source: run.info.source,
      complete: run.info.complete,
      startedAt: run.info.startedAt,
      expectations: run.expectations ? `${run.expectationsFrom ?? run.expectations.file}: ${run.expectations.implementation}` : undefined,
      scenarios: run.results.length,
      totals: countStatuses(run.results),
      entriesCovered: rows.filter((row) => row.cells[i].total > 0).length,
    })),
    rows,
    unknownRules: [...unknown].sort(),
  };
}

/** The matrix as JSON (what a bundle records as its column). */
export function matrixJson(m: Matrix): unknown {
  return {
    generatedAt: m.generatedAt,
    profile: m.profile,
    runs: m.runs,
    unknownRules: m.unknownRules,
    rows: m.rows.map((row) => ({
      id: row.entry.id,
      cells: row.cells.map((c) => ({ status: c.status ?? null, count: c.count, total: c.total, text: c.text, detail: c.detail, scenarios: c.scenarios })),
    })),
  };
}

const shownStatuses = (m: Matrix): Status[] => STATUSES.filter((s) => s === "PASS" || s === "FAIL" || m.runs.some((r) => r.totals[s] > 0));

function runLabel(r: MatrixRun): string {
  return [r.driver && r.driver !== r.name ? `driver ${r.driver}` : "", r.edition ? `${r.edition} edition${r.editionFrom === "tags" ? " (guessed from tags)" : ""}` : "edition unknown"].filter(Boolean).join(", ");
}

export function renderMatrixMarkdown(m: Matrix, o: { specHref?: string } = {}): string {
  const spec = o.specHref ?? "spec.md";
  const lines: string[] = [];
  lines.push("# WSAJoinLeaf conformance matrix", "");
  lines.push(`Generated ${m.generatedAt} from ${m.runs.length} run(s)${m.profile ? `; entries of the **${m.profile}** profile only` : ""}. Catalogue entries down, runs across; a cell covering several scenarios shows the worst status and how many scenarios have it. "—" means no result, with the reason.`, "");
  if (!m.runs.length) {
    lines.push("No runs found.", "");
    return lines.join("\n");
  }
  lines.push("## Runs", "");
  for (const r of m.runs) {
    lines.push(`- **${r.name}**: ${runLabel(r)}; ${r.scenarios} scenarios, ${r.entriesCovered} entries covered${r.complete ? "" : " (**run incomplete**)"}${r.expectations ? `; expectations ${r.expectations}` : ""}; source \`${r.source}\``);
  }
  lines.push("");
  const head = ["Entry", "Editions", "Profiles", ...m.runs.map((r) => mdCell(r.name))];
  lines.push(`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`);
  lines.push(`| **Totals: scenarios** | | | ${m.runs.map((r) => `**${r.scenarios}**`).join(" | ")} |`);
  for (const s of shownStatuses(m)) lines.push(`| **${s}** | | | ${m.runs.map((r) => String(r.totals[s])).join(" | ")} |`);
  lines.push(`| **entries covered** | | | ${m.runs.map((r) => String(r.entriesCovered)).join(" | ")} |`);
  for (const row of m.rows) {
    const e = row.entry;
    const cells = row.cells.map((c) => mdCell(c.status ? `${c.text}${c.detail ? ` (${c.detail})` : ""}` : `— ${c.detail ?? ""}`));
    lines.push(`| [${e.id}](${spec}#${e.id}) ${mdCell(shorten(e.statement, 70))} | ${e.editions.join(", ")} | ${(e.profiles ?? []).join(", ")} | ${cells.join(" | ")} |`);
  }
  if (m.unknownRules.length) lines.push("", `Results name entries the catalogue does not have: ${m.unknownRules.join(", ")}.`);
  lines.push("");
  return lines.join("\n");
}

const MATRIX_CSS = `
table.matrix td.entry { max-width: 460px; min-width: 260px; position: sticky; left: 0; background: var(--bg); z-index: 0; }
table.matrix thead th:first-child { position: sticky; left: 0; z-index: 2; }
table.matrix td.entry .stmt { color: var(--muted); font-size: 12.5px; display: block; }
table.matrix tr.totals th, table.matrix tr.totals td { background: #fafbfc; font-weight: 600; }
table.matrix tr.totals.first th, table.matrix tr.totals.first td { border-top: 2px solid #9aa3ab; }
.pill { padding: 0 6px; border-radius: 4px; }
table.matrix tr.area th { background: #eef1f4; text-align: left; font-size: 13px; }
thead th.run { min-width: 130px; }
thead th.run small { display: block; font-weight: 400; color: var(--muted); }
.controls { margin: 10px 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 12px; }
`;

export function renderMatrixHtml(m: Matrix, o: { specHref?: string; charts?: Array<{ run: string; data: AreaCounts }> } = {}): string {
  const spec = o.specHref ?? "spec.html";
  const statuses = shownStatuses(m);
  const parts: string[] = [];
  parts.push(`<h1>WSAJoinLeaf conformance matrix</h1>`);
  parts.push(`<p class="lead">Generated ${esc(m.generatedAt)} from ${m.runs.length} run(s)${m.profile ? `; entries of the <strong>${esc(m.profile)}</strong> profile only` : ""}. Catalogue entries down, runs across. A cell covering several scenarios shows the worst status and how many of its scenarios have it (FAIL 1/3). “—” means the run has no result for the entry; the reason is under it. Entry IDs link to the readable specification.</p>`);
  parts.push(`<p class="legend">${SEVERITY.map((s) => `<span class="${statusClass(s)}">${esc(s)}</span>`).join("")}</p>`);
  if (!m.runs.length) {
    parts.push(`<p><strong>No runs found.</strong> Run <code>npx joinleaf conformance --driver simulator</code> first.</p>`);
    return page("WSAJoinLeaf conformance matrix", parts.join("\n"));
  }
  if (o.charts?.length) {
    parts.push(`<h2 id="charts">Statuses per area</h2>${chartLibrary()}<div class="charts">${o.charts.map((c, i) => areaChart(`chart-${i}`, `${c.run}: scenarios per area`, c.data)).join("")}</div>`);
  }
  parts.push(`<div class="controls"><label><input type="checkbox" id="only-problems"> show only entries with a result other than PASS</label></div>`);
  const head = m.runs
    .map((r) => `<th class="run">${esc(r.name)}<small>${esc(runLabel(r))}</small>${r.complete ? "" : `<small class="st-fail">run incomplete</small>`}${r.expectations ? `<small>expectations: ${esc(r.expectations)}</small>` : ""}</th>`)
    .join("");
  const rows: string[] = [];
  rows.push(`<tr class="totals first" id="totals"><th colspan="3">Totals: scenarios</th>${m.runs.map((r) => `<td>${r.scenarios}</td>`).join("")}</tr>`);
  for (const s of statuses) rows.push(`<tr class="totals"><th colspan="3"><span class="pill ${statusClass(s)}">${esc(s)}</span></th>${m.runs.map((r) => `<td>${r.totals[s] ? `<span class="pill ${statusClass(s)}">${r.totals[s]}</span>` : `<span class="muted">0</span>`}</td>`).join("")}</tr>`);
  rows.push(`<tr class="totals"><th colspan="3">entries covered (of ${m.rows.length})</th>${m.runs.map((r) => `<td>${r.entriesCovered}</td>`).join("")}</tr>`);
  let area = "";
  for (const row of m.rows) {
    const e = row.entry;
    if (e.area !== area) {
      area = e.area;
      rows.push(`<tr class="area"><th colspan="${3 + m.runs.length}">${esc(area)}</th></tr>`);
    }
    const problem = row.cells.some((c) => c.status && c.status !== "PASS");
    const cells = row.cells
      .map((c) => {
        const title = c.scenarios.map((s) => `${s.status}: ${s.key}${s.message ? ` — ${firstLine(s.message, 200)}` : ""}`).join("\n");
        return `<td class="cell ${statusClass(c.status)}" title="${esc(title || c.detail)}">${esc(c.text)}${c.detail ? `<small>${esc(c.detail)}</small>` : ""}</td>`;
      })
      .join("");
    rows.push(
      `<tr class="${problem ? "problem" : "ok"}" id="row-${esc(e.id)}"><td class="entry"><a href="${esc(spec)}#${esc(e.id)}"><strong>${esc(e.id)}</strong></a> <span class="badge">${esc(e.strength)}</span>${e.testable ? "" : `<span class="badge">not testable</span>`}<span class="stmt">${esc(shorten(e.statement, 150))}</span></td><td>${e.editions.map((x) => `<span class="badge">${esc(x)}</span>`).join("")}</td><td>${(e.profiles ?? []).map((x) => `<span class="badge">${esc(x)}</span>`).join("")}</td>${cells}</tr>`,
    );
  }
  parts.push(`<table class="matrix"><thead><tr><th>Entry</th><th>Editions</th><th>Profiles</th>${head}</tr></thead><tbody>${rows.join("\n")}</tbody></table>`);
  if (m.unknownRules.length) parts.push(`<p class="st-fail">Results name entries the catalogue does not have: ${esc(m.unknownRules.join(", "))}.</p>`);
  parts.push(`<h2>Runs</h2><ul>${m.runs.map((r) => `<li><strong>${esc(r.name)}</strong>: ${esc(runLabel(r))}; ${r.scenarios} scenarios; started ${esc(r.startedAt ?? "?")}; source <code>${esc(r.source)}</code></li>`).join("")}</ul>`);
  // Progressive enhancement only: the table reads the same without it.
  parts.push(`<script>document.getElementById("only-problems").addEventListener("change",function(e){document.querySelectorAll("table.matrix tr.ok").forEach(function(r){r.style.display=e.target.checked?"none":""})});</script>`);
  return page("WSAJoinLeaf conformance matrix", parts.join("\n"), MATRIX_CSS);
}
