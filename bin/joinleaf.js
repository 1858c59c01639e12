#!/usr/bin/env node
// Entry point. Runs the compiled command line (dist/, which `npm ci`, `npm pack` and
// `npm run build` write). In a source checkout whose dist/ is missing or older than a source
// file, runs the TypeScript through ts-node instead, so an edit is never hidden by an old build.
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const compiled = path.join(root, "dist", "src", "cli.js");

/** Newest modification time of the sources under these folders (a source checkout only). */
function newestSource(dirs) {
  let newest = 0;
  const walk = (dir) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (/\.(ts|js)$/.test(d.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (fs.existsSync(d)) walk(d);
  return newest;
}

function useCompiled() {
  if (process.env.JOINLEAF_FROM_SOURCE === "1") return false; // bench/cli-startup.js compares both
  if (!fs.existsSync(compiled)) return false;
  if (!fs.existsSync(path.join(root, "src", "cli.ts"))) return true; // an installed package: dist only
  const built = fs.statSync(path.join(root, "dist", ".built")).mtimeMs;
  return newestSource(["src", "drivers", "steps"].map((d) => path.join(root, d))) <= built;
}

let cli;
try {
  cli = useCompiled() ? require(compiled) : undefined;
} catch {
  cli = undefined; // no build stamp: treat as not built
}
if (!cli) {
  require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
  cli = require("../src/cli");
}
cli.main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`joinleaf: ${err && err.stack ? err.stack : err}\n`);
    process.exit(3);
  },
);
