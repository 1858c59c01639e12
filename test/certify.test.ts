// Certification: the verdict rules (on the fixture run), and certify + verify end to end on the
// simulator, including bundles tampered with after the fact.
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { applyExpectations, parseExpectations } from "../src/expectations";
import { computeVerdict, ProductJson, requiredRules, verifyBundle } from "../src/report/certification";
import { loadCatalogue } from "../src/report/catalogue";
import { loadRuns } from "../src/report/runs";
import { loadSuite } from "../src/report/suite";
import { parseMessages, readRun } from "../src/results";
import { PACKAGE_ROOT } from "../src/package-root";
import { cliHere } from "./cli-here";

const ROOT = PACKAGE_ROOT;
const FIXTURES = path.join(PACKAGE_ROOT, "test", "fixtures");
const tmp = mkdtempSync(path.join(tmpdir(), "joinleaf-certify-"));
const RUN = `test-certify-${process.pid}`;
// The runs go to a reports folder of the test's own, never to the user's reports/.
const REPORTS = path.join(tmp, "reports");
after(() => rmSync(tmp, { recursive: true, force: true }));

// ------------------------------------------------------------------ verdict rules

const fixture = parseMessages(readFileSync(path.join(FIXTURES, "outcomes.ndjson"), "utf8"), { run: "fixture" });
const F = "features/outcomes.feature";
const allKnown = parseExpectations(
  `implementation: fixture
driver: fixture
entries:
  - { scenario: "${F}:It fails with another error", expected: FAIL, observed: WSAEINVAL }
  - { scenario: "${F}:It succeeds where an error was wanted", expected: FAIL }
  - { scenario: "${F}:The agent stops answering", expected: TIMEOUT }
  - { scenario: "${F}:The agent dies", expected: CRASH }
  - { scenario: "${F}:It fails on every attempt", expected: FAIL }
  - { scenario: "${F}:The call returns WSAENETUNREACH", expected: FAIL }
`,
  "all-known.yaml",
);

test("verdict: failures make a run NOT CONFORMANT, with the failing entries", () => {
  const v = computeVerdict(fixture.scenarios);
  assert.equal(v.verdict, "NOT CONFORMANT");
  assert.deepEqual(v.failingRules, ["JL-023", "JL-028", "JL-029", "JL-103", "JL-107"]);
  assert.match(v.reasons[0], /^failing results: 4 FAIL, 1 TIMEOUT, 1 CRASH$/);
});

test("verdict: expected failures of required entries stay NOT CONFORMANT; the regression verdict says the run matches", () => {
  const c = applyExpectations(fixture.scenarios, allKnown);
  const v = computeVerdict(c.results, { comparison: c });
  assert.equal(v.verdict, "NOT CONFORMANT");
  assert.equal(v.counts["EXPECTED FAIL"], 6);
  assert.deepEqual(v.unsupported, { 'driver "fixture" lacks network-down': 1 });
  assert.deepEqual(v.failingRules, ["JL-023", "JL-028", "JL-029", "JL-103", "JL-107", "JL-116"].filter((id) => c.results.some((r) => r.rules.includes(id) && r.status === "EXPECTED FAIL")));
  assert.match(v.reasons.join("\n"), /listed in the expectations, which does not make a required rule optional/);
  assert.equal(v.regression.matches, true);
  assert.deepEqual(v.regression.newFailures, []);
  const plain = computeVerdict(fixture.scenarios);
  assert.equal(plain.regression.matches, false);
  assert.equal(plain.regression.newFailures.length, 6);
});

test("verdict: all passing (or not testable) is CONFORMANT; gaps and cut-off runs are not", () => {
  const ok = fixture.scenarios.filter((s) => s.status === "PASS" || s.status === "NOT TESTABLE");
  assert.equal(computeVerdict(ok).verdict, "CONFORMANT");
  const partial = computeVerdict(ok, { required: ["JL-018", "JL-098"] });
  assert.equal(partial.verdict, "NOT CONFORMANT");
  assert.deepEqual(partial.missingRules, ["JL-098"]);
  assert.equal(computeVerdict(ok, { complete: false }).verdict, "NOT CONFORMANT");
  assert.equal(computeVerdict([]).verdict, "NOT CONFORMANT");
  const unsupported = fixture.scenarios.filter((s) => s.status === "UNSUPPORTED");
  assert.equal(computeVerdict(unsupported).verdict, "NOT CONFORMANT");
  assert.match(computeVerdict(unsupported).reasons.join("\n"), /no scenario was exercised/);
  const some = computeVerdict([...ok, ...unsupported], { required: ["JL-018", "JL-098"] });
  assert.equal(some.verdict, "CONFORMANT WITH DEVIATIONS");
  assert.deepEqual(some.unexercisedRules, ["JL-098"]);
  assert.match(some.reasons.join("\n"), /1 required entry was not exercised at all \(every scenario UNSUPPORTED or NOT TESTABLE\): JL-098/);
});

