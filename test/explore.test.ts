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
import fc from "fast-check";
import type { SupportCodeLibrary } from "@cucumber/cucumber/lib/support_code_library_builder/types";
import { isProbe, StepRunner } from "../src/explore/actions";
import { actionArbitraries } from "../src/explore/generate";
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
  // The replay line works: seed and path give the same shrunk sequence again, and it still diverges.
  const again = await explore({ ...base, runs: 400, seed: failure.seed, path: failure.path, driver: "simulator", driverOptions: { variant: BROKEN } }, await stepLibrary());
  assert.ok(again.failure, "the replay did not diverge");
  assert.equal(renderFailure(again.failure, { driver: "simulator", edition: "current", extra: ` --variant ${BROKEN}` }, loadCatalogue()), text);
});

test("a closed socket's name gives way when the provider hands its descriptor to a new socket", async () => {
  // Kept, the old name would still say "nonblocking" of what is now a blocking socket: a join
  // through it waited for time nobody let pass, and explore ended with no word and exit code 0.
  const runner = new StepRunner(await stepLibrary());
  const w = new JoinLeafWorld({ parameters: { driver: "simulator", edition: "current", run: "x", driverOptions: { variant: "descriptor-reuse" } }, attach: (() => undefined) as never, log: () => undefined, link: () => undefined });
  assert.equal(await w.start(["nonrooted-control"]), null);
  for (const text of ['a c_leaf socket "a"', '"a" is in nonblocking mode', 'the application closes "a"', 'a c_leaf socket "b"']) await runner.run(w, { keyword: "Given", text });
  assert.deepEqual([...w.sockets.keys()], ["b"]);
  assert.equal(w.socket("b").blocking, true);
  await w.closeAll();
});

test("Then lines say what the answer was, in the suite's vocabulary", () => {
  const join = { keyword: "When" as const, text: '"a" joins "p"', names: "b" };
  assert.deepEqual(thenLines(join, { status: "ok", join: { result: "a new socket", callee: null } }), ['the join returns a new c_leaf socket "b"']);
  assert.deepEqual(thenLines(join, { status: "ok", join: { result: "WSAEFAULT", callee: null } }), ["the join fails with WSAEFAULT"]);
  assert.deepEqual(thenLines({ probe: "events", name: "a", event: "FD_CONNECT" }, ["NO_ERROR"]), ['"a" is notified of FD_CONNECT with no error']);
  assert.deepEqual(thenLines({ probe: "events", name: "a", event: "FD_CLOSE" }, []), ['"a" is not notified of FD_CLOSE']);
  assert.deepEqual(thenLines({ probe: "recv", name: "a" }, "WSAEWOULDBLOCK"), ['"a" has nothing to receive']);
});

test("every action explore can generate, and every Then line it prints, is a step the suite defines exactly once", async () => {
  const library = (await stepLibrary()) as unknown as SupportCodeLibrary;
  const matching = (text: string) => library.stepDefinitions.filter((d) => d.matchesStepName(text)).length;
  const names = { sockets: ["a", "b"], peers: ["p"], joined: true };
  const traits = new Set(["rooted-control", "rooted-data", "connect-data", "qos", "root-initiated", "leaf-initiated"]);
  const capabilities = new Set(["scripted-peers", "session-members", "unreachable-peers", "network-down", "virtual-clock"]);
  const planned = actionArbitraries({ capabilities, traits }).flatMap(({ arbitrary }) => fc.sample(arbitrary, { numRuns: 40, seed: 1 }));
  // Join tables are read by the World, not by a step definition: each row must read.
  const table = new JoinLeafWorld({ parameters: { driver: "simulator", edition: "current", run: "x" }, attach: (() => undefined) as never, log: () => undefined, link: () => undefined });
  assert.equal(await table.start(["root-initiated", "connect-data", "qos"]), null);
  table.peers.set("p", "02001388c0a80001" + "00".repeat(8));
  let steps = 0;
  for (const plan of planned) {
    const action = plan(names);
    if (!action) continue;
    if (!isProbe(action)) for (const row of action.table ?? []) await table.joinArgs("p", Object.fromEntries([row]));
    const probeAnswers: Record<string, unknown[]> = {
      select: [{ readable: true, writable: false, inError: true }],
      events: [["NO_ERROR"], ["WSAECONNREFUSED"], []],
      recv: ["WSAEWOULDBLOCK", { bytes: "4000" }],
      callee: [{ len: 2, bytes: "4000", guardIntact: true }],
      peer: [{ member: true, asked: true, callerData: null, received: ["0100"], sawClose: true }, { member: false, asked: true, callerData: "0100", received: [], sawClose: false }],
    };
    const answers: unknown[] = isProbe(action)
      ? probeAnswers[action.probe]
      : [{ status: "ok", join: { result: "a new socket" } }, { status: "ok", join: { result: "WSAEFAULT" } }, { status: "ok", call: "ok" }, { status: "ok", call: "WSAEINVAL" }];
    const texts = [...(isProbe(action) ? [] : [action.text]), ...answers.flatMap((a) => thenLines(action, a)).filter((t) => !t.startsWith("#"))];
    for (const text of texts) {
      steps++;
      assert.equal(matching(text), 1, `"${text}" matches ${matching(text)} step definitions`);
    }
  }
  assert.ok(steps > 200, `only ${steps} step texts were checked`);
  await table.closeAll();
  const runner = new StepRunner(library as never);
  const w = new JoinLeafWorld({ parameters: { driver: "simulator", edition: "current", run: "x" }, attach: (() => undefined) as never, log: () => undefined, link: () => undefined });
  await assert.rejects(runner.run(w, { keyword: "When", text: "the moon turns blue" }), /0 step definitions match/);
});
