// A setup call that fails (the World's expectOk raises PreconditionNotMet) is not the failure of
// the call under test: src/results.ts reports "precondition not met" and no observed error.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parseMessages } from "../src/results";
import { PACKAGE_ROOT } from "../src/package-root";

const FIXTURE = path.join(PACKAGE_ROOT, "test", "fixtures", "outcomes.ndjson");
const SETUP_ERROR = 'bind("specific") failed with WSAEADDRINUSE (10048) where the scenario needed it to work';

/** The fixture run, with the failing step of one scenario turned into a setup call that failed. */
function runWithFailedSetup(stepType: "Context" | "Outcome") {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const envelopes: any[] = readFileSync(FIXTURE, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const pickle = envelopes.find((e) => e.pickle?.name === "It fails with another error").pickle;
  const testCase = envelopes.find((e) => e.testCase?.pickleId === pickle.id).testCase;
  const stepIds = new Set(testCase.testSteps.map((s: { id: string }) => s.id));
  const failed = envelopes.find((e) => e.testStepFinished?.testStepResult.status === "FAILED" && stepIds.has(e.testStepFinished.testStepId)).testStepFinished;
  const step = testCase.testSteps.find((s: { id: string }) => s.id === failed.testStepId);
  pickle.steps.find((p: { id: string }) => p.id === step.pickleStepId).type = stepType;
  failed.testStepResult.message = `PreconditionNotMet: ${SETUP_ERROR}`;
  failed.testStepResult.exception = { type: "PreconditionNotMet", message: SETUP_ERROR };
  const run = parseMessages(envelopes.map((e) => JSON.stringify(e)).join("\n"), { run: "fixture", file: FIXTURE });
  return run.scenarios.find((s) => s.name === "It fails with another error");
}

test("a setup step whose call failed: precondition not met, the rule never reached, no observed error", () => {
  const r = runWithFailedSetup("Context");
  assert.ok(r);
  assert.equal(r.status, "UNSUPPORTED");
  assert.equal(r.message, `precondition not met: ${SETUP_ERROR}; the rule under test was never reached`);
  assert.equal(r.observed, undefined, "the setup's error is not reported as the call under test's");
});

test("the same error raised while checking the outcome stays a FAIL", () => {
  const r = runWithFailedSetup("Outcome");
  assert.ok(r);
  assert.equal(r.status, "FAIL");
  assert.match(r.message ?? "", /WSAEADDRINUSE/);
});
