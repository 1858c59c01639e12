#!/usr/bin/env node
// npm run test:unit — every test/*.test.ts under Node's test runner. The files are listed here with
// fs because neither cmd.exe (the Windows runner's shell for npm scripts) nor Node 20's --test
// expands a glob. Extra arguments go to node --test (e.g. --test-name-pattern=...).
const { readdirSync } = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.join(__dirname, "..");
const files = readdirSync(path.join(root, "test"))
  .filter((f) => f.endsWith(".test.ts"))
  .sort()
  .map((f) => path.join("test", f));
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", ...process.argv.slice(2), ...files], { cwd: root, stdio: "inherit" });
if (r.error) {
  process.stderr.write(`unit tests: could not start node: ${r.error.message}\n`);
  process.exit(1);
}
process.exit(r.status ?? 1);
