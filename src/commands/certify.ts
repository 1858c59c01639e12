// `joinleaf certify`: run the suite against a driver, decide a verdict, and write a
// certification bundle that `joinleaf verify` can check later (format: docs/reports.md).
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { createDriver } from "../../drivers/index";
import { closeAllConnections } from "../../drivers/remote/remote-driver";
import type { Edition } from "../../drivers/simulator/simulator";
import { protocolTraits } from "../../drivers/capabilities";
import { addDriverFlags, checkOptions, driverOptionsFrom, inKernelFilesystem, suiteRunner } from "../conformance-options";
import { applyExpectations, describeComparison, Expectations } from "../expectations";
import { readRun, STATUSES } from "../results";
import { UsageError } from "../usage-error";
import { PACKAGE_ROOT, packageFile } from "../package-root";
import { sha256 } from "../report/catalogue";
import { writeJunit } from "../report/junit";
import { BUNDLE_FILES, BUNDLE_FORMAT, computeVerdict, matrixColumn, ProductJson, requiredRules } from "../report/certification";
import { describeRegression } from "../verdict";
import { asUsage, loadCheckedExpectations, loadSuiteAndCatalogue } from "../report/common";
import { buildSpec, renderSpecMarkdown } from "../report/spec";

export function define(cmd: Command): void {
  cmd
    .option("--driver <name>", "which implementation to certify (required)")
    .option("--edition <e>", "current or legacy", "current")
    .option("--profile <name>", "judge against the entries of one profile of the catalogue (ip-multicast, rooted)")
    .option("--expectations <file>", "known deviations of the implementation (expectations/<name>.yaml)")
    .option("--run <name>", "report folder name (default: <driver>, or <driver>-legacy)")
    .option("--out <dir>", "bundle folder (default: reports/<run>/bundle)")
    .option("--tags <expr>", "only scenarios matching this tag expression (a partial run is NOT CONFORMANT)")
    .option("--quiet", "print a summary instead of a progress line")
    .addHelpText("after", "\nexit: 0 CONFORMANT or CONFORMANT WITH DEVIATIONS, 1 NOT CONFORMANT, 2 usage error\n");
  addDriverFlags(cmd);
}

export interface Options {
  driver?: string;
  edition: string;
  profile?: string;
  expectations?: string;
  run?: string;
  out?: string;
  tags?: string;
  quiet?: boolean;
  [driverFlag: string]: unknown;
}

export async function run(values: Options): Promise<number> {
  if (!values.driver) throw new UsageError("certify needs --driver NAME");
  const driverOptions = driverOptionsFrom(values);
  const options = { driver: values.driver, edition: values.edition, run: values.run, tags: values.tags, quiet: values.quiet ?? false, driverOptions };
  checkOptions(options);
  const { catalogue, suite } = loadSuiteAndCatalogue();
  const profile = values.profile;
  if (profile !== undefined && !(profile in catalogue.profiles)) throw new UsageError(`unknown profile "${profile}" (the catalogue defines: ${Object.keys(catalogue.profiles).join(", ") || "none"})`);
  let expectations: Expectations | undefined;
  if (values.expectations) expectations = loadCheckedExpectations(values.expectations, values.driver);
  const shipped = packageFile("expectations", `${values.driver}.yaml`);
  if (!expectations && existsSync(shipped)) {
    process.stdout.write(`note: ${shipped} exists but certify uses expectations only when given (--expectations); certifying without\n`);
  }
  const runDir = suiteRunner().reportDir(options);
  const out = values.out ?? path.join(runDir, "bundle");
  // An explicit --out is checked before the run: a mistake there must not cost a whole run.
  if (values.out !== undefined) checkOut(values.out);

  await suiteRunner().runConformance({ ...options, expectations: expectations?.file });

  const run = asUsage(() => readRun(runDir));
  const comparison = applyExpectations(run.scenarios, expectations);
  const required = requiredRules(catalogue, suite, options.edition, profile);
  const verdict = computeVerdict(comparison.results, { required, complete: run.info.complete, catalogue, profile, comparison, expectationsFile: expectations?.file });

  // The bundle. The default folder is inside the fresh run folder; an explicit --out holds nothing
  // but an earlier bundle's files (checkOut), and only those are replaced.
  mkdirSync(out, { recursive: true });
  for (const f of OWN_FILES) rmSync(path.join(out, f), { force: true });
  copyFileSync(path.join(runDir, "messages.ndjson"), path.join(out, "messages.ndjson"));
  writeJunit(path.join(runDir, "junit.xml"), `joinleaf-${run.info.run}`, comparison.results, run.info.startedAt);
  copyFileSync(path.join(runDir, "junit.xml"), path.join(out, "junit.xml"));
  if (expectations) copyFileSync(expectations.file, path.join(out, "expectations.yaml"));
  const loaded = { info: { ...run.info, edition: options.edition, driver: options.driver }, results: comparison.results, sources: run.sources, expectations, comparison };
  const column = matrixColumn(loaded, catalogue, profile);
  writeFileSync(path.join(out, "matrix.json"), JSON.stringify(column.json, null, 2) + "\n");
  writeFileSync(path.join(out, "matrix.md"), column.md);
  // The readable spec the run was judged against (matrix.md links into it).
  writeFileSync(path.join(out, "spec.md"), renderSpecMarkdown(buildSpec(catalogue, suite)));
  const files: Record<string, string> = {};
  for (const f of [...BUNDLE_FILES.filter((x) => x !== "product.json"), "spec.md", ...(expectations ? ["expectations.yaml"] : [])]) files[f] = sha256(readFileSync(path.join(out, f)));
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8"));
  const product: ProductJson = {
    format: BUNDLE_FORMAT,
    run: run.info.run,
    driver: options.driver,
    edition: options.edition,
    tags: options.tags ?? null,
    profile: verdict.profile,
    verdict: verdict.verdict,
    regression: verdict.regression,
    counts: verdict.counts,
    scenarios: verdict.scenarios,
    failingRules: verdict.failingRules,
    deviations: verdict.deviations,
    missingRules: verdict.missingRules,
    unexercisedRules: verdict.unexercisedRules,
    notApplicableRules: verdict.notApplicableRules,
    exercised: verdict.exercised,
    requiredRules: required,
    implementation: await describeImplementation(options.driver, options.edition as Edition, driverOptions),
    expectations: expectations
      ? { file: expectations.file, implementation: expectations.implementation, driver: expectations.driver, entries: expectations.entries.length, sha256: files["expectations.yaml"] }
      : null,
    environment: {
      os: { platform: process.platform, type: os.type(), release: os.release(), version: os.version(), arch: process.arch },
      node: process.version,
      cucumber: run.info.cucumber ?? null,
    },
    suite: { name: pkg.name, version: pkg.version, ...suite.hashes },
    files,
    timestamps: { runStarted: run.info.startedAt ?? null, runFinished: run.info.finishedAt ?? null, bundled: new Date().toISOString() },
  };
  writeFileSync(path.join(out, "product.json"), JSON.stringify(product, null, 2) + "\n");

  // The verdict, for people.
  const lines: string[] = [];
  lines.push("", `VERDICT: ${verdict.verdict}`, `  driver ${options.driver}, ${options.edition} edition${profile ? `, ${profile} profile` : ", every profile"}${options.tags ? `, tags ${options.tags}` : ""}${expectations ? `, expectations ${expectations.file} (${expectations.implementation})` : ""}`);
  lines.push(`  ${verdict.scenarios} scenarios: ${STATUSES.filter((s) => verdict.counts[s]).map((s) => `${verdict.counts[s]} ${s}`).join(", ") || "none"}`);
  lines.push(`  ${verdict.exercised.count} of ${verdict.exercised.of} required entries${profile ? ` of the ${profile} profile` : ""} exercised (a scenario reached the implementation: not UNSUPPORTED or NOT TESTABLE)`);
  for (const r of verdict.reasons) lines.push(`  - ${r}`);
  for (const [why, n] of Object.entries(verdict.unsupported)) lines.push(`  unsupported (${n}): ${why}`);
  lines.push(`REGRESSION: ${describeRegression(verdict.regression)}`);
  for (const l of describeComparison(comparison)) lines.push(`  ${l}`);
  lines.push(`  bundle: ${out}/ (${Object.keys(files).concat("product.json").join(", ")})`, "");
  process.stdout.write(lines.join("\n"));
  return verdict.verdict === "NOT CONFORMANT" ? 1 : 0;
}

