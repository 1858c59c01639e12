// Cucumber formatter that writes reports/<run>/run.json: which driver, edition and tag filter a
// run used. The message stream does not carry these; the matrix and the trace read them from here.
// Configured by src/profile.js through formatOptions.joinleaf.
const { Formatter } = require("@cucumber/cucumber");
const path = require("node:path");

function timestamp(t) {
  return t ? new Date(t.seconds * 1000 + t.nanos / 1e6).toISOString() : undefined;
}

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
    this.info = { run: o.run, driver: o.driver, edition: o.edition, tags: o.tags || null, suiteVersion };
    options.eventBroadcaster.on("envelope", (e) => {
      if (e.testRunStarted) this.info.startedAt = timestamp(e.testRunStarted.timestamp);
      if (e.testRunFinished) {
        this.info.finishedAt = timestamp(e.testRunFinished.timestamp);
        this.info.success = e.testRunFinished.success;
        this.log(JSON.stringify(this.info, null, 2) + "\n");
      }
    });
  }
}
RunInfoFormatter.documentation = "joinleaf: writes run.json (driver, edition, tags of the run)";

module.exports = RunInfoFormatter;
