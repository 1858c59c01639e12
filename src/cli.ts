// The `joinleaf` command line (commander). Exit codes: 0 success, 1 the run found failures (or a
// bundle is not conformant), 2 usage error; commands may document more.
import "./match-indices"; // before anything loads Cucumber
import { Command, CommanderError } from "commander";
import { COMMANDS } from "./commands/index";
import { UsageError } from "./usage-error";

function version(): string {
  // src/cli.ts and dist/src/cli.js both sit two folders below package.json's folder or one.
  for (const p of ["../package.json", "../../package.json"]) {
    try {
      const pkg = require(p) as { name?: string; version?: string };
      if (pkg.name === "joinleaf-conformance") return pkg.version ?? "unknown";
    } catch {
      // not there: try the next one
    }
  }
  return "unknown";
}

/**
 * The program. Only the command being run (or asked about) loads its module and declares its
 * options, so `joinleaf help` does not load the suite, Cucumber or the reports.
 */
function program(wanted: string | undefined, exit: { code: number }): Command {
  const prog = new Command("joinleaf")
    .description("conformance harness and executable specification for WSAJoinLeaf")
    .version(version(), "--version", "print the version and exit")
    .helpOption("-h, --help", "show help")
    .helpCommand("help [command]", "show help for a command")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined })
    .addHelpText("after", () => `\nrun "joinleaf <command> --help" for a command's options\n\ndrivers:\n${require("../drivers/index").describeDrivers()}\n`);
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const cmd = prog.command(name).description(entry.summary).helpOption("-h, --help", "show help for this command");
    if (name !== wanted) continue;
    const mod = entry.load();
    mod.define(cmd);
    cmd.action(async (...params: unknown[]) => {
      const self = params[params.length - 1] as Command;
      exit.code = await mod.run(self.opts(), self.args);
    });
  }
  return prog;
}

const ENVIRONMENT_ERRORS = new Set(["ENOENT", "EACCES", "EPERM", "EROFS", "ENOTDIR", "EISDIR", "EEXIST", "ENOTEMPTY", "ENOSPC", "EMFILE", "ENAMETOOLONG", "ELOOP", "EXDEV", "EADDRINUSE", "EADDRNOTAVAIL", "EAI_AGAIN", "ENOTFOUND"]);

/** One line for any usage mistake: commander's messages and our own UsageErrors alike. */
function usageLine(message: string): string {
  return `joinleaf: ${message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ")}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const wanted = argv[0] === "help" ? argv[1] : argv[0];
  const exit = { code: 0 };
  const prog = program(wanted, exit);
  if (argv.length === 0) {
    prog.outputHelp();
    return 2;
  }
  try {
    await prog.parseAsync(argv, { from: "user" });
    return exit.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version were printed already: commander asks for exit code 0 there.
      if (err.exitCode === 0) return 0;
      const where = wanted && COMMANDS[wanted] ? `joinleaf ${wanted} --help` : "joinleaf help";
      process.stderr.write(usageLine(`${err.message} (run "${where}" for the options)`));
      return 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(usageLine(err.message));
      return 2;
    }
    // A file that cannot be read or written, an address that cannot be listened on: the
    // environment, not a bug; one line, exit 2.
    const code = (err as NodeJS.ErrnoException).code;
    if (code && ENVIRONMENT_ERRORS.has(code)) {
      process.stderr.write(usageLine((err as Error).message));
      return 2;
    }
    throw err;
  }
}
