// Type-checks everything and compiles it to dist/ (tsconfig.build.json; the package ships
// dist/src, dist/drivers and dist/steps), writes the agent's request validators as code, then
// stamps the build with the time it started, so bin/joinleaf.js can tell a build older than the
// sources.
// `npm run build`; `npm ci` and `npm pack` run it through "prepare"; npm test with --if-stale.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const started = new Date();

// --if-stale (npm test): nothing to do when the last build is newer than every file it compiled
// and type-checked, e.g. right after `npm ci`.
if (process.argv.includes("--if-stale")) {
  const stamp = path.join(root, "dist", ".built");
  const inputs = ["src", "drivers", "steps", "test", "scripts"].map((d) => path.join(root, d));
  let newest = Math.max(...["tsconfig.json", "tsconfig.build.json"].map((f) => fs.statSync(path.join(root, f)).mtimeMs));
  const walk = (dir) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (/\.(ts|js)$/.test(d.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  inputs.filter((d) => fs.existsSync(d)).forEach(walk);
  if (fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= newest) {
    process.stdout.write("dist/ is newer than every source: type-checked and compiled when it was built\n");
    process.exit(0);
  }
}
fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
// The agent's request validators as code, so an agent does not compile the schema at every start.
require(path.join(root, "dist", "drivers", "remote", "request-schema.js")).writePrebuiltValidators();
const stamp = path.join(root, "dist", ".built");
fs.writeFileSync(stamp, `built ${started.toISOString()}\n`);
fs.utimesSync(stamp, started, started);