test("required entries: testable, in the edition, cited by a scenario that runs in it", () => {
  const catalogue = loadCatalogue(path.join(FIXTURES, "suite", "features", "catalogue.yaml"));
  const suite = loadSuite(path.join(FIXTURES, "suite"));
  assert.deepEqual(requiredRules(catalogue, suite, "current"), ["JL-018", "JL-019", "JL-023", "JL-028", "JL-029", "JL-098", "JL-103"]);
  assert.deepEqual(requiredRules(catalogue, suite, "legacy"), ["JL-018", "JL-019", "JL-028", "JL-098", "JL-103", "JL-107"]);
});

// ------------------------------------------------------------------ end to end

// In this process, as equivalence runs the suite twice in one (Cucumber loads once for every run
// here); the launcher itself is covered by the tests that spawn bin/joinleaf.js.
const cli = (...args: string[]) => cliHere(args, REPORTS);
const product = (dir: string): ProductJson => JSON.parse(readFileSync(path.join(dir, "product.json"), "utf8"));
// One whole certify run serves every test below but the --profile one: the simulator, with an
// expectations file that lists a scenario the reference passes as an expected failure (stale, as
// when a bug was fixed and its entry left behind). The --profile run has no expectations file.
// In the run folder, where certify puts it by default (the --profile run below gives --out).
const bundle = path.join(REPORTS, RUN, "bundle");
const stale = path.join(tmp, "stale.yaml");
/** A scenario the reference passes: the first testable one that runs in the current edition. */
const passing = loadSuite(ROOT).scenarios.find((s) => !s.untestable && s.editions.includes("current"))!;
let certified: ReturnType<typeof cli> | undefined;
function certifyOnce(): ReturnType<typeof cli> {
  if (!certified) {
    writeFileSync(stale, `implementation: Simulator with a stale expectation\ndriver: simulator\nentries:\n  - scenario: ${JSON.stringify(passing.key)}\n    expected: FAIL\n    note: fixed long ago\n`);
    certified = cli("certify", "--driver", "simulator", "--run", RUN, "--expectations", stale, "--quiet");
  }
  return certified;
}

test("certify runs the suite, prints a verdict and writes a complete bundle", async () => {
  const r = await certifyOnce();
  const p = product(bundle);
  assert.equal(r.status, p.verdict === "NOT CONFORMANT" ? 1 : 0, r.stderr + r.stdout);
  assert.match(r.stdout, new RegExp(`VERDICT: ${p.verdict}\\n`));
  assert.match(r.stdout, new RegExp(`  ${p.scenarios} scenarios: `));
  for (const f of ["product.json", "messages.ndjson", "junit.xml", "matrix.md", "matrix.json", "spec.md"]) assert.ok(existsSync(path.join(bundle, f)), f);
  assert.equal(p.format, "joinleaf-certification-bundle/2");
  assert.equal(p.driver, "simulator");
  assert.equal(p.edition, "current");
  assert.equal(p.run, RUN);
  assert.equal(JSON.parse(readFileSync(path.join(REPORTS, RUN, "run.json"), "utf8")).full, true, "run.json says the run was the whole suite");
  assert.ok(p.implementation.protocols.length > 0 && p.implementation.providers.length > 0);
  assert.equal(p.environment.node, process.version);
  assert.equal(p.suite.version, JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
  assert.match(p.suite.catalogue.sha256, /^[0-9a-f]{64}$/);
  assert.ok(Object.keys(p.suite.features).every((f) => f.startsWith("features/") && f.endsWith(".feature")));
  assert.match(p.suite.combined, /^[0-9a-f]{64}$/);
  assert.equal(p.scenarios, readRun(path.join(bundle, "messages.ndjson")).scenarios.length);
  assert.ok(p.timestamps.runStarted && p.timestamps.runFinished && p.timestamps.bundled);
  assert.deepEqual(p.missingRules, []);
  assert.ok(Array.isArray(p.unexercisedRules));
});

test("verify accepts the bundle as written", async () => {
  await certifyOnce();
  const v = await cli("verify", bundle);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /verified \(\d+ checks\)/);
  assert.ok(!/^FAIL/m.test(v.stdout));
});

