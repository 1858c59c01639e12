// Type-checks everything and compiles it to dist/ (tsconfig.build.json; the package ships
// dist/src, dist/drivers and dist/steps), then stamps the build with the time it started, so
// bin/joinleaf.js can tell a build older than the sources.
// `npm run build`; `npm ci` and `npm pack` run it through "prepare".
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const started = new Date();
fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
const stamp = path.join(root, "dist", ".built");
fs.writeFileSync(stamp, `built ${started.toISOString()}\n`);
fs.utimesSync(stamp, started, started);
