// The package as a user gets it: `npm pack`, installed into a fresh project, runs with no
// TypeScript compiler (ts-node and typescript are dev dependencies, so they are not there), finds
// its features and steps in the package and writes reports where the user is.
import assert from "node:assert/strict";
import { spawnSync, SpawnSyncOptions } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { PACKAGE_ROOT } from "../src/package-root";

const root = PACKAGE_ROOT;

function run(cmd: string, args: string[], opts: SpawnSyncOptions) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts, env: { ...process.env, JOINLEAF_REPORTS: "", ...opts.env } });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

test("npm pack, npm install into a temporary project, npx joinleaf help and a simulator run", { timeout: 300_000 }, (t) => {
  // In the temp folder, which npm test puts on a RAM-backed filesystem when there is one (scripts/test.js).
  const tmp = mkdtempSync(path.join(os.tmpdir(), "joinleaf-package-"));
  // Its ~100 MB go when the test ends, passed or failed (the assertions carry npm's own output).
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  // The build is what ships: make one if there is none (npm test builds first).
  if (!existsSync(path.join(root, "dist", ".built"))) assert.equal(run(process.execPath, ["scripts/build.js"], { cwd: root, stdio: "inherit" }).status, 0);
  const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], { cwd: root });
  assert.equal(pack.status, 0, pack.stderr);
  const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const shipped = packed.files.map((f) => f.path);
  assert.ok(shipped.includes("dist/src/cli.js") && shipped.includes("features/catalogue.yaml"), "compiled CLI and the suite are in the package");
  assert.ok(!shipped.some((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")), `no TypeScript sources: ${shipped.filter((f) => f.endsWith(".ts")).join(", ")}`);

  const project = path.join(tmp, "project");
  mkdirSync(project);
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "certify-my-provider", version: "1.0.0", private: true }));
  const install = run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", path.join(tmp, packed.filename)], { cwd: project });
  assert.equal(install.status, 0, install.stderr);
  assert.ok(!existsSync(path.join(project, "node_modules", "ts-node")) && !existsSync(path.join(project, "node_modules", "typescript")), "no TypeScript at run time");

  const help = run("npx", ["--no-install", "joinleaf", "help"], { cwd: project });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^  conformance /m);

  // npx found it; the rest call the installed command directly (npx costs a second of CPU each).
  const joinleaf = (...args: string[]) => run(process.execPath, [path.join(project, "node_modules", ".bin", "joinleaf"), ...args], { cwd: project });
  // A relative path of the user's (--expectations) is read from their folder.
  const conformance = joinleaf("conformance", "--driver", "simulator", "--quiet", "--run", "mine");
  assert.equal(conformance.status, 0, conformance.stdout + conformance.stderr);
  const info = JSON.parse(readFileSync(path.join(project, "reports", "mine", "run.json"), "utf8"));
  assert.equal(info.driver, "simulator");
  const messages = readFileSync(path.join(project, "reports", "mine", "messages.ndjson"), "utf8");
  assert.match(messages, /"uri":"features\/[a-z-]+\.feature"/, "feature uris are the package's own, as in a source checkout");
  const missing = joinleaf("conformance", "--expectations", "mine.yaml");
  assert.equal(missing.status, 2, missing.stderr);
  assert.match(missing.stderr, /mine\.yaml/);
});
