// junit.xml in the suite's own terms, for CI tools: Cucumber's JUnit formatter knows passed,
// failed and skipped only, and nothing of expectations. Written over the formatter's file once
// a run's results are known (after its expectations are applied):
//   PASS                         passes
//   EXPECTED FAIL                passes, with the expectation's note in <system-out>
//   UNSUPPORTED, NOT TESTABLE    <skipped message="STATUS: reason">
//   FAIL, UNEXPECTED PASS        <failure>
//   TIMEOUT, CRASH               <error> (the implementation hung or died, not a wrong answer)
import { writeFileSync } from "node:fs";
import { create } from "xmlbuilder";
import type { ScenarioResult } from "../results";

export function renderJunit(suiteName: string, results: readonly ScenarioResult[], timestamp?: string): string {
  const count = (...s: string[]) => results.filter((r) => s.includes(r.status)).length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const suite = create("testsuite", { version: "1.0", encoding: "UTF-8" }, {}, { invalidCharReplacement: "" }).att({
    name: suiteName,
    tests: results.length,
    failures: count("FAIL", "UNEXPECTED PASS"),
    errors: count("TIMEOUT", "CRASH"),
    skipped: count("UNSUPPORTED", "NOT TESTABLE"),
    time: seconds(results.reduce((t, r) => t + r.durationMs, 0)),
    ...(timestamp ? { timestamp } : {}),
  });
  const names = new Map<string, number>();
  for (const r of results) names.set(`${r.uri}\0${r.name}`, (names.get(`${r.uri}\0${r.name}`) ?? 0) + 1);
  for (const r of results) {
    // Outline rows share a name: the line tells them apart.
    const name = (names.get(`${r.uri}\0${r.name}`) ?? 0) > 1 ? `${r.name} (line ${r.line})` : r.name;
    const tc = suite.ele("testcase", { classname: r.uri, name, time: seconds(r.durationMs) });
    const message = `${r.status}${r.message ? `: ${firstLine(r.message)}` : ""}`;
    switch (r.status) {
      case "PASS":
        break;
      case "EXPECTED FAIL": {
        const e = r.expectation;
        tc.ele("system-out").txt(`EXPECTED FAIL (${e ? `${e.file} entry ${e.entry}` : "expectations"}): ${e?.note ?? ""}${r.message ? `\n${r.message}` : ""}`);
        break;
      }
      case "UNSUPPORTED":
      case "NOT TESTABLE":
        tc.ele("skipped", { message });
        break;
      case "FAIL":
      case "UNEXPECTED PASS":
        tc.ele("failure", { type: r.status, message }).txt(details(r));
        break;
      case "TIMEOUT":
      case "CRASH":
        tc.ele("error", { type: r.status, message }).txt(details(r));
        break;
    }
  }
  return suite.end({ pretty: true }) + "\n";
}

export function writeJunit(file: string, suiteName: string, results: readonly ScenarioResult[], timestamp?: string): void {
  writeFileSync(file, renderJunit(suiteName, results, timestamp));
}

/** Terminal colour codes in failure messages mean nothing in XML. */
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");

function details(r: ScenarioResult): string {
  const lines = [r.failedStep ? `step: ${r.failedStep}` : "", plain(r.message ?? ""), r.expectation ? `expectation: ${r.expectation.file} entry ${r.expectation.entry} expected ${r.expectation.expected}` : ""];
  return lines.filter(Boolean).join("\n");
}

function firstLine(text: string): string {
  return plain(text.split("\n").find((l) => l.trim()) ?? "").trim().slice(0, 300);
}
