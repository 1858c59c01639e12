// Traceability: each catalogue entry → the Gherkin rules that cite it → their scenarios → the
// latest result of each scenario in each run. Gaps first: testable entries with no scenario, then
// entries with scenarios but no run where they all passed.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ScenarioResult, Status } from "../results";
import { worst } from "../results";
import { appliesTo, Catalogue, CatalogueEntry } from "./catalogue";
import { esc, firstLine, mdCell, page, shorten, statusClass } from "./html";
import type { LoadedRun } from "./runs";
import type { Suite } from "./suite";

export type TraceGroup = "no-scenario" | "no-passing-run" | "passing" | "not-testable";

export const GROUP_TITLES: Record<TraceGroup, string> = {
  "no-scenario": "Testable entries with no scenario",
  "no-passing-run": "Entries with scenarios but no run where they all pass",
  passing: "Entries that pass in at least one run",
  "not-testable": "Entries the catalogue marks not testable",
};

export interface TraceScenario {
  key: string;
  uri: string;
  line: number;
  name: string;
  /** Editions the scenario runs in (empty: both). */
  editions: string[];
  /** False when only the runs know it (renamed or removed from the features since). */
  inSuite: boolean;
  /** One per run, in run order; undefined when the run has no result for it. */
  results: Array<ScenarioResult | undefined>;
}

export interface TraceRule {
  uri: string;
  /** The Gherkin Rule's name ("" for scenarios outside a Rule). */
  name: string;
  scenarios: TraceScenario[];
}

export interface TraceEntry {
  entry: CatalogueEntry;
  group: TraceGroup;
  rules: TraceRule[];
  /** Runs (names) where every result for this entry is PASS. */
  passingRuns: string[];
}

export interface Trace {
  generatedAt: string;
  runs: Array<{ name: string; edition?: string }>;
  entries: TraceEntry[];
  /** The variant self-test, when <reports>/variants/summary.json exists. */
  variants?: VariantTrace;
}

// ------------------------------------------------------------------ variant self-test

/** <reports>/variants/summary.json, written by the variant self-test (docs/variants.md). */
export interface VariantSummary {
  variants: Array<{
    id: string;
    kind: "conformant" | "broken";
    summary: string;
    breaks?: string[];
    editions: Record<string, { statuses?: Record<string, number>; failed?: Array<{ scenario: string; rules: string[] }> }>;
    /** "explore": a bug no scenario is meant to catch; explore's fixed-seed run found it or not. */
    caughtBy?: "suite" | "explore";
    explore?: { found: boolean };
    verdict: "ok" | "false-fail" | "not-caught" | "mislabelled";
  }>;
}

export interface VariantCatch {
  id: string;
  summary: string;
  /** Editions in which a scenario of the entry failed on this variant. */
  editions: string[];
  /** Whether the variant says it breaks this entry. */
  declared: boolean;
}

export interface VariantTrace {
  file: string;
  conformant: { count: number; withoutFail: number; falseFails: string[] };
  /** `byExplore`: those only explore is meant to catch, and did (counted in `caught`). */
  broken: { count: number; caught: number; notCaught: string[]; byExplore: string[] };
  /**
   * Per entry: broken variants its scenarios catch, declared ones they miss, and declared ones
   * only explore is meant to catch (no scenario is expected to).
   */
  byEntry: Map<string, { catches: VariantCatch[]; misses: Array<{ id: string; summary: string }>; explored: Array<{ id: string; summary: string }> }>;
}

export class VariantSummaryError extends Error {}

/** Reads the variant summary under a reports folder; undefined when there is none. */
export function readVariantSummary(reportsDir: string): { file: string; summary: VariantSummary } | undefined {
  const file = path.join(reportsDir, "variants", "summary.json");
  if (!existsSync(file)) return undefined;
  let summary: VariantSummary;
  try {
    summary = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new VariantSummaryError(`${file}: not JSON (${(err as Error).message})`);
  }
  if (!summary || !Array.isArray(summary.variants)) throw new VariantSummaryError(`${file}: no "variants" list`);
  for (const [i, v] of summary.variants.entries()) {
    if (!v || typeof v.id !== "string" || (v.kind !== "conformant" && v.kind !== "broken") || typeof v.editions !== "object" || !v.editions) {
      throw new VariantSummaryError(`${file}: variant ${i + 1} needs an id, a kind (conformant or broken) and editions`);
    }
  }
  return { file, summary };
}

