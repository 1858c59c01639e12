// What the report commands share: turning bad input into one-line usage errors, reading the
// catalogue and suite, loading runs, writing outputs.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Expectations, ExpectationsError, loadExpectations } from "../expectations";
import { ResultsError } from "../results";
import { UsageError } from "../usage-error";
import { PACKAGE_ROOT, packageFile } from "../package-root";
import { Catalogue, CatalogueError } from "./catalogue";
import { discoverRuns, LoadedRun, loadRuns, REPORTS_DIR } from "./runs";
import { loadSuite, Suite, SuiteError } from "./suite";
import { VariantSummaryError } from "./trace";

/** Runs `f`; errors caused by bad input (files, runs, expectations) become usage errors (exit 2). */
export function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ResultsError || err instanceof ExpectationsError || err instanceof CatalogueError || err instanceof SuiteError || err instanceof VariantSummaryError) throw new UsageError(err.message);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EACCES" || code === "EISDIR" || code === "ENOTDIR") throw new UsageError((err as Error).message);
    throw err;
  }
}

export function loadSuiteAndCatalogue(): { catalogue: Catalogue; suite: Suite } {
  return asUsage(() => {
    const suite = loadSuite(PACKAGE_ROOT);
    return { catalogue: suite.catalogue, suite };
  });
}

/** An expectations file checked against the suite (known entries and scenarios) and the driver it is for. */
export function loadCheckedExpectations(file: string, driver: string): Expectations {
  const { catalogue, suite } = loadSuiteAndCatalogue();
  const expectations = asUsage(() => loadExpectations(file, { rules: new Set(catalogue.byId.keys()), scenarios: new Set(suite.scenarios.map((s) => s.key)) }));
  if (expectations.driver !== driver) throw new UsageError(`${file} is for driver "${expectations.driver}", not "${driver}"`);
  return expectations;
}

/** "--expectations RUN=FILE" (or just FILE for every run) into a map. */
export function expectationsMap(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const i = v.indexOf("=");
    if (i > 0 && !v.slice(0, i).includes("/")) out[v.slice(0, i)] = v.slice(i + 1);
    else out["*"] = v;
  }
  return out;
}

export function loadSelectedRuns(positionals: string[], values: { reports?: string; expectations?: string[] }, catalogue: Catalogue): LoadedRun[] {
  return asUsage(() => {
    const paths = positionals.length ? positionals : discoverRuns(values.reports ?? REPORTS_DIR);
    if (positionals.length === 0 && values.reports && values.reports !== REPORTS_DIR && !existsSync(values.reports)) {
      // An explicit --reports folder that does not exist is a mistake, not "no runs".
      throw new UsageError(`no reports folder at ${values.reports}`);
    }
    return loadRuns(paths, {
      expectations: expectationsMap(values.expectations),
      defaultExpectationsDir: packageFile("expectations"),
      // Only entry IDs are checked: a saved run may come from an older version of the features.
      known: { rules: new Set(catalogue.entries.map((e) => e.id)) },
    });
  });
}

export function writeOut(dir: string, name: string, content: string): string {
  mkdirSync(dir, { recursive: true });
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
}
