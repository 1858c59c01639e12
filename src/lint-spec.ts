// The spec lint: checks that the feature files and the catalogue agree, and prints coverage.
//
//   npm run lint:spec                      (features/ and features/catalogue.yaml)
//   node --import tsx src/lint-spec.ts [--features DIR] [--catalogue FILE]
//
// Exit status 1 when any problem is found; every problem is printed as "file:line: message".
// The tag and step vocabulary it enforces is documented in features/README.md.
import { GherkinDocument, PickleStepType, Tag } from "@cucumber/messages";
import path from "node:path";
import { NEEDS_VOCABULARY } from "../drivers/capabilities";
import { PACKAGE_ROOT } from "./package-root";
import type { Catalogue } from "./report/catalogue";
import { PROFILE_NAMES, readSuite, SuiteReading } from "./report/suite";

export const EDITIONS = ["legacy", "current"] as const;
export type Edition = (typeof EDITIONS)[number];

/** The one step an @untestable scenario has. */
export const NOT_TESTABLE_STEP = /^it is not testable: "[^"]+"$/;

export interface LintProblem {
  file: string;
  line: number;
  message: string;
}

export interface CatalogueEntry {
  id: string;
  kind: string;
  area: string;
  editions: Edition[];
  testable: boolean;
  /** Line of "- id:" in the catalogue file. */
  line: number;
}

interface ScenarioInfo {
  file: string;
  line: number;
  name: string;
  reqs: string[];
  /** The editions whose run includes this scenario. */
  editions: Edition[];
  untestable: boolean;
}

export interface Coverage {
  total: number;
  covered: number;
  byKind: Record<string, { total: number; covered: number }>;
  byEdition: Record<Edition, { total: number; covered: number }>;
  untestableEntries: number;
  scenarios: number;
  scenariosByEdition: Record<Edition, number>;
  untestableScenarios: number;
}

export interface LintReport {
  problems: LintProblem[];
  coverage: Coverage;
  featureFiles: number;
}

export interface LintOptions {
  featuresDir: string;
  cataloguePath: string;
  /** How file names are printed (default: relative to the working directory). */
  relativeTo?: string;
}

// ------------------------------------------------------------------ catalogue

/** Checks the catalogue's own fields; the entries are read by the suite reader (src/report/suite.ts). */
function checkCatalogue(catalogue: Catalogue, shown: string, problems: LintProblem[]): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  const seen = new Set<string>();
  const profileNames = Object.keys(catalogue.profiles);
  for (const name of profileNames) if (!(PROFILE_NAMES as readonly string[]).includes(name)) problems.push({ file: shown, line: 1, message: `profile "${name}" is not one the reports know (${PROFILE_NAMES.join(", ")})` });
  for (const raw of catalogue.entries) {
    const id = raw.id;
    const line = id ? raw.line : 1;
    const bad = (message: string) => problems.push({ file: shown, line, message: `${id || "an entry"}: ${message}` });
    if (!/^JL-\d{3}$/.test(id)) {
      bad("id must look like JL-NNN");
      continue;
    }
    if (seen.has(id)) bad("the id is used twice");
    seen.add(id);
    const editions = raw.editions as string[];
    if (editions.length === 0 || editions.some((e) => !(EDITIONS as readonly string[]).includes(e))) {
      bad(`editions must be a non-empty list of ${EDITIONS.join(", ")}`);
    }
    if (typeof raw.testable !== "boolean") bad("testable must be true or false");
    if (raw.testable === false && !raw.untestable_reason) bad("testable: false needs an untestable_reason");
    if (raw.testable === true && raw.untestable_reason) bad("testable: true entries carry no untestable_reason");
    // Once the catalogue defines profiles, every entry says which of them it belongs to.
    if (profileNames.length) {
      const p = raw.profiles as unknown;
      if (!Array.isArray(p) || p.length === 0) bad(`profiles must be a non-empty list of ${profileNames.join(", ")}`);
      else for (const name of p) if (!profileNames.includes(String(name))) bad(`profile "${name}" is not defined under the catalogue's profiles (${profileNames.join(", ")})`);
    }
    entries.push({
      id,
      kind: String(raw.kind ?? "unknown"),
      area: String(raw.area ?? "unknown"),
      editions: editions.filter((e): e is Edition => (EDITIONS as readonly string[]).includes(e)),
      testable: raw.testable === true,
      line,
    });
  }
  return entries;
}

// ------------------------------------------------------------------ features

/** Every tag in the document, where it is written (to check each against the vocabulary). */
function allTags(doc: GherkinDocument): Tag[] {
  const tags: Tag[] = [];
  const feature = doc.feature;
  if (!feature) return tags;
  tags.push(...feature.tags);
  const scenarioTags = (s: { tags: readonly Tag[]; examples: ReadonlyArray<{ tags: readonly Tag[] }> }) => {
    tags.push(...s.tags);
    for (const ex of s.examples) tags.push(...ex.tags);
  };
  for (const child of feature.children) {
    if (child.scenario) scenarioTags(child.scenario);
    if (child.rule) {
      tags.push(...child.rule.tags);
      for (const rc of child.rule.children) if (rc.scenario) scenarioTags(rc.scenario);
    }
  }
  return tags;
}

