// The console formatter of a run: one character per scenario as it ends, then the run's
// statuses in the suite's terms (PASS, FAIL, UNSUPPORTED, NOT TESTABLE, EXPECTED FAIL, ...; never
// Cucumber's "skipped") and what went wrong where. The statuses come from src/results.ts and,
// when the run has an expectations file, src/expectations.ts, exactly as the reports get them.
// Configured by src/profile.js (formatOptions.joinleaf: quiet, expectations).
const { Formatter } = require("@cucumber/cucumber");

/** Cucumber's status of a scenario so far, as one progress character. */
const MARK = { PASSED: ".", FAILED: "F", SKIPPED: "-", UNDEFINED: "U", PENDING: "P", AMBIGUOUS: "A", UNKNOWN: "?" };
const WORST = ["FAILED", "AMBIGUOUS", "UNDEFINED", "PENDING", "SKIPPED", "UNKNOWN", "PASSED"];

class SummaryFormatter extends Formatter {
  constructor(options) {
    super(options);
    const o = (options.parsedArgvOptions && options.parsedArgvOptions.joinleaf) || {};
    const lines = [];
    const stepStatus = new Map();
    let began = Date.now();
    options.eventBroadcaster.on("envelope", (e) => {
      lines.push(JSON.stringify(e));
      if (e.testRunStarted) began = Date.now();
      if (e.testStepFinished) {
        const id = e.testStepFinished.testCaseStartedId;
        const s = e.testStepFinished.testStepResult.status;
        const was = stepStatus.get(id);
        if (!was || WORST.indexOf(s) < WORST.indexOf(was)) stepStatus.set(id, s);
      }
      if (e.testCaseFinished && !o.quiet && !e.testCaseFinished.willBeRetried) this.log(MARK[stepStatus.get(e.testCaseFinished.testCaseStartedId) || "PASSED"] || "?");
      if (e.testRunFinished) this.log(`${o.quiet ? "" : "\n\n"}${summarize(lines.join("\n"), o, Date.now() - began)}`);
    });
  }
}

function summarize(ndjson, o, ms) {
  // Loaded at the end: from source, TypeScript is registered by then.
  const { parseMessages, STATUSES } = require("../results");
  let results = parseMessages(ndjson, { run: o.run || "run" }).scenarios;
  if (o.expectations) {
    const { applyExpectations, loadExpectations } = require("../expectations");
    results = applyExpectations(results, loadExpectations(o.expectations)).results;
  }
  const out = [];
  for (const r of results.filter((x) => ["FAIL", "UNEXPECTED PASS", "TIMEOUT", "CRASH"].includes(x.status))) {
    out.push(`${r.status} ${r.uri}:${r.line} ${r.name}`);
    if (r.failedStep) out.push(`  step: ${r.failedStep}`);
    const first = (r.message || "").split("\n").filter((l) => l.trim()).slice(0, 3);
    for (const l of first) out.push(`  ${l.trim().slice(0, 300)}`);
  }
  if (out.length) out.push("");
  const counts = STATUSES.map((s) => [s, results.filter((r) => r.status === s).length]).filter(([, n]) => n > 0);
  out.push(`${results.length} scenarios: ${counts.map(([s, n]) => `${n} ${s}`).join(", ") || "none"}${o.expectations ? ` (expectations ${o.expectations})` : ""} in ${(ms / 1000).toFixed(1)} s`);
  return out.join("\n") + "\n";
}

SummaryFormatter.documentation = "joinleaf: progress and a summary in the suite's statuses";

module.exports = SummaryFormatter;
