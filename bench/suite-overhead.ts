// What the suite costs above Cucumber's own floor, and what an agent adds (npm run bench:suite).
// Runs, side by side in one go, each in a fresh process: the full suite in process (simulator),
// the full suite through an agent (remote -> agent -> simulator), and a no-op run of the same
// features with the same formatters whose step definitions do nothing. Prints wall and CPU time
// of each and the ratios full / no-op and agent / in process. ROUNDS=N repeats and keeps the best.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfStale } from "./compiled";
import { idleNote } from "./machine";

type Kind = "simulator" | "remote" | "noop";
const ROUNDS = Number(process.env.ROUNDS ?? 1);

function measure(kind: Kind): { wallMs: number; cpuMs: number; success: boolean } {
  const reports = mkdtempSync(path.join(os.tmpdir(), "joinleaf-overhead-"));
  try {
    const r = spawnSync(process.execPath, [path.join(__dirname, "suite-overhead-child.js"), kind, reports], {
      encoding: "utf8",
      cwd: path.join(__dirname, ".."),
      maxBuffer: 64 * 1024 * 1024,
    });
    const last = r.stdout.trim().split("\n").pop() ?? "";
    let figures: { wallMs: number; cpuMs: number; success: boolean };
    try {
      figures = JSON.parse(last);
    } catch {
      throw new Error(`the ${kind} run printed no figures (exit ${r.status}): ${r.stderr.slice(-2000)}`);
    }
    // A run with a failing step does less than a passing one (the rest of its scenario is skipped):
    // its time is no figure for what it was meant to measure.
    if (!figures.success) throw new Error(`the ${kind} run did not pass, so its time measures something else: ${r.stdout.slice(-2000)}`);
    return figures;
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
  const idle = idleNote();
  if (idle) console.log(idle);
}

main();
