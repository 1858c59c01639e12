// The spec lint on small, deliberately broken specs written to a temporary folder.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { formatReport, LintReport, lintSpec } from "../src/lint-spec";
import { PACKAGE_ROOT } from "../src/package-root";

interface Entry {
  id: string;
  editions?: string[];
  testable?: boolean;
  kind?: string;
  reason?: string | null;
}

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function catalogueYaml(entries: Entry[]): string {
  const lines = ["version: 1", "entries:"];
  for (const e of entries) {
    const testable = e.testable ?? true;
    lines.push(
      `  - id: ${e.id}`,
      `    area: test`,
      `    kind: ${e.kind ?? "behaviour"}`,
      `    editions: [${(e.editions ?? ["legacy", "current"]).join(", ")}]`,
      `    testable: ${testable}`,
    );
    const reason = e.reason === undefined ? (testable ? null : "cannot be observed") : e.reason;
    if (reason) lines.push(`    untestable_reason: "${reason}"`);
  }
  return lines.join("\n") + "\n";
}

/** Writes the features and catalogue to a fresh folder and lints them. */
function lint(features: Record<string, string>, entries: Entry[]): LintReport {
  const root = mkdtempSync(path.join(tmpdir(), "lint-spec-"));
  roots.push(root);
  const dir = path.join(root, "features");
  mkdirSync(dir);
  for (const [name, text] of Object.entries(features)) writeFileSync(path.join(dir, name), text);
  writeFileSync(path.join(dir, "catalogue.yaml"), catalogueYaml(entries));
  return lintSpec({ featuresDir: dir, cataloguePath: path.join(dir, "catalogue.yaml"), relativeTo: root });
}

function messages(report: LintReport): string[] {
  return report.problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
}

function hasProblem(report: LintReport, file: string, line: number, pattern: RegExp): void {
  const found = report.problems.some((p) => p.file === file && p.line === line && pattern.test(p.message));
  assert.ok(found, `expected ${file}:${line} ${pattern}; got:\n${messages(report).join("\n") || "(no problems)"}`);
}

const GOOD = `Feature: Good
  @req:JL-001
  Rule: one
    Scenario: it works
      Given something
      When it happens
      Then it is so
`;

test("a consistent spec has no problems and full coverage", () => {
  const r = lint({ "good.feature": GOOD }, [{ id: "JL-001" }]);
  assert.deepEqual(messages(r), []);
  assert.equal(r.coverage.covered, 1);
  assert.equal(r.coverage.total, 1);
  assert.match(formatReport(r), /^spec coverage: 1\/1 catalogue entries covered \(100%\)$/m);
});

test("a parse error is reported with its file and line, and the other files are still linted", () => {
  const broken = `Feature: Broken
  Scenario: one
    Given a step
  Rule without a colon
`;
  const r = lint({ "a-broken.feature": broken, "b-good.feature": GOOD.replace("Then it is so", "And no outcome") }, [{ id: "JL-001" }]);
  hasProblem(r, "features/a-broken.feature", 4, /^parse error: /);
  hasProblem(r, "features/b-good.feature", 4, /has no Then step/);
});

test("a catalogue entry without a scenario is reported at its line in the catalogue", () => {
  const r = lint({ "good.feature": GOOD }, [{ id: "JL-001" }, { id: "JL-002" }]);
  hasProblem(r, "features/catalogue.yaml", 8, /JL-002 has no scenario/);
  assert.equal(r.coverage.covered, 1);
  assert.match(formatReport(r), /spec coverage: 1\/2 catalogue entries covered \(50\.0%\)/);
});

test("a tag naming an unknown entry is reported where the tag is", () => {
  const r = lint({ "good.feature": GOOD.replace("@req:JL-001", "@req:JL-001 @req:JL-999") }, [{ id: "JL-001" }]);
  hasProblem(r, "features/good.feature", 2, /@req:JL-999 names no catalogue entry/);
});

