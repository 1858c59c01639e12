// The one reader of the suite: the catalogue (features/catalogue.yaml) and the feature files,
// parsed with @cucumber/gherkin and compiled into pickles the way Cucumber itself does, so that
// tags on the Feature, a Rule, a Scenario and an `Examples:` block all count. The spec lint, the
// readable spec, the matrix, the trace report and certification read the suite only through here.
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import { pretty } from "@cucumber/gherkin-utils";
import { IdGenerator } from "@cucumber/messages";
import type * as messages from "@cucumber/messages";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Catalogue, CATALOGUE_PATH, CatalogueEntry, CatalogueError, loadCatalogue, sha256 } from "./catalogue";

export interface SuiteScenario {
  /** "<feature uri>:<scenario name>", the key expectation files use (one per pickle). */
  key: string;
  uri: string;
  name: string;
  /** Line of the scenario, or of the example row for an outline's pickle. */
  line: number;
  /** Line of the Scenario (Outline) keyword. */
  scenarioLine: number;
  /** Catalogue entries cited by @req tags (feature, rule, scenario and Examples tags). */
  rules: string[];
  tags: string[];
  /** Editions named by @edition tags; empty means both. */
  editions: string[];
  /** Capabilities named by @needs tags. */
  needs: string[];
  untestable: boolean;
  featureName: string;
  ruleName?: string;
  /** The AST scenario (an outline yields several pickles with one astId). */
  astId: string;
  pickle: messages.Pickle;
}

export interface SuiteBlock {
  astId: string;
  uri: string;
  line: number;
  featureName: string;
  ruleName?: string;
  /** Entries cited by any pickle of the block (so Examples-level @req tags count). */
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
  catalogue: Catalogue;
  features: SuiteFeature[];
  scenarios: SuiteScenario[];
  blocks: SuiteBlock[];
  hashes: SuiteHashes;
}

export class SuiteError extends Error {}

/** A parse problem of one feature file. */
export interface FeatureProblem {
  uri: string;
  line: number;
  message: string;
}

const REQ = /^@req:(JL-\d+)$/;

export function rulesOf(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => REQ.exec(t)?.[1]).filter((x): x is string => !!x))].sort();
}

export function editionsOf(tags: readonly string[]): string[] {
  return [...new Set(tags.filter((t) => t.startsWith("@edition:")).map((t) => t.slice("@edition:".length)))];
}

export function needsOf(tags: readonly string[]): string[] {
  return [...new Set(tags.filter((t) => t.startsWith("@needs:")).map((t) => t.slice("@needs:".length)))];
}

/** Feature files under `dir`, sorted, as paths relative to `root` with forward slashes. */
export function featureFiles(root: string, dir = "features"): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, dir)).sort()) {
    const rel = path.posix.join(dir.split(path.sep).join("/"), name);
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...featureFiles(root, rel));
    else if (name.endsWith(".feature")) out.push(rel);
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

/** Parses one feature file, collecting every parse error (not only the first). */
export function parseFeatureText(uri: string, text: string, newId: IdGenerator.NewId = IdGenerator.uuid()): { doc?: messages.GherkinDocument; problems: FeatureProblem[] } {
  const parser = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher());
  parser.stopAtFirstError = false;
  try {
    return { doc: { ...parser.parse(text), uri }, problems: [] };
  } catch (e) {
    const err = e as Error & { errors?: Array<Error & { location?: messages.Location }>; location?: messages.Location };
    const each = err.errors && err.errors.length ? err.errors : [err];
    return {
      problems: each.map((one) => ({ uri, line: (one as { location?: messages.Location }).location?.line ?? 1, message: one.message.replace(/^\(\d+:\d+\):\s*/, "") })),
    };
  }
}

export function parseFeature(uri: string, text: string): messages.GherkinDocument {
  const { doc, problems } = parseFeatureText(uri, text);
  if (!doc) throw new SuiteError(`${uri}: not valid Gherkin: ${problems.map((p) => `(${p.line}) ${p.message}`).join("; ")}`);
  return doc;
}

