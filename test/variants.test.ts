// The variant self-test: the list itself, the verdict, the in-process runner on two variants, the
// command's usage errors, and docs/variants.md kept in step with VARIANTS.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadCatalogue } from "../src/report/catalogue";
import { caughtBy, VARIANTS } from "../drivers/simulator/variants";
import { runVariants, SAMPLE, variantsTable, variantVerdict, writeSummary } from "../src/variants";
import { PACKAGE_ROOT } from "../src/package-root";
import { cliHere } from "./cli-here";

const ROOT = PACKAGE_ROOT;
// Usage errors stop before anything runs: asked in this process.
const joinleaf = (...args: string[]) => cliHere(args, mkdtempSync(path.join(tmpdir(), "variants-cli-")));

test("every variant has a unique id; broken ones name one defect and catalogue entries that exist", () => {
  const catalogue = new Set(loadCatalogue(path.join(ROOT, "features", "catalogue.yaml")).entries.map((e) => e.id));
  const ids = VARIANTS.map((v) => v.id);
  assert.equal(new Set(ids).size, ids.length);
  const broken = VARIANTS.filter((v) => v.kind === "broken");
  assert.ok(broken.length >= 40, `only ${broken.length} broken variants`);
  for (const v of broken) {
    assert.ok(v.defect, `${v.id} switches on no defect`);
    assert.ok(v.breaks && v.breaks.length > 0, `${v.id} names no entry`);
    for (const id of v.breaks) assert.ok(catalogue.has(id), `${v.id} breaks ${id}, which is not in the catalogue`);
  }
  assert.equal(new Set(broken.map((v) => v.defect)).size, broken.length, "two broken variants share a defect");
  for (const v of VARIANTS.filter((x) => x.kind === "conformant")) assert.equal(v.defect, undefined, `${v.id} is conformant yet has a defect`);
  for (const id of SAMPLE) assert.ok(ids.includes(id), `sample names unknown variant ${id}`);
  for (const v of VARIANTS.filter((x) => x.caughtBy)) assert.equal(v.kind, "broken", `${v.id} says what catches it, but only a broken variant is caught`);
  // Each explore-only variant costs an explore run on top of the suite's: npm test's sample takes one.
  assert.ok(SAMPLE.filter((id) => caughtBy(VARIANTS.find((v) => v.id === id)!) === "explore").length <= 1, "more than one explore-only variant in the sample");
});

const EXPLORE_ONLY = VARIANTS.filter((v) => v.kind === "broken" && caughtBy(v) === "explore");

// Whether each explore-only variant really escapes every scenario is judged by `joinleaf variants`
// (npm test's sample holds one of them, CI runs all): here, that the judgement is the right one.
test("the verdict: conformant clean, broken caught as it says; an explore-only variant a scenario catches is mislabelled", () => {
  const conformant = VARIANTS.find((v) => v.kind === "conformant")!;
  const bySuite = VARIANTS.find((v) => v.kind === "broken" && caughtBy(v) === "suite")!;
  assert.ok(EXPLORE_ONLY.length >= 2, `only ${EXPLORE_ONLY.length} explore-only variant(s)`);
  const [byExplore] = EXPLORE_ONLY;
  assert.equal(variantVerdict(conformant, false, undefined), "ok");
  assert.equal(variantVerdict(conformant, true, undefined), "false-fail");
  assert.equal(variantVerdict(bySuite, true, undefined), "ok");
  assert.equal(variantVerdict(bySuite, false, undefined), "not-caught");
  assert.equal(variantVerdict(byExplore, false, true), "ok");
  assert.equal(variantVerdict(byExplore, false, false), "not-caught");
  assert.equal(variantVerdict(byExplore, false, undefined), "not-caught", "no explore run, so nothing caught it");
  assert.equal(variantVerdict(byExplore, true, true), "mislabelled");
  assert.equal(variantVerdict(byExplore, true, false), "mislabelled");
});

test("the runner finds the reference clean and catches a callee buffer overrun, and the summary has the trace report's shape", async () => {
  const outcomes = await runVariants({ only: ["reference", "callee-overrun"], editions: ["current"] });
  const [reference, overrun] = outcomes;
  assert.equal(reference.id, "reference");
  assert.equal(reference.verdict, "ok");
  assert.equal(reference.editions.current?.failed.length, 0);
  assert.ok((reference.editions.current?.statuses.PASS ?? 0) > 0);
  assert.equal(overrun.verdict, "ok");
  const failed = overrun.editions.current?.failed ?? [];
  assert.ok(failed.length > 0, "the overrun was not caught");
  assert.ok(failed.some((f) => f.rules.includes("JL-110")), "caught, but not by the entry the bug breaks");
  assert.match(failed[0].scenario, /^features\/.+\.feature:.+/);

  const dir = mkdtempSync(path.join(tmpdir(), "variants-"));
  const file = writeSummary(outcomes, dir);
  assert.equal(file, path.join(dir, "variants", "summary.json"));
  const summary = JSON.parse(readFileSync(file, "utf8"));
  const v = summary.variants[1];
  assert.deepEqual(Object.keys(v).sort(), ["breaks", "caughtBy", "editions", "id", "kind", "suiteCaught", "summary", "verdict"]);
  assert.equal(v.caughtBy, "suite");
  assert.deepEqual(v.breaks, ["JL-110", "JL-068"]);
  assert.ok(typeof v.editions.current.statuses.FAIL === "number");
});

test("unknown variants and bad options are one-line usage errors naming the choices", async () => {
  const r = await joinleaf("variants", "--only", "reference,nope");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown variant "nope"; known variants: reference, /);
  assert.equal((await joinleaf("variants", "--kind", "odd")).status, 2);
  const c = await joinleaf("conformance", "--variant", "nope");
  assert.equal(c.status, 2);
  assert.match(c.stderr, /unknown variant "nope"; known variants: /);
  assert.equal((await joinleaf("conformance", "--driver", "remote", "--variant", "reference")).status, 2);
});

test("docs/variants.md lists exactly the variants VARIANTS declares", () => {
  const page = readFileSync(path.join(ROOT, "docs", "variants.md"), "utf8");
  const start = page.indexOf("<!-- variants:begin -->");
  const end = page.indexOf("<!-- variants:end -->");
  assert.ok(start >= 0 && end > start, "docs/variants.md lacks the variants:begin / variants:end markers");
  const table = page.slice(start + "<!-- variants:begin -->".length, end).trim();
  assert.equal(table, variantsTable(), "docs/variants.md is out of date: paste variantsTable() from src/variants.ts between the markers");
});
