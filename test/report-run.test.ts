// What a real run writes (simulator, in a temporary reports folder), read back by the results
// model, and `joinleaf report` over it: with Java (Allure HTML) and without (a clear note, exit 0).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { after, before, test } from "node:test";
import { loadConfiguration, runCucumber } from "@cucumber/cucumber/api";
import { allureUpToDate, javaProblem, resultsHash, STAMP } from "../src/report/allure";
import { allureTitle } from "../src/commands/report";
import { loadSelectedRuns, loadSuiteAndCatalogue } from "../src/report/common";
import { cliHere } from "./cli-here";
import { loadCatalogue } from "../src/report/catalogue";
import { readRun, STATUSES } from "../src/results";
import { PACKAGE_ROOT } from "../src/package-root";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { profile } = require("../src/profile") as typeof import("../src/profile");

const ROOT = PACKAGE_ROOT;
const tmp = mkdtempSync(path.join(tmpdir(), "joinleaf-run-"));
const reports = path.join(tmp, "reports");
const runDir = path.join(reports, "sim");

// A slice of the suite is enough for what the reports do with a run, as long as it holds NOT
// TESTABLE scenarios, @needs tags and entries of every strength: some forty scenarios, a quarter
// of the whole suite's cost here and in the Allure build.
const TAGS = "@untestable or @needs:qos";

before(async () => {
  const { runConfiguration } = await loadConfiguration({ provided: profile({ driver: "simulator", edition: "current", run: "sim", quiet: true, reportsRoot: reports, tags: TAGS }), file: false }, { cwd: ROOT });
  const sink = new PassThrough();
  sink.resume();
  await runCucumber(runConfiguration, { cwd: ROOT, stdout: sink, stderr: sink });
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test("a run writes messages, Cucumber HTML, JUnit, run.json and Allure results", () => {
  for (const f of ["messages.ndjson", "report.html", "junit.xml", "run.json", "allure-results"]) assert.ok(existsSync(path.join(runDir, f)), f);
  const info = JSON.parse(readFileSync(path.join(runDir, "run.json"), "utf8"));
  assert.equal(info.run, "sim");
  assert.equal(info.driver, "simulator");
  assert.equal(info.edition, "current");
  assert.equal(typeof info.success, "boolean");
});

test("the results model reads every test case of the run, each with a status", () => {
  const run = readRun(runDir);
  const testCases = readFileSync(path.join(runDir, "messages.ndjson"), "utf8").split("\n").filter((l) => l.startsWith('{"testCase":')).length;
  assert.ok(testCases > 0);
  assert.equal(run.scenarios.length, testCases);
  assert.equal(run.info.run, "sim");
  assert.equal(run.info.edition, "current");
  assert.equal(run.info.complete, true);
  for (const s of run.scenarios) assert.ok(STATUSES.includes(s.status), `${s.key}: ${s.status}`);
  assert.ok(run.scenarios.filter((s) => s.rules.length).length > run.scenarios.length / 2, "most scenarios cite catalogue entries");
});

test("Allure results: epic = feature file, story = entry IDs, edition and needs tags, links named by entry", () => {
  const dir = path.join(runDir, "allure-results");
  const results = readdirSync(dir).filter((f) => f.endsWith("-result.json")).map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")));
  assert.equal(results.length, readRun(runDir).scenarios.length);
  const cited = results.filter((r) => r.labels.some((l: { name: string }) => l.name === "story"));
  assert.ok(cited.length > 0);
  for (const r of cited) {
    const labels = (name: string) => r.labels.filter((l: { name: string }) => l.name === name).map((l: { value: string }) => l.value);
    const stories: string[] = labels("story");
    assert.equal(labels("epic").length, 1);
    assert.match(labels("epic")[0], /^[a-z0-9-]+$/);
    assert.ok(labels("tag").includes("edition:current"), r.name);
    assert.ok(!labels("tag").some((t: string) => t.startsWith("req:")));
    assert.deepEqual(r.links.map((l: { name: string }) => l.name), stories);
    for (const l of r.links) assert.equal(l.url, `../../spec.html#${l.name}`);
  }
  assert.ok(results.some((r) => r.labels.some((l: { name: string; value: string }) => l.name === "tag" && l.value.startsWith("needs:"))));
  const env = readFileSync(path.join(dir, "environment.properties"), "utf8");
  assert.match(env, /driver=simulator/);
});

test("Allure results: severity from the entries' strength, NOT TESTABLE skipped with its reason, failures are product defects", () => {
  const dir = path.join(runDir, "allure-results");
  const results = readdirSync(dir).filter((f) => f.endsWith("-result.json")).map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")));
  const catalogue = loadCatalogue(path.join(ROOT, "features", "catalogue.yaml"));
  const want: Record<string, string> = { must: "critical", should: "normal", may: "minor", advice: "trivial" };
  const order = ["critical", "normal", "minor", "trivial"];
  const seen = new Set<string>();
  for (const r of results) {
    const stories = r.labels.filter((l: { name: string }) => l.name === "story").map((l: { value: string }) => l.value);
    const severity = r.labels.filter((l: { name: string }) => l.name === "severity").map((l: { value: string }) => l.value);
    if (!stories.length) continue;
    const strongest = order.find((o) => stories.some((id: string) => want[catalogue.byId.get(id)!.strength] === o));
    assert.deepEqual(severity, [strongest], r.name);
    seen.add(strongest!);
  }
  assert.deepEqual([...seen].sort(), [...order].sort(), "the run's entries have every strength");
  const nt = readRun(runDir).scenarios.filter((s) => s.status === "NOT TESTABLE");
  assert.ok(nt.length > 0);
  for (const s of nt) {
    const r = results.find((x) => x.name === s.name)!;
    assert.equal(r.status, "skipped");
    assert.match(r.statusDetails.message, /^NOT TESTABLE: /);
  }
  const categories = JSON.parse(readFileSync(path.join(dir, "categories.json"), "utf8")) as Array<{ name: string; matchedStatuses: string[] }>;
  assert.deepEqual(categories.filter((c) => c.matchedStatuses.includes("failed")).map((c) => c.name), [
    "Implementation timed out (product defect)",
    "Implementation crashed (product defect)",
    "Failed conformance checks (product defects)",
  ]);
});

/** `joinleaf ARGS` in this process; the case without Java spawns bin/joinleaf.js with a PATH of its own. */
const here = (args: string[]) => cliHere(args, reports);

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [path.join(ROOT, "bin", "joinleaf.js"), ...args], { cwd: ROOT, encoding: "utf8", env, timeout: 300_000 });
}

