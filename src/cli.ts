// The `joinleaf` command line. Exit codes: 0 success, 1 the run found failures (or a bundle is
// not conformant), 2 usage error; commands may document more.
import { describeDrivers } from "../drivers/index";
import { COMMANDS } from "./commands/index";
import { UsageError } from "./usage-error";


function usage(): string {
  const commands = Object.entries(COMMANDS)
    .map(([name, load]) => {
      const c = load();
      return `  ${name.padEnd(12)} ${c.summary}\n${c.usage.replace(/^/gm, "    ")}`;
    })
    .join("\n");
  return `usage: joinleaf <command> [options]\n\ncommands:\n${commands}\n\ndrivers:\n${describeDrivers()}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  try {
    if (!load) throw new UsageError(`unknown command "${name}"`);
    return await load().run(rest);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (err instanceof UsageError || code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`joinleaf: ${(err as Error).message}\n\nrun "joinleaf help" for the commands and their options\n`);
      return 2;
    }
    throw err;
  }
}
