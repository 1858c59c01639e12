// `joinleaf verify BUNDLE`: check a certification bundle against the current suite.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { UsageError } from "../usage-error";
import { ProductJson, verifyBundle } from "../report/certification";
import { describeRegression } from "../verdict";
import { loadSuiteAndCatalogue } from "../report/common";

export function define(cmd: Command): void {
  cmd.argument("[bundle]", "the bundle folder (reports/<run>/bundle or certify --out)").addHelpText("after", "\nexit: 0 verified, 1 verification failed, 2 usage error\n");
}

export async function run(_values: unknown, positionals: string[]): Promise<number> {
  if (positionals.length !== 1) throw new UsageError("verify needs exactly one bundle folder");
  const dir = positionals[0];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`no bundle folder at ${dir}`);
  const { catalogue, suite } = loadSuiteAndCatalogue();
  const checks = verifyBundle(dir, catalogue, suite);
  for (const c of checks) process.stdout.write(`${c.ok ? "ok  " : "FAIL"} ${c.what}${c.detail ? `: ${c.detail}` : ""}\n`);
  const failed = checks.filter((c) => !c.ok).length;
  const recorded = readProduct(dir);
  if (recorded) {
    process.stdout.write(`\nVERDICT: ${recorded.verdict}${recorded.profile ? ` (${recorded.profile} profile)` : ""}${failed ? " (as recorded; the checks above failed)" : ""}\n`);
    if (recorded.regression) process.stdout.write(`REGRESSION: ${describeRegression(recorded.regression)}\n`);
  }
  process.stdout.write(failed ? `\nbundle ${dir} FAILED verification (${failed} of ${checks.length} checks)\n` : `\nbundle ${dir} verified (${checks.length} checks)\n`);
  return failed ? 1 : 0;
}

function readProduct(dir: string): ProductJson | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, "product.json"), "utf8"));
  } catch {
    return undefined;
  }
}
