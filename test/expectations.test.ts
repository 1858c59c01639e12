// src/expectations.ts: loading and checking expectation files, and applying them to results.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { applyExpectations, describeComparison, ExpectationsError, loadExpectations, parseExpectations } from "../src/expectations";
import { parseMessages } from "../src/results";
import { PACKAGE_ROOT } from "../src/package-root";

const FIXTURES = path.join(PACKAGE_ROOT, "test", "fixtures");
const run = parseMessages(readFileSync(path.join(FIXTURES, "outcomes.ndjson"), "utf8"), { run: "fixture" });
const exp = loadExpectations(path.join(FIXTURES, "expectations", "fixture.yaml"));
const cmp = applyExpectations(run.scenarios, exp);
const status = (name: string) => cmp.results.find((r) => r.name === name)?.status;

test("a valid file loads with its entries numbered from 1", () => {
  assert.equal(exp.implementation, "Fixture implementation 1.0");
  assert.equal(exp.driver, "fixture");
  assert.equal(exp.entries.length, 7);
  assert.deepEqual(exp.entries[0], {
    index: 1,
    scenario: "features/outcomes.feature:It fails with another error",
    expected: "FAIL",
    observed: "WSAEINVAL",
    note: "known: returns WSAEINVAL instead of WSAEISCONN",
  });
  assert.equal(exp.entries[2].rule, "JL-103");
});

test("a failure matching its entry (and observed error) is EXPECTED FAIL", () => {
  assert.equal(status("It fails with another error"), "EXPECTED FAIL");
  const r = cmp.results.find((x) => x.name === "It fails with another error")!;
  assert.deepEqual(r.expectation, { file: exp.file, entry: 1, expected: "FAIL", observed: "WSAEINVAL", note: "known: returns WSAEINVAL instead of WSAEISCONN" });
});

test("a failure with another observed error than the entry says stays FAIL, and says why", () => {
  assert.equal(status("It succeeds where an error was wanted"), "FAIL");
  const r = cmp.results.find((x) => x.name === "It succeeds where an error was wanted")!;
  assert.match(r.message ?? "", /^expected to fail with WSAEFAULT, but failed with success/);
  assert.ok(cmp.newFailures.includes(r));
});

test("a rule entry covers every scenario citing the entry; TIMEOUT matches TIMEOUT only", () => {
  assert.equal(status("The agent stops answering"), "EXPECTED FAIL");
  assert.equal(cmp.results.find((x) => x.name === "The agent stops answering")!.expectedStatus, "TIMEOUT");
  assert.equal(status("The agent dies"), "CRASH");
  assert.ok(cmp.mismatches.some((m) => m.result.name === "The agent dies" && m.why === "expected TIMEOUT, got CRASH"));
});

test("a scenario expected to fail that passes is UNEXPECTED PASS", () => {
  assert.equal(status("It passes"), "UNEXPECTED PASS");
  assert.deepEqual(cmp.unexpectedPasses.map((r) => r.name), ["It passes", "The call returns WSAECONNREFUSED"]);
});

test("expected UNSUPPORTED stays UNSUPPORTED; failures without an entry are new failures", () => {
  assert.equal(status("The driver cannot inject faults"), "UNSUPPORTED");
  assert.equal(cmp.results.find((x) => x.name === "The driver cannot inject faults")!.expectation?.entry, 5);
  assert.equal(status("It fails on every attempt"), "FAIL");
  assert.deepEqual(cmp.newFailures.map((r) => r.name).sort(), ["It fails on every attempt", "It succeeds where an error was wanted", "The agent dies"]);
  assert.equal(status("The call returns WSAENETUNREACH"), "EXPECTED FAIL");
});

