// Allure results for a run, through allure-cucumberjs's formatter, with the suite's vocabulary:
//   epic  = the feature file ("binding" for features/binding.feature)
//   story = each catalogue entry the scenario covers (@req tags, inherited from its Rule)
//   tags  = edition:<the run's edition>, needs:* and the other tags (without "@"; @req tags
//           become stories)
//   links = one per catalogue entry, named by its ID, to the readable spec's anchor
// Status notes (application/vnd.joinleaf.status+json) become the Allure status message, so the
// report says "UNSUPPORTED: driver lacks ..." for a skip, and TIMEOUT/CRASH count as "broken".
// Configured by src/profile.js through formatOptions.joinleaf.allure; it clears its results
// folder when a run starts, so one folder always holds one run.
const reporterModule = require("allure-cucumberjs/reporter");
const AllureCucumberReporter = reporterModule.default || reporterModule;
const { stringifyEnvInfo } = require("allure-js-commons/sdk/reporter");
const fs = require("node:fs");
const path = require("node:path");

// Allure's own FileSystemWriter fsyncs every result through a temporary file: hundreds of disk
// flushes a run, a third of a simulator run's wall time. A run's folder is already written aside
// and moved in whole when it ends (src/conformance.ts), so plain writes lose nothing.
class PlainWriter {
  constructor(dir) {
    this.dir = dir;
  }
  file(name, data) {
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(path.join(this.dir, name), data);
  }
  writeAttachment(name, content) { this.file(name, content); }
  writeAttachmentFromPath(name, from) { fs.mkdirSync(this.dir, { recursive: true }); fs.copyFileSync(from, path.join(this.dir, name)); }
  writeEnvironmentInfo(info) { this.file("environment.properties", stringifyEnvInfo(info)); }
  writeCategoriesDefinitions(categories) { this.file("categories.json", JSON.stringify(categories)); }
  writeGroup(result) {
    // The harness's hooks (driver up, sockets closed) make three containers a scenario; one whose
    // hooks all passed and said nothing shows an empty set-up in the report and costs a file.
    const silent = (f) => f.status === "passed" && !(f.steps || []).length && !(f.attachments || []).length;
    if ([...(result.befores || []), ...(result.afters || [])].every(silent)) return;
    this.file(`${result.uuid}-container.json`, JSON.stringify(result));
  }
  writeResult(result) { this.file(`${result.uuid}-result.json`, JSON.stringify(result)); }
  writeGlobals(name, info) { this.file(name, JSON.stringify(info)); }
}

const STATUS_MEDIA_TYPE = "application/vnd.joinleaf.status+json";

// Allure files "failed" under product defects and "broken" under test defects. A scenario that
// fails is the implementation's failure (a product defect); so is a TIMEOUT or CRASH of the
// implementation. Only an error of the harness itself stays "broken".
const CATEGORIES = [
  { name: "Unsupported by the driver", matchedStatuses: ["skipped"], messageRegex: "UNSUPPORTED[\\s\\S]*" },
  { name: "Not testable", matchedStatuses: ["skipped"], messageRegex: "NOT TESTABLE[\\s\\S]*" },
  { name: "Implementation timed out (product defect)", matchedStatuses: ["failed"], messageRegex: "TIMEOUT[\\s\\S]*" },
  { name: "Implementation crashed (product defect)", matchedStatuses: ["failed"], messageRegex: "CRASH[\\s\\S]*" },
  { name: "Failed conformance checks (product defects)", matchedStatuses: ["failed"] },
  { name: "Harness errors (test defects)", matchedStatuses: ["broken"] },
];

// Severity from the strongest strength among the entries a scenario cites.
const SEVERITY = { must: "critical", should: "normal", may: "minor", advice: "trivial" };
const SEVERITY_ORDER = ["critical", "normal", "minor", "trivial"];

/** Entry ID -> strength, from the catalogue nearest above this file, read by the suite's one reader. */
function strengths() {
  let dir = __dirname;
  for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const f = path.join(dir, "features", "catalogue.yaml");
    if (!fs.existsSync(f)) continue;
    try {
      // catalogue.ts under ts-node (the run registers it for the steps), catalogue.js when compiled.
      const { loadCatalogue } = require("./catalogue");
      return new Map(loadCatalogue(f).entries.map((e) => [e.id, e.strength]));
    } catch {
      return new Map(); // no severities rather than no report
    }
  }
  return new Map();
}

