// `joinleaf conformance`: run the suite against one driver.
import { parseArgs } from "node:util";
import { runConformance } from "../conformance";

export const summary = "run the feature suite against a driver and write reports/<run>/";
export const usage = `  --driver NAME        which implementation to test (default: simulator)
  --edition E          current (default) or legacy: which reading of the reference text
  --run NAME           report folder name (default: <driver>, or <driver>-legacy)
  --tags EXPR          only scenarios matching this Cucumber tag expression
  --quiet              print a summary instead of a progress line
  remote driver only:
  --agent CMD          command that starts an agent on stdio (default: a local agent hosting the simulator)
  --launch CMD         command that starts a TCP agent writing {host,port,token} to {readyFile}
  --connect HOST:PORT  an agent that is already listening (with --token)
  --token T            the agent's token
  --call-timeout MS    a call slower than this ends its scenario as TIMEOUT (default 30000)
  native and wine drivers:
  --provider P         the provider under test: protocol name, catalog entry id or provider GUID`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      driver: { type: "string", default: "simulator" },
      edition: { type: "string", default: "current" },
      run: { type: "string" },
      tags: { type: "string" },
      quiet: { type: "boolean", default: false },
      agent: { type: "string" },
      launch: { type: "string" },
      connect: { type: "string" },
      token: { type: "string" },
      "call-timeout": { type: "string" },
      provider: { type: "string" },
    },
    strict: true,
  });
  const passed = await runConformance({
    driver: values.driver as string,
    edition: values.edition as string,
    run: values.run,
    tags: values.tags,
    quiet: values.quiet,
    driverOptions: definedOnly({
      agent: values.agent,
      launch: values.launch,
      connect: values.connect,
      token: values.token,
      callTimeoutMs: values["call-timeout"],
      provider: values.provider,
    }),
  });
  return passed ? 0 : 1;
}

function definedOnly(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>;
}