function checkTag(tag: Tag, known: Map<string, CatalogueEntry>): string | null {
  const name = tag.name;
  let m = /^@req:(.*)$/.exec(name);
  if (m) {
    if (!/^JL-\d{3}$/.test(m[1])) return `tag ${name}: a requirement tag is @req:JL-NNN`;
    return known.has(m[1]) ? null : `tag ${name} names no catalogue entry`;
  }
  m = /^@edition:(.*)$/.exec(name);
  if (m) return (EDITIONS as readonly string[]).includes(m[1]) ? null : `tag ${name}: the editions are ${EDITIONS.join(" and ")}`;
  m = /^@needs:(.*)$/.exec(name);
  if (m) return NEEDS_VOCABULARY.includes(m[1]) ? null : `tag ${name}: "${m[1]}" is not a @needs word (drivers/capabilities.ts NEEDS_VOCABULARY)`;
  if (name === "@untestable") return null;
  // A named reading of a contested sentence (docs/editions.md): failing it is an allowed deviation.
  if (/^@reading:[a-z0-9][a-z0-9-]*$/.test(name)) return null;
  if (name.startsWith("@reading:")) return `tag ${name}: a reading's name is lowercase words joined by "-" (@reading:<name>)`;
  return `tag ${name} is outside the vocabulary (@req:JL-NNN, @edition:current|legacy, @needs:<word>, @reading:<name>, @untestable)`;
}

// ------------------------------------------------------------------ the lint

export function lintSpec(options: LintOptions): LintReport {
  const base = options.relativeTo ?? process.cwd();
  const rel = (f: string) => path.relative(base, f) || f;
  const problems: LintProblem[] = [];
  const catalogueShown = rel(options.cataloguePath);
  let reading: SuiteReading;
  try {
    reading = readSuite({ root: base, featuresDir: rel(options.featuresDir), cataloguePath: catalogueShown, tolerant: true });
  } catch (e) {
    problems.push({ file: rel(options.featuresDir), line: 1, message: `cannot read the features folder: ${(e as Error).message}` });
    return { problems, coverage: computeCoverage([], []), featureFiles: 0 };
  }
  const { suite } = reading;
  for (const p of reading.problems) problems.push({ file: p.uri, line: p.line, message: p.uri === catalogueShown ? p.message : p.message.startsWith("cannot compile") ? p.message : `parse error: ${p.message}` });
  const entries = checkCatalogue(suite.catalogue, catalogueShown, problems);
  const known = new Map(entries.map((e) => [e.id, e]));
  const scenarios: ScenarioInfo[] = [];
  const reported = new Set<string>();
  const report = (file: string, line: number, message: string) => {
    const key = `${file}:${line}:${message}`;
    if (reported.has(key)) return;
    reported.add(key);
    problems.push({ file, line, message });
  };

  for (const feature of suite.features) {
    if (!feature.doc.feature) report(feature.uri, 1, "the file has no Feature");
    for (const tag of allTags(feature.doc)) {
      const wrong = checkTag(tag, known);
      if (wrong) report(feature.uri, tag.location.line, wrong);
    }
  }
  for (const sc of suite.scenarios) {
    const file = sc.uri;
    const scenarioLine = sc.scenarioLine;
    const label = `scenario "${sc.name}"`;
    const editionTags = sc.editions.filter((e): e is Edition => (EDITIONS as readonly string[]).includes(e));
    const untestable = sc.untestable;
    const steps = sc.pickle.steps;
    const notTestableSteps = steps.filter((s) => NOT_TESTABLE_STEP.test(s.text));

    if (editionTags.length > 1) report(file, scenarioLine, `${label} is tagged for both editions, so no run includes it; leave the edition tag off instead`);
    const editions: Edition[] = editionTags.length === 1 ? editionTags : [...EDITIONS];

    if (!steps.some((s) => s.type === PickleStepType.OUTCOME)) report(file, scenarioLine, `${label} has no Then step`);

    if (untestable) {
      if (steps.length !== 1 || notTestableSteps.length !== 1) {
        report(file, scenarioLine, `${label} is @untestable, so its only step must be: Then it is not testable: "<reason>" (Background steps count)`);
      }
    } else if (notTestableSteps.length) {
      report(file, scenarioLine, `${label} says "it is not testable" but is not tagged @untestable`);
    }

    const reqs = sc.rules;
    if (reqs.length === 0) report(file, scenarioLine, `${label} checks no catalogue entry (no @req:JL-NNN tag)`);
    const mine = reqs.map((r) => known.get(r)).filter((e): e is CatalogueEntry => !!e);
    for (const entry of mine) {
      if (untestable && entry.testable) {
        report(file, scenarioLine, `${label} is @untestable but ${entry.id} is testable: true in the catalogue (write a real scenario, or change the entry)`);
      }
      if (!untestable && !entry.testable) {
        report(file, scenarioLine, `${label} checks ${entry.id}, which the catalogue marks testable: false (tag it @untestable, or make the entry testable)`);
      }
      if (editionTags.length === 1 && !entry.editions.includes(editionTags[0])) {
        report(file, scenarioLine, `${label} runs only in the ${editionTags[0]} edition, but ${entry.id} belongs to ${entry.editions.join(", ")}`);
      }
    }
    if (mine.length && editionTags.length === 0) {
      for (const edition of editions) {
        if (!mine.some((e) => e.editions.includes(edition))) {
          const only = EDITIONS.find((e) => e !== edition);
          report(file, scenarioLine, `${label} runs in the ${edition} edition, but none of its entries (${mine.map((e) => e.id).join(", ")}) belongs to it; tag it @edition:${only}`);
        }
      }
    }
    scenarios.push({ file, line: sc.line, name: sc.name, reqs, editions, untestable });
  }

  // Every entry needs a scenario, and one in each edition it belongs to.
  for (const entry of entries) {
    const covering = scenarios.filter((s) => s.reqs.includes(entry.id));
    if (covering.length === 0) {
      problems.push({ file: catalogueShown, line: entry.line, message: `${entry.id} has no scenario (tag one with @req:${entry.id})` });
      continue;
    }
    for (const edition of entry.editions) {
      if (!covering.some((s) => s.editions.includes(edition))) {
        const tagged = [...new Set(covering.flatMap((s) => s.editions))].join(", ");
        problems.push({
          file: catalogueShown,
          line: entry.line,
          message: `${entry.id} belongs to the ${edition} edition, but its scenarios run only in ${tagged}`,
        });
      }
    }
  }

  const coverage = computeCoverage(entries, scenarios);
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  return { problems, coverage, featureFiles: reading.files.length };
}

