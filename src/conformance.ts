// Runs the feature suite against one driver and writes the run's reports.
import { IRunConfiguration, ISupportCodeLibrary, loadConfiguration, loadSupport, runCucumber } from "@cucumber/cucumber/api";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { AGENT_ONLY_DRIVERS, knownDrivers } from "../drivers/index";
import { closeAllConnections } from "../drivers/remote/remote-driver";
import { UsageError } from "./usage-error";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { profile, defaultRunName, EDITIONS } = require("./profile") as typeof import("./profile");

export interface ConformanceOptions {
  driver: string;
  edition: string;
  run?: string;
  tags?: string;
  quiet?: boolean;
  driverOptions?: Record<string, string>;
}

export function checkOptions(o: ConformanceOptions): void {
  if (AGENT_ONLY_DRIVERS.has(o.driver)) {
    throw new UsageError(`driver "${o.driver}" runs only inside an agent; use --driver native (Windows) or --driver wine (Linux)`);
  }
  if (!knownDrivers().includes(o.driver)) {
    throw new UsageError(`unknown driver "${o.driver}"; known drivers: ${knownDrivers().join(", ")}`);
  }
  if (!EDITIONS.includes(o.edition)) throw new UsageError(`unknown edition "${o.edition}"; choose ${EDITIONS.join(" or ")}`);
}

// Step definitions register themselves when first required, so a second run in the same process
// (certify, equivalence) must reuse the library the first one loaded.
let loadedSupport: ISupportCodeLibrary | undefined;
async function supportCode(config: IRunConfiguration): Promise<ISupportCodeLibrary> {
  return (loadedSupport ??= await loadSupport(config));
}

export function reportDir(o: ConformanceOptions): string {
  return path.join("reports", o.run ?? defaultRunName(o.driver, o.edition));
}

/** Returns whether every scenario passed (skipped ones, unsupported or not testable, do not fail a run). */
export async function runConformance(o: ConformanceOptions): Promise<boolean> {
  checkOptions(o);
  mkdirSync(reportDir(o), { recursive: true });
  const { runConfiguration } = await loadConfiguration({
    provided: profile({ driver: o.driver, edition: o.edition, run: o.run, tags: o.tags, quiet: o.quiet, driverOptions: o.driverOptions }),
    file: false,
  });
  const support = await supportCode(runConfiguration);
  const { success } = await runCucumber({ ...runConfiguration, support }).finally(closeAllConnections);
  process.stdout.write(`reports written to ${reportDir(o)}/ (messages.ndjson, report.html, junit.xml, run.json, allure-results/)\n`);
  return success;
}
