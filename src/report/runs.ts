// Finding and loading the runs a report covers: every reports/*/messages.ndjson by default, or
// given paths (a messages.ndjson, a run folder, or a certification bundle folder).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { applyExpectations, Comparison, Expectations, loadExpectations } from "../expectations";
import { readRun, ResultsError, RunInfo, ScenarioResult } from "../results";
import { sha256 } from "./catalogue";

export interface LoadedRun {
  info: RunInfo;
  /** Results after expectations (when any applied). */
  results: ScenarioResult[];
  sources: Record<string, string>;
  expectations?: Expectations;
  comparison?: Comparison;
  /** Where the expectations came from ("--expectations", or the run's certification bundle). */
  expectationsFrom?: string;
}

export const REPORTS_DIR = process.env.JOINLEAF_REPORTS || "reports";

/** Run folders under `root` that hold a messages.ndjson, sorted by name. */
export function discoverRuns(root = REPORTS_DIR): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(root, d.name, "messages.ndjson")))
    .map((d) => path.join(root, d.name))
    .sort();
}

function runDir(p: string): string {
  if (!existsSync(p)) throw new ResultsError(`no run at ${p}: no such file or folder`);
  return statSync(p).isDirectory() ? p : path.dirname(p);
}

/** The bundle whose recorded messages are exactly this run's, if there is one. */
function matchingBundle(dir: string): string | undefined {
  const candidates = [dir, path.join(dir, "bundle")];
  const messages = path.join(dir, "messages.ndjson");
  for (const b of candidates) {
    const product = path.join(b, "product.json");
    if (!existsSync(product)) continue;
    try {
      const p = JSON.parse(readFileSync(product, "utf8"));
      const want = p?.files?.["messages.ndjson"];
      if (b === dir || (want && existsSync(messages) && want === sha256(readFileSync(messages)))) return b;
    } catch {
      /* an unreadable product.json just means no bundle */
    }
  }
  return undefined;
}

export interface LoadOptions {
  /** Expectations per run name (or "*" for every run); "none" applies none. */
  expectations?: Record<string, string>;
  /**
   * Look for expectations/<driver>.yaml (in this folder) for runs that name their driver in
   * run.json, as `joinleaf conformance` does by default.
   */
  defaultExpectationsDir?: string;
  known?: { rules?: Set<string>; scenarios?: Set<string> };
}

export function loadRuns(paths: string[], o: LoadOptions = {}): LoadedRun[] {
  const names = new Map<string, number>();
  return paths.map((p) => {
    const dir = runDir(p);
    const bundle = matchingBundle(dir);
    let runName: string | undefined;
    let bundleExpectations: string | undefined;
    if (bundle) {
      try {
        const product = JSON.parse(readFileSync(path.join(bundle, "product.json"), "utf8"));
        if (bundle === dir) runName = product.run;
        const f = path.join(bundle, "expectations.yaml");
        if (product.expectations && existsSync(f)) bundleExpectations = f;
      } catch {
        /* ignore */
      }
    }
    const run = readRun(p, { run: runName });
    let name = run.info.run;
    const n = (names.get(name) ?? 0) + 1;
    names.set(name, n);
    if (n > 1) {
      name = `${name}#${n}`;
      run.info.run = name;
      for (const s of run.scenarios) s.run = name;
    }
    const loaded: LoadedRun = { info: run.info, results: run.scenarios, sources: run.sources };
    const given = o.expectations?.[name] ?? o.expectations?.["*"];
    const byDriver = o.defaultExpectationsDir && run.info.driver ? path.join(o.defaultExpectationsDir, `${run.info.driver}.yaml`) : undefined;
    const fallback = bundleExpectations ?? (byDriver && existsSync(byDriver) ? byDriver : undefined);
    const file = given === "none" ? undefined : given ?? fallback;
    if (file) {
      const exp = loadExpectations(file, o.known ?? {});
      const comparison = applyExpectations(run.scenarios, exp);
      loaded.expectations = exp;
      loaded.comparison = comparison;
      loaded.results = comparison.results;
      loaded.expectationsFrom = given ? file : file === bundleExpectations ? `${file} (from the run's certification bundle)` : `${file} (the driver's default, as conformance uses it)`;
    }
    return loaded;
  });
}
