// What a run of the suite is asked for (driver, edition, run name, tags, driver flags) and the
// checks on it: the commands that only take driver flags (agent) need this without Cucumber.
import path from "node:path";
import parseTagExpression from "@cucumber/tag-expressions";
import { type Command, Option } from "commander";
import { AGENT_ONLY_DRIVERS, knownDrivers } from "../drivers/index";
import { parseTraits } from "../drivers/native/native-driver";
import { wineLaneStatus } from "../drivers/native/wine";
import { findVariant, unknownVariantMessage } from "../drivers/simulator/variants";
import { UsageError } from "./usage-error";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { EDITIONS } = require("./profile") as typeof import("./profile");

export interface ConformanceOptions {
  driver: string;
  edition: string;
  run?: string;
  tags?: string;
  quiet?: boolean;
  driverOptions?: Record<string, string>;
  /** The expectations file the run is judged by (the console summary applies it). */
  expectations?: string;
  /** Only messages.ndjson and run.json: a run that is only compared with another (equivalence). */
  resultsOnly?: boolean;
}

/**
 * Every command-line flag that becomes a driver option, in one table: conformance and certify
 * take them all, agent takes the provider ones. Adding a driver flag is adding a line here.
 * `for` lists the drivers the flag means something to (any other driver refuses it).
 */
export const DRIVER_FLAG_OPTIONS: readonly DriverFlag[] = [
  { flags: "--agent <cmd>", key: "agent", for: ["remote"], help: "command that starts an agent on stdio (default: a local agent hosting the simulator)" },
  { flags: "--launch <cmd>", key: "launch", for: ["remote"], help: "command that starts a TCP agent writing {host,port,token} to {readyFile}" },
  { flags: "--connect <host:port>", key: "connect", for: ["remote"], help: "an agent that is already listening (with --token)" },
  { flags: "--token <token>", key: "token", for: ["remote"], help: "the agent's token" },
  { flags: "--call-timeout <ms>", key: "callTimeoutMs", for: ["remote", "native", "wine"], check: wholeMs, help: "a call slower than this ends its scenario as TIMEOUT (default 30000)" },
  { flags: "--start-timeout <ms>", key: "startTimeoutMs", for: ["remote", "native", "wine"], check: wholeMs, help: "an agent slower than this to start ends the run's scenarios as TIMEOUT (default 60000)" },
  { flags: "--provider <p>", key: "provider", for: ["native", "wine"], help: "the provider under test: protocol name, catalog entry id or provider GUID" },
  { flags: "--provider-traits <json>", key: "providerTraits", for: ["native", "wine"], check: traits, help: 'what WSAPROTOCOL_INFO cannot tell, as JSON: {"maxConnectData":64,"rootInitiatedJoins":true,...}' },
  { flags: "--variant <id>", key: "variant", for: ["simulator"], check: (v) => (findVariant(v) ? undefined : unknownVariantMessage(v)), help: "a named simulator variant (joinleaf variants lists them); reports/simulator-<id>[-legacy]/" },
  { flags: "--wine <path>", key: "wine", for: ["wine"], help: "the Wine loader to run under, e.g. a Wine build of your own (also JOINLEAF_WINE or WINELOADER); it gets a prefix of its own: npm run setup:wine -- --wine PATH" },
  { flags: "--parallel <n>", key: "parallel", for: ["simulator", "remote", "native", "wine"], check: (v, flag) => (/^[1-9]\d*$/.test(v) ? undefined : `${flag} wants a number of worker processes, not "${v}"`), help: "run the scenarios in N worker processes (one agent each); the reports are a serial run's" },
];

export interface DriverFlag {
  /** commander's flags: "--name <value>" */
  flags: string;
  /** the key in the driver's options */
  key: string;
  /** the drivers that take it */
  for: readonly string[];
  help: string;
  /** what is wrong with a value, if anything */
  check?: (value: string, flag: string) => string | undefined;
}

function wholeMs(v: string, flag: string): string | undefined {
  return /^[1-9]\d*$/.test(v) ? undefined : `${flag} wants a whole number of milliseconds, not "${v}"`;
}

