// The testbed beside the driver: the simulated kind forwards to the driver's own peers, faults
// and clock; the real kind offers nothing outside the project's network namespace and says why.
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeSockAddr } from "../drivers/sockaddr";
import { Simulator } from "../drivers/simulator/simulator";
import { RealTestbed, SimulatedTestbed, testbedFor } from "../drivers/testbed/index";
import { TESTBED_CAPABILITIES } from "../drivers/capabilities";
import { closeAllConnections } from "../drivers/remote/remote-driver";
import { JoinLeafWorld, readClockHint, REAL_ARRIVAL_BUDGET_MS, stride } from "../steps/world";
import { VirtualClock } from "../drivers/simulator/clock";
import type { ClockHint } from "../drivers/driver";
import { spawnSync } from "node:child_process";

test("the simulator's testbed is simulated and carries exactly the testbed words of its capabilities", async () => {
  const sim = new Simulator({ edition: "current" });
  const tb = testbedFor(sim);
  assert.ok(tb instanceof SimulatedTestbed);
  assert.equal(tb.kind, "simulated");
  assert.deepEqual([...tb.capabilities].sort(), [...sim.capabilities].filter((c) => (TESTBED_CAPABILITIES as readonly string[]).includes(c)).sort());
  assert.ok(!tb.capabilities.has("several-hosts" as never), "several-hosts is the implementation's, not the testbed's");
  const session = await tb.definePeer("group", { answer: "session" });
  assert.ok(session.ok);
  assert.equal((await tb.peerLog("group")).member, true);
  await sim.dispose();
});

test("a driver on the real network gets the real testbed", () => {
  const real = { ...new Simulator({ edition: "current" }), network: "real" as const };
  assert.ok(testbedFor(real as never) instanceof RealTestbed);
});

test(
  "outside the project's namespace the real testbed offers no capability, names the reason, and joins no group",
  { skip: process.env.JOINLEAF_NETNS ? "this process runs inside a project namespace" : false },
  async () => {
    const tb = new RealTestbed();
    assert.equal(tb.kind, "real");
    assert.deepEqual([...tb.capabilities], []);
    for (const c of ["session-members", "network-down", "unreachable-peers"] as const) assert.match(tb.whyNot(c) ?? "", /scripts\/netns\.sh/);
    assert.match(tb.whyNot("scripted-peers") ?? "", /rooted joins on command/);
    const session = await tb.definePeer("group", { answer: "session" });
    assert.ok(session.ok);
    const address = decodeSockAddr(session.value);
    assert.match(address?.address ?? "", /^239\.255\.77\.\d+$/, "a session is an administratively scoped group");
    assert.deepEqual(await tb.definePeer("group", { answer: "session" }), { ok: false, error: 10048 }, "a name is defined once");
    await assert.rejects(tb.peerLog("group"), /session-members/);
    await assert.rejects(tb.peerSend("group", "00"), /session-members/);
    await assert.rejects(tb.definePeer("B", { answer: "accept" }), /scripted-peers/);
    await assert.rejects(tb.definePeer("U", { answer: "unreachable" }), /unreachable-peers/);
    await assert.rejects(tb.injectFault("local", "network-down", true), /network-down/);
    await assert.rejects(tb.injectFault("local", "no-buffers", true), /out-of-buffers/);
    assert.equal(await tb.hostAddress("local"), "127.0.0.1");
    await tb.dispose();
  },
);

test("an UNSUPPORTED reason names every missing capability and protocol trait, not only the first", { skip: spawnSync("python3", ["--version"]).status === 0 ? false : "python3 is not installed", timeout: 60_000 }, async () => {
  const noop = () => undefined;
  const world = new JoinLeafWorld({
    parameters: { driver: "remote", edition: "current", run: "t", driverOptions: { agent: "python3 examples/python-agent/agent.py" } },
    attach: noop as never,
    log: noop,
    link: noop,
  });
  try {
    const reason = await world.start(["scripted-peers", "network-down", "several-hosts", "rooted-control", "qos"]);
    assert.ok(reason, "python-null offers none of these");
    for (const word of ["scripted-peers", "network-down", "several-hosts", "rooted-control", "qos"]) assert.match(reason, new RegExp(word), `"${word}" is named: ${reason}`);
    assert.equal(await world.start(["nonrooted-control"]), null, "what the agent offers starts");
  } finally {
    await world.closeAll();
    closeAllConnections();
  }
});

