// `joinleaf expectations`: write an implementation's expectations file from one of its runs,
// so that every current deviation is recorded and a later run complains when one changes.
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import YAML from "js-yaml";
import { readRun, ScenarioResult } from "../results";
import { UsageError } from "../usage-error";
import { asUsage } from "../report/common";
import { existsSync } from "node:fs";

export function define(cmd: Command): void {
  cmd
    .option("--from <run>", "the run folder (reports/<run>) or its messages.ndjson (required)")
    .option("--implementation <text>", 'what was tested, e.g. "Wine 8.0 ws2_32" (required)')
    .option("--driver <name>", "the driver the file is for (default: the run's driver)")
    .option("--out <file>", "where to write (default: standard output); an existing file only with --force")
    .option("--force", "overwrite the --out file");
}

export async function run(values: { from?: string; implementation?: string; driver?: string; out?: string; force?: boolean }): Promise<number> {
  if (!values.from || !values.implementation) throw new UsageError("--from and --implementation are required");
  // A hand-annotated file is not overwritten by accident.
  if (values.out && existsSync(values.out) && !values.force) throw new UsageError(`${values.out} exists; give --force to overwrite it (its notes would be lost)`);
  const run = asUsage(() => readRun(values.from!));
  // --driver names the driver of a run that does not say; it never relabels one that does.
  if (values.driver && run.info.driver && values.driver !== run.info.driver) {
    throw new UsageError(`${values.from} is a run of driver "${run.info.driver}"; --driver cannot make it "${values.driver}"`);
  }
  const driver = values.driver ?? run.info.driver;
  if (!driver) throw new UsageError("the run does not say which driver it used: give --driver");
  const deviations = run.scenarios.filter((r) => r.status === "FAIL" || r.status === "TIMEOUT" || r.status === "CRASH");
  const text = render(values.implementation, driver, deviations);
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
  process.stderr.write(`${deviations.length} deviations recorded out of ${run.scenarios.length} scenarios\n`);
  return 0;
}

function render(implementation: string, driver: string, deviations: ScenarioResult[]): string {
  const entries = deviations.map((r) => ({
    scenario: r.key,
    expected: r.status,
    ...(r.observed ? { observed: r.observed } : {}),
    note: firstLine(r.message),
  }));
  const header =
    `# Known deviations of ${implementation} from the WSAJoinLeaf suite.\n` +
    `# Written by "joinleaf expectations" from a real run; a run passes exactly when its results\n` +
    `# match this file. A scenario listed here that starts passing is reported as UNEXPECTED PASS.\n`;
  return header + YAML.dump({ implementation, driver, entries }, { lineWidth: -1 });
}

function firstLine(message: string | undefined): string {
  const line = (message ?? "").split("\n").find((l) => l.trim()) ?? "";
  return line.trim().slice(0, 200);
}
