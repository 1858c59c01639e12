// Cucumber formatter that writes reports/<run>/run.json: which driver, edition and tag filter a
// run used, and whether it was a full run. The message stream does not carry the first three;
// the matrix and the trace read them from here. Configured by src/profile.js through
// formatOptions.joinleaf. Whether the run was full it checks for itself from the stream: every
// scenario of the edition selected, and steps actually executed (a dry run executes none).
const { Formatter } = require("@cucumber/cucumber");
const path = require("node:path");

function timestamp(t) {
  return t ? new Date(t.seconds * 1000 + t.nanos / 1e6).toISOString() : undefined;
}

const EXECUTED = new Set(["PASSED", "FAILED", "AMBIGUOUS", "PENDING"]);

class RunInfoFormatter extends Formatter {
  constructor(options) {
    super(options);
    const o = (options.parsedArgvOptions && options.parsedArgvOptions.joinleaf) || {};
    let suiteVersion;
    try {
      suiteVersion = require(path.join(options.cwd, "package.json")).version;
    } catch {
      suiteVersion = undefined;
    }
    this.info = { run: o.run, driver: o.driver, edition: o.edition, tags: o.tags || null, partial: o.partial || null, dryRun: !!o.dryRun, suiteVersion };
    const otherEdition = `@edition:${o.edition === "legacy" ? "current" : "legacy"}`;
    let inEdition = 0;
    let selected = 0;
    let executedSteps = 0;
    options.eventBroadcaster.on("envelope", (e) => {
      if (e.pickle && !e.pickle.tags.some((t) => t.name === otherEdition)) inEdition++;
      if (e.testCase) selected++;
      if (e.testStepFinished && EXECUTED.has(e.testStepFinished.testStepResult.status)) executedSteps++;
      if (e.testRunStarted) this.info.startedAt = timestamp(e.testRunStarted.timestamp);
      if (e.testRunFinished) {
        this.info.finishedAt = timestamp(e.testRunFinished.timestamp);
        this.info.success = e.testRunFinished.success;
        // Nothing executed although scenarios were selected: a dry run, whatever the options said.
        if (selected > 0 && executedSteps === 0) this.info.dryRun = true;
        this.info.scenarios = { selected, inEdition };
        this.info.full = selected === inEdition && !this.info.dryRun;
        this.log(JSON.stringify(this.info, null, 2) + "\n");
      }
    });
  }
}
RunInfoFormatter.documentation = "joinleaf: writes run.json (driver, edition, tags of the run; whether it was full)";

module.exports = RunInfoFormatter;
