// junit.xml says what the suite's statuses mean, so CI tools do not report expected failures
// as failures nor skip without a reason.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { applyExpectations, loadExpectations } from "../src/expectations";
import { renderJunit } from "../src/report/junit";
import { parseMessages } from "../src/results";
import { PACKAGE_ROOT } from "../src/package-root";

const FIXTURES = path.join(PACKAGE_ROOT, "test", "fixtures");
const run = parseMessages(readFileSync(path.join(FIXTURES, "outcomes.ndjson"), "utf8"), { run: "fixture" });
const comparison = applyExpectations(run.scenarios, loadExpectations(path.join(FIXTURES, "expectations", "fixture.yaml")));

function testcases(xml: string) {
  return [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => ({ name: m[2], body: m[4] ?? "" }));
}

test("every status maps to what JUnit means by it; the counts agree", () => {
  const xml = renderJunit("joinleaf-fixture", comparison.results);
  const cases = testcases(xml);
  assert.equal(cases.length, comparison.results.length);
  const byStatus = (s: string) => comparison.results.filter((r) => r.status === s).length;
  const statuses = new Set(comparison.results.map((r) => r.status));
  assert.ok(statuses.has("EXPECTED FAIL") && statuses.has("UNSUPPORTED") && statuses.has("PASS"), `the fixture covers them: ${[...statuses]}`);
  assert.match(xml, new RegExp(`failures="${byStatus("FAIL") + byStatus("UNEXPECTED PASS")}"`));
  assert.match(xml, new RegExp(`errors="${byStatus("TIMEOUT") + byStatus("CRASH")}"`));
  assert.match(xml, new RegExp(`skipped="${byStatus("UNSUPPORTED") + byStatus("NOT TESTABLE")}"`));
  comparison.results.forEach((r, i) => {
    const body = cases[i].body;
    if (r.status === "EXPECTED FAIL") {
      assert.doesNotMatch(body, /<failure|<error|<skipped/, `${r.key}: an expected failure passes`);
      assert.match(body, /<system-out>EXPECTED FAIL \(/, `${r.key}: with a note`);
    } else if (r.status === "UNSUPPORTED" || r.status === "NOT TESTABLE") {
      assert.match(body, new RegExp(`<skipped message="${r.status}: [^"]+"/>`), `${r.key}: skipped with its reason`);
    } else if (r.status === "FAIL" || r.status === "UNEXPECTED PASS") {
      assert.match(body, new RegExp(`<failure type="${r.status}"`), r.key);
    } else if (r.status === "TIMEOUT" || r.status === "CRASH") {
      assert.match(body, new RegExp(`<error type="${r.status}"`), r.key);
    } else {
      assert.equal(body, "", `${r.key}: a pass has no children`);
    }
  });
});

test("control characters in a message (colours) do not break the XML", () => {
  const [first] = comparison.results;
  const xml = renderJunit("s", [{ ...first, status: "FAIL", message: "\u001b[31mred\u001b[0m <&> \"quoted\"" }]);
  assert.doesNotMatch(xml, /\u001b/);
  assert.match(xml, /message="FAIL: red &lt;&amp;(>|&gt;) &quot;quoted&quot;"/);
});
