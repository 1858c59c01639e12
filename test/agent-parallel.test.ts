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
const junitOrder = (dir: string) => [...readFileSync(path.join(dir, "junit.xml"), "utf8").matchAll(/<testcase [^>]*name="([^"]*)"/g)].map((m) => m[1]);

// Serial runs, the yardsticks: the whole suite, and the part a root starts (the
// parallel runs take it: some eighty scenarios, under half the cost of the whole).
const reports = mkdtempSync(path.join(os.tmpdir(), "joinleaf-parallel-"));
after(() => rmSync(reports, { recursive: true, force: true }));
const ROOT_STARTED = "@needs:root-initiated";
const serialRuns = new Map<string, string>();
async function serial(run: "whole" | "half-a"): Promise<string> {
  if (!serialRuns.has(run)) await conformance(reports, ["--driver", "simulator", "--run", run, ...(run === "half-a" ? ["--tags", ROOT_STARTED] : [])]);
  serialRuns.set(run, path.join(reports, run));
  return run;
}

test("--parallel 2 gives the serial run's results in the serial run's order, in process and through agents", { timeout: 600_000 }, async () => {
  const yardstick = path.join(reports, await serial("half-a"));
  await conformance(reports, ["--driver", "simulator", "--run", "parallel", "--parallel", "2", "--tags", ROOT_STARTED]);
  await conformance(reports, ["--driver", "remote", "--run", "remote-parallel", "--parallel", "2", "--tags", ROOT_STARTED]);
  const inOrder = order(yardstick);
  assert.ok(inOrder.length > 60, `${inOrder.length} scenarios`);
  assert.deepEqual(order(path.join(reports, "parallel")), inOrder);
  assert.deepEqual(order(path.join(reports, "remote-parallel")), inOrder);
  assert.deepEqual(junitOrder(path.join(reports, "parallel")), junitOrder(yardstick));
});

test("two tag-split halves, merged, give the same matrix column as one whole run; overlapping or missing halves are refused", { timeout: 600_000 }, async () => {
  const whole = await serial("whole");
  await serial("half-a");
  await conformance(reports, ["--driver", "simulator", "--run", "half-b", "--tags", `not ${ROOT_STARTED}`]);
  mergeRuns(path.join(reports, "merged"), [path.join(reports, "half-a"), path.join(reports, "half-b")]);
  const catalogue = loadCatalogue();
  const column = (run: string) => {
    const m = buildMatrix(loadRuns([path.join(reports, run)]), catalogue);
    return { cells: m.rows.map((r) => ({ id: r.entry.id, text: r.cells[0].text, scenarios: r.cells[0].scenarios })), totals: m.runs[0].totals, complete: m.runs[0].complete };
  };
  const wholeColumn = column(whole);
  assert.ok(wholeColumn.cells.some((c) => c.scenarios.length > 0));
  assert.deepEqual(column("merged"), wholeColumn);
  assert.deepEqual(order(path.join(reports, "merged")), order(path.join(reports, whole)));

  assert.throws(() => mergeRuns(path.join(reports, "bad"), [path.join(reports, "half-a"), path.join(reports, whole)]), MergeError);
  assert.throws(() => mergeRuns(path.join(reports, "bad"), [path.join(reports, "half-a"), path.join(reports, "half-a")]), /must not overlap/);
  // half-b alone leaves out every scenario half-a ran.
  assert.throws(() => mergeRuns(path.join(reports, "bad"), [path.join(reports, "half-b")]), /\d+ scenario\(s\) ran in no shard/);
});
