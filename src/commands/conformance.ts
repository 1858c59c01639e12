// `joinleaf conformance`: run the suite against one driver.
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { checkOptions, DRIVER_FLAG_OPTIONS, PROVIDER_FLAGS_USAGE, driverOptionsFrom, reportDir, runConformance } from "../conformance";
import { applyExpectations, describeComparison } from "../expectations";
import { loadCheckedExpectations } from "../report/common";
import { readRun } from "../results";

export const summary = "run the feature suite against a driver and write reports/<run>/";
export const usage = `  --driver NAME        which implementation to test (default: simulator)
  --edition E          current (default) or legacy: which reading of the reference text
  --run NAME           report folder name (default: <driver>, or <driver>-legacy)
  --tags EXPR          only scenarios matching this Cucumber tag expression
  --expectations FILE  known deviations (default: expectations/<driver>.yaml when it exists);
                       the run then passes exactly when its results match the file
  --quiet              print a summary instead of a progress line
  remote driver only:
  --agent CMD          command that starts an agent on stdio (default: a local agent hosting the simulator)
  --launch CMD         command that starts a TCP agent writing {host,port,token} to {readyFile}
  --connect HOST:PORT  an agent that is already listening (with --token)
  --token T            the agent's token
  --call-timeout MS    a call slower than this ends its scenario as TIMEOUT (default 30000)
  --start-timeout MS   an agent slower than this to start ends the run's scenarios as TIMEOUT (default 60000)
  native and wine drivers:
${PROVIDER_FLAGS_USAGE}`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      driver: { type: "string", default: "simulator" },
      edition: { type: "string", default: "current" },
      run: { type: "string" },
      tags: { type: "string" },
      expectations: { type: "string" },
      quiet: { type: "boolean", default: false },
      ...DRIVER_FLAG_OPTIONS,
    },
    strict: true,
  });
  const options = {
    driver: values.driver as string,
    edition: values.edition as string,
    run: values.run,
    tags: values.tags,
    quiet: values.quiet,
    driverOptions: driverOptionsFrom(values),
  };
  const file = values.expectations ?? defaultExpectations(options.driver);
  // Read the file before the run, so a broken one is reported without running anything.
  checkOptions(options);
  const expectations = file ? loadCheckedExpectations(file, options.driver) : undefined;
  const passed = await runConformance(options);
  if (!expectations) return passed ? 0 : 1;

  const comparison = applyExpectations(readRun(reportDir(options)).scenarios, expectations);
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
  const file = `expectations/${driver}.yaml`;
  return existsSync(file) ? file : undefined;
}
