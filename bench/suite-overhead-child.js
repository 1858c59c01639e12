// One run of bench/suite-overhead.ts, in a process of its own. The suite runs as `joinleaf
// conformance` runs it: plain JavaScript from dist/ (no TypeScript loader), src/match-indices
// standing in for Cucumber's regexp polyfill, and runConformance with all it does around the
// run. The no-op run gives Cucumber the same features and formatters (the same profile) with one
// step definition that matches every step and does nothing. Under tsx, without the stand-in and
// with Cucumber's API called directly, the child had measured costs the command does not have
// and left out some it has.
//   node bench/suite-overhead-child.js simulator|remote|noop REPORTS   prints {kind, success, wallMs, cpuMs, requests, waits}
"use strict";
const started = Date.now();
const cpu = process.cpuUsage();
const path = require("node:path");
const { writeFileSync } = require("node:fs");
const { Writable } = require("node:stream");
const dist = path.join(__dirname, "..", "dist");
require(path.join(dist, "src", "match-indices.js"));

/**
 * A step definition matching every step and passing it: Cucumber's own cost for these features.
 * Cucumber wants one parameter more for a step with a data table or doc string; a step without
 * one then takes that parameter to be the callback of the callback style, which is called.
 */
function noopSteps(dir) {
  const file = path.join(dir, "noop.steps.js");
  const body = `function (argumentOrDone) { if (typeof argumentOrDone === "function") argumentOrDone(); }`;
  writeFileSync(file, `const { defineStep } = require(${JSON.stringify(require.resolve("@cucumber/cucumber"))});\ndefineStep(/^.*$/, ${body});\n`);
  return file;
}

async function main(kind, reports) {
  process.chdir(path.join(__dirname, ".."));
  process.env.JOINLEAF_REPORTS = reports;
  const { featureFiles, runConformance } = require(path.join(dist, "src", "conformance.js"));
  let success;
  if (kind === "noop") {
    const { loadConfiguration, runCucumber } = require("@cucumber/cucumber/api");
    const { profile } = require(path.join(dist, "src", "profile.js"));
    const paths = featureFiles().readable;
    const provided = { ...profile({ driver: "simulator", edition: "current", run: "noop", quiet: true, paths }), require: [noopSteps(reports)] };
    const { runConfiguration } = await loadConfiguration({ provided, file: false });
    ({ success } = await runCucumber(runConfiguration, { stdout: new Writable({ write: (_c, _e, done) => done() }) }));
  } else {
    success = await runConformance({ driver: kind, edition: "current", run: kind, quiet: true });
  }
  const used = process.cpuUsage(cpu);
  const { requestCounts } = require(path.join(dist, "drivers", "remote", "remote-driver.js"));
  process.stdout.write(`\n${JSON.stringify({ kind, success, wallMs: Date.now() - started, cpuMs: (used.user + used.system) / 1000, ...requestCounts })}\n`);
}

main(process.argv[2], process.argv[3]).catch((e) => {
  console.error(e);
  process.exit(1);
});
