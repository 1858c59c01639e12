// Building the Allure HTML report of a run from its allure-results, with allure-commandline
// (which needs Java).
import { spawnSync } from "node:child_process";
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
export function buildAllureReport(runDir: string): AllureOutcome {
  const run = path.basename(runDir);
  const results = path.join(runDir, "allure-results");
  const started = Date.now();
  if (!existsSync(results) || !readdirSync(results).some((f) => f.endsWith("-result.json"))) {
    return { run, ok: false, message: `no Allure results in ${results} (the run predates the Allure formatter; run it again)`, ms: 0 };
  }
  const out = path.join(runDir, "allure-report");
  const r = spawnSync(allureBin(), ["generate", "--clean", "--single-file", "--name", `WSAJoinLeaf conformance: ${run}`, "-o", out, results], { encoding: "utf8" });
  const ms = Date.now() - started;
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr || r.stdout || "").trim().split("\n").slice(-3).join(" ");
    return { run, ok: false, message: `allure generate failed for ${run}: ${why}`, ms };
  }
  return { run, ok: true, reportDir: out, message: `${path.join(out, "index.html")}`, ms };
}
