// `joinleaf conformance`: run the suite against one driver.
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { addDriverFlags, checkOptions, driverOptionsFrom, suiteRunner } from "../conformance-options";
import { applyExpectations, describeComparison } from "../expectations";
import { loadCheckedExpectations } from "../report/common";
import { readRun } from "../results";
import { writeJunit } from "../report/junit";
import path from "node:path";
import { packageFile } from "../package-root";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { defaultRunName } = require("../profile") as typeof import("../profile");

export function define(cmd: Command): void {
  cmd
    .option("--driver <name>", "which implementation to test", "simulator")
    .option("--edition <e>", "current or legacy: which reading of the reference text", "current")
    .option("--run <name>", "report folder name (default: <driver>, or <driver>-legacy)")
    .option("--tags <expr>", "only scenarios matching this Cucumber tag expression")
    .option("--expectations <file>", "known deviations (default: expectations/<driver>.yaml when it exists); the run then passes exactly when its results match the file")
    .option("--quiet", "print a summary instead of a progress line");
  addDriverFlags(cmd);
}

export interface Options {
  driver: string;
  edition: string;
  run?: string;
  tags?: string;
  expectations?: string;
  quiet?: boolean;
  [driverFlag: string]: unknown;
}

export async function run(values: Options): Promise<number> {
  const options = {
    driver: values.driver,
    edition: values.edition,
    // A variant's run gets a folder of its own, so it never stands in for the reference model's.
    run: values.run ?? (typeof values.variant === "string" ? defaultRunName(`simulator-${values.variant}`, values.edition, values.tags) : undefined),
    tags: values.tags,
    quiet: values.quiet ?? false,
    driverOptions: driverOptionsFrom(values),
  };
  const file = values.expectations ?? defaultExpectations(options.driver);
  // Read the file before the run, so a broken one is reported without running anything.
  checkOptions(options);
  const expectations = file ? loadCheckedExpectations(file, options.driver) : undefined;
  const passed = await suiteRunner().runConformance({ ...options, expectations: expectations?.file });
  const dir = suiteRunner().reportDir(options);
  const run = readRun(dir);
  if (!expectations) {
    writeJunit(path.join(dir, "junit.xml"), `joinleaf-${run.info.run}`, run.scenarios, run.info.startedAt);
    return passed ? 0 : 1;
  }

  const comparison = applyExpectations(run.scenarios, expectations);
  writeJunit(path.join(dir, "junit.xml"), `joinleaf-${run.info.run}`, comparison.results, run.info.startedAt);
  for (const line of describeComparison(comparison)) process.stdout.write(`${line}\n`);
  const matches = comparison.newFailures.length === 0 && comparison.unexpectedPasses.length === 0;
  process.stdout.write(
    `expectations ${file}: ${comparison.expectedFailures.length} expected failures, ` +
      `${comparison.newFailures.length} new failures, ${comparison.unexpectedPasses.length} unexpected passes: ` +
      `${matches ? "the results match" : "the results DO NOT match"}\n`,
  );
  return matches ? 0 : 1;
}

function defaultExpectations(driver: string): string | undefined {
  const file = packageFile("expectations", `${driver}.yaml`);
  return existsSync(file) ? file : undefined;
}
