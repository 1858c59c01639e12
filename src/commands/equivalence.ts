// `joinleaf equivalence`: the suite through remote -> agent -> simulator must give every scenario
// the same result as the in-process simulator. A difference is a bug in the protocol path.
import path from "node:path";
import type { Command } from "commander";
import { reportDir, runConformance } from "../conformance";
import { checkEdition } from "../conformance-options";
import { readRun, ScenarioResult } from "../results";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { defaultRunName } = require("../profile") as typeof import("../profile");

export function define(cmd: Command): void {
  cmd
    .option("--edition <e>", "current or legacy", "current")
    .option("--quiet", "print a summary instead of a progress line")
    .addHelpText(
      "after",
      `
runs the suite in process (reports/equivalence-simulator[-legacy]/) and through an agent
(reports/equivalence-remote[-legacy]/), both afresh; each keeps only what is compared, its
messages.ndjson and run.json (joinleaf conformance writes every report)
exit: 0 the in-process run passed and every scenario has the same result both ways, 1 otherwise
`,
    );
}

export async function run(values: { edition: string; quiet?: boolean }): Promise<number> {
  const edition = checkEdition(values.edition);
  // Both runs afresh, in folders of their own: an older or partial run never stands in.
  const reference = defaultRunName("equivalence-simulator", edition);
  const passed = await runConformance({ driver: "simulator", edition, run: reference, quiet: values.quiet, resultsOnly: true });
  const remote = defaultRunName("equivalence-remote", edition);
  await runConformance({ driver: "remote", edition, run: remote, quiet: values.quiet, resultsOnly: true });

  const local = readRun(reportDir({ driver: "simulator", edition, run: reference })).scenarios;
  const differences = compare(local, readRun(reportDir({ driver: "remote", edition, run: remote })).scenarios);
  for (const d of differences) process.stdout.write(`DIFFERENT ${d}\n`);
  const count = local.length;
  process.stdout.write(
    differences.length === 0
      ? `equivalence (${edition}): all ${count} scenarios have the same result in process and through the agent\n`
      : `equivalence (${edition}): ${differences.length} of ${count} scenarios differ\n`,
  );
  if (!passed) process.stdout.write(`equivalence (${edition}): the in-process run itself has failures (reports/${reference}/)\n`);
  return passed && differences.length === 0 ? 0 : 1;
}

/** Scenario by scenario: same status, same observed error. */
export function compare(local: ScenarioResult[], remote: ScenarioResult[]): string[] {
  const out: string[] = [];
  const byKey = (rs: ScenarioResult[]) => new Map(rs.map((r) => [`${r.key}:${r.line}`, r]));
  const a = byKey(local);
  const b = byKey(remote);
  for (const [key, r] of a) {
    const other = b.get(key);
    if (!other) out.push(`${key}: ran in process only`);
    else if (other.status !== r.status || other.observed !== r.observed) {
      out.push(`${key}: in process ${r.status}${r.observed ? ` (${r.observed})` : ""}, through the agent ${other.status}${other.observed ? ` (${other.observed})` : ""}`);
    }
  }
  for (const key of b.keys()) if (!a.has(key)) out.push(`${key}: ran through the agent only`);
  return out;
}