test("tags outside the vocabulary are reported: unknown prefixes, @needs words, editions", () => {
  const text = `@wip
Feature: Tags
  @req:JL-001 @needs:wings @needs:qos @edition:ancient @req:jl-1
  Rule: one
    Scenario: it works
      Then it is so
`;
  const r = lint({ "tags.feature": text }, [{ id: "JL-001" }]);
  hasProblem(r, "features/tags.feature", 1, /@wip is outside the vocabulary/);
  hasProblem(r, "features/tags.feature", 3, /"wings" is not a @needs word/);
  hasProblem(r, "features/tags.feature", 3, /@edition:ancient/);
  hasProblem(r, "features/tags.feature", 3, /@req:jl-1: a requirement tag is @req:JL-NNN/);
  assert.ok(!r.problems.some((p) => /@needs:qos/.test(p.message)), "qos is a known @needs word");
});

test("a scenario needs a Then step; And/But after Then count, and so do Background steps", () => {
  const text = `Feature: Then steps
  Background:
    Given a start

  @req:JL-001
  Rule: one
    Scenario: only context and action
      Given something
      When it happens
      And more happens

    Scenario: And after Then is an outcome
      When it happens
      Then one thing
      And another

  @req:JL-001
  Rule: two
    Background:
      Then the background already checks

    Scenario: its outcome is in the Background
      When it happens
`;
  const r = lint({ "then.feature": text }, [{ id: "JL-001" }]);
  hasProblem(r, "features/then.feature", 7, /"only context and action" has no Then step/);
  assert.equal(r.problems.length, 1, messages(r).join("\n"));
});

test("@untestable scenarios have exactly the not-testable step, and agree with the catalogue", () => {
  const text = `Feature: Untestable
  @req:JL-001 @untestable
  Rule: one
    Scenario: missing the step
      Then something is checked

  @req:JL-002 @untestable
  Rule: two
    Scenario: testable entry marked untestable
      Then it is not testable: "because"

  @req:JL-003
  Rule: three
    Scenario: untestable entry checked for real
      Then something is checked

  @req:JL-003
  Rule: four
    Scenario: says it but is not tagged
      Then it is not testable: "because"
`;
  const r = lint({ "u.feature": text }, [
    { id: "JL-001", testable: false },
    { id: "JL-002", testable: true },
    { id: "JL-003", testable: false },
  ]);
  hasProblem(r, "features/u.feature", 4, /is @untestable, so its only step must be/);
  hasProblem(r, "features/u.feature", 9, /@untestable but JL-002 is testable: true/);
  hasProblem(r, "features/u.feature", 14, /checks JL-003, which the catalogue marks testable: false/);
  hasProblem(r, "features/u.feature", 19, /says "it is not testable" but is not tagged @untestable/);
});

test("a Background makes an @untestable scenario longer than its one step", () => {
  const text = `Feature: Untestable with background
  Background:
    Given a socket

  @req:JL-001 @untestable
  Scenario: advice
    Then it is not testable: "advice"
`;
  const r = lint({ "u.feature": text }, [{ id: "JL-001", testable: false }]);
  hasProblem(r, "features/u.feature", 6, /Background steps count/);
});

test("edition tags must match the editions of the entries a scenario checks", () => {
  const text = `Feature: Editions
  @req:JL-001 @edition:legacy
  Rule: current entry, legacy scenario
    Scenario: wrong edition
      Then it is so

  @req:JL-002
  Rule: legacy entry, scenario for both
    Scenario: runs in current too
      Then it is so

  @req:JL-003 @edition:current
  Rule: shared entry, current only
    Scenario: never checked in legacy
      Then it is so

  @req:JL-002 @edition:current @edition:legacy
  Rule: both tags
    Scenario: in no run
      Then it is so
`;
  const r = lint({ "e.feature": text }, [
    { id: "JL-001", editions: ["current"] },
    { id: "JL-002", editions: ["legacy"] },
    { id: "JL-003", editions: ["legacy", "current"] },
  ]);
  hasProblem(r, "features/e.feature", 4, /runs only in the legacy edition, but JL-001 belongs to current/);
  hasProblem(r, "features/catalogue.yaml", 3, /JL-001 belongs to the current edition, but its scenarios run only in legacy/);
  hasProblem(r, "features/e.feature", 9, /runs in the current edition, but none of its entries \(JL-002\) belongs to it; tag it @edition:legacy/);
  hasProblem(r, "features/catalogue.yaml", 13, /JL-003 belongs to the legacy edition, but its scenarios run only in current/);
  hasProblem(r, "features/e.feature", 19, /tagged for both editions/);
  assert.equal(r.problems.length, 5, messages(r).join("\n"));
  assert.deepEqual(r.coverage.byEdition.legacy, { total: 2, covered: 1 });
});

