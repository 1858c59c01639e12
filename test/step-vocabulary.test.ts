// The step vocabulary: every step is a Cucumber Expression, every step a feature uses matches
// exactly one definition, and no match hands a report an empty argument (issue 10, item 3: an
// optional regex group that did not match shows as an empty argument and garbles the report).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import { IdGenerator } from "@cucumber/messages";
import { stepLibrary } from "../src/conformance";
import { PACKAGE_ROOT } from "../src/package-root";

const root = PACKAGE_ROOT;

/** What the test reads of the loaded support code (the API's type keeps it opaque). */
interface StepLibrary {
  stepDefinitions: Array<{
    pattern: string | RegExp;
    uri: string;
    line: number;
    expression: { match(text: string): Array<{ group: { value?: string | null } }> | null };
  }>;
}

let loaded: Promise<StepLibrary> | undefined;
/**
 * The step definitions a run loads (the compiled steps, through the run's own profile), once: a
 * second load in one process finds the step files cached and registers none.
 */
function library(): Promise<StepLibrary> {
  return (loaded ??= stepLibrary() as unknown as Promise<StepLibrary>);
}

function featureSteps(): Array<{ where: string; text: string }> {
  const dir = path.join(root, "features");
  const steps: Array<{ where: string; text: string }> = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".feature"))) {
    const newId = IdGenerator.incrementing();
    const doc = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(readFileSync(path.join(dir, file), "utf8"));
    for (const pickle of compile(doc, file, newId)) for (const s of pickle.steps) steps.push({ where: `${file}: ${pickle.name}`, text: s.text });
  }
  return steps;
}

test("every step definition is a Cucumber Expression, and every feature step matches one definition with no empty argument", async () => {
  const lib = await library();
  const regexps = lib.stepDefinitions.filter((d) => typeof d.pattern !== "string").map((d) => `${d.uri}:${d.line} ${String(d.pattern)}`);
  assert.deepEqual(regexps, [], "step definitions written as regular expressions");
  const problems: string[] = [];
  for (const { where, text } of featureSteps()) {
    const matches = lib.stepDefinitions.map((d) => d.expression.match(text)).filter((m) => m !== null);
    if (matches.length !== 1) {
      problems.push(`${where}: "${text}" matches ${matches.length} step definitions`);
      continue;
    }
    for (const arg of matches[0] ?? []) {
      if (!arg.group.value) problems.push(`${where}: "${text}" hands over an empty argument`);
    }
  }
  assert.deepEqual(problems, []);
});

test("the d-flag stand-in for regexp-match-indices (src/match-indices.js) gives its indices for every feature step and definition", async () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { execWithIndices } = require("../src/match-indices") as { execWithIndices: (r: RegExp, s: string) => (RegExpExecArray & { indices?: unknown }) | null };
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const polyfill = require("regexp-match-indices/implementation") as (this: RegExp, s: string) => (RegExpExecArray & { indices?: unknown }) | null;
  const regexps = (await library()).stepDefinitions.map((d) => (d.expression as unknown as { regexp: RegExp }).regexp);
  let matched = 0;
  for (const { text } of featureSteps()) {
    for (const re of regexps) {
      const mine = execWithIndices(re, text);
      const theirs = polyfill.call(re, text);
      assert.deepEqual(mine && { groups: [...mine], indices: mine.indices }, theirs && { groups: [...theirs], indices: theirs.indices }, `${re} on "${text}"`);
      if (mine) matched++;
    }
  }
  assert.ok(matched > 1000, `${matched} matches compared`);
});