test("entries that match nothing are reported; the input results are left alone", () => {
  assert.deepEqual(cmp.unusedEntries.map((e) => e.index), [7]);
  assert.equal(run.scenarios.find((r) => r.name === "It passes")!.status, "PASS");
  const lines = describeComparison(cmp);
  assert.ok(lines.some((l) => l.startsWith("UNEXPECTED PASS: features/outcomes.feature:It passes")));
  assert.ok(lines.some((l) => l.includes("entry 7") && l.includes("matched no scenario")));
});

test("no expectations: results unchanged, failures are new failures", () => {
  const c = applyExpectations(run.scenarios, undefined);
  assert.deepEqual(c.results.map((r) => r.status), run.scenarios.map((r) => r.status));
  assert.equal(c.newFailures.length, 6);
  assert.equal(c.unexpectedPasses.length, 0);
});

test("malformed files: clear errors with the file and the entry number", () => {
  const bad = path.join(FIXTURES, "expectations", "bad-entry.yaml");
  assert.throws(() => loadExpectations(bad), (e: Error) => e instanceof ExpectationsError && e.message === `${bad}: entry 2: "expected" must be one of FAIL, TIMEOUT, CRASH, UNSUPPORTED, not "BROKEN"`);
  assert.throws(() => loadExpectations("/nonexistent/x.yaml"), /cannot read expectations file \/nonexistent\/x\.yaml: no such file/);
  const cases: Array<[string, RegExp]> = [
    ["implementation: x\ndriver: d\nentries: [\n", /^f\.yaml: not valid YAML/],
    ["- a\n- b\n", /^f\.yaml: expected a mapping/],
    ["driver: d\nentries: []\n", /"implementation" must be a non-empty text/],
    ["implementation: x\nentries: []\n", /"driver" must be a driver name/],
    ["implementation: x\ndriver: d\nentries: {}\n", /"entries" must be a list/],
    ["implementation: x\ndriver: d\nentry: []\n", /unknown key "entry"/],
    ["implementation: x\ndriver: d\nentries:\n  - expected: FAIL\n", /entry 1: give exactly one of "scenario" or "rule"/],
    ["implementation: x\ndriver: d\nentries:\n  - rule: JL-1\n    expected: FAIL\n", /entry 1: "rule" must be a catalogue ID like JL-031/],
    ["implementation: x\ndriver: d\nentries:\n  - scenario: no colon\n    expected: FAIL\n", /entry 1: "scenario" must read "<feature uri>:<scenario name>"/],
    ["implementation: x\ndriver: d\nentries:\n  - rule: JL-001\n    expected: FAIL\n    expect: FAIL\n", /entry 1: unknown key "expect"/],
    ["implementation: x\ndriver: d\nentries:\n  - rule: JL-001\n    expected: TIMEOUT\n    observed: WSAEINVAL\n", /entry 1: "observed" only applies to expected: FAIL/],
    ["implementation: x\ndriver: d\nentries:\n  - rule: JL-001\n    expected: FAIL\n  - rule: JL-001\n    expected: CRASH\n", /entry 2: rule JL-001 is already listed by entry 1/],
  ];
  for (const [yaml, re] of cases) assert.throws(() => parseExpectations(yaml, "f.yaml"), (e: Error) => e instanceof ExpectationsError && re.test(e.message), yaml);
});

test("with the catalogue and the suite known, unknown entries and scenarios are errors", () => {
  const known = { rules: new Set(["JL-001"]), scenarios: new Set(["features/a.feature:Known"]) };
  assert.throws(() => parseExpectations("implementation: x\ndriver: d\nentries:\n  - rule: JL-999\n    expected: FAIL\n", "f.yaml", known), /entry 1: JL-999 is not in the catalogue/);
  assert.throws(() => parseExpectations('implementation: x\ndriver: d\nentries:\n  - scenario: "features/a.feature:Gone"\n    expected: FAIL\n', "f.yaml", known), /entry 1: no scenario "features\/a\.feature:Gone" in the suite/);
  assert.equal(parseExpectations("implementation: x\ndriver: d\n", "f.yaml").entries.length, 0);
});