/** Verifies an edited copy of the bundle in process (the CLI's exit code is checked once, below). */
async function tampered(name: string, edit: (dir: string) => void): Promise<{ status: number; stdout: string; dir: string }> {
  await certifyOnce();
  const dir = path.join(tmp, name);
  cpSync(bundle, dir, { recursive: true });
  edit(dir);
  const checks = verifyBundle(dir, loadCatalogue(path.join(ROOT, "features", "catalogue.yaml")), loadSuite(ROOT));
  const stdout = checks.map((c) => `${c.ok ? "ok  " : "FAIL"} ${c.what}${c.detail ? `: ${c.detail}` : ""}\n`).join("");
  return { status: checks.every((c) => c.ok) ? 0 : 1, stdout, dir };
}
const editJson = (f: string, edit: (j: any) => void) => { // eslint-disable-line @typescript-eslint/no-explicit-any
  const j = JSON.parse(readFileSync(f, "utf8"));
  edit(j);
  writeFileSync(f, JSON.stringify(j, null, 2));
};

test("verify rejects a bundle whose recorded counts were edited", async () => {
  const v = await tampered("counts", (d) => editJson(path.join(d, "product.json"), (p) => { p.counts.PASS -= 1; p.counts.FAIL += 1; }));
  assert.equal(v.status, 1, v.stdout);
  assert.match(v.stdout, /^FAIL recorded counts match the results: PASS: recorded \d+, found \d+; FAIL: recorded \d+, found \d+$/m);
  const c = await cli("verify", v.dir);
  assert.equal(c.status, 1, c.stdout + c.stderr);
  assert.ok(c.stdout.includes(v.stdout.split("\n").find((l) => l.startsWith("FAIL"))!));
  assert.match(c.stdout, /FAILED verification \(1 of \d+ checks\)/);
});

test("verify rejects a bundle whose messages were edited (a passed step made failed)", async () => {
  const v = await tampered("messages", (d) => {
    const f = path.join(d, "messages.ndjson");
    const lines = readFileSync(f, "utf8").split("\n");
    const i = lines.findIndex((l) => l.startsWith('{"testStepFinished"') && l.includes('"status":"PASSED"'));
    lines[i] = lines[i].replace('"status":"PASSED"', '"status":"FAILED"');
    writeFileSync(f, lines.join("\n"));
  });
  assert.equal(v.status, 1, v.stdout);
  assert.match(v.stdout, /^FAIL bundle files match their recorded sha256: messages\.ndjson changed since bundling/m);
  assert.match(v.stdout, /^FAIL recorded counts match the results/m);
});

test("verify rejects a bundle whose feature hash was edited", async () => {
  const v = await tampered("feature-hash", (d) => editJson(path.join(d, "product.json"), (p) => {
    const first = Object.keys(p.suite.features)[0];
    p.suite.features[first] = "0".repeat(64);
  }));
  assert.equal(v.status, 1, v.stdout);
  assert.match(v.stdout, /^FAIL suite hashes match the current suite .*: features\/[^ ]+\.feature differs/m);
  assert.match(v.stdout, /^FAIL the features in messages\.ndjson are the ones product\.json hashed/m);
});

test("verify rejects a bundle whose matrix column was edited, or that lacks a file", async () => {
  const m = await tampered("matrix", (d) => editJson(path.join(d, "matrix.json"), (j) => {
    const row = j.rows.find((r: { cells: Array<{ status: string | null }> }) => r.cells[0].status === "PASS");
    row.cells[0].status = "FAIL";
  }));
  assert.equal(m.status, 1, m.stdout);
  assert.match(m.stdout, /^FAIL matrix\.json agrees with the results: JL-\d+: recorded FAIL/m);
  const j = await tampered("no-junit", (d) => rmSync(path.join(d, "junit.xml")));
  assert.equal(j.status, 1);
  assert.match(j.stdout, /^FAIL required files present: missing: junit\.xml/m);
});

