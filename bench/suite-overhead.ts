// What the suite costs above Cucumber's own floor, and what an agent adds (npm run bench:suite).
// Runs, side by side in one go, each in a fresh process: the full suite in process (simulator),
// the full suite through an agent (remote -> agent -> simulator), and a no-op run of the same
// features with the same formatters whose step definitions do nothing. Prints wall and CPU time
// of each and the ratios full / no-op and agent / in process. ROUNDS=N repeats and keeps the best.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfStale, fromDist } from "./compiled";

type Kind = "simulator" | "remote" | "noop";
const ROUNDS = Number(process.env.ROUNDS ?? 1);

/** In the child: runs one kind of suite and prints {wallMs, cpuMs} as its last line. */
async function child(kind: Kind, reports: string): Promise<void> {
  process.chdir(path.join(__dirname, ".."));
  process.env.JOINLEAF_REPORTS = reports;
  const started = Date.now();
  const cpu = process.cpuUsage();
  const { loadConfiguration, runCucumber } = await import("@cucumber/cucumber/api");
  // The compiled build, as `npx joinleaf` runs (main builds it first): from the TypeScript
  // sources, loading the steps would be counted against the suite and not against the no-op run.
  const { profile } = fromDist<typeof import("../src/profile")>("src/profile.js");
  const { featureFiles } = fromDist<typeof import("../src/conformance")>("src/conformance.ts");
  const { closeAllConnections } = fromDist<typeof import("../drivers/remote/remote-driver")>("drivers/remote/remote-driver.ts");
  const paths = featureFiles().readable;
  const provided =
    kind === "noop"
      ? { ...profile({ driver: "simulator", edition: "current", run: "noop", quiet: true, paths }), require: [noopSteps(reports)] }
      : profile({ driver: kind, edition: "current", run: kind, quiet: true, paths });
  const { runConfiguration } = await loadConfiguration({ provided, file: false });
  const { success } = await runCucumber(runConfiguration, { stdout: devNull() }).finally(closeAllConnections);
  const used = process.cpuUsage(cpu);
  process.stdout.write(`\n${JSON.stringify({ kind, success, wallMs: Date.now() - started, cpuMs: (used.user + used.system) / 1000 })}\n`);
}

/** A step definition matching every step and doing nothing: Cucumber's own cost for these features. */
function noopSteps(dir: string): string {
  const file = path.join(dir, "noop.steps.js");
  writeFileSync(file, `const { defineStep } = require(${JSON.stringify(require.resolve("@cucumber/cucumber"))});\ndefineStep(/^.*$/, function () {});\n`);
  return file;
}

function devNull(): import("node:stream").Writable {
  const { Writable } = require("node:stream") as typeof import("node:stream");
  return new Writable({ write: (_c, _e, done) => done() });
}

function measure(kind: Kind): { wallMs: number; cpuMs: number; success: boolean } {
  const reports = mkdtempSync(path.join(os.tmpdir(), "joinleaf-overhead-"));
  try {
    const r = spawnSync(process.execPath, ["--import", "tsx", __filename, "--child", kind, reports], {
      encoding: "utf8",
      cwd: path.join(__dirname, ".."),
      maxBuffer: 64 * 1024 * 1024,
    });
    const last = r.stdout.trim().split("\n").pop() ?? "";
    try {
      return JSON.parse(last);
    } catch {
      throw new Error(`the ${kind} run printed no figures (exit ${r.status}): ${r.stderr.slice(-2000)}`);
    }
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}

function main(): void {
  buildIfStale();
  const best: Record<Kind, { wallMs: number; cpuMs: number }> = {
    simulator: { wallMs: Infinity, cpuMs: Infinity },
    remote: { wallMs: Infinity, cpuMs: Infinity },
    noop: { wallMs: Infinity, cpuMs: Infinity },
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ["noop", "simulator", "remote"] as Kind[]) {
      const m = measure(kind);
      best[kind] = { wallMs: Math.min(best[kind].wallMs, m.wallMs), cpuMs: Math.min(best[kind].cpuMs, m.cpuMs) };
    }
  }
  const row = (label: string, m: { wallMs: number; cpuMs: number }) => console.log(`${label.padEnd(28)} wall ${(m.wallMs / 1000).toFixed(2)} s   CPU ${(m.cpuMs / 1000).toFixed(2)} s`);
  row("no-op (same features, formatters)", best.noop);
  row("full suite, in process", best.simulator);
  row("full suite, through an agent", best.remote);
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  console.log(`suite / no-op:        wall ${ratio(best.simulator.wallMs, best.noop.wallMs)}x   CPU ${ratio(best.simulator.cpuMs, best.noop.cpuMs)}x   (target at most 1.5)`);
  console.log(`agent / in process:   wall ${ratio(best.remote.wallMs, best.simulator.wallMs)}x   (target at most 1.5; CPU here is the harness's only, the agent is another process)`);
}

if (process.argv[2] === "--child") {
  child(process.argv[3] as Kind, process.argv[4]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main();
}
