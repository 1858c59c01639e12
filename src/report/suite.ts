// The feature files of the suite, parsed with @cucumber/gherkin: scenarios with the catalogue
// entries they cover (from @req tags on the feature, rule or scenario), their plain Gherkin text,
// and the hashes a certification bundle records.
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import { IdGenerator } from "@cucumber/messages";
import type * as messages from "@cucumber/messages";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { CATALOGUE_PATH, sha256 } from "./catalogue";

export interface SuiteScenario {
  /** "<feature uri>:<scenario name>", the key expectation files use (one per pickle). */
  key: string;
  uri: string;
  name: string;
  line: number;
  rules: string[];
  tags: string[];
  /** Editions named by @edition tags; empty means both. */
  editions: string[];
  featureName: string;
  ruleName?: string;
  /** The AST scenario (an outline yields several pickles with one astId). */
  astId: string;
}

export interface SuiteBlock {
  astId: string;
  uri: string;
  line: number;
  featureName: string;
  ruleName?: string;
  rules: string[];
  tags: string[];
  editions: string[];
  /** Plain Gherkin text of the scenario (with the backgrounds that run before it). */
  gherkin: string;
}

export interface SuiteFeature {
  uri: string;
  text: string;
  sha256: string;
  doc: messages.GherkinDocument;
}

export interface SuiteHashes {
  catalogue: { path: string; sha256: string };
  features: Record<string, string>;
  /** sha256 of the sha256sum-style listing ("<hash>  <path>\n", sorted by path) of catalogue and features. */
  combined: string;
}

export interface Suite {
  features: SuiteFeature[];
  scenarios: SuiteScenario[];
  blocks: SuiteBlock[];
  hashes: SuiteHashes;
}

export class SuiteError extends Error {}

const REQ = /^@req:(JL-\d+)$/;

export function rulesOf(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => REQ.exec(t)?.[1]).filter((x): x is string => !!x))].sort();
}

export function editionsOf(tags: readonly string[]): string[] {
  return tags.filter((t) => t.startsWith("@edition:")).map((t) => t.slice("@edition:".length));
}

function featureFiles(root: string, dir = "features"): string[] {
  const out: string[] = [];
  for (const d of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, d.name);
    if (d.isDirectory()) out.push(...featureFiles(root, rel));
    else if (d.name.endsWith(".feature")) out.push(rel);
  }
  return out.sort();
}

export function combinedHash(files: Record<string, string>): string {
  const listing = Object.keys(files)
    .sort()
    .map((p) => `${files[p]}  ${p}\n`)
    .join("");
  return sha256(listing);
}

export function parseFeature(uri: string, text: string): messages.GherkinDocument {
  const parser = new Parser(new AstBuilder(IdGenerator.uuid()), new GherkinClassicTokenMatcher());
  try {
    return { ...parser.parse(text), uri };
  } catch (err) {
    const details = (err as Error).message.split("\n").filter((l) => l.trim() && !/^Parser errors:?$/.test(l.trim()));
    throw new SuiteError(`${uri}: not valid Gherkin: ${details.join("; ")}`);
  }
}

export function loadSuite(root = process.cwd()): Suite {
  const features: SuiteFeature[] = [];
  const scenarios: SuiteScenario[] = [];
  const blocks: SuiteBlock[] = [];
  const files: Record<string, string> = {};
  for (const uri of featureFiles(root)) {
    const text = readFileSync(path.join(root, uri), "utf8");
    const doc = parseFeature(uri, text);
    const hash = sha256(text);
    files[uri] = hash;
    features.push({ uri, text, sha256: hash, doc });
    const { scenarios: s, blocks: b } = describeDocument(doc);
    scenarios.push(...s);
    blocks.push(...b);
  }
  const catalogueText = readFileSync(path.join(root, CATALOGUE_PATH), "utf8");
  const catalogueSha = sha256(catalogueText);
  const catPath = CATALOGUE_PATH.split(path.sep).join("/");
  return {
    features,
    scenarios,
    blocks,
    hashes: { catalogue: { path: catPath, sha256: catalogueSha }, features: files, combined: combinedHash({ ...files, [catPath]: catalogueSha }) },
  };
}

