// Matrix, traceability and readable spec, on the fixture suite (test/fixtures/suite: a small
// catalogue and one feature) and its recorded run (test/fixtures/outcomes.ndjson).
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { loadCatalogue } from "../src/report/catalogue";
import { countsByArea } from "../src/report/chart";
import { buildMatrix, matrixJson, renderMatrixHtml, renderMatrixMarkdown } from "../src/report/matrix";
import { discoverRuns, loadRuns } from "../src/report/runs";
import { buildSpec, renderSpecHtml, renderSpecMarkdown } from "../src/report/spec";
import { describeDocument, loadSuite, parseFeature } from "../src/report/suite";
import { lintSpec } from "../src/lint-spec";
import { buildTrace, readVariantSummary, renderTraceHtml, renderTraceMarkdown } from "../src/report/trace";
import { PACKAGE_ROOT } from "../src/package-root";

const ROOT = PACKAGE_ROOT;
const FIXTURES = path.join(PACKAGE_ROOT, "test", "fixtures");
const SUITE = path.join(FIXTURES, "suite");
const catalogue = loadCatalogue(path.join(SUITE, "features", "catalogue.yaml"));
const suite = loadSuite(SUITE);

// Two runs: the recording as "plain", and again with expectations applied as "wine".
const tmp = mkdtempSync(path.join(tmpdir(), "joinleaf-report-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
for (const [name, edition] of [["plain", "current"], ["wine", "current"]]) {
  mkdirSync(path.join(tmp, name));
  cpSync(path.join(FIXTURES, "outcomes.ndjson"), path.join(tmp, name, "messages.ndjson"));
  writeFileSync(path.join(tmp, name, "run.json"), JSON.stringify({ run: name, driver: name === "wine" ? "wine" : "fixture", edition }));
}
const runs = loadRuns(discoverRuns(tmp), { expectations: { wine: path.join(FIXTURES, "expectations", "fixture.yaml") } });
const matrix = buildMatrix(runs, catalogue);
const row = (id: string) => matrix.rows.find((r) => r.entry.id === id)!;

test("runs are discovered by folder and expectations apply to the run they name", () => {
  assert.deepEqual(runs.map((r) => r.info.run), ["plain", "wine"]);
  assert.equal(runs[0].expectations, undefined);
  assert.equal(runs[1].expectations?.implementation, "Fixture implementation 1.0");
});

test("matrix: one row per catalogue entry, one cell per run, totals per run", () => {
  assert.equal(matrix.rows.length, catalogue.entries.length);
  assert.ok(matrix.rows.every((r) => r.cells.length === 2));
  assert.equal(matrix.runs[0].scenarios, 11);
  assert.equal(matrix.runs[0].totals.FAIL, 4);
  assert.equal(matrix.runs[1].totals["EXPECTED FAIL"], 3);
  assert.equal(matrix.runs[1].totals["UNEXPECTED PASS"], 2);
});

test("matrix cells: worst status with a count, observed and expected error, reasons", () => {
  const jl023 = row("JL-023").cells;
  assert.equal(jl023[0].text, "FAIL 2/2");
  assert.equal(jl023[0].detail, "observed WSAEINVAL, expected WSAEISCONN");
  assert.equal(jl023[1].text, "FAIL 1/2"); // one expected, one whose observed error differs
  assert.equal(row("JL-103").cells[0].text, "CRASH 1/2");
  assert.equal(row("JL-103").cells[1].text, "CRASH 1/2");
  assert.equal(row("JL-098").cells[0].text, "UNSUPPORTED");
  assert.equal(row("JL-098").cells[0].detail, 'driver "fixture" lacks network-down');
  assert.equal(row("JL-126").cells[0].text, "NOT TESTABLE");
  assert.equal(row("JL-018").cells[0].text, "PASS");
  assert.equal(row("JL-018").cells[1].text, "UNEXPECTED PASS");
  assert.equal(row("JL-028").cells[0].text, "FAIL 1/2");
  assert.equal(row("JL-107").cells[1].text, "UNEXPECTED PASS 1/2");
  assert.equal(row("JL-050").cells[0].text, "—");
  assert.equal(row("JL-050").cells[0].detail, "not run");
  assert.equal(row("JL-031").cells[0].detail, "not in the current edition");
});

test("matrix as Markdown and JSON", () => {
  const md = renderMatrixMarkdown(matrix);
  assert.match(md, /\| \*\*Totals: scenarios\*\* \| \| \| \*\*11\*\* \| \*\*11\*\* \|/);
  assert.match(md, /\| \[JL-023\]\(spec\.md#JL-023\) .* \| FAIL 2\/2 \(observed WSAEINVAL, expected WSAEISCONN\) \| FAIL 1\/2 /);
  const json = matrixJson(matrix) as { rows: Array<{ id: string; cells: Array<{ status: string | null; count: number; total: number }> }> };
  assert.deepEqual(json.rows.find((r) => r.id === "JL-103")!.cells[0], { ...json.rows.find((r) => r.id === "JL-103")!.cells[0], status: "CRASH", count: 1, total: 2 });
});

test("matrix HTML is one self-contained page, its chart library inlined", () => {
  const html = renderMatrixHtml(matrix, { charts: runs.map((r) => ({ run: r.info.run, data: countsByArea(r.results, catalogue) })) });
  assert.match(html, /<script>\/\*!\n \* Chart\.js v4/);
  assert.match(html, /^<!DOCTYPE html>/);
  assert.ok(!/(src|href)="(https?:)?\/\//.test(html), "no network references");
  assert.match(html, /<style>/);
  assert.match(html, /id="totals"/);
  assert.match(html, /href="spec\.html#JL-023"/);
});

test("trace: gaps first, each entry with its rules, scenarios and per-run results", () => {
  const t = buildTrace(catalogue, suite, runs);
  assert.deepEqual(
    t.entries.map((e) => e.group),
    [...t.entries.map((e) => e.group)].sort((a, b) => ["no-scenario", "no-passing-run", "passing", "not-testable"].indexOf(a) - ["no-scenario", "no-passing-run", "passing", "not-testable"].indexOf(b)),
  );
  const byId = (id: string) => t.entries.find((e) => e.entry.id === id)!;
  assert.equal(t.entries[0].group, "no-scenario");
  assert.deepEqual(t.entries.filter((e) => e.group === "no-scenario").map((e) => e.entry.id), ["JL-031", "JL-032", "JL-050"]);
  assert.equal(byId("JL-023").group, "no-passing-run");
  assert.equal(byId("JL-018").group, "passing");
  assert.deepEqual(byId("JL-018").passingRuns, ["plain"]);
  assert.equal(byId("JL-126").group, "not-testable");
  const jl023 = byId("JL-023");
  assert.equal(jl023.rules.length, 1);
  assert.equal(jl023.rules[0].name, "Failures name what was observed and what was wanted");
  assert.deepEqual(jl023.rules[0].scenarios.map((s) => s.results.map((r) => r?.status)), [["FAIL", "EXPECTED FAIL"], ["FAIL", "FAIL"]]);
  const md = renderTraceMarkdown(t);
  assert.ok(md.indexOf("## Testable entries with no scenario (3)") < md.indexOf("## Entries that pass in at least one run"));
  assert.match(md, /\*\*No scenario covers this entry\.\*\*/);
  assert.match(renderTraceHtml(t), /<h2 id="no-scenario">/);
});

test("spec: every entry has an anchor; scenarios in Gherkin; disagreements side by side", () => {
  const s = buildSpec(catalogue, suite);
  const html = renderSpecHtml(s);
  const md = renderSpecMarkdown(s);
  for (const e of catalogue.entries) {
    assert.ok(html.includes(`<section class="entry" id="${e.id}">`), e.id);
    assert.ok(md.includes(`<a id="${e.id}"></a>`), e.id);
  }
  assert.deepEqual(s.pairs.map(([l, r]) => [l.id, r.id]), [["JL-031", "JL-032"]]);
  assert.match(md, /\| \[JL-031\]\(#JL-031\) FD_CONNECT arrives; no socket named\. \| \[JL-032\]\(#JL-032\) FD_CONNECT arrives on s\. \|/);
  assert.match(md, /```gherkin\n@req:JL-023 @edition:current\nRule: Failures name what was observed and what was wanted\n\n {2}Scenario: It fails with another error\n {4}When the call fails with WSAEINVAL\n/);
  assert.match(md, /### JL-050 \(join\)[\s\S]*?_No scenario checks this entry yet\._/);
  assert.match(html, /<table class="sides">/);
  assert.match(html, /<span class="kw">Scenario Outline:<\/span> The call returns &lt;error&gt;/);
});

test("spec of the real suite: every catalogue entry and every scenario block appears", () => {
  const real = loadSuite();
  const cat = loadCatalogue();
  const s = buildSpec(cat, real);
  const md = renderSpecMarkdown(s);
  for (const e of cat.entries) assert.ok(md.includes(`<a id="${e.id}"></a>`), e.id);
  for (const b of real.blocks) assert.ok(md.includes(b.gherkin), `${b.uri}:${b.line}`);
  assert.deepEqual(s.unknownIds, [], "features cite IDs the catalogue lacks");
});

test("the readable spec and the lint read the same tags: Examples-level @req tags count (JL-026, JL-027)", () => {
  const real = loadSuite();
  const s = buildSpec(real.catalogue, real);
  const report = lintSpec({ featuresDir: path.join(ROOT, "features"), cataloguePath: path.join(ROOT, "features", "catalogue.yaml"), relativeTo: ROOT });
  // Every entry the lint counts as covered has a scenario in the spec, and no other entry has one.
  const covered = real.catalogue.entries.filter((e) => real.scenarios.some((sc) => sc.rules.includes(e.id))).map((e) => e.id);
  assert.equal(covered.length, report.coverage.covered);
  for (const id of covered) assert.ok(s.blocks.get(id)?.length, `${id}: the lint counts it as covered but the spec shows no scenario`);
  for (const id of ["JL-026", "JL-027"]) {
    assert.ok(s.blocks.get(id)?.length, id);
    assert.doesNotMatch(renderSpecHtml(s).split(`id="${id}"`)[1].split("</section>")[0], /No scenario checks this entry yet/, id);
  }
});

test("an outline whose Examples blocks carry their own @req tags: each pickle and its block cite them", () => {
  const doc = parseFeature(
    "features/x.feature",
    `Feature: X
  Rule: r
    Scenario Outline: o <n>
      Then it is <n>

      @req:JL-001
      Examples: one
        | n |
        | 1 |

      @req:JL-002 @edition:legacy
      Examples: two
        | n |
        | 2 |
`,
  );
  const { scenarios, blocks } = describeDocument(doc);
  assert.deepEqual(
    scenarios.map((x) => [x.name, x.rules, x.editions, x.line]),
    [
      ["o 1", ["JL-001"], [], 9],
      ["o 2", ["JL-002"], ["legacy"], 14],
    ],
  );
  assert.deepEqual(blocks[0].rules, ["JL-001", "JL-002"]);
  assert.match(blocks[0].gherkin, /^Rule: r\n\n {2}Scenario Outline: o <n>\n {4}Then it is <n>\n\n {4}@req:JL-001\n {4}Examples: one\n {6}\| n \|\n {6}\| 1 \|/);
});

test("runs get expectations/<driver>.yaml by default, as conformance does; 'none' turns that off", () => {
  const dir = path.join(FIXTURES, "expectations");
  const [plain, wine] = loadRuns(discoverRuns(tmp), { defaultExpectationsDir: dir });
  assert.equal(plain.info.driver, "fixture");
  assert.equal(plain.expectations?.file, path.join(dir, "fixture.yaml"));
  assert.match(plain.expectationsFrom ?? "", /the driver's default/);
  assert.equal(plain.results.find((r) => r.name === "It passes")?.status, "UNEXPECTED PASS");
  assert.equal(wine.expectations, undefined); // no wine.yaml there
  const [off] = loadRuns(discoverRuns(tmp), { defaultExpectationsDir: dir, expectations: { plain: "none" } });
  assert.equal(off.expectations, undefined);
  assert.equal(off.results.find((r) => r.name === "It passes")?.status, "PASS");
});

test("trace with the variant self-test: per entry the broken variants its scenarios catch, and the counts", () => {
  assert.equal(readVariantSummary(tmp), undefined, "no summary, no variants section");
  const variants = readVariantSummary(path.join(FIXTURES, "variants"))!;
  const t = buildTrace(catalogue, suite, runs, { variants });
  assert.deepEqual(t.variants!.conformant, { count: 2, withoutFail: 1, falseFails: ["abortive-close"] });
  // An explore-only variant that explore found counts as caught, and is no gap under the entries it breaks.
  assert.deepEqual(t.variants!.broken, { count: 3, caught: 2, notCaught: ["ealready-ignored"], byExplore: ["pending-after-failure"] });
  assert.deepEqual(t.variants!.byEntry.get("JL-036"), { catches: [], misses: [], explored: [{ id: "pending-after-failure", summary: "a failed nonblocking join leaves s joining" }] });
  assert.deepEqual(t.variants!.byEntry.get("JL-023")!.catches, [{ id: "no-isconn", summary: "a second join on a joined socket succeeds", editions: ["current"], declared: true }]);
  assert.deepEqual(t.variants!.byEntry.get("JL-103")!.misses, [{ id: "ealready-ignored", summary: "a join in progress does not give WSAEALREADY" }]);
  const md = renderTraceMarkdown(t);
  assert.match(md, /1 of 2 conformant variants with no FAIL \(falsely failed: abortive-close\); 2 of 3 broken variants caught, 1 of them only by explore \(pending-after-failure\) \(not caught: ealready-ignored\)/);
  assert.match(md, /### \[JL-023\][^\n]*\n\n> [^\n]*\n\nBroken variants caught here: no-isconn \(current\)/);
  assert.match(md, /### \[JL-103\][^\n]*\n\n> [^\n]*\n\nBroken variants caught here: \*\*none\*\*; declared broken but not caught here: ealready-ignored/);
  const html = renderTraceHtml(t);
  assert.match(html, /<section class="variants gap" id="variants">/);
  assert.match(html, /Broken variants caught here \(1\): <span class="badge" title="a second join on a joined socket succeeds">no-isconn/);
  // A broken summary file is one clear error, not a crash.
  const bad = mkdtempSync(path.join(tmpdir(), "joinleaf-variants-"));
  mkdirSync(path.join(bad, "variants"));
  writeFileSync(path.join(bad, "variants", "summary.json"), '{"variants": [{"id": "x"}]}');
  assert.throws(() => readVariantSummary(bad), /summary\.json: variant 1 needs an id, a kind/);
  rmSync(bad, { recursive: true, force: true });
});

test("matrix for one profile: only that profile's entries, and the profile is recorded", () => {
  const real = loadSuite(ROOT);
  const m = buildMatrix([], real.catalogue, { profile: "ip-multicast" });
  assert.equal(m.profile, "ip-multicast");
  assert.ok(m.rows.length > 0 && m.rows.length < real.catalogue.entries.length);
  assert.ok(m.rows.every((r) => r.entry.profiles?.includes("ip-multicast")));
  assert.ok(!m.rows.some((r) => r.entry.id === "JL-044"), "JL-044 (the c_root's new descriptor) is rooted only");
  assert.equal((matrixJson(m) as { profile: string }).profile, "ip-multicast");
});

test("chart data: scenarios per area and status, a scenario counted once per area it cites", () => {
  const data = countsByArea(runs[0].results, catalogue);
  assert.deepEqual(data.areas, [...new Set(catalogue.entries.map((e) => e.area))]);
  const total = Object.values(data.counts).reduce((a, row) => a + row!.reduce((x, y) => x + y, 0), 0);
  const expected = runs[0].results.reduce((a, r) => a + new Set(r.rules.map((id) => catalogue.byId.get(id)?.area).filter(Boolean)).size, 0);
  assert.equal(total, expected);
  assert.ok((data.counts.FAIL ?? []).some((n) => n > 0));
});