/** The files a bundle consists of: the only ones certify ever replaces in an --out folder. */
const OWN_FILES = [...new Set([...BUNDLE_FILES, "spec.md", "expectations.yaml"])];

/** --out is a new folder, an empty one or an earlier bundle (certify never deletes what it did not write). */
function checkOut(out: string): void {
  const abs = path.resolve(out);
  if (inKernelFilesystem(abs)) throw new UsageError(`--out ${out}: not a place for a bundle (a kernel filesystem)`);
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory()) throw new UsageError(`--out ${out} is a file, not a folder`);
    const foreign = readdirSync(abs).filter((f) => !OWN_FILES.includes(f));
    if (foreign.length) {
      throw new UsageError(`--out ${out} holds other things (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", ..." : ""}); give a new or empty folder, or an earlier bundle's`);
    }
  }
  try {
    mkdirSync(abs, { recursive: true });
    accessSync(abs, constants.W_OK);
  } catch (e) {
    throw new UsageError(`--out ${out}: cannot write there: ${(e as Error).message}`);
  }
}

/** What the driver says about the implementation: its protocol entries and its `implementation` map. */
async function describeImplementation(driverName: string, edition: Edition, options: Record<string, string>): Promise<ProductJson["implementation"]> {
  const info: ProductJson["implementation"] = { driver: driverName, version: null, details: {}, providers: [], protocols: [] };
  let driver: Awaited<ReturnType<typeof createDriver>> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("no answer within 60 s")), 60_000);
  });
  try {
    driver = await Promise.race([createDriver(driverName, { edition, options }), timeout]);
    const protocols = await Promise.race([driver.protocols(), timeout]);
    info.protocols = protocols.map((p) => ({
      id: p.id,
      name: p.name,
      providerId: p.providerId,
      catalogEntryId: p.catalogEntryId,
      serviceFlags1: p.serviceFlags1,
      traits: [...protocolTraits(p)].sort(),
    }));
    info.providers = [...new Set(protocols.map((p) => p.providerId))];
    info.details = { ...(driver.implementation ?? {}) };
    info.version = info.details.version ?? info.details.wine ?? info.details.winsockVersion ?? null;
  } catch (err) {
    info.error = `could not ask the driver: ${(err as Error).message}`;
  } finally {
    clearTimeout(timer);
    await driver?.dispose().catch(() => undefined);
    closeAllConnections(); // the agent it took to ask must not outlive the command
  }
  return info;
}