export function traceVariants(file: string, summary: VariantSummary): VariantTrace {
  const byEntry: VariantTrace["byEntry"] = new Map();
  const slot = (id: string) => {
    if (!byEntry.has(id)) byEntry.set(id, { catches: [], misses: [], explored: [] });
    return byEntry.get(id)!;
  };
  const failsOf = (v: VariantSummary["variants"][number]) => Object.values(v.editions).flatMap((e) => e?.failed ?? []);
  const byExplore = (v: VariantSummary["variants"][number]) => v.caughtBy === "explore" && !!v.explore?.found;
  const conformant = summary.variants.filter((v) => v.kind === "conformant");
  const broken = summary.variants.filter((v) => v.kind === "broken");
  for (const v of broken) {
    const caughtBy = new Map<string, Set<string>>();
    for (const [edition, e] of Object.entries(v.editions)) for (const f of e?.failed ?? []) for (const id of f.rules ?? []) caughtBy.set(id, (caughtBy.get(id) ?? new Set()).add(edition));
    for (const [id, eds] of caughtBy) slot(id).catches.push({ id: v.id, summary: v.summary, editions: [...eds].sort(), declared: (v.breaks ?? []).includes(id) });
    for (const id of v.breaks ?? []) if (!caughtBy.has(id)) slot(id)[byExplore(v) ? "explored" : "misses"].push({ id: v.id, summary: v.summary });
  }
  const caught = (v: VariantSummary["variants"][number]) => failsOf(v).length > 0 || byExplore(v);
  return {
    file,
    conformant: { count: conformant.length, withoutFail: conformant.filter((v) => !failsOf(v).length).length, falseFails: conformant.filter((v) => failsOf(v).length).map((v) => v.id) },
    broken: { count: broken.length, caught: broken.filter(caught).length, notCaught: broken.filter((v) => !caught(v)).map((v) => v.id), byExplore: broken.filter(byExplore).map((v) => v.id) },
    byEntry,
  };
}

const ORDER: TraceGroup[] = ["no-scenario", "no-passing-run", "passing", "not-testable"];

export function buildTrace(catalogue: Catalogue, suite: Suite, runs: LoadedRun[], o: { variants?: { file: string; summary: VariantSummary } } = {}): Trace {
  const byKey = runs.map((run) => new Map(run.results.map((r) => [r.key, r])));
  const entries: TraceEntry[] = catalogue.entries.map((entry) => {
    const scenarios = new Map<string, TraceScenario & { rule: string }>();
    for (const s of suite.scenarios.filter((x) => x.rules.includes(entry.id))) {
      scenarios.set(s.key, { key: s.key, uri: s.uri, line: s.line, name: s.name, editions: s.editions, inSuite: true, results: byKey.map((m) => m.get(s.key)), rule: s.ruleName ?? "" });
    }
    runs.forEach((run) => {
      for (const r of run.results.filter((x) => x.rules.includes(entry.id) && !scenarios.has(x.key))) {
        scenarios.set(r.key, { key: r.key, uri: r.uri, line: r.line, name: r.name, editions: [], inSuite: false, results: byKey.map((m) => m.get(r.key)), rule: "(no longer in the features)" });
      }
    });
    const rules = new Map<string, TraceRule>();
    for (const s of scenarios.values()) {
      const id = `${s.uri}\u0000${s.rule}`;
      if (!rules.has(id)) rules.set(id, { uri: s.uri, name: s.rule, scenarios: [] });
      const { rule: _rule, ...scenario } = s;
      rules.get(id)!.scenarios.push(scenario);
    }
    const passingRuns = runs
      .filter((_, i) => {
        const rs = [...scenarios.values()].map((s) => s.results[i]).filter((x): x is ScenarioResult => !!x);
        return rs.length > 0 && rs.every((r) => r.status === "PASS");
      })
      .map((r) => r.info.run);
    let group: TraceGroup;
    if (!entry.testable) group = "not-testable";
    else if (!scenarios.size) group = "no-scenario";
    else if (!passingRuns.length) group = "no-passing-run";
    else group = "passing";
    return { entry, group, rules: [...rules.values()], passingRuns };
  });
  entries.sort((a, b) => ORDER.indexOf(a.group) - ORDER.indexOf(b.group));
  return {
    generatedAt: new Date().toISOString(),
    runs: runs.map((r) => ({ name: r.info.run, edition: r.info.edition })),
    entries,
    variants: o.variants ? traceVariants(o.variants.file, o.variants.summary) : undefined,
  };
}

const profilesText = (e: CatalogueEntry) => (e.profiles?.length ? e.profiles.join(", ") : "all");

const byExploreText = (v: VariantTrace) => (v.broken.byExplore.length ? `, ${v.broken.byExplore.length} of them only by explore (${v.broken.byExplore.join(", ")})` : "");

