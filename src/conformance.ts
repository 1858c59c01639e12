// Runs the feature suite against one driver and writes the run's reports.
import { IRunConfiguration, ISupportCodeLibrary, loadConfiguration, loadSources, loadSupport, runCucumber } from "@cucumber/cucumber/api";
import parseTagExpression from "@cucumber/tag-expressions";
import { type Command, Option } from "commander";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync } from "node:fs";
import path from "node:path";
import { AGENT_ONLY_DRIVERS, createDriver, knownDrivers } from "../drivers/index";
import { parseTraits } from "../drivers/native/native-driver";
import { wineLaneStatus } from "../drivers/native/wine";
import { closeAllConnections } from "../drivers/remote/remote-driver";
import { findVariant, unknownVariantMessage } from "../drivers/simulator/variants";
import { parseFeature } from "./report/suite";
import { NO_STEPS, readRun } from "./results";
import { UsageError } from "./usage-error";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { profile, defaultRunName, EDITIONS, reportsRoot } = require("./profile") as typeof import("./profile");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { PACKAGE_ROOT } = require("./package-root") as typeof import("./package-root");

export interface ConformanceOptions {
  driver: string;
  edition: string;
  run?: string;
  tags?: string;
  quiet?: boolean;
  driverOptions?: Record<string, string>;
  /** The expectations file the run is judged by (the console summary applies it). */
  expectations?: string;
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

// Step definitions register themselves when first required, so a second run in the same process
// (certify, equivalence) must reuse the library the first one loaded.
let loadedSupport: ISupportCodeLibrary | undefined;
export async function supportCode(config: IRunConfiguration): Promise<ISupportCodeLibrary> {
  return (loadedSupport ??= await loadSupport(config, CUCUMBER_ENVIRONMENT));
}

/** Cucumber runs in the package's folder: the features and steps are the package's, wherever the user is. */
const CUCUMBER_ENVIRONMENT = { cwd: PACKAGE_ROOT };

/** The suite's step definitions, for tools that run steps outside a Cucumber run (explore). */
export async function stepLibrary(): Promise<ISupportCodeLibrary> {
  const { runConfiguration } = await loadConfiguration({ provided: profile({ driver: "simulator", paths: [] }), file: false }, CUCUMBER_ENVIRONMENT);
  return supportCode(runConfiguration);
}

export function reportDir(o: ConformanceOptions): string {
  return path.join(reportsRoot(), o.run ?? defaultRunName(o.driver, o.edition, o.tags));
}

/** The feature files (relative to the package), split into those Gherkin can read and those it cannot (with why). */
export function featureFiles(root = PACKAGE_ROOT): { readable: string[]; broken: string[] } {
  const readable: string[] = [];
  const broken: string[] = [];
  const files = (readdirSync(path.join(root, "features"), { recursive: true }) as string[]).filter((f) => f.endsWith(".feature")).sort();
  for (const f of files) {
    const uri = path.join("features", f);
    try {
      parseFeature(uri, readFileSync(path.join(root, uri), "utf8"));
      readable.push(uri);
    } catch (e) {
      broken.push((e as Error).message);
    }
  }
  return { readable, broken };
}

/**
 * Returns whether every scenario passed (skipped ones, unsupported or not testable, do not fail
 * a run). A feature file that does not parse is left out, said so, and fails the run; the other
 * files still run and report.
 *
 * Before the first scenario it checks what it can, and refuses with a usage error (nothing
 * written, the previous run untouched): the reports folder, the scenarios selected, the driver
 * (for an agent: started, reachable, hello accepted). The run is written to
 * <reports>/.incomplete/ and moved into place when it ends; on SIGINT it stays there, and the
 * previous run of the same name is kept.
 */
export async function runConformance(o: ConformanceOptions): Promise<boolean> {
  checkOptions(o);
  const final = path.resolve(reportDir(o));
  const staging = prepareStaging(final);
  try {
    const features = featureFiles();
    const { runConfiguration } = await loadConfiguration(
      { provided: profile({ ...o, paths: features.readable, outDir: staging }), file: false },
      CUCUMBER_ENVIRONMENT,
    );
    const { plan } = await loadSources(runConfiguration.sources, CUCUMBER_ENVIRONMENT);
    if (plan.length === 0) {
      throw new UsageError(o.tags ? `--tags "${o.tags}" selects no scenario of the ${o.edition} edition` : `no scenario to run in ${path.join(PACKAGE_ROOT, "features")}`);
    }
    await checkDriverStarts(o);
    const support = await supportCode(runConfiguration);
    const stop = onInterrupt(() => {
      closeAllConnections();
      process.stderr.write(`\njoinleaf: interrupted; what ran so far is in ${path.relative(process.cwd(), staging) || staging}/ (incomplete); ${path.relative(process.cwd(), final)}/ still holds the previous run\n`);
      process.exit(130);
    });
    let success: boolean;
    try {
      ({ success } = await runCucumber({ ...runConfiguration, support }, CUCUMBER_ENVIRONMENT).finally(closeAllConnections));
    } finally {
      stop();
    }
    // Scenarios were planned and none started: the harness never got going (a parallel worker
    // that could not load the steps, say). That is no result of the implementation's, and must
    // not replace the previous run.
    if (!success && readRun(staging).scenarios.length === 0) {
      throw new UsageError(`none of the ${plan.length} scenarios started (the errors above say why); ${path.relative(process.cwd(), final) || final}/ still holds the previous run`);
    }
    moveIntoPlace(staging, final);
    process.stdout.write(`reports written to ${reportDir(o)}/ (messages.ndjson, report.html, junit.xml, run.json, allure-results/)\n`);
    for (const problem of features.broken) process.stdout.write(`LEFT OUT, not valid Gherkin: ${problem}\n`);
    // Cucumber passes a scenario with no steps; the suite does not (src/results.ts).
    const empty = readRun(final).scenarios.filter((r) => r.message === NO_STEPS);
    for (const r of empty) process.stdout.write(`FAIL, no steps: ${r.uri}:${r.line} ${r.name}\n`);
    return success && features.broken.length === 0 && empty.length === 0;
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    removeIfEmpty(path.dirname(staging));
    throw err;
  }
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (another run is being written) or gone: leave it
  }
}

