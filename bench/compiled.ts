// The benchmarks measure the compiled build, as `npx joinleaf` runs it: under tsx (esbuild with
// keepNames) every closure the model creates also calls Object.defineProperty for its name,
// which made a join cost 2.7 times what it costs in the shipped JavaScript.
import { spawnSync } from "node:child_process";
import path from "node:path";

const ROOT = path.join(__dirname, "..");
let built = false;

/** Builds dist/ when a source is newer than it (once per process). */
export function buildIfStale(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build.js"), "--if-stale"], { stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error("the build failed: see above");
  built = true;
}

/** A module of the compiled build, as it is: for a child whose parent called buildIfStale. */
export function fromDist<T>(source: string): T {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(path.join(ROOT, "dist", source.replace(/\.ts$/, ".js"))) as T;
}

/** A module of the compiled build, built first when a source is newer than it. */
export function compiled<T>(source: string): T {
  buildIfStale();
  return fromDist<T>(source);
}
