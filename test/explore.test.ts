// explore: random sequences of the suite's steps against the model find nothing in the model itself,
// find a planted provider bug, and print it as a scenario the suite's own parser reads.
import assert from "node:assert/strict";
import { test } from "node:test";
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import { IdGenerator } from "@cucumber/messages";
import { stepLibrary } from "../src/conformance";
import { explore } from "../src/explore/explore";
import { renderFailure, thenLines } from "../src/explore/gherkin";
import { conformantVariantIds } from "../src/explore/references";
import { loadCatalogue } from "../src/report/catalogue";
import { StepRunner } from "../src/explore/actions";
import { JoinLeafWorld } from "../steps/world";

const base = { edition: "current" as const, runs: 40, seed: 20261202, length: 20, references: conformantVariantIds() };

test("the model explored against itself shows no divergence", async () => {
  const result = await explore({ ...base, driver: "simulator" }, await stepLibrary());
  assert.equal(result.failure, undefined, result.failure?.divergence.message);
  assert.ok(result.sequences >= base.runs);
});

const BROKEN = "callee-overrun";
test("a provider that writes callee data past a short buffer is found, shrunk, and printed as a scenario", { skip: base.references.length < 2 && "the model has no variants to break" }, async () => {
  // The broken variant copies the peer's callee data whatever the buffer's size: a real overrun bug.
  const result = await explore({ ...base, runs: 400, driver: "simulator", driverOptions: { variant: BROKEN } }, await stepLibrary());
  const failure = result.failure;
  assert.ok(failure, "explore did not find the overrun");
  const text = renderFailure(failure, { driver: "simulator", edition: "current", extra: ` --variant ${BROKEN}` }, loadCatalogue());
  assert.match(text, /callee buffer/);
  // Ready to paste: a Gherkin parser reads it as one scenario (under a Feature line).
  const doc = new Parser(new AstBuilder(IdGenerator.uuid()), new GherkinClassicTokenMatcher()).parse(`Feature: pasted\n${text.replace(/^(?!#)/gm, "  ")}`);
  const scenarios = doc.feature!.children.filter((c) => c.scenario);
  assert.equal(scenarios.length, 1);
  assert.ok(failure.trace.length + 1 <= 8, `the sequence was shrunk to ${failure.trace.length + 1} actions`);
});

test("Then lines say what the answer was, in the suite's vocabulary", () => {
  const join = { keyword: "When" as const, text: '"a" joins "p"', names: "b" };
  assert.deepEqual(thenLines(join, { status: "ok", join: { result: "a new socket", callee: null } }), ['the join returns a new c_leaf socket "b"']);
  assert.deepEqual(thenLines(join, { status: "ok", join: { result: "WSAEFAULT", callee: null } }), ["the join fails with WSAEFAULT"]);
  assert.deepEqual(thenLines({ probe: "events", name: "a", event: "FD_CONNECT" }, ["NO_ERROR"]), ['"a" is notified of FD_CONNECT with no error']);
  assert.deepEqual(thenLines({ probe: "events", name: "a", event: "FD_CLOSE" }, []), ['"a" is not notified of FD_CLOSE']);
  assert.deepEqual(thenLines({ probe: "recv", name: "a" }, "WSAEWOULDBLOCK"), ['"a" has nothing to receive']);
});

test("every action explore can generate is a step the suite defines exactly once", async () => {
  const runner = new StepRunner(await stepLibrary());
  const w = new JoinLeafWorld({ parameters: { driver: "simulator", edition: "current", run: "x" }, attach: (() => undefined) as never, log: () => undefined, link: () => undefined });
  await assert.rejects(runner.run(w, { keyword: "When", text: "the moon turns blue" }), /0 step definitions match/);
});
