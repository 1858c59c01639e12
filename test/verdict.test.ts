// The verdict rules of src/verdict.ts: conformance apart from regression, allowed deviations,
// profiles.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCatalogue } from "../src/report/catalogue";
import type { ScenarioResult, Status } from "../src/results";
import { computeVerdict } from "../src/verdict";

const result = (status: Status, rule: string, tags: string[] = [], extra: Partial<ScenarioResult> = {}): ScenarioResult => ({
  run: "r", uri: "f.feature", name: `${rule} ${status} ${tags.join(" ")}`, line: 1, key: `f.feature:${rule} ${status} ${tags.join(" ")}`, rules: [rule], tags, status, durationMs: 0, attempts: 1, ...extra,
});

const catalogue = parseCatalogue(
  `profiles:
  ip-multicast: "nonrooted"
  rooted: "rooted"
entries:
  - { id: JL-001, strength: must, editions: [current], profiles: [ip-multicast, rooted], testable: true }
  - { id: JL-002, strength: should, editions: [current], profiles: [ip-multicast, rooted], testable: true }
  - { id: JL-003, strength: must, editions: [current], profiles: [rooted], testable: true }
  - { id: JL-004, strength: may, editions: [current], profiles: [ip-multicast], testable: true }
`,
  "catalogue.yaml",
);

test("expected failures are not deviations: a required rule that fails makes the run NOT CONFORMANT", () => {
  const allExpected = computeVerdict([result("EXPECTED FAIL", "JL-001"), result("PASS", "JL-002")], { required: ["JL-001", "JL-002"], catalogue });
  assert.equal(allExpected.verdict, "NOT CONFORMANT");
  assert.deepEqual(allExpected.failingRules, ["JL-001"]);
  const timeout = computeVerdict([result("EXPECTED FAIL", "JL-001", [], { expectedStatus: "TIMEOUT" }), result("PASS", "JL-002")], { catalogue });
  assert.match(timeout.reasons[0], /1 TIMEOUT/);
  assert.equal(computeVerdict([result("PASS", "JL-001")], { required: ["JL-001"] }).verdict, "CONFORMANT");
  // An unexpected pass is a pass for conformance, a mismatch for the regression verdict.
  const up = computeVerdict([result("UNEXPECTED PASS", "JL-001")], { required: ["JL-001"], catalogue });
  assert.equal(up.verdict, "CONFORMANT");
  assert.equal(up.regression.matches, false);
  assert.equal(up.regression.unexpectedPasses.length, 1);
});

test("CONFORMANT WITH DEVIATIONS: only optional entries or a named reading failed", () => {
  const should = computeVerdict([result("PASS", "JL-001"), result("FAIL", "JL-002")], { catalogue });
  assert.equal(should.verdict, "CONFORMANT WITH DEVIATIONS");
  assert.deepEqual(should.failingRules, []);
  assert.deepEqual(should.deviations.map((d) => d.allowedBy), ["optional entries (should)"]);
  assert.equal(should.regression.matches, false, "an unlisted failure is still new for CI");
  const reading = computeVerdict([result("PASS", "JL-002"), result("FAIL", "JL-001", ["@reading:abortive-close"])], { catalogue });
  assert.equal(reading.verdict, "CONFORMANT WITH DEVIATIONS");
  assert.match(reading.reasons.join("\n"), /allowed deviation \(reading abortive-close\)/);
  // A crash is never an allowed deviation, whatever the strength.
  assert.equal(computeVerdict([result("PASS", "JL-001"), result("CRASH", "JL-002")], { catalogue }).verdict, "NOT CONFORMANT");
  // Without a catalogue every entry counts as required.
  assert.equal(computeVerdict([result("PASS", "JL-001"), result("FAIL", "JL-002")]).verdict, "NOT CONFORMANT");
});

test("profiles: failures outside the profile are not judged; an unexercised entry of the profile is named", () => {
  const results = [result("PASS", "JL-001"), result("FAIL", "JL-003"), result("UNSUPPORTED", "JL-004", [], { message: "lacks session-members" })];
  const all = computeVerdict(results, { catalogue, required: ["JL-001", "JL-003", "JL-004"] });
  assert.equal(all.verdict, "NOT CONFORMANT");
  const ipm = computeVerdict(results, { catalogue, profile: "ip-multicast", required: ["JL-001", "JL-004"] });
  assert.equal(ipm.verdict, "CONFORMANT WITH DEVIATIONS");
  assert.equal(ipm.profile, "ip-multicast");
  assert.deepEqual(ipm.unexercisedRules, ["JL-004"]);
  assert.deepEqual(ipm.exercised, { count: 1, of: 2 });
  assert.match(ipm.reasons.join("\n"), /not exercised at all .*: JL-004/);
  assert.match(ipm.reasons.join("\n"), /outside the ip-multicast profile/);
  const full = computeVerdict([result("PASS", "JL-001"), result("PASS", "JL-004"), result("UNSUPPORTED", "JL-003")], { catalogue, profile: "ip-multicast", required: ["JL-001", "JL-004"] });
  assert.equal(full.verdict, "CONFORMANT", full.reasons.join("\n"));
  assert.deepEqual(full.exercised, { count: 2, of: 2 });
});
