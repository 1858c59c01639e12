// What the suite costs above Cucumber's own floor, and what an agent adds (npm run bench:suite).
// Runs, side by side in one go, each in a fresh process: the full suite in process (simulator),
// the full suite through an agent (remote -> agent -> simulator), and a no-op run of the same
// features with the same formatters whose step definitions do nothing. Prints wall and CPU time
// of each (the best of ROUNDS=N rounds, 3 unless set) and the ratios full / no-op and agent / in
// process (the median of the rounds' own ratios), and how many requests the agent run made.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfStale } from "./compiled";
import { idleNote } from "./machine";

type Kind = "simulator" | "remote" | "noop";
type Figures = { wallMs: number; cpuMs: number; success: boolean; requests: number; waits: number };
const ROUNDS = Number(process.env.ROUNDS ?? 3);

function measure(kind: Kind): Figures {
  const reports = mkdtempSync(path.join(os.tmpdir(), "joinleaf-overhead-"));
  try {
    const r = spawnSync(process.execPath, [path.join(__dirname, "suite-overhead-child.js"), kind, reports], {
      encoding: "utf8",
      cwd: path.join(__dirname, ".."),
      maxBuffer: 64 * 1024 * 1024,
    });
    const last = r.stdout.trim().split("\n").pop() ?? "";
    let figures: Figures;
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

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main(): void {
  buildIfStale();
  const rounds: Array<Record<Kind, Figures>> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const one = {} as Record<Kind, Figures>;
    for (const kind of ["noop", "simulator", "remote"] as Kind[]) one[kind] = measure(kind);
    rounds.push(one);
  }
  const best = (kind: Kind, k: "wallMs" | "cpuMs") => Math.min(...rounds.map((r) => r[kind][k]));
  const row = (label: string, kind: Kind) => console.log(`${label.padEnd(34)} wall ${(best(kind, "wallMs") / 1000).toFixed(2)} s   CPU ${(best(kind, "cpuMs") / 1000).toFixed(2)} s   (best of ${ROUNDS})`);
  row("no-op (same features, formatters)", "noop");
  row("full suite, in process", "simulator");
  row("full suite, through an agent", "remote");
  // This machine's speed drifts by a quarter within minutes: a ratio is taken within each round,
  // whose three runs follow each other, and the rounds' median printed with their range.
  const ratio = (a: Kind, b: Kind, k: "wallMs" | "cpuMs") => {
    const each = rounds.map((r) => r[a][k] / r[b][k]);
    if (each.length === 1) return `${each[0].toFixed(2)}x`;
    return `${median(each).toFixed(2)}x (rounds ${Math.min(...each).toFixed(2)}-${Math.max(...each).toFixed(2)}; best against best ${(best(a, k) / best(b, k)).toFixed(2)}x)`;
  };
  console.log(`suite / no-op:        wall ${ratio("simulator", "noop", "wallMs")}   CPU ${ratio("simulator", "noop", "cpuMs")}   target at most 1.5`);
  console.log(`agent / in process:   wall ${ratio("remote", "simulator", "wallMs")}   target at most 1.5; CPU here is the harness's only, the agent is another process`);
  // Deterministic where the times are not: what each round trip saved shows here first.
  const { requests, waits } = rounds[0].remote;
  console.log(`through the agent: ${requests} requests, ${waits} of them sent with no other answer due (a wait each)`);
  const idle = idleNote();
  if (idle) console.log(idle);
}

main();
