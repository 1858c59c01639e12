// Building the Allure HTML report of a run from its allure-results, with allure-commandline
// (which needs Java).
import { spawn, spawnSync } from "node:child_process";
import os from "node:os";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const JAVA_HELP = "Allure needs Java to build its HTML report. Install it with: apt-get install -y default-jre-headless (or set JAVA_HOME)";

/** Null when Java runs, else why not. */
export function javaProblem(): string | null {
  const home = process.env.JAVA_HOME;
  const java = home ? path.join(home, "bin", "java") : "java";
  const r = spawnSync(java, ["-version"], { encoding: "utf8" });
  if (r.error) return `no Java found (${(r.error as NodeJS.ErrnoException).code === "ENOENT" ? `"${java}" is not on this machine` : r.error.message})`;
  if (r.status !== 0) return `"${java} -version" failed: ${(r.stderr || "").split("\n")[0]}`;
  return null;
}

function allureBin(): string {
  const dir = path.dirname(require.resolve("allure-commandline/package.json"));
  return path.join(dir, "dist", "bin", process.platform === "win32" ? "allure.bat" : "allure");
}

export interface AllureOutcome {
  run: string;
  ok: boolean;
  /** True when the report was already built from these very results and was kept. */
  unchanged?: boolean;
  reportDir?: string;
  message: string;
  ms: number;
}

/** Where a built report records the results it was built from (the file in allure-report/). */
export const STAMP = ".joinleaf-results-sha256";

/** sha256 over the names and contents of a run's allure-results (what the report is built from). */
export function resultsHash(results: string, title = ""): string {
  const h = createHash("sha256").update(title).update("\0");
  for (const f of readdirSync(results).sort()) h.update(f).update("\0").update(readFileSync(path.join(results, f))).update("\0");
  return h.digest("hex");
}

/** Whether reports/<run>/allure-report was built from the run's current allure-results. */
export function allureUpToDate(runDir: string, title = ""): boolean {
  const results = path.join(runDir, "allure-results");
  const out = path.join(runDir, "allure-report");
  if (!existsSync(results) || !existsSync(path.join(out, "index.html")) || !existsSync(path.join(out, STAMP))) return false;
  return readFileSync(path.join(out, STAMP), "utf8").trim() === resultsHash(results, title);
}

/** Builds reports/<run>/allure-report/index.html (one self-contained file) from allure-results. */
export function buildAllureReport(runDir: string, o: { force?: boolean; title?: string } = {}): Promise<AllureOutcome> {
  const run = path.basename(runDir);
  const results = path.join(runDir, "allure-results");
  const started = Date.now();
  if (!existsSync(results) || !readdirSync(results).some((f) => f.endsWith("-result.json"))) {
    return Promise.resolve({ run, ok: false, message: `no Allure results in ${results} (a results-only run, such as equivalence makes, or one older than the Allure formatter)`, ms: 0 });
  }
  const out = path.join(runDir, "allure-report");
  // Allure (2.25 on) leaves skipped results out of its success rate, so a run with NOT TESTABLE or
  // UNSUPPORTED scenarios can read "100%"; the report's name carries the suite's own verdict and counts.
  const title = o.title ?? `WSAJoinLeaf conformance: ${run}`;
  if (!o.force && allureUpToDate(runDir, title)) return Promise.resolve({ run, ok: true, unchanged: true, reportDir: out, message: path.join(out, "index.html"), ms: 0 });
  const hash = resultsHash(results, title);
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(allureBin(), ["generate", "--clean", "--single-file", "--name", title, "-o", out, results], {
      stdio: ["ignore", "pipe", "pipe"],
      // A short-lived JVM: the C1 compiler and the serial GC start faster (about 40% less time).
      env: { ...process.env, JAVA_OPTS: process.env.JAVA_OPTS ?? "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" },
    });
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (err) => resolve({ run, ok: false, message: `allure generate failed for ${run}: ${err.message}`, ms: Date.now() - started }));
    child.on("close", (code) => {
      const ms = Date.now() - started;
      if (code !== 0) resolve({ run, ok: false, message: `allure generate failed for ${run}: ${output.trim().split("\n").slice(-3).join(" ")}`, ms });
      else {
        writeFileSync(path.join(out, STAMP), hash + "\n");
        resolve({ run, ok: true, reportDir: out, message: path.join(out, "index.html"), ms });
      }
    });
  });
}

/** Builds the Allure reports of several runs, a few JVMs at a time; `onDone` hears of each as it ends. */
export async function buildAllureReports(
  runDirs: string[],
  o: { force?: boolean; titles?: string[]; onDone?: (outcome: AllureOutcome, done: number) => void } = {},
): Promise<AllureOutcome[]> {
  const limit = Math.max(1, Math.min(4, os.cpus().length));
  const outcomes: AllureOutcome[] = new Array(runDirs.length);
  let next = 0;
  const worker = async () => {
    while (next < runDirs.length) {
      const i = next++;
      outcomes[i] = await buildAllureReport(runDirs[i], { force: o.force, title: o.titles?.[i] });
      o.onDone?.(outcomes[i], outcomes.filter(Boolean).length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, runDirs.length) }, worker));
  return outcomes;
}