function computeCoverage(entries: CatalogueEntry[], scenarios: ScenarioInfo[]): Coverage {
  const coveredIn = (e: CatalogueEntry, edition?: Edition) =>
    scenarios.some((s) => s.reqs.includes(e.id) && (!edition || s.editions.includes(edition)));
  const byKind: Coverage["byKind"] = {};
  for (const e of entries) {
    const k = (byKind[e.kind] ??= { total: 0, covered: 0 });
    k.total++;
    if (coveredIn(e)) k.covered++;
  }
  const byEdition = Object.fromEntries(
    EDITIONS.map((ed) => {
      const mine = entries.filter((e) => e.editions.includes(ed));
      return [ed, { total: mine.length, covered: mine.filter((e) => coveredIn(e, ed)).length }];
    }),
  ) as Coverage["byEdition"];
  return {
    total: entries.length,
    covered: entries.filter((e) => coveredIn(e)).length,
    byKind,
    byEdition,
    untestableEntries: entries.filter((e) => !e.testable).length,
    scenarios: scenarios.length,
    scenariosByEdition: Object.fromEntries(EDITIONS.map((ed) => [ed, scenarios.filter((s) => s.editions.includes(ed)).length])) as Record<Edition, number>,
    untestableScenarios: scenarios.filter((s) => s.untestable).length,
  };
}

const percent = (n: number, d: number) => (d === 0 ? "100" : ((100 * n) / d).toFixed(d === n ? 0 : 1));

export function formatReport(report: LintReport): string {
  const c = report.coverage;
  const lines = report.problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
  if (report.problems.length) lines.push("", `spec lint: ${report.problems.length} problem(s)`);
  lines.push(
    `spec coverage: ${c.covered}/${c.total} catalogue entries covered (${percent(c.covered, c.total)}%)`,
    `  by kind:    ${Object.entries(c.byKind).map(([k, v]) => `${k} ${v.covered}/${v.total}`).join(", ")}`,
    `  by edition: ${EDITIONS.map((e) => `${e} ${c.byEdition[e].covered}/${c.byEdition[e].total}`).join(", ")}`,
    `  entries:    ${c.total - c.untestableEntries} testable, ${c.untestableEntries} recorded as NOT TESTABLE`,
    `  scenarios:  ${c.scenarios} in ${report.featureFiles} feature files (${EDITIONS.map((e) => `${c.scenariosByEdition[e]} run in ${e}`).join(", ")}; ${c.untestableScenarios} @untestable)`,
  );
  return lines.join("\n");
}

function main(argv: string[]): number {
  let featuresDir = path.join(PACKAGE_ROOT, "features");
  let cataloguePath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--features") featuresDir = path.resolve(argv[++i] ?? "");
    else if (a === "--catalogue") cataloguePath = path.resolve(argv[++i] ?? "");
    else {
      process.stderr.write(`usage: lint-spec [--features DIR] [--catalogue FILE]\nunknown argument: ${a}\n`);
      return 2;
    }
  }
  const report = lintSpec({ featuresDir, cataloguePath: cataloguePath ?? path.join(featuresDir, "catalogue.yaml") });
  process.stdout.write(formatReport(report) + "\n");
  return report.problems.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