export interface ReadOptions {
  /** Folder paths are relative to (feature URIs are relative to it). Default: the working directory. */
  root?: string;
  /** The features folder, relative to root (default "features"). */
  featuresDir?: string;
  /** The catalogue file, relative to root (default features/catalogue.yaml). */
  cataloguePath?: string;
  /** Keep catalogue entries without an id, and an unreadable catalogue as a problem (the lint). */
  tolerant?: boolean;
}

/** What `readSuite` found, including the files it could not read (for the lint). */
export interface SuiteReading {
  suite: Suite;
  problems: FeatureProblem[];
  /** Every feature file found, readable or not. */
  files: string[];
}

/** Reads the suite, collecting feature files that do not parse instead of throwing. */
export function readSuite(o: ReadOptions = {}): SuiteReading {
  const root = o.root ?? process.cwd();
  const catPath = (o.cataloguePath ?? CATALOGUE_PATH).split(path.sep).join("/");
  const problems: FeatureProblem[] = [];
  let catalogue: Catalogue;
  try {
    catalogue = { ...loadCatalogue(path.resolve(root, catPath), { strict: !o.tolerant }), file: catPath };
  } catch (err) {
    if (!o.tolerant || !(err instanceof CatalogueError)) throw err;
    problems.push({ uri: catPath, line: err.line ?? 1, message: err.detail });
    catalogue = { file: catPath, version: undefined, editions: {}, profiles: {}, entries: [], byId: new Map(), sha256: "" };
  }
  const features: SuiteFeature[] = [];
  const scenarios: SuiteScenario[] = [];
  const blocks: SuiteBlock[] = [];
  const files: Record<string, string> = {};
  const uris = featureFiles(root, o.featuresDir ?? "features");
  for (const uri of uris) {
    const text = readFileSync(path.join(root, uri), "utf8");
    const hash = sha256(text);
    files[uri] = hash;
    const { doc, problems: p } = parseFeatureText(uri, text);
    problems.push(...p);
    if (!doc) continue;
    features.push({ uri, text, sha256: hash, doc });
    try {
      const { scenarios: s, blocks: b } = describeDocument(doc);
      scenarios.push(...s);
      blocks.push(...b);
    } catch (err) {
      problems.push({ uri, line: 1, message: `cannot compile the scenarios: ${(err as Error).message}` });
    }
  }
  return {
    suite: {
      catalogue,
      features,
      scenarios,
      blocks,
      hashes: { catalogue: { path: catPath, sha256: catalogue.sha256 }, features: files, combined: combinedHash({ ...files, [catPath]: catalogue.sha256 }) },
    },
    problems,
    files: uris,
  };
}

/** Reads the suite; a feature file that does not parse is an error. */
export function loadSuite(root = process.cwd()): Suite {
  const r = readSuite({ root });
  if (r.problems.length) throw new SuiteError(`${r.problems[0].uri}: not valid Gherkin: ${r.problems.filter((p) => p.uri === r.problems[0].uri).map((p) => `(${p.line}) ${p.message}`).join("; ")}`);
  return r.suite;
}

/** A parsed feature file's pickles, every tag that applies on each (Examples-level ones too), as Cucumber runs them. */
export function picklesOf(doc: messages.GherkinDocument, newId: IdGenerator.NewId = IdGenerator.uuid()): readonly messages.Pickle[] {
  return compile(doc, doc.uri ?? "", newId);
}

