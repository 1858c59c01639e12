// `joinleaf conformance`: run the suite against one driver.
import { parseArgs } from "node:util";
import { runConformance } from "../conformance";

export const summary = "run the feature suite against a driver and write reports/<run>/";
export const usage = `  --driver NAME        which implementation to test (default: simulator)
  --edition E          current (default) or legacy: which reading of the reference text
  --run NAME           report folder name (default: <driver>, or <driver>-legacy)
  --tags EXPR          only scenarios matching this Cucumber tag expression
  --quiet              print a summary instead of a progress line`;

export async function run(args: string[]): Promise<number> {
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
