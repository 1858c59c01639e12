// The readable specification: the catalogue and the features as one document, ordered by entry.
// Each entry has its statement, editions, strength, kind and source, the scenarios that check it
// in plain Gherkin, and, where the editions disagree (entries linked by `counterpart`), both
// readings side by side. Every entry has an anchor named by its ID (spec.html#JL-031); the matrix,
// the trace and the Allure links point there.
import { Catalogue, CatalogueEntry } from "./catalogue";
import { esc, page } from "./html";
import type { Suite, SuiteBlock } from "./suite";

export interface SpecModel {
  generatedAt: string;
  catalogue: Catalogue;
  /** Scenario blocks per entry ID. */
  blocks: Map<string, SuiteBlock[]>;
  /** Counterpart pairs, legacy first, each once. */
  pairs: Array<[CatalogueEntry, CatalogueEntry]>;
  /** Scenario blocks that cite no catalogue entry. */
  unlinked: SuiteBlock[];
  /** IDs cited by @req tags that the catalogue lacks. */
  unknownIds: string[];
}

export function buildSpec(catalogue: Catalogue, suite: Suite): SpecModel {
  const blocks = new Map<string, SuiteBlock[]>();
  const unknown = new Set<string>();
  for (const b of suite.blocks) {
    for (const id of b.rules) {
      if (!catalogue.byId.has(id)) unknown.add(id);
      blocks.set(id, [...(blocks.get(id) ?? []), b]);
    }
  }
  const pairs: Array<[CatalogueEntry, CatalogueEntry]> = [];
  const done = new Set<string>();
  for (const e of catalogue.entries) {
    const c = e.counterpart && catalogue.byId.get(e.counterpart);
    if (!c || done.has(e.id)) continue;
    done.add(e.id).add(c.id);
    pairs.push(e.editions.includes("legacy") && !c.editions.includes("legacy") ? [e, c] : [c, e]);
  }
  return {
    generatedAt: new Date().toISOString(),
    catalogue,
    blocks,
    pairs,
    unlinked: suite.blocks.filter((b) => !b.rules.length),
    unknownIds: [...unknown].sort(),
  };
}

function editionText(e: CatalogueEntry): string {
  if (e.editions.length === 1) return `${e.editions[0]} edition only`;
  return `${e.editions.join(" and ")} editions`;
}

function profileText(e: CatalogueEntry): string {
  return e.profiles?.length ? e.profiles.join(", ") : "every profile";
}

function areas(c: Catalogue): Map<string, CatalogueEntry[]> {
  const m = new Map<string, CatalogueEntry[]>();
  for (const e of c.entries) m.set(e.area, [...(m.get(e.area) ?? []), e]);
  return m;
}

function blockTitle(b: SuiteBlock): string {
  return `${b.uri}:${b.line} — ${b.featureName}${b.ruleName ? ` › Rule: ${b.ruleName}` : ""}${b.editions.length ? ` (${b.editions.join("/")} edition only)` : ""}`;
}

// ------------------------------------------------------------------ Markdown

