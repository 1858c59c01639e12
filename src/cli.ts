// The `joinleaf` command line. Exit codes: 0 success, 1 the suite found failures, 2 usage error.
import { parseArgs } from "node:util";
import { describeDrivers } from "../drivers/index";
import { runConformance, UsageError } from "./conformance";

const USAGE = `usage: joinleaf <command> [options]

commands:
  conformance   run the feature suite against a driver and write reports/<run>/
      --driver NAME        which implementation to test (default: simulator)
      --edition E          current (default) or legacy: which reading of the reference text
      --run NAME           report folder name (default: <driver>, or <driver>-legacy)
      --tags EXPR          only scenarios matching this Cucumber tag expression
      --quiet              print a summary instead of a progress line

drivers:
${describeDrivers()}
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "conformance":
        return await conformance(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`joinleaf: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

async function conformance(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      driver: { type: "string", default: "simulator" },
      edition: { type: "string", default: "current" },
      run: { type: "string" },
      tags: { type: "string" },
      quiet: { type: "boolean", default: false },
    },
    strict: true,
  });
  const passed = await runConformance({
    driver: values.driver as string,
    edition: values.edition as string,
    run: values.run,
    tags: values.tags,
    quiet: values.quiet,
  });
  return passed ? 0 : 1;
}