test("on a real clock a Then that expects an arrival waits for it (up to its budget); on a virtual clock it looks once", async () => {
  const untilArrived = JoinLeafWorld.prototype.untilArrived;
  const fakeTestbed = (virtual: boolean) => {
    const t = { now: 0, capabilities: new Set(virtual ? ["virtual-clock"] : []), advance: async (ms: number) => void (t.now += ms) };
    return t;
  };
  // Delivered 300 ms after the check starts: a real clock waits for it.
  const real = fakeTestbed(false);
  await untilArrived.call({ testbed: real } as unknown as JoinLeafWorld, async () => real.now >= 300);
  assert.equal(real.now, 300);
  // Never delivered: the wait ends at the budget and the check then fails as it would have.
  const never = fakeTestbed(false);
  await untilArrived.call({ testbed: never } as unknown as JoinLeafWorld, async () => false);
  assert.equal(never.now, REAL_ARRIVAL_BUDGET_MS);
  // A virtual clock is the scenario's own: no time passes behind the scenario's back.
  const virtual = fakeTestbed(true);
  await untilArrived.call({ testbed: virtual } as unknown as JoinLeafWorld, async () => false);
  assert.equal(virtual.now, 0);
});

test("a virtual clock's hint lets a watching loop skip idle steps and look exactly where its steps would have seen something", () => {
  // Deliveries at odd moments, before, across and after the 1 ms phase of a join's wait.
  const due = [0.5, 3, 37.5, 999.2, 1000, 1000.4, 1250, 5003, 119_999];
  const watch = (skip: boolean): number[] => {
    const clock = new VirtualClock();
    for (const at of due) clock.schedule(at, () => undefined);
    const seen: number[] = [];
    let hint: ClockHint | undefined;
    for (let waited = 0; waited < 120_000; ) {
      const step = waited < 1000 ? 1 : 100;
      const ms = skip ? stride(step, (waited < 1000 ? 1000 : 120_000) - waited, hint) : step;
      if (clock.advance(ms) > 0) seen.push(clock.now);
      hint = readClockHint({ nextDueMs: clock.nextDueIn() }, true);
      waited += ms;
    }
    return seen;
  };
  const stepped = watch(false);
  assert.deepEqual(stepped, [1, 3, 38, 1000, 1100, 1300, 5100, 120_000]);
  assert.deepEqual(watch(true), stepped);
});

test("an advance's answer is a clock hint only from a virtual clock, and only when well formed", () => {
  assert.deepEqual(readClockHint({ nextDueMs: 12.5 }, true), { nextDueMs: 12.5 });
  assert.deepEqual(readClockHint({ nextDueMs: null }, true), { nextDueMs: null });
  for (const bad of [null, undefined, 7, "soon", {}, { nextDueMs: -1 }, { nextDueMs: "3" }, { nextDueMs: Number.NaN }, { nextDueMs: Infinity }]) {
    assert.equal(readClockHint(bad, true), undefined, JSON.stringify(bad));
  }
  assert.equal(readClockHint({ nextDueMs: 5 }, false), undefined, "a real clock's answer is no promise");
  assert.equal(stride(100, 300, undefined), 100);
  assert.equal(stride(100, 50, undefined), 50);
  assert.equal(stride(1, 997, { nextDueMs: null }), 997);
  assert.equal(stride(1, 997, { nextDueMs: 0 }), 1);
  assert.equal(stride(100, 10_000, { nextDueMs: 250 }), 300);
  assert.equal(stride(1, 40, { nextDueMs: 999 }), 40);
});
