// Runs the feature suite against one driver and writes the run's reports.
import { IRunConfiguration, ISupportCodeLibrary, loadConfiguration, loadSupport, runCucumber } from "@cucumber/cucumber/api";
import parseTagExpression from "@cucumber/tag-expressions";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { AGENT_ONLY_DRIVERS, knownDrivers } from "../drivers/index";
import { parseTraits } from "../drivers/native/native-driver";
import { wineLaneStatus } from "../drivers/native/wine";
import { closeAllConnections } from "../drivers/remote/remote-driver";
import { parseFeature } from "./report/suite";
import { UsageError } from "./usage-error";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { profile, defaultRunName, EDITIONS, reportsRoot } = require("./profile") as typeof import("./profile");

export interface ConformanceOptions {
  driver: string;
  edition: string;
  run?: string;
  tags?: string;
  quiet?: boolean;
  driverOptions?: Record<string, string>;
}

/** Command-line flags that become driver options (conformance and certify take the same ones). */
export const DRIVER_FLAGS = {
  agent: "agent",
  launch: "launch",
  connect: "connect",
  token: "token",
  "call-timeout": "callTimeoutMs",
  "start-timeout": "startTimeoutMs",
  provider: "provider",
  "provider-traits": "providerTraits",
} as const;

export const DRIVER_FLAG_OPTIONS = Object.fromEntries(Object.keys(DRIVER_FLAGS).map((k) => [k, { type: "string" as const }])) as Record<
  keyof typeof DRIVER_FLAGS,
  { type: "string" }
>;

/** The driver options given on the command line (parsed by parseArgs with DRIVER_FLAG_OPTIONS). */
export function driverOptionsFrom(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [flag, key] of Object.entries(DRIVER_FLAGS)) if (typeof values[flag] === "string") out[key] = values[flag] as string;
  return out;
}

/** Help text of the flags that pick the provider under a native driver (conformance, certify, agent). */
export const PROVIDER_FLAGS_USAGE = `  --provider P         the provider under test: protocol name, catalog entry id or provider GUID
  --provider-traits J  what WSAPROTOCOL_INFO cannot tell, as JSON: {"maxConnectData":64,"rootInitiatedJoins":true,...}`;

/** The edition as a reading of the reference text the suite knows, or a usage error. */
export function checkEdition(edition: string): "current" | "legacy" {
  if (!EDITIONS.includes(edition)) throw new UsageError(`unknown edition "${edition}"; choose ${EDITIONS.join(" or ")}`);
  return edition as "current" | "legacy";
}

/** Options that only mean something to drivers that talk to an agent. */
const AGENT_OPTIONS: Record<string, string> = { agent: "--agent", launch: "--launch", connect: "--connect", token: "--token" };
const REMOTE_DRIVERS = new Set(["remote", "native", "wine"]);
const NUMERIC_OPTIONS: Record<string, string> = { callTimeoutMs: "--call-timeout", startTimeoutMs: "--start-timeout" };

/** Everything wrong with how the run was asked for, as a usage error: nothing has run yet. */
export function checkOptions(o: ConformanceOptions): void {
  if (AGENT_ONLY_DRIVERS.has(o.driver)) {
    throw new UsageError(`driver "${o.driver}" runs only inside an agent; use --driver native (Windows) or --driver wine (Linux)`);
  }
  if (!knownDrivers().includes(o.driver)) {
    throw new UsageError(`unknown driver "${o.driver}"; known drivers: ${knownDrivers().join(", ")}`);
  }
  checkEdition(o.edition);
  if (o.driver === "native" && process.platform !== "win32") {
    throw new UsageError("the native driver needs Windows; on Linux, --driver wine runs it under Wine");
  }
  if (o.driver === "wine") {
    const lane = wineLaneStatus();
    if (!lane.ready) throw new UsageError(`${lane.reason}; run "npm run setup:wine" to install the Wine lane`);
  }
  const given = o.driverOptions ?? {};
  for (const [key, flag] of Object.entries(AGENT_OPTIONS)) {
    if (given[key] !== undefined && o.driver !== "remote") throw new UsageError(`${flag} is for --driver remote, not "${o.driver}"`);
  }
  for (const [key, flag] of Object.entries(NUMERIC_OPTIONS)) {
    if (given[key] === undefined) continue;
    if (!REMOTE_DRIVERS.has(o.driver)) throw new UsageError(`${flag} is for drivers behind an agent (remote, native, wine)`);
    if (!/^[1-9]\d*$/.test(given[key])) throw new UsageError(`${flag} wants a whole number of milliseconds, not "${given[key]}"`);
  }
  for (const [key, flag] of [["provider", "--provider"], ["providerTraits", "--provider-traits"]]) {
    if (given[key] !== undefined && o.driver !== "native" && o.driver !== "wine") throw new UsageError(`${flag} is for the native and wine drivers, not "${o.driver}"`);
  }
  if (given.providerTraits !== undefined) {
    try {
      parseTraits(given.providerTraits);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
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
async function supportCode(config: IRunConfiguration): Promise<ISupportCodeLibrary> {
  return (loadedSupport ??= await loadSupport(config));
}

/** The suite's step definitions, for tools that run steps outside a Cucumber run (explore). */
export async function stepLibrary(): Promise<ISupportCodeLibrary> {
  const { runConfiguration } = await loadConfiguration({ provided: profile({ driver: "simulator", paths: [] }), file: false });
  return supportCode(runConfiguration);
}

export function reportDir(o: ConformanceOptions): string {
  return path.join(reportsRoot(), o.run ?? defaultRunName(o.driver, o.edition, o.tags));
}

/** The feature files, split into those Gherkin can read and those it cannot (with why). */
export function featureFiles(root = "features"): { readable: string[]; broken: string[] } {
  const readable: string[] = [];
  const broken: string[] = [];
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith(".feature")).sort();
  for (const f of files) {
    const uri = path.join(root, f);
    try {
      parseFeature(uri, readFileSync(uri, "utf8"));
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
 */
export async function runConformance(o: ConformanceOptions): Promise<boolean> {
  checkOptions(o);
  const features = featureFiles();
  mkdirSync(reportDir(o), { recursive: true });
  const { runConfiguration } = await loadConfiguration({
    provided: profile({ ...o, paths: features.readable }),
    file: false,
  });
  const support = await supportCode(runConfiguration);
  const { success } = await runCucumber({ ...runConfiguration, support }).finally(closeAllConnections);
  process.stdout.write(`reports written to ${reportDir(o)}/ (messages.ndjson, report.html, junit.xml, run.json, allure-results/)\n`);
  for (const problem of features.broken) process.stdout.write(`LEFT OUT, not valid Gherkin: ${problem}\n`);
  return success && features.broken.length === 0;
}