function allureOptions(options) {
  const o = (options.parsedArgvOptions && options.parsedArgvOptions.joinleaf) || {};
  const a = o.allure || {};
  return {
    resultsDir: a.resultsDir,
    specUrl: process.env.JOINLEAF_SPEC_URL || a.specUrl || "../../spec.html",
    environmentInfo: {
      run: String(o.run || ""),
      driver: String(o.driver || ""),
      edition: String(o.edition || ""),
      tags: String(o.tags || "(all)"),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
  };
}

class JoinLeafAllureFormatter extends AllureCucumberReporter {
  constructor(options) {
    const a = allureOptions(options);
    // One folder, one run: stale results of an earlier run would show up as retries.
    if (a.resultsDir && path.basename(a.resultsDir) === "allure-results") fs.rmSync(a.resultsDir, { recursive: true, force: true });
    super({
      ...options,
      parsedArgvOptions: { resultsDir: a.resultsDir, writer: new PlainWriter(a.resultsDir), environmentInfo: a.environmentInfo, categories: CATEGORIES },
    });
    this.specUrl = a.specUrl;
    this.edition = a.environmentInfo.edition;
    this.notes = new Map(); // testCaseStartedId -> status note
    this.strengths = strengths();
    const runtime = this.allureRuntime;
    const write = runtime.writeTest;
    const uuidNotes = new Map();
    this.uuidNotes = uuidNotes;
    runtime.writeTest = (uuid) => {
      const note = uuidNotes.get(uuid);
      if (note) {
        runtime.updateTest(uuid, (r) => {
          const text = `${note.status}: ${note.reason || ""}`.trim();
          if ((note.status === "UNSUPPORTED" || note.status === "NOT TESTABLE") && r.status === "skipped") {
            r.statusDetails = { ...r.statusDetails, message: text };
          } else if ((note.status === "TIMEOUT" || note.status === "CRASH") && r.status !== "passed") {
            r.status = "failed";
            const was = r.statusDetails && r.statusDetails.message;
            r.statusDetails = { ...r.statusDetails, message: was ? `${text}\n${was}` : text };
          }
        });
        uuidNotes.delete(uuid);
      } else {
        // A failed step is a failed conformance check, whatever the error's type.
        runtime.updateTest(uuid, (r) => {
          if (r.status === "broken") r.status = "failed";
        });
      }
      write(uuid);
    };
  }

  onTestCaseStarted(data) {
    super.onTestCaseStarted(data);
    const uuid = this.testResultUuids.get(data.id);
    const testCase = this.testCaseMap.get(data.testCaseId);
    const pickle = testCase && this.pickleMap.get(testCase.pickleId);
    if (!uuid || !pickle) return;
    const tags = pickle.tags.map((t) => t.name);
    const rules = [...new Set(tags.map((t) => /^@req:(JL-\d+)$/.exec(t)).filter(Boolean).map((m) => m[1]))].sort();
    const epic = path.basename(pickle.uri, ".feature");
    this.allureRuntime.updateTest(uuid, (r) => {
      r.labels = r.labels.filter((l) => l.name !== "tag");
      r.labels.push({ name: "epic", value: epic });
      for (const id of rules) r.labels.push({ name: "story", value: id });
      // Every result of a run is a result under the run's edition, tagged or not.
      const own = tags.filter((t) => !t.startsWith("@req:")).map((t) => t.replace(/^@/, ""));
      if (this.edition && !own.some((t) => t.startsWith("edition:"))) own.unshift(`edition:${this.edition}`);
      for (const t of own) r.labels.push({ name: "tag", value: t });
      for (const id of rules) r.links.push({ name: id, url: `${this.specUrl}#${id}`, type: "tms" });
      const severities = rules.map((id) => SEVERITY[this.strengths.get(id)]).filter(Boolean);
      if (severities.length) {
        r.labels = r.labels.filter((l) => l.name !== "severity");
        r.labels.push({ name: "severity", value: SEVERITY_ORDER.find((s) => severities.includes(s)) });
      }
    });
  }

  onAttachment(message) {
    if (message.mediaType === STATUS_MEDIA_TYPE && message.testCaseStartedId) {
      const uuid = this.testResultUuids.get(message.testCaseStartedId);
      try {
        if (uuid) this.uuidNotes.set(uuid, JSON.parse(message.body));
      } catch {
        /* not JSON: leave the Allure status as Cucumber reported it */
      }
    }
    super.onAttachment(message);
  }
}
JoinLeafAllureFormatter.documentation = "joinleaf: Allure results with epic/story/links from the catalogue";

module.exports = JoinLeafAllureFormatter;