function variantLineMd(v: VariantTrace, id: string): string {
  const x = v.byEntry.get(id);
  const catches = x?.catches ?? [];
  const misses = x?.misses ?? [];
  return [
    `Broken variants caught here: ${catches.length ? catches.map((c) => `${c.id} (${c.editions.join(", ")})`).join(", ") : "**none**"}`,
    misses.length ? `; declared broken but not caught here: ${misses.map((m) => m.id).join(", ")}` : "",
    x?.explored.length ? `; found by explore only: ${x.explored.map((m) => m.id).join(", ")}` : "",
  ].join("");
}

function resultText(r: ScenarioResult | undefined, entry: CatalogueEntry, s: TraceScenario, run: { edition?: string }): { status?: Status; text: string } {
  if (r) return { status: r.status, text: r.status + (r.attempts > 1 ? ` (attempt ${r.attempts})` : "") };
  if (run.edition && (!appliesTo(entry, run.edition) || (s.editions.length && !s.editions.includes(run.edition)))) return { text: `— not in ${run.edition}` };
  return { text: "— not run" };
}

export function renderTraceMarkdown(t: Trace, o: { specHref?: string } = {}): string {
  const spec = o.specHref ?? "spec.md";
  const out: string[] = ["# WSAJoinLeaf traceability", ""];
  out.push(`Generated ${t.generatedAt}. Catalogue entry → Gherkin rule → scenario → latest result per run (${t.runs.map((r) => r.name).join(", ") || "no runs"}). Gaps are listed first.`, "");
  const v = t.variants;
  if (v) {
    out.push("## Variant self-test", "");
    out.push(`From \`${v.file}\`: ${v.conformant.withoutFail} of ${v.conformant.count} conformant variants with no FAIL${v.conformant.falseFails.length ? ` (falsely failed: ${v.conformant.falseFails.join(", ")})` : ""}; ${v.broken.caught} of ${v.broken.count} broken variants caught${byExploreText(v)}${v.broken.notCaught.length ? ` (not caught: ${v.broken.notCaught.join(", ")})` : ""}.`, "");
  }
  for (const g of ORDER) {
    const list = t.entries.filter((e) => e.group === g);
    out.push(`## ${GROUP_TITLES[g]} (${list.length})`, "");
    if (!list.length) out.push("None.", "");
    for (const te of list) {
      const e = te.entry;
      out.push(`### [${e.id}](${spec}#${e.id}) — ${e.area}, ${e.strength}, ${e.editions.join("+")}, profiles ${profilesText(e)}`, "", `> ${shorten(e.statement, 300)}`, "");
      if (v) out.push(variantLineMd(v, e.id), "");
      if (!e.testable && e.untestable_reason) out.push(`Not testable: ${e.untestable_reason}`, "");
      if (!te.rules.length) {
        out.push(e.testable ? "**No scenario covers this entry.**" : "No scenario.", "");
        continue;
      }
      out.push(`Passing runs: ${te.passingRuns.length ? te.passingRuns.join(", ") : "**none**"}`, "");
      for (const rule of te.rules) {
        out.push(`- Rule: ${rule.name || "(no Rule)"} — \`${rule.uri}\``);
        for (const s of rule.scenarios) {
          const res = s.results.map((r, i) => `${t.runs[i].name}: ${resultText(r, e, s, t.runs[i]).text}`).join("; ");
          out.push(`  - ${mdCell(s.name)} (line ${s.line}${s.editions.length ? `, ${s.editions.join("/")} only` : ""}${s.inSuite ? "" : ", not in the current features"}) — ${res || "no runs"}`);
        }
      }
      out.push("");
    }
  }
  return out.join("\n");
}

const TRACE_CSS = `
section.entry { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; margin: 10px 0; }
section.entry.gap { border-left: 5px solid var(--fail); }
section.entry h3 { margin: 4px 0; }
blockquote { margin: 4px 0 8px; color: var(--muted); border-left: 3px solid var(--line); padding-left: 10px; }
table.trace td.res { white-space: nowrap; font-weight: 600; font-size: 12.5px; }
nav.toc a { margin-right: 12px; }
section.variants { border: 1px solid var(--line); border-radius: 8px; padding: 4px 14px; }
section.variants.gap { border-left: 5px solid var(--fail); }
.badge.profile { background: #e8eefc; }
`;