export function renderSpecMarkdown(s: SpecModel): string {
  const c = s.catalogue;
  const out: string[] = [];
  out.push("# WSAJoinLeaf: the readable specification", "");
  out.push(
    `Generated ${s.generatedAt} from \`${c.file}\` (${c.entries.length} entries) and the feature files. Each entry is one checkable statement about WSAJoinLeaf, restated in the suite's words, with the scenarios that check it. Strength: must / should / may / advice. Entries that only one edition of the reference text makes are marked; where the editions disagree, both readings stand side by side.`,
    "",
  );
  out.push("## Editions", "");
  for (const [name, text] of Object.entries(c.editions)) out.push(`- **${name}**: ${text}`);
  if (Object.keys(c.profiles).length) {
    out.push("", "## Profiles", "");
    for (const [name, text] of Object.entries(c.profiles)) out.push(`- **${name}** (${c.entries.filter((e) => e.profiles?.includes(name)).length} entries): ${text}`);
  }
  out.push("", "## Contents", "");
  for (const [area, list] of areas(c)) out.push(`- **${area}**: ${list.map((e) => `[${e.id}](#${e.id})`).join(", ")}`);
  out.push("", "## Where the editions disagree", "");
  out.push("| legacy | current |", "|---|---|");
  for (const [l, r] of s.pairs) out.push(`| [${l.id}](#${l.id}) ${l.statement.replace(/\|/g, "\\|")} | [${r.id}](#${r.id}) ${r.statement.replace(/\|/g, "\\|")} |`);
  out.push("", "## Entries", "");
  for (const e of c.entries) {
    out.push(`<a id="${e.id}"></a>`, "", `### ${e.id} (${e.area})`, "");
    out.push(`${e.statement}`, "");
    out.push(`- **Editions:** ${editionText(e)}`);
    out.push(`- **Profiles:** ${profileText(e)}`);
    out.push(`- **Strength:** ${e.strength}; **kind:** ${e.kind}${e.error ? `; **error:** ${e.error}` : ""}`);
    for (const [ed, loc] of Object.entries(e.source)) out.push(`- **Source (${ed}):** ${loc}`);
    out.push(`- **Testable:** ${e.testable ? "yes" : `no — ${e.untestable_reason ?? "no reason given"}`}`);
    const cp = e.counterpart ? c.byId.get(e.counterpart) : undefined;
    if (cp) {
      const [l, r] = e.editions.includes("legacy") ? [e, cp] : [cp, e];
      out.push("", `The editions disagree here. Counterpart: [${cp.id}](#${cp.id}).`, "");
      out.push(`| ${l.editions.join("+")} (${l.id}) | ${r.editions.join("+")} (${r.id}) |`, "|---|---|");
      out.push(`| ${l.statement.replace(/\|/g, "\\|")} | ${r.statement.replace(/\|/g, "\\|")} |`);
    }
    const blocks = s.blocks.get(e.id) ?? [];
    out.push("");
    if (!blocks.length) out.push(e.testable ? "_No scenario checks this entry yet._" : "_Not checked by a scenario._", "");
    for (const b of blocks) {
      out.push(`Scenario from \`${blockTitle(b)}\`:`, "", "```gherkin", b.gherkin, "```", "");
    }
  }
  if (s.unlinked.length) {
    out.push("## Scenarios that cite no catalogue entry", "");
    for (const b of s.unlinked) out.push(`\`${blockTitle(b)}\`:`, "", "```gherkin", b.gherkin, "```", "");
  }
  if (s.unknownIds.length) out.push("## IDs cited by the features but missing from the catalogue", "", s.unknownIds.join(", "), "");
  return out.join("\n");
}

// ------------------------------------------------------------------ HTML

const SPEC_CSS = `
body { max-width: 1100px; }
section.entry { border-top: 1px solid var(--line); padding: 6px 0 10px; }
section.entry:target { background: #fffbe6; }
section.entry h3 a.self { color: var(--fg); }
p.statement { font-size: 15px; margin: 6px 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; font-size: 13px; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
table.sides { width: 100%; table-layout: fixed; margin: 8px 0; }
table.sides th { background: var(--head); }
.scenario-title { font-size: 12.5px; color: var(--muted); margin: 10px 0 2px; }
pre.gherkin .kw { color: #7a3e9d; font-weight: 600; } pre.gherkin .tag { color: #8a5a00; } pre.gherkin .tbl { color: #0b5cad; }
nav.toc li { margin: 2px 0; }
.gap { color: var(--fail); }
`;

function highlightGherkin(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const e = esc(line);
      if (/^\s*@/.test(line)) return `<span class="tag">${e}</span>`;
      if (/^\s*\|/.test(line)) return `<span class="tbl">${e}</span>`;
      return e.replace(/^(\s*)(Scenario Outline|Scenario Template|Scenario|Example|Background|Examples|Scenarios|Given|When|Then|And|But|\*)(:?)/, '$1<span class="kw">$2$3</span>');
    })
    .join("\n");
}

function sideBySide(l: CatalogueEntry, r: CatalogueEntry): string {
  const col = (e: CatalogueEntry) =>
    `<td><p><a href="#${esc(e.id)}"><strong>${esc(e.id)}</strong></a></p><p>${esc(e.statement)}</p><p class="muted">${Object.entries(e.source)
      .map(([ed, loc]) => `${esc(ed)}: ${esc(loc)}`)
      .join("<br>")}</p></td>`;
  return `<table class="sides"><thead><tr><th>${esc(l.editions.join(" + "))}</th><th>${esc(r.editions.join(" + "))}</th></tr></thead><tbody><tr>${col(l)}${col(r)}</tr></tbody></table>`;
}