function traits(v: string): string | undefined {
  try {
    parseTraits(v);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const flagName = (f: DriverFlag) => f.flags.split(" ")[0];

/** Declares the driver flags on a command (all of them, or those named), grouped by driver in its help. */
export function addDriverFlags(cmd: Command, only?: readonly string[]): Command {
  for (const f of DRIVER_FLAG_OPTIONS) {
    if (only && !only.includes(flagName(f))) continue;
    cmd.addOption(new Option(f.flags, f.help).helpGroup(`${f.for.join(", ")} driver${f.for.length > 1 ? "s" : ""}:`));
  }
  return cmd;
}

/** The driver options given on the command line (commander's option values). */
export function driverOptionsFrom(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of DRIVER_FLAG_OPTIONS) {
    const v = values[new Option(f.flags).attributeName()];
    if (typeof v === "string") out[f.key] = v;
  }
  return out;
}

/** A run name is one plain folder name under the reports folder: no path, nothing hidden, never empty. */
export function checkRunName(run: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(run) || run.includes("..")) {
    throw new UsageError(`--run wants a plain folder name (letters, digits, ".", "_", "-"; no path), not "${run}"`);
  }
}

/** The edition as a reading of the reference text the suite knows, or a usage error. */
export function checkEdition(edition: string): "current" | "legacy" {
  if (!EDITIONS.includes(edition)) throw new UsageError(`unknown edition "${edition}"; choose ${EDITIONS.join(" or ")}`);
  return edition as "current" | "legacy";
}

/**
 * Whether a path is in a folder the kernel makes up (/proc, /sys, /dev), where writing a run or
 * a bundle hangs or makes no sense. /dev/shm is the exception: an ordinary folder kept in RAM.
 */
export function inKernelFilesystem(p: string): boolean {
  const abs = path.resolve(p);
  const under = (v: string) => abs === v || abs.startsWith(`${v}/`);
  return ["/proc", "/sys", "/dev"].some(under) && !under("/dev/shm");
}

/** Everything wrong with how the run was asked for, as a usage error: nothing has run yet. */
export function checkOptions(o: ConformanceOptions): void {
  if (AGENT_ONLY_DRIVERS.has(o.driver)) {
    throw new UsageError(`driver "${o.driver}" runs only inside an agent; use --driver native (Windows) or --driver wine (Linux)`);
  }
  if (!knownDrivers().includes(o.driver)) {
    throw new UsageError(`unknown driver "${o.driver}"; known drivers: ${knownDrivers().join(", ")}`);
  }
  checkEdition(o.edition);
  if (o.run !== undefined) checkRunName(o.run);
  if (o.driver === "native" && process.platform !== "win32") {
    throw new UsageError("the native driver needs Windows; on Linux, --driver wine runs it under Wine");
  }
  if (o.driver === "wine") {
    const lane = wineLaneStatus(o.driverOptions?.wine);
    if (!lane.ready) throw new UsageError(`${lane.reason}; run "npm run setup:wine" to install the Wine lane`);
  }
  const given = o.driverOptions ?? {};
  for (const f of DRIVER_FLAG_OPTIONS) {
    const v = given[f.key];
    if (v === undefined) continue;
    const flag = flagName(f);
    if (!f.for.includes(o.driver)) {
      throw new UsageError(`${flag} is for ${f.for.length === 1 ? `--driver ${f.for[0]}` : `the ${f.for.join(", ")} drivers`}, not "${o.driver}"`);
    }
    const problem = f.check?.(v, flag);
    if (problem) throw new UsageError(problem);
  }
  if (o.tags !== undefined) {
    try {
      parseTagExpression(o.tags);
    } catch (e) {
      throw new UsageError(`--tags "${o.tags}" is not a tag expression: ${(e as Error).message}`);
    }
  }
}

/**
 * The suite runner (src/conformance.ts), loaded when it is needed: it brings Cucumber (about 450
 * modules, a third of a second), which a command should not load before its options pass these checks.
 */
export function suiteRunner(): typeof import("./conformance") {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require("./conformance");
}