// One Allure build (about 3 s of Java): the run is first made to look built, so a plain report
// keeps it and only --rebuild-allure builds it; after that build a plain report keeps it again.
test("joinleaf report builds matrix, trace, spec, index and the run's Allure report; an unchanged one is kept unless --rebuild-allure", async (t) => {
  const out = path.join(tmp, "out-java");
  const { catalogue, suite } = loadSuiteAndCatalogue();
  const [run] = loadSelectedRuns([], { reports }, catalogue);
  const title = allureTitle(run, suite);
  assert.equal(allureUpToDate(runDir, title), false, "a fresh run has no Allure report yet");
  // As if built from these very results: the stamp, and a page that is not Allure's.
  mkdirSync(path.join(runDir, "allure-report"));
  writeFileSync(path.join(runDir, "allure-report", "index.html"), "<p>placeholder</p>");
  writeFileSync(path.join(runDir, "allure-report", STAMP), resultsHash(path.join(runDir, "allure-results"), title) + "\n");
  const r = await here(["report", "--reports", reports, "--out", out]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  for (const f of ["matrix.html", "matrix.md", "trace.html", "trace.md", "spec.html", "spec.md", "index.html"]) assert.ok(existsSync(path.join(out, f)), f);
  assert.match(readFileSync(path.join(out, "matrix.md"), "utf8"), /\| Entry \| Editions \| Profiles \| sim \|/);
  if (javaProblem()) return t.skip(`no Java here: ${javaProblem()}`);
  assert.match(r.stdout, /Allure: 0 of 1 report\(s\) to build \(1 unchanged since their run\)/);
  assert.doesNotMatch(r.stdout, /built in/);
  assert.equal(readFileSync(path.join(runDir, "allure-report", "index.html"), "utf8"), "<p>placeholder</p>");

  const forced = await here(["report", "--reports", reports, "--out", out, "--rebuild-allure"]);
  assert.equal(forced.status, 0, forced.stderr + forced.stdout);
  assert.match(forced.stdout, /Allure: 1 of 1 report\(s\) to build[^\n]*\n {2}\[1\/1\] sim: built in [\d.]+ s\n/);
  assert.match(readFileSync(path.join(out, "index.html"), "utf8"), /href="[^"]*sim\/allure-report\/index\.html">Allure</);
  // Its name carries the suite's verdict and counts (Allure's own rate leaves skipped results out).
  assert.match(readFileSync(path.join(runDir, "allure-report", "index.html"), "utf8"), /WSAJoinLeaf conformance: sim — [A-Z ]+ \(\d+ PASS/);
  // The stamp the build wrote matches: nothing changed, so the report is kept.
  const again = await here(["report", "--reports", reports, "--out", out]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /Allure: 0 of 1 report\(s\) to build \(1 unchanged since their run\)/);
});

test("without Java, report says how to install it and still writes everything else (exit 0)", () => {
  const out = path.join(tmp, "out-nojava");
  // A PATH with node and nothing else: no java to find.
  const bin = path.join(tmp, "bin-without-java");
  require("node:fs").mkdirSync(bin);
  require("node:fs").symlinkSync(process.execPath, path.join(bin, "node"));
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: bin };
  delete env.JAVA_HOME;
  const r = cli(["report", "--reports", reports, "--out", out], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Allure reports skipped: no Java found/);
  assert.match(r.stdout, /apt-get install -y default-jre-headless/);
  for (const f of ["matrix.html", "trace.html", "spec.html", "index.html"]) assert.ok(existsSync(path.join(out, f)), f);
});

test("bad input: unknown option, missing run, broken ndjson line — one line, exit 2", async () => {
  const broken = path.join(tmp, "broken");
  require("node:fs").mkdirSync(broken);
  require("node:fs").writeFileSync(path.join(broken, "messages.ndjson"), readFileSync(path.join(runDir, "messages.ndjson"), "utf8").slice(0, 2000));
  for (const [args, re] of [
    [["report", "--frobnicate"], /^joinleaf: unknown option '--frobnicate'/],
    [["matrix", path.join(tmp, "no-such-run")], /^joinleaf: no run at .*no-such-run: no such file or folder/],
    [["trace", broken], /^joinleaf: .*broken\/messages\.ndjson:\d+: not a JSON message/],
    [["report", "--reports", path.join(tmp, "nowhere")], /^joinleaf: no reports folder at/],
  ] as Array<[string[], RegExp]>) {
    const r = await here(args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.ok(!/\n\s+at /.test(r.stderr), "no stack trace");
  }
});