test("a scenario that pairs counterpart entries of the two editions may run in both", () => {
  const text = `Feature: Counterparts
  @req:JL-001 @req:JL-002
  Rule: the two readings agree here
    Scenario: both editions
      Then it is so
`;
  const r = lint({ "c.feature": text }, [
    { id: "JL-001", editions: ["legacy"] },
    { id: "JL-002", editions: ["current"] },
  ]);
  assert.deepEqual(messages(r), []);
});

test("tags on Examples cover the entries of their rows only", () => {
  const text = `Feature: Outline
  Rule: one
    Scenario Outline: <n>
      Then it is <n>

      @req:JL-001
      Examples:
        | n |
        | 1 |

      @req:JL-002
      Examples:
        | n |
        | 2 |
`;
  const r = lint({ "o.feature": text }, [{ id: "JL-001" }, { id: "JL-002" }, { id: "JL-003" }]);
  assert.equal(r.coverage.covered, 2);
  hasProblem(r, "features/catalogue.yaml", 13, /JL-003 has no scenario/);
  assert.equal(r.problems.length, 1, messages(r).join("\n"));
});

test("a scenario without any @req tag is reported", () => {
  const r = lint({ "good.feature": GOOD.replace("  @req:JL-001\n", "") }, [{ id: "JL-001" }]);
  hasProblem(r, "features/good.feature", 3, /checks no catalogue entry/);
});

test("catalogue entries are validated: testable needs a boolean, testable: false needs a reason", () => {
  const r = lint({ "good.feature": GOOD }, [{ id: "JL-001" }, { id: "JL-002", testable: false, reason: null }]);
  hasProblem(r, "features/catalogue.yaml", 8, /JL-002: testable: false needs an untestable_reason/);
});

test("once the catalogue defines profiles, every entry names known ones", () => {
  const root = mkdtempSync(path.join(tmpdir(), "lint-spec-"));
  roots.push(root);
  const dir = path.join(root, "features");
  mkdirSync(dir);
  writeFileSync(path.join(dir, "good.feature"), GOOD.replace("@req:JL-001", "@req:JL-001 @req:JL-002 @req:JL-003 @reading:abortive-close"));
  const yaml = catalogueYaml([{ id: "JL-001" }, { id: "JL-002" }, { id: "JL-003" }])
    .replace("entries:", 'profiles:\n  ip-multicast: "nonrooted"\n  rooted: "rooted"\nentries:')
    .replace("  - id: JL-001\n", "  - id: JL-001\n    profiles: [ip-multicast, rooted]\n")
    .replace("  - id: JL-002\n", "  - id: JL-002\n    profiles: [broadcast]\n");
  writeFileSync(path.join(dir, "catalogue.yaml"), yaml);
  const r = lintSpec({ featuresDir: dir, cataloguePath: path.join(dir, "catalogue.yaml"), relativeTo: root });
  hasProblem(r, "features/catalogue.yaml", 12, /JL-002: profile "broadcast" is not defined under the catalogue's profiles/);
  hasProblem(r, "features/catalogue.yaml", 18, /JL-003: profiles must be a non-empty list of ip-multicast, rooted/);
  assert.equal(r.problems.length, 2, messages(r).join("\n"));
});

test("the real catalogue defines the profiles and gives every entry some", () => {
  const r = lintSpec({ featuresDir: path.join(PACKAGE_ROOT, "features"), cataloguePath: path.join(PACKAGE_ROOT, "features", "catalogue.yaml"), relativeTo: PACKAGE_ROOT });
  assert.deepEqual(messages(r), []);
  const { loadCatalogue } = require("../src/report/catalogue") as typeof import("../src/report/catalogue");
  const cat = loadCatalogue(path.join(PACKAGE_ROOT, "features", "catalogue.yaml"));
  assert.deepEqual(Object.keys(cat.profiles).sort(), ["ip-multicast", "rooted"]);
  for (const e of cat.entries) assert.ok(e.profiles?.length, e.id);
});