/** The scenarios (pickles) and scenario blocks (AST) of one parsed feature file. */
export function describeDocument(doc: messages.GherkinDocument): { scenarios: SuiteScenario[]; blocks: SuiteBlock[] } {
  const uri = doc.uri ?? "";
  const feature = doc.feature;
  if (!feature) return { scenarios: [], blocks: [] };
  const pickles = picklesOf(doc);
  const context = new Map<string, { ruleName?: string; scenario: messages.Scenario }>();
  const featureBackgrounds: messages.Background[] = [];
  const blocks: SuiteBlock[] = [];
  const visit = (sc: messages.Scenario, rule: messages.Rule | undefined, backgrounds: messages.Background[]) => {
    context.set(sc.id, { ruleName: rule?.name, scenario: sc });
    const mine = pickles.filter((p) => p.astNodeIds[0] === sc.id);
    const tags = [...new Set([...feature.tags, ...(rule?.tags ?? []), ...sc.tags].map((t) => t.name).concat(mine.flatMap((p) => p.tags.map((t) => t.name))))];
    blocks.push({
      astId: sc.id,
      uri,
      line: sc.location.line,
      featureName: feature.name,
      ruleName: rule?.name,
      rules: rulesOf(tags),
      tags,
      editions: editionsOf(tags),
      gherkin: renderScenario(doc, sc, rule, backgrounds),
    });
  };
  for (const child of feature.children) {
    if (child.background) featureBackgrounds.push(child.background);
    if (child.scenario) visit(child.scenario, undefined, [...featureBackgrounds]);
    if (child.rule) {
      const rb: messages.Background[] = [...featureBackgrounds];
      for (const rc of child.rule.children) {
        if (rc.background) rb.push(rc.background);
        if (rc.scenario) visit(rc.scenario, child.rule, [...rb]);
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
    const sc = context.get(astId)?.scenario;
    return {
      key,
      uri,
      name: p.name,
      line: pickleLine(sc, p),
      scenarioLine: sc?.location.line ?? 1,
      rules: rulesOf(tags),
      tags,
      editions: editionsOf(tags),
      needs: needsOf(tags),
      untestable: tags.includes("@untestable"),
      featureName: feature.name,
      ruleName: context.get(astId)?.ruleName,
      astId,
      pickle: p,
    };
  });
  return { scenarios, blocks };
}

/** The line of the scenario, or of the example row for an outline's pickle. */
function pickleLine(sc: messages.Scenario | undefined, p: messages.Pickle): number {
  if (!sc) return 1;
  const ids = new Set(p.astNodeIds);
  for (const ex of sc.examples) for (const row of ex.tableBody) if (ids.has(row.id)) return row.location.line;
  return sc.location.line;
}

/**
 * One scenario as plain Gherkin, with its Rule header and the Backgrounds that run before it,
 * printed by @cucumber/gherkin-utils from a document holding only those parts.
 */
export function renderScenario(doc: messages.GherkinDocument, sc: messages.Scenario, rule?: messages.Rule, backgrounds: messages.Background[] = []): string {
  const ruleBackgrounds = rule ? backgrounds.filter((b) => rule.children.some((c) => c.background?.id === b.id)) : [];
  const featureBackgrounds = backgrounds.filter((b) => !ruleBackgrounds.includes(b));
  const children: messages.FeatureChild[] = featureBackgrounds.map((background) => ({ background }));
  if (rule) children.push({ rule: { ...rule, description: "", children: [...ruleBackgrounds.map((background) => ({ background })), { scenario: sc }] } });
  else children.push({ scenario: sc });
  const text = pretty({ ...doc, comments: [], feature: { ...doc.feature!, tags: [], name: "", description: "", children } }, "gherkin");
  // Drop the empty "Feature:" header and the indentation it gives everything else.
  return text
    .split("\n")
    .slice(1)
    .map((l) => l.replace(/^ {2}/, ""))
    .join("\n")
    .trim();
}

// ------------------------------------------------------------------ what the suite says about entries

export const PROFILE_NAMES = ["ip-multicast", "rooted"] as const;

/** The profiles an entry belongs to (all profiles when the catalogue gives none). */
export function profilesOf(entry: CatalogueEntry, catalogue: Catalogue): string[] {
  return entry.profiles?.length ? entry.profiles : Object.keys(catalogue.profiles);
}

/**
 * The entries a complete run of `edition` must have results for: testable, part of the edition,
 * of the profile when one is named, and cited by a scenario of the suite that runs in that edition.
 */
export function requiredEntries(suite: Suite, edition: string, profile?: string): string[] {
  const cited = new Set<string>();
  for (const s of suite.scenarios) if (!s.editions.length || s.editions.includes(edition)) s.rules.forEach((r) => cited.add(r));
  return suite.catalogue.entries
    .filter((e) => e.testable && (!edition || e.editions.includes(edition)) && cited.has(e.id) && (!profile || profilesOf(e, suite.catalogue).includes(profile)))
    .map((e) => e.id);
}
