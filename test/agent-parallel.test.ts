// Parallel and sharded runs: --parallel N gives the same reports as a serial run, for the
// simulator and through agents (one per worker); two tag-split halves merged by src/merge-runs.ts
// give the same matrix column as one whole run.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { loadCatalogue } from "../src/report/catalogue";
import { buildMatrix } from "../src/report/matrix";
import { loadRuns } from "../src/report/runs";
import { readRun } from "../src/results";
import { MergeError, mergeRuns } from "../src/merge-runs";
import { PACKAGE_ROOT } from "../src/package-root";
import { cliHere } from "./cli-here";

const BIN = path.join(PACKAGE_ROOT, "bin", "joinleaf.js");

/** A run as `joinleaf conformance` makes it: --parallel ones spawned (their workers are forked from the coordinator), serial ones in this process. */
async function conformance(reports: string, args: string[]): Promise<void> {
  const argv = ["conformance", "--quiet", ...args];
  const r = args.includes("--parallel")
    ? spawnSync(process.execPath, [BIN, ...argv], { encoding: "utf8", env: { ...process.env, JOINLEAF_REPORTS: reports }, timeout: 300_000 })
    : await cliHere(argv, reports);
  assert.ok(r.status === 0 || r.status === 1, `conformance ${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
}

const order = (dir: string) => readRun(dir).scenarios.map((s) => `${s.key} ${s.status}`);
// A test case as JUnit names it: its file and scenario (unique within a run).
const junitOrder = (dir: string) => [...readFileSync(path.join(dir, "junit.xml"), "utf8").matchAll(/<testcase classname="([^"]*)" name="([^"]*)"/g)].map((m) => `${m[1]} ${m[2]}`);

// The whole suite run serially is the yardstick of both tests. The parallel runs take the
// scenarios a leaf starts (some thirty, from eight feature files: enough for two workers to
// finish out of order, and most of a parallel run's cost is its three processes starting); the
// simulator's parallel run is also the first half of the tag split, the rest run serially its second.
const reports = mkdtempSync(path.join(os.tmpdir(), "joinleaf-parallel-"));
after(() => rmSync(reports, { recursive: true, force: true }));
const SPLIT = "@needs:leaf-initiated";
const RUNS = {
  whole: ["--driver", "simulator"],
  parallel: ["--driver", "simulator", "--parallel", "2", "--tags", SPLIT],
  "remote-parallel": ["--driver", "remote", "--parallel", "2", "--tags", SPLIT],
  "half-b": ["--driver", "simulator", "--tags", `not ${SPLIT}`],
};
const made = new Map<string, Promise<string>>();
function runOnce(run: keyof typeof RUNS): Promise<string> {
  if (!made.has(run)) made.set(run, conformance(reports, [...RUNS[run], "--run", run]).then(() => path.join(reports, run)));
  return made.get(run)!;
}

/** The whole run's scenarios of the split tag, in its order: what a run of only those must give. */
const splitPart = (whole: string) => readRun(whole).scenarios.filter((s) => s.tags.includes(SPLIT)).map((s) => `${s.key} ${s.status}`);

test("--parallel 2 gives the serial run's results in the serial run's order, in process and through agents", { timeout: 600_000 }, async () => {
  const whole = await runOnce("whole");
  const inOrder = splitPart(whole);
  assert.ok(inOrder.length > 20, `${inOrder.length} scenarios`);
  assert.deepEqual(order(await runOnce("parallel")), inOrder);
  assert.deepEqual(order(await runOnce("remote-parallel")), inOrder);
  const parallelJunit = junitOrder(path.join(reports, "parallel"));
  assert.equal(parallelJunit.length, inOrder.length);
  assert.deepEqual(parallelJunit, junitOrder(whole).filter((t) => parallelJunit.includes(t)));
});

test("two tag-split halves, merged, give the same matrix column as one whole run; overlapping or missing halves are refused", { timeout: 600_000 }, async () => {
  const whole = await runOnce("whole");
  const halfA = await runOnce("parallel");
  const halfB = await runOnce("half-b");
  mergeRuns(path.join(reports, "merged"), [halfA, halfB]);
  const catalogue = loadCatalogue();
  const column = (dir: string) => {
    const m = buildMatrix(loadRuns([dir]), catalogue);
    return { cells: m.rows.map((r) => ({ id: r.entry.id, text: r.cells[0].text, scenarios: r.cells[0].scenarios })), totals: m.runs[0].totals, complete: m.runs[0].complete };
  };
  const wholeColumn = column(whole);
  assert.ok(wholeColumn.cells.some((c) => c.scenarios.length > 0));
  assert.deepEqual(column(path.join(reports, "merged")), wholeColumn);
  assert.deepEqual(order(path.join(reports, "merged")), order(whole));

  assert.throws(() => mergeRuns(path.join(reports, "bad"), [halfA, whole]), MergeError);
  assert.throws(() => mergeRuns(path.join(reports, "bad"), [halfA, halfA]), /must not overlap/);
  // half-b alone leaves out every scenario the first half ran.
  assert.throws(() => mergeRuns(path.join(reports, "bad"), [halfB]), /\d+ scenario\(s\) ran in no shard/);
});