/** Folders the kernel makes up: writing a run there hangs or makes no sense. */
const VIRTUAL_FILESYSTEMS = ["/proc", "/sys", "/dev"];

/** A fresh folder for the run beside where it will end up (same filesystem: the move is a rename). */
function prepareStaging(final: string): string {
  if (VIRTUAL_FILESYSTEMS.some((v) => final === v || final.startsWith(`${v}/`))) {
    throw new UsageError(`${path.dirname(final)} is not a place for reports (a kernel filesystem); set JOINLEAF_REPORTS to a real folder`);
  }
  try {
    const parent = path.join(path.dirname(final), ".incomplete");
    mkdirSync(parent, { recursive: true });
    return mkdtempSync(path.join(parent, `${path.basename(final)}-`));
  } catch (e) {
    throw new UsageError(`cannot write reports under ${path.dirname(final)}: ${(e as Error).message}`);
  }
}

/** The finished run replaces the previous one of its name in two renames; the old one is then removed. */
function moveIntoPlace(staging: string, final: string): void {
  const old = `${staging}.previous`;
  if (existsSync(final)) renameSync(final, old);
  renameSync(staging, final);
  rmSync(old, { recursive: true, force: true });
  removeIfEmpty(path.dirname(staging));
}

/** Runs `handler` on SIGINT until the returned function is called. */
function onInterrupt(handler: () => void): () => void {
  process.once("SIGINT", handler);
  return () => process.removeListener("SIGINT", handler);
}

/**
 * Starts the driver once before the run, so that a setup mistake (no such agent, an agent that
 * exits at start, a closed port, a wrong token, a malformed address) is one usage error and not
 * every scenario's CRASH. An agent's connection is kept for the run.
 */
async function checkDriverStarts(o: ConformanceOptions): Promise<void> {
  let driver: Awaited<ReturnType<typeof createDriver>>;
  try {
    driver = await createDriver(o.driver, { edition: o.edition as "current" | "legacy", options: o.driverOptions ?? {} });
  } catch (e) {
    closeAllConnections();
    const why = ((e as Error).message || String(e)).replace(/ \(the agent could not be started; not tried again in this run\)/, "").replace(/^(CRASH|TIMEOUT): /, "").replace(/\s*\n\s*/g, " ");
    throw new UsageError(`the ${o.driver} driver did not start, so nothing ran: ${why.length > 400 ? `${why.slice(0, 400)}...` : why}`);
  }
  await driver.dispose().catch(() => undefined);
}
