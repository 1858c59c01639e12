// One Cucumber configuration for a run: which driver, which edition, where its reports go.
// Plain JavaScript so that cucumber.js (read by Cucumber without TypeScript) can use it too.
const os = require("node:os");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const { COMPILED } = require("./package-root");

const EDITIONS = ["current", "legacy"];

/** Where runs write: reports/, or $JOINLEAF_REPORTS (tests use it to keep out of the real folder). */
function reportsRoot() {
  return process.env.JOINLEAF_REPORTS || "reports";
}

/** Scenarios tagged for the other edition are left out of a run. */
function editionFilter(edition) {
  const other = edition === "legacy" ? "current" : "legacy";
  return `not @edition:${other}`;
}

/**
 * <driver>, <driver>-legacy; a run of only some scenarios gets "-partial", a dry run (nothing
 * executed) "-dry-run", so neither ever stands in for a full run.
 */
function defaultRunName(driver, edition, partial, dryRun) {
  return `${driver}${edition === "current" ? "" : `-${edition}`}${dryRun ? "-dry-run" : partial ? "-partial" : ""}`;
}

/**
 * @param {{driver: string, edition?: string, run?: string, tags?: string, quiet?: boolean,
 *          driverOptions?: Record<string,string>, reportsRoot?: string, paths?: string[],
 *          partial?: string, dryRun?: boolean, outDir?: string, expectations?: string,
 *          resultsOnly?: boolean}} o
 *   expectations: the run's expectations file, so the console summary says EXPECTED FAIL
 *   outDir: where the formatters write (default <reports>/<run>; the harness writes to a fresh
 *   folder and moves it into place)
 *   partial: what else narrows the run (Cucumber's --name or feature paths), recorded in run.json
 *   resultsOnly: only the message stream and run.json, none of the reports for people (HTML,
 *   JUnit, Allure): for a run that is only compared with another (equivalence)
 */
function profile(o) {
  const edition = o.edition || "current";
  if (!EDITIONS.includes(edition)) throw new Error(`unknown edition "${edition}"; choose ${EDITIONS.join(" or ")}`);
  const run = o.run || defaultRunName(o.driver, edition, o.tags || o.partial, o.dryRun);
  // Absolute: Cucumber runs in the package's folder (features and steps are the package's), the
  // reports go where the user is.
  const parallel = Number((o.driverOptions || {}).parallel || 0);
  const dir = path.resolve(o.outDir || path.join(o.reportsRoot || reportsRoot(), run));
  const tags = [editionFilter(edition), o.tags].filter(Boolean).map((t) => `(${t})`).join(" and ");
  return {
    paths: o.paths || ["features/**/*.feature"],
    // Compiled, the steps are JavaScript in dist/; from source, TypeScript through ts-node. In
    // process, not a second loader when this one already has one (ts-node from bin/, tsx in the
    // tests); parallel workers are new processes and always need one.
    require: COMPILED ? ["dist/steps/**/*.js"] : ["steps/**/*.ts"],
    requireModule: COMPILED || (require.extensions[".ts"] && !parallel) ? [] : ["ts-node/register/transpile-only"],
    // Exactly one formatter writes to stdout (the human one); every other one has its own file.
    // docs/reports.md lists what each writes.
    format: [
      // (quoted: a bare file: URL reads to Cucumber as "name:output")
      `"${pathToFileURL(path.join(__dirname, "report", "summary-formatter.js")).href}"`,
      ["message", path.join(dir, "messages.ndjson")],
      [pathToFileURL(path.join(__dirname, "report", "run-info-formatter.js")).href, path.join(dir, "run.json")],
      ...(o.resultsOnly
        ? []
        : [
            ["html", path.join(dir, "report.html")],
            ["junit", path.join(dir, "junit.xml")],
            // Writes its own files into allure-results; its stream output (none) goes nowhere.
            [pathToFileURL(path.join(__dirname, "report", "allure-formatter.js")).href, os.devNull],
          ]),
    ],
    formatOptions: {
      junit: { suiteName: `joinleaf-${run}` },
      joinleaf: {
        run,
        driver: o.driver,
        edition,
        tags: o.tags || "",
        partial: o.partial || "",
        quiet: !!o.quiet,
        expectations: o.expectations ? path.resolve(o.expectations) : "",
        dryRun: !!o.dryRun,
        allure: { resultsDir: path.join(dir, "allure-results"), specUrl: "../../spec.html" },
      },
    },
    tags,
    strict: true,
    // Cucumber's worker processes; each has its own driver (a remote driver: its own agent).
    parallel,
    worldParameters: { driver: o.driver, edition, run, driverOptions: o.driverOptions || {} },
  };
}

module.exports = { profile, EDITIONS, defaultRunName, reportsRoot };