export function renderSpecHtml(s: SpecModel): string {
  const c = s.catalogue;
  const parts: string[] = [];
  parts.push(`<h1>WSAJoinLeaf: the readable specification</h1>`);
  parts.push(
    `<p class="lead">Generated ${esc(s.generatedAt)} from <code>${esc(c.file)}</code> (${c.entries.length} entries) and the feature files. Each entry is one checkable statement about WSAJoinLeaf, restated in the suite's words, followed by the scenarios that check it. Strength is must, should, may or advice. Where the two editions of the reference text disagree, both readings stand side by side.</p>`,
  );
  parts.push(`<h2>Editions</h2><ul>${Object.entries(c.editions).map(([n, t]) => `<li><strong>${esc(n)}</strong>: ${esc(t)}</li>`).join("")}</ul>`);
  parts.push(
    `<h2>Contents</h2><nav class="toc"><ul>${[...areas(c)]
      .map(([area, list]) => `<li><strong>${esc(area)}</strong>: ${list.map((e) => `<a href="#${esc(e.id)}" class="${e.testable && !s.blocks.get(e.id)?.length ? "gap" : ""}">${esc(e.id)}</a>`).join(", ")}</li>`)
      .join("")}</ul><p class="muted">Red IDs are testable entries that no scenario checks yet.</p></nav>`,
  );
  parts.push(`<h2 id="disagreements">Where the editions disagree</h2>${s.pairs.map(([l, r]) => sideBySide(l, r)).join("")}`);
  parts.push(`<h2>Entries</h2>`);
  for (const e of c.entries) {
    const b: string[] = [];
    b.push(`<h3><a class="self" href="#${esc(e.id)}">${esc(e.id)}</a> <span class="badge">${esc(e.area)}</span><span class="badge">${esc(e.strength)}</span>${e.editions.map((x) => `<span class="badge">${esc(x)}</span>`).join("")}</h3>`);
    b.push(`<p class="statement">${esc(e.statement)}</p>`);
    const facts: Array<[string, string]> = [
      ["Editions", esc(editionText(e))],
      ["Profiles", esc(profileText(e))],
      ["Strength", esc(e.strength)],
      ["Kind", esc(e.kind)],
    ];
    if (e.error) facts.push(["Error", `<code>${esc(e.error)}</code>`]);
    for (const [ed, loc] of Object.entries(e.source)) facts.push([`Source (${esc(ed)})`, esc(loc)]);
    facts.push(["Testable", e.testable ? "yes" : `no — ${esc(e.untestable_reason ?? "no reason given")}`]);
    b.push(`<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>`);
    const cp = e.counterpart ? c.byId.get(e.counterpart) : undefined;
    if (cp) {
      const [l, r] = e.editions.includes("legacy") ? [e, cp] : [cp, e];
      b.push(`<p>The editions disagree here (counterpart <a href="#${esc(cp.id)}">${esc(cp.id)}</a>):</p>${sideBySide(l, r)}`);
    }
    const blocks = s.blocks.get(e.id) ?? [];
    if (!blocks.length) b.push(e.testable ? `<p class="gap"><em>No scenario checks this entry yet.</em></p>` : `<p class="muted"><em>Not checked by a scenario.</em></p>`);
    for (const bl of blocks) b.push(`<div class="scenario-title">${esc(blockTitle(bl))}</div><pre class="gherkin">${highlightGherkin(bl.gherkin)}</pre>`);
    parts.push(`<section class="entry" id="${esc(e.id)}">${b.join("\n")}</section>`);
  }
  if (s.unlinked.length) {
    parts.push(`<h2>Scenarios that cite no catalogue entry</h2>`);
    for (const bl of s.unlinked) parts.push(`<div class="scenario-title">${esc(blockTitle(bl))}</div><pre class="gherkin">${highlightGherkin(bl.gherkin)}</pre>`);
  }
  if (s.unknownIds.length) parts.push(`<h2>IDs cited by the features but missing from the catalogue</h2><p class="gap">${esc(s.unknownIds.join(", "))}</p>`);
  return page("WSAJoinLeaf: the readable specification", parts.join("\n"), SPEC_CSS);
}
