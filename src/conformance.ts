// Runs the feature suite against one driver and writes the run's reports.
import { IRunConfiguration, ISupportCodeLibrary, loadConfiguration, loadSupport, runCucumber } from "@cucumber/cucumber/api";
import { IdGenerator } from "@cucumber/messages";
import type * as messages from "@cucumber/messages";
import parseTagExpression from "@cucumber/tag-expressions";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmdirSync, rmSync } from "node:fs";
import path from "node:path";
import { createDriver } from "../drivers/index";
import { closeAllConnections } from "../drivers/remote/remote-driver";
import { checkOptions, ConformanceOptions, inKernelFilesystem } from "./conformance-options";
import { featureFiles as listFeatureFiles, parseFeature, picklesOf } from "./report/suite";
import { NO_STEPS, readEnvelopes, readsEnvelope } from "./results";
import { UsageError } from "./usage-error";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { profile, defaultRunName, reportsRoot } = require("./profile") as typeof import("./profile");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { PACKAGE_ROOT } = require("./package-root") as typeof import("./package-root");

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

/** The feature files (relative to the package), split into those Gherkin can read (and what it read) and those it cannot (with why). */
export function featureFiles(root = PACKAGE_ROOT): { readable: string[]; documents: messages.GherkinDocument[]; broken: string[] } {
  const readable: string[] = [];
  const documents: messages.GherkinDocument[] = [];
  const broken: string[] = [];
  for (const uri of listFeatureFiles(root)) {
    try {
      documents.push(parseFeature(uri, readFileSync(path.join(root, uri), "utf8")));
      readable.push(uri);
    } catch (e) {
      broken.push((e as Error).message);
    }
  }
  return { readable, documents, broken };
}

/**
 * How many scenarios a tag expression selects in these documents: Cucumber's own filter, on the
 * documents featureFiles has read (Cucumber's loadSources would read and parse every file again).
 */
function selectedScenarios(documents: messages.GherkinDocument[], tagExpression: string): number {
  const selects = parseTagExpression(tagExpression);
  const newId = IdGenerator.incrementing();
  return documents.flatMap((doc) => picklesOf(doc, newId)).filter((p) => selects.evaluate(p.tags.map((t) => t.name))).length;
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
  // The driver starts (an agent: spawned and greeted, on the other core) while Cucumber reads its
  // configuration, the features and the steps; a mistake in the tags is still reported first.
  let stopped = false;
  const driverStarted = checkDriverStarts(o, () => stopped);
  driverStarted.catch(() => undefined); // awaited below; a usage error before that must not leave it unhandled
  try {
    const features = featureFiles();
    const { runConfiguration } = await loadConfiguration(
      { provided: profile({ ...o, paths: features.readable, outDir: staging }), file: false },
      CUCUMBER_ENVIRONMENT,
    );
    const planned = selectedScenarios(features.documents, runConfiguration.sources.tagExpression);
    if (planned === 0) {
      throw new UsageError(o.tags ? `--tags "${o.tags}" selects no scenario of the ${o.edition} edition` : `no scenario to run in ${path.join(PACKAGE_ROOT, "features")}`);
    }
    const supportLoaded = supportCode(runConfiguration);
    supportLoaded.catch(() => undefined); // awaited below, after the driver
    await driverStarted; // a driver that does not start is the mistake to report, not what the steps say
    const support = await supportLoaded;
    const stop = onInterrupt(() => {
      closeAllConnections();
      process.stderr.write(`\njoinleaf: interrupted; what ran so far is in ${path.relative(process.cwd(), staging) || staging}/ (incomplete); ${path.relative(process.cwd(), final)}/ still holds the previous run\n`);
      process.exit(130);
    });
    let success: boolean;
    // What the checks below read, kept as the run makes it (reading messages.ndjson back cost a
    // full run some 60 ms); the documents too, for the lines they print.
    const kept: messages.Envelope[] = [];
    try {
      ({ success } = await runCucumber({ ...runConfiguration, support }, CUCUMBER_ENVIRONMENT, (e) => {
        if (readsEnvelope(e) || e.gherkinDocument) kept.push(e);
      }).finally(closeAllConnections));
    } finally {
      stop();
    }
    const results = readEnvelopes(kept, { run: path.basename(final) });
    // Scenarios were planned and none started: the harness never got going (a parallel worker
    // that could not load the steps, say). That is no result of the implementation's, and must
    // not replace the previous run.
    if (!success && results.scenarios.length === 0) {
      throw new UsageError(`none of the ${planned} scenarios started (the errors above say why); ${path.relative(process.cwd(), final) || final}/ still holds the previous run`);
    }
    moveIntoPlace(staging, final);
    process.stdout.write(`reports written to ${reportDir(o)}/ (${o.resultsOnly ? "messages.ndjson, run.json" : "messages.ndjson, report.html, junit.xml, run.json, allure-results/"})\n`);
    for (const problem of features.broken) process.stdout.write(`LEFT OUT, not valid Gherkin: ${problem}\n`);
    // Cucumber passes a scenario with no steps; the suite does not (src/results.ts).
    const empty = results.scenarios.filter((r) => r.message === NO_STEPS);
    for (const r of empty) process.stdout.write(`FAIL, no steps: ${r.uri}:${r.line} ${r.name}\n`);
    return success && features.broken.length === 0 && empty.length === 0;
  } catch (err) {
    stopped = true; // a driver check still under way closes what it started when it ends
    closeAllConnections(); // the driver's agent, also one still starting for a run that stopped before it began
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

/** A fresh folder for the run beside where it will end up (same filesystem: the move is a rename). */
function prepareStaging(final: string): string {
  if (inKernelFilesystem(final)) {
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
async function checkDriverStarts(o: ConformanceOptions, runStopped: () => boolean): Promise<void> {
  try {
    const driver = await createDriver(o.driver, { edition: o.edition as "current" | "legacy", options: o.driverOptions ?? {} });
    await driver.dispose().catch(() => undefined);
  } catch (e) {
    const why = ((e as Error).message || String(e)).replace(/ \(the agent could not be started; not tried again in this run\)/, "").replace(/^(CRASH|TIMEOUT): /, "").replace(/\s*\n\s*/g, " ");
    throw new UsageError(`the ${o.driver} driver did not start, so nothing ran: ${why.length > 400 ? `${why.slice(0, 400)}...` : why}`);
  } finally {
    // The run stopped (a setup mistake) before this driver's agent was even spawned (loading the
    // driver's module can take that long): what started for nothing, or a failure remembered, goes now.
    if (runStopped()) closeAllConnections();
  }
}
