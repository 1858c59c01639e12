import assert from "node:assert/strict";
import { test } from "node:test";
import { computeVerdict } from "../src/report/certification";
import type { ScenarioResult, Status } from "../src/results";

const result = (status: Status, rule: string): ScenarioResult => ({
  run: "r", uri: "f.feature", name: rule, line: 1, key: `f.feature:${rule}`, rules: [rule], tags: [], status, durationMs: 0, attempts: 1,
});

test("expected failures are deviations only beside something that passes", () => {
  const allExpected = computeVerdict([result("EXPECTED FAIL", "JL-001"), result("UNSUPPORTED", "JL-002")], { required: ["JL-001", "JL-002"] });
  assert.equal(allExpected.verdict, "NOT CONFORMANT");
  const some = computeVerdict([result("EXPECTED FAIL", "JL-001"), result("PASS", "JL-002")], { required: ["JL-001", "JL-002"] });
  assert.equal(some.verdict, "CONFORMANT WITH DEVIATIONS");
  assert.ok(some.reasons.includes("1 of 2 required entries have a passing scenario"));
  assert.equal(computeVerdict([result("PASS", "JL-001")], { required: ["JL-001"] }).verdict, "CONFORMANT");
});