/** The scenarios (pickles) and scenario blocks (AST) of one parsed feature file. */
export function describeDocument(doc: messages.GherkinDocument): { scenarios: SuiteScenario[]; blocks: SuiteBlock[] } {
  const uri = doc.uri ?? "";
  const feature = doc.feature;
  if (!feature) return { scenarios: [], blocks: [] };
  const pickles = compile(doc, uri, IdGenerator.uuid());
  const context = new Map<string, { ruleName?: string; backgrounds: messages.Background[]; ruleTags: string[] }>();
  const featureBackgrounds: messages.Background[] = [];
  const blocks: SuiteBlock[] = [];
  const featureTags = feature.tags.map((t) => t.name);
  const visit = (sc: messages.Scenario, ruleName: string | undefined, backgrounds: messages.Background[], ruleTags: string[]) => {
    context.set(sc.id, { ruleName, backgrounds, ruleTags });
    const tags = [...featureTags, ...ruleTags, ...sc.tags.map((t) => t.name)];
    blocks.push({
      astId: sc.id,
      uri,
      line: sc.location.line,
      featureName: feature.name,
      ruleName,
      rules: rulesOf(tags),
      tags,
      editions: editionsOf(tags),
      gherkin: (ruleName !== undefined ? ruleHeader(ruleName, ruleTags) : "") + indent(renderScenario(sc, backgrounds), ruleName !== undefined ? "  " : ""),
    });
  };
  for (const child of feature.children) {
    if (child.background) featureBackgrounds.push(child.background);
    if (child.scenario) visit(child.scenario, undefined, [...featureBackgrounds], []);
    if (child.rule) {
      const rb: messages.Background[] = [...featureBackgrounds];
      for (const rc of child.rule.children) {
        if (rc.background) rb.push(rc.background);
        if (rc.scenario) visit(rc.scenario, child.rule.name, [...rb], child.rule.tags.map((t) => t.name));
      }
    }
  }
  const seen = new Map<string, number>();
  const scenarios = pickles.map((p) => {
    const tags = p.tags.map((t) => t.name);
    const astId = p.astNodeIds[0];
    let key = `${uri}:${p.name}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) key = `${key} #${n}`;
    return {
      key,
      uri,
      name: p.name,
      line: pickleLine(doc, p),
      rules: rulesOf(tags),
      tags,
      editions: editionsOf(tags),
      featureName: feature.name,
      ruleName: context.get(astId)?.ruleName,
      astId,
    };
  });
  return { scenarios, blocks };
}

/** The line of the scenario, or of the example row for an outline's pickle. */
function pickleLine(doc: messages.GherkinDocument, p: messages.Pickle): number {
  const ids = new Set(p.astNodeIds);
  let line = 0;
  const scan = (sc: messages.Scenario) => {
    if (!ids.has(sc.id)) return;
    line = sc.location.line;
    for (const ex of sc.examples) for (const row of ex.tableBody) if (ids.has(row.id)) line = row.location.line;
  };
  for (const c of doc.feature?.children ?? []) {
    if (c.scenario) scan(c.scenario);
    for (const rc of c.rule?.children ?? []) if (rc.scenario) scan(rc.scenario);
  }
  return line;
}

function renderTable(rows: readonly messages.TableRow[], indent: string): string[] {
  const widths: number[] = [];
  for (const r of rows) r.cells.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.value.length)));
  return rows.map((r) => `${indent}| ${r.cells.map((c, i) => c.value.padEnd(widths[i])).join(" | ")} |`);
}

function renderSteps(steps: readonly messages.Step[], indent: string): string[] {
  const out: string[] = [];
  for (const s of steps) {
    out.push(`${indent}${s.keyword.trim()} ${s.text}`);
    if (s.dataTable) out.push(...renderTable(s.dataTable.rows, indent + "  "));
    if (s.docString) {
      const d = s.docString.delimiter;
      out.push(`${indent}  ${d}${s.docString.mediaType ?? ""}`);
      for (const l of s.docString.content.split("\n")) out.push(`${indent}  ${l}`);
      out.push(`${indent}  ${d}`);
    }
  }
  return out;
}

function ruleHeader(name: string, tags: string[]): string {
  return `${tags.length ? tags.join(" ") + "\n" : ""}Rule: ${name}\n\n`;
}

function indent(text: string, by: string): string {
  return by ? text.split("\n").map((l) => (l ? by + l : l)).join("\n") : text;
}

export function renderScenario(sc: messages.Scenario, backgrounds: messages.Background[] = []): string {
  const out: string[] = [];
  for (const b of backgrounds) {
    out.push(`${b.keyword}:${b.name ? " " + b.name : ""}`);
    out.push(...renderSteps(b.steps, "  "));
    out.push("");
  }
  if (sc.tags.length) out.push(sc.tags.map((t) => t.name).join(" "));
  out.push(`${sc.keyword}: ${sc.name}`);
  if (sc.description.trim()) for (const l of sc.description.trim().split("\n")) out.push(`  ${l.trim()}`);
  out.push(...renderSteps(sc.steps, "  "));
  for (const ex of sc.examples) {
    out.push("");
    if (ex.tags.length) out.push("  " + ex.tags.map((t) => t.name).join(" "));
    out.push(`  ${ex.keyword}:${ex.name ? " " + ex.name : ""}`);
    const rows = [...(ex.tableHeader ? [ex.tableHeader] : []), ...ex.tableBody];
    out.push(...renderTable(rows, "    "));
  }
  return out.join("\n");
}
