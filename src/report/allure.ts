// Building the Allure HTML report of a run from its allure-results, with allure-commandline
// (which needs Java).
import { spawn, spawnSync } from "node:child_process";
import os from "node:os";
import { existsSync, readdirSync } from "node:fs";
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
  reportDir?: string;
  message: string;
  ms: number;
}

/** Builds reports/<run>/allure-report/index.html (one self-contained file) from allure-results. */
export function buildAllureReport(runDir: string): Promise<AllureOutcome> {
  const run = path.basename(runDir);
  const results = path.join(runDir, "allure-results");
  const started = Date.now();
  if (!existsSync(results) || !readdirSync(results).some((f) => f.endsWith("-result.json"))) {
    return Promise.resolve({ run, ok: false, message: `no Allure results in ${results} (the run predates the Allure formatter; run it again)`, ms: 0 });
  }
  const out = path.join(runDir, "allure-report");
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(allureBin(), ["generate", "--clean", "--single-file", "--name", `WSAJoinLeaf conformance: ${run}`, "-o", out, results], {
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
      else resolve({ run, ok: true, reportDir: out, message: path.join(out, "index.html"), ms });
    });
  });
}

/** Builds the Allure reports of several runs, a few JVMs at a time. */
export async function buildAllureReports(runDirs: string[]): Promise<AllureOutcome[]> {
  const limit = Math.max(1, Math.min(4, os.cpus().length));
  const outcomes: AllureOutcome[] = new Array(runDirs.length);
  let next = 0;
  const worker = async () => {
    while (next < runDirs.length) {
      const i = next++;
      outcomes[i] = await buildAllureReport(runDirs[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, runDirs.length) }, worker));
  return outcomes;
}