export function renderTraceHtml(t: Trace, o: { specHref?: string } = {}): string {
  const spec = o.specHref ?? "spec.html";
  const parts: string[] = [`<h1>WSAJoinLeaf traceability</h1>`];
  parts.push(`<p class="lead">Generated ${esc(t.generatedAt)}. Catalogue entry → Gherkin rule → scenario → latest result per run. Gaps first.</p>`);
  const v = t.variants;
  if (v) {
    const bad = v.conformant.falseFails.length || v.broken.notCaught.length;
    parts.push(
      `<section class="variants${bad ? " gap" : ""}" id="variants"><h2>Variant self-test</h2><p>From <code>${esc(v.file)}</code>: <strong class="${v.conformant.falseFails.length ? "st-fail" : "st-pass"}">${v.conformant.withoutFail} of ${v.conformant.count}</strong> conformant variants with no FAIL${v.conformant.falseFails.length ? ` (falsely failed: ${esc(v.conformant.falseFails.join(", "))})` : ""}; <strong class="${v.broken.notCaught.length ? "st-fail" : "st-pass"}">${v.broken.caught} of ${v.broken.count}</strong> broken variants caught${esc(byExploreText(v))}${v.broken.notCaught.length ? ` (not caught: ${esc(v.broken.notCaught.join(", "))})` : ""}. Under each entry: the broken variants its scenarios catch.</p></section>`,
    );
  }
  parts.push(`<nav class="toc">${ORDER.map((g) => `<a href="#${g}">${esc(GROUP_TITLES[g])} (${t.entries.filter((e) => e.group === g).length})</a>`).join("")}</nav>`);
  for (const g of ORDER) {
    const list = t.entries.filter((e) => e.group === g);
    parts.push(`<h2 id="${g}">${esc(GROUP_TITLES[g])} (${list.length})</h2>`);
    if (!list.length) parts.push(`<p class="muted">None.</p>`);
    for (const te of list) {
      const e = te.entry;
      const gap = g === "no-scenario" || g === "no-passing-run";
      const body: string[] = [];
      body.push(`<h3 id="${esc(e.id)}"><a href="${esc(spec)}#${esc(e.id)}">${esc(e.id)}</a> <span class="badge">${esc(e.area)}</span><span class="badge">${esc(e.strength)}</span>${e.editions.map((x) => `<span class="badge">${esc(x)}</span>`).join("")}${(e.profiles ?? []).map((x) => `<span class="badge profile">${esc(x)}</span>`).join("")}</h3>`);
      body.push(`<blockquote>${esc(e.statement)}</blockquote>`);
      if (v) {
        const x = v.byEntry.get(e.id);
        const catches = x?.catches ?? [];
        body.push(
          `<p class="variants-caught">Broken variants caught here (${catches.length}): ${catches.length ? catches.map((c) => `<span class="badge" title="${esc(c.summary)}">${esc(c.id)} <span class="muted">${esc(c.editions.join(", "))}</span></span>`).join("") : `<strong class="st-fail">none</strong>`}${x?.misses.length ? ` <span class="st-fail">declared broken but not caught here: ${x.misses.map((m) => `<span title="${esc(m.summary)}">${esc(m.id)}</span>`).join(", ")}</span>` : ""}${x?.explored.length ? ` <span class="muted">found by explore only: ${x.explored.map((m) => `<span title="${esc(m.summary)}">${esc(m.id)}</span>`).join(", ")}</span>` : ""}</p>`,
        );
      }
      if (!e.testable && e.untestable_reason) body.push(`<p class="muted">Not testable: ${esc(e.untestable_reason)}</p>`);
      if (!te.rules.length) body.push(e.testable ? `<p class="st-fail"><strong>No scenario covers this entry.</strong></p>` : "");
      else {
        body.push(`<p>Passing runs: ${te.passingRuns.length ? esc(te.passingRuns.join(", ")) : "<strong>none</strong>"}</p>`);
        const rows: string[] = [];
        for (const rule of te.rules) {
          rule.scenarios.forEach((s, i) => {
            const res = s.results
              .map((r, k) => {
                const x = resultText(r, e, s, t.runs[k]);
                return `<td class="res ${statusClass(x.status)}" title="${esc(r?.message ? firstLine(r.message, 300) : "")}">${esc(x.text)}</td>`;
              })
              .join("");
            rows.push(`<tr>${i === 0 ? `<td rowspan="${rule.scenarios.length}">${esc(rule.name || "(no Rule)")}<br><code>${esc(rule.uri)}</code></td>` : ""}<td>${esc(s.name)} <span class="muted">line ${s.line}${s.editions.length ? `, ${esc(s.editions.join("/"))} only` : ""}${s.inSuite ? "" : ", not in the current features"}</span></td>${res}</tr>`);
          });
        }
        body.push(`<table class="trace"><thead><tr><th>Rule</th><th>Scenario</th>${t.runs.map((r) => `<th>${esc(r.name)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`);
      }
      parts.push(`<section class="entry${gap ? " gap" : ""}">${body.join("\n")}</section>`);
    }
  }
  return page("WSAJoinLeaf traceability", parts.join("\n"), TRACE_CSS);
}