// That the bundle still verifies is the test "verify accepts the bundle as written" above.
test("certify with expectations: an expected failure that passes is a pass for conformance and a mismatch for the regression verdict", async () => {
  const r = await certifyOnce();
  // The reference passes every testable scenario: the stale entry does not cost it the verdict.
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /VERDICT: CONFORMANT\n/);
  assert.equal(readRun(path.join(bundle, "messages.ndjson")).scenarios.find((s) => s.key === passing.key)?.status, "PASS");
  assert.match(r.stdout, /REGRESSION: the run does NOT match its expectations: 1 unexpected pass/);
  assert.ok(r.stdout.includes(`UNEXPECTED PASS: ${passing.key}`));
  const p = product(bundle);
  assert.equal(p.regression.matches, false);
  assert.deepEqual(p.regression.unexpectedPasses, [passing.key]);
  assert.equal(p.expectations?.implementation, "Simulator with a stale expectation");
  assert.equal(readFileSync(path.join(bundle, "expectations.yaml"), "utf8"), readFileSync(stale, "utf8"));
  // The matrix of that run folder applies the bundle's expectations by itself.
  const [run] = loadRuns([path.join(REPORTS, RUN)]);
  assert.equal(run.results.find((s) => s.key === passing.key)?.status, "UNEXPECTED PASS");
});

test("certify --profile judges the entries of one profile; the bundle records it and verify recomputes with it", async () => {
  const out = path.join(tmp, "profile-bundle");
  const r = await cli("certify", "--driver", "simulator", "--profile", "ip-multicast", "--run", `${RUN}-p`, "--tags", "@req:JL-051 or @req:JL-094", "--out", out, "--quiet");
  const p = product(out);
  assert.equal(p.profile, "ip-multicast");
  assert.equal(p.expectations, null);
  assert.ok(!existsSync(path.join(out, "expectations.yaml")));
  const cat = loadCatalogue(path.join(ROOT, "features", "catalogue.yaml"));
  assert.ok(p.requiredRules.length > 0);
  assert.ok(p.requiredRules.every((id) => cat.byId.get(id)?.profiles?.includes("ip-multicast")), "only entries of the profile are required");
  assert.ok(!p.requiredRules.includes("JL-044"), "a rooted-only entry is not required of an ip-multicast provider");
  assert.match(r.stdout, new RegExp(`VERDICT: NOT CONFORMANT\n  driver simulator, current edition, ip-multicast profile`));
  assert.match(r.stdout, new RegExp(`\n  ${p.exercised.count} of ${p.requiredRules.length} required entries of the ip-multicast profile exercised`));
  const checks = verifyBundle(out, cat, loadSuite(ROOT));
  // A --tags run misses required entries (that check fails); the verdict and counts recompute the same.
  const failed = checks.filter((c) => !c.ok).map((c) => c.what);
  assert.deepEqual(failed, ["every required entry of the current edition has a result"]);
  assert.ok(checks.some((c) => c.ok && c.what === "recorded verdict matches the results"));
});

test("certify and verify usage errors exit 2 with one line", async () => {
  const wrongDriver = path.join(tmp, "wine.yaml");
  writeFileSync(wrongDriver, "implementation: Wine\ndriver: wine\nentries: []\n");
  const cases: Array<[string[], RegExp]> = [
    [["certify"], /needs --driver NAME/],
    [["certify", "--driver", "nope"], /unknown driver "nope"/],
    [["certify", "--driver", "simulator", "--edition", "old"], /unknown edition "old"/],
    [["certify", "--driver", "simulator", "--expectations", path.join(FIXTURES, "expectations", "bad-entry.yaml")], /bad-entry\.yaml: entry 1: no scenario/],
    [["certify", "--driver", "simulator", "--expectations", wrongDriver], /is for driver "wine", not "simulator"/],
    [["certify", "--driver", "simulator", "--profile", "atm"], /unknown profile "atm" \(the catalogue defines: ip-multicast, rooted\)/],
    [["verify"], /verify needs exactly one bundle folder/],
    [["verify", path.join(tmp, "absent")], /no bundle folder at/],
  ];
  // In this process, one after the other: each stops before the suite runs.
  for (const [args, re] of cases) {
    const r = await cliHere(args, REPORTS);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /^joinleaf: [^\n]+\n/);
    assert.match(r.stderr, re);
    assert.ok(!/\n\s+at /.test(r.stderr));
  }
});
