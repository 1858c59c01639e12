// When and Then steps around WSAJoinLeaf itself: making joins and reading what they returned.
import assert from "node:assert/strict";
import { DataTable, Then, When } from "@cucumber/cucumber";
import { errorCode, errorName } from "../drivers/winsock";
import { CALLEE_SEED } from "./setup.steps";
import { STATUS_MEDIA_TYPE, statusNote } from "./status";
import type { ClockHint } from "../drivers/driver";
import { DEFAULT_HOST, JoinLeafWorld, JoinRecord, patternBytes, stride } from "./world";

When("{string} joins {string}( again)", async function (this: JoinLeafWorld, socket: string, target: string) {
  await this.join(socket, await this.joinArgs(target));
});

When("{string} joins {string} with:", async function (this: JoinLeafWorld, socket: string, target: string, table: DataTable) {
  await this.join(socket, await this.joinArgs(target, table.rowsHash()));
});

When("{string} joins with:", async function (this: JoinLeafWorld, socket: string, table: DataTable) {
  await this.join(socket, await this.joinArgs(null, table.rowsHash()));
});

When("{string} starts joining {string}", async function (this: JoinLeafWorld, socket: string, target: string) {
  this.startJoin(socket, await this.joinArgs(target));
  await this.testbed.advance(0); // the request is on its way; the call has not returned
});

/**
 * How long a scenario waits for a join's outcome. The texts give no join timeout, so the wait is
 * as long as the harness lets one call take (JoinLeafWorld.untilSettled); what has not ended by
 * then counts as still pending, never as failed.
 */
const WAIT_BUDGET_MS = { virtual: 120_000, real: 60_000 };

// Waits until the join of `socket` has ended: its blocking call returned, or (nonblocking) an
// FD_CONNECT reported it on s or on the descriptor the join returned. Time passes in 1 ms steps
// for the testbed's settle period, so the scenario looks at the socket at the moment the end is reported.
When("the application waits for the join of {string} to end", async function (this: JoinLeafWorld, socket: string) {
  const record = this.lastJoin(socket);
  const virtual = this.testbed.capabilities.has("virtual-clock");
  const budget = virtual ? WAIT_BUDGET_MS.virtual : WAIT_BUDGET_MS.real;
  const settle = this.testbed.settleMs;
  let hint: ClockHint | undefined;
  for (let waited = 0; ; ) {
    await new Promise((r) => setImmediate(r));
    if (await joinEnded(this, record)) return;
    if (waited >= budget) return;
    const step = waited < settle ? 1 : virtual ? 100 : 50;
    // Idle steps are skipped, never past the end of the 1 ms steps or of the budget.
    const ms = stride(step, (waited < settle ? Math.min(settle, budget) : budget) - waited, hint);
    hint = this.clockHint(await this.testbed.advance(ms));
    waited += ms;
  }
});

async function joinEnded(world: JoinLeafWorld, record: JoinRecord): Promise<boolean> {
  if (world.socket(record.socket).blocking) return record.outcome !== undefined;
  if (record.outcome && !record.outcome.result.ok && record.outcome.result.error !== errorCode("WSAEWOULDBLOCK")) return true; // failed at once
  return (await fdConnects(world, record)).length > 0;
}

/** FD_CONNECT events for a join: on s, or on the descriptor it returned (the legacy text does not say which). */
async function fdConnects(world: JoinLeafWorld, record: JoinRecord): Promise<Array<{ error: number }>> {
  const returned = record.outcome?.result.ok ? world.nameOf(record.outcome.result.value) : undefined;
  const names = [record.socket, ...(returned && returned !== record.socket ? [returned] : [])];
  const seen: Array<{ error: number }> = [];
  for (const n of names) seen.push(...(await world.eventsOf(n, "FD_CONNECT")));
  return seen;
}

// The texts name WSAETIMEDOUT for a join that times out but give no timeout: a join still pending
// when the wait is over is not a failure, only a run that could not see the timeout (UNSUPPORTED).
Then("the join of {string} has timed out with WSAETIMEDOUT, unless it is still pending", async function (this: JoinLeafWorld, socket: string) {
  const record = this.lastJoin(socket);
  const timedOut = errorCode("WSAETIMEDOUT");
  if (this.socket(socket).blocking) {
    if (record.outcome === undefined) return stillPending(this, socket);
    const outcome = await this.finishJoin(record);
    assert.ok(!outcome.result.ok, `WSAJoinLeaf succeeded where WSAETIMEDOUT was expected`);
    assert.equal(outcome.result.error, timedOut, `WSAJoinLeaf failed with ${this.describe(outcome.result)}, not WSAETIMEDOUT`);
    return;
  }
  if (record.outcome && !record.outcome.result.ok && record.outcome.result.error !== errorCode("WSAEWOULDBLOCK")) {
    assert.fail(`WSAJoinLeaf failed at once with ${this.describe(record.outcome.result)}, where the join should have waited for an answer`);
  }
  const seen = await fdConnects(this, record);
  if (seen.length === 0) return stillPending(this, socket);
  assert.ok(seen.some((e) => e.error === timedOut), `FD_CONNECT came with ${seen.map((e) => errorName(e.error)).join(", ")}, not WSAETIMEDOUT`);
});

function stillPending(world: JoinLeafWorld, socket: string): "skipped" {
  const budget = world.testbed.capabilities.has("virtual-clock") ? WAIT_BUDGET_MS.virtual : WAIT_BUDGET_MS.real;
  world.attach(statusNote("UNSUPPORTED", `the join of "${socket}" was still pending after ${budget / 1000} s; the texts give no timeout, so the harness cannot wait for it`), STATUS_MEDIA_TYPE);
  return "skipped";
}

When("{string} starts joining {string} with:", async function (this: JoinLeafWorld, socket: string, target: string, table: DataTable) {
  this.startJoin(socket, await this.joinArgs(target, table.rowsHash()));
  await this.testbed.advance(0);
});

When("the network settles", async function (this: JoinLeafWorld) {
  await this.testbed.advance(this.testbed.settleMs);
});

When("{int} seconds pass", async function (this: JoinLeafWorld, seconds: number) {
  await this.testbed.advance(seconds * 1000);
});

When("the application cancels the blocking call", async function (this: JoinLeafWorld) {
  this.record("WSACancelBlockingCall", await this.driver.cancelBlockingCall(DEFAULT_HOST));
});

When("the application closes {string}", async function (this: JoinLeafWorld, name: string) {
  this.record(`closesocket("${name}")`, await this.driver.closesocket(this.socket(name).sock));
});

Then("the join returns a new c_leaf socket {string}", async function (this: JoinLeafWorld, name: string) {
  const record = this.lastJoin();
  const outcome = await this.finishJoin(record);
  const s = this.socket(record.socket);
  assert.ok(outcome.result.ok, `WSAJoinLeaf failed with ${this.describe(outcome.result)}`);
  const sock = outcome.result.value;
  assert.notEqual(sock, s.sock, "the join returned the c_root socket itself, not a new descriptor");
  // The descriptor must name a socket even while its join is pending: select takes only sockets.
  const asked = await this.driver.select({ read: [sock], write: [sock], except: [sock] }, 0);
  assert.ok(asked.ok || asked.error !== errorCode("WSAENOTSOCK"), `the descriptor the join returned is not a socket: select answered ${this.describe(asked)}`);
  this.adopt(name, sock, s.host, s);
});

Then("the join returns the same socket", async function (this: JoinLeafWorld) {
  const record = this.lastJoin();
  const outcome = await this.finishJoin(record);
  assert.ok(outcome.result.ok, `WSAJoinLeaf failed with ${this.describe(outcome.result)}`);
  assert.equal(outcome.result.value, this.socket(record.socket).sock, "the c_leaf join returned a different descriptor");
});

async function joinSucceeds(world: JoinLeafWorld, socket?: string): Promise<void> {
  const outcome = await world.finishJoin(world.lastJoin(socket));
  assert.ok(outcome.result.ok, `WSAJoinLeaf failed with ${world.describe(outcome.result)}`);
}

async function joinFails(world: JoinLeafWorld, socket?: string, error?: string): Promise<void> {
  const outcome = await world.finishJoin(world.lastJoin(socket));
  assert.ok(!outcome.result.ok, `WSAJoinLeaf succeeded where ${error ?? "a failure"} was expected`);
  if (error) assert.equal(errorName(outcome.result.error), error, `WSAJoinLeaf failed with ${world.describe(outcome.result)}, not ${error}`);
}

Then("the join succeeds", async function (this: JoinLeafWorld) {
  await joinSucceeds(this);
});

Then("the join of {string} succeeds", async function (this: JoinLeafWorld, socket: string) {
  await joinSucceeds(this, socket);
});

Then("the join fails", async function (this: JoinLeafWorld) {
  await joinFails(this);
});

Then("the join fails with {error}", async function (this: JoinLeafWorld, error: string) {
  await joinFails(this, undefined, error);
});

Then("the join fails with {error} or {error}", async function (this: JoinLeafWorld, one: string, other: string) {
  const outcome = await this.finishJoin(this.lastJoin());
  assert.ok(!outcome.result.ok, `WSAJoinLeaf succeeded where ${one} or ${other} was expected`);
  const got = errorName(outcome.result.error);
  assert.ok(got === one || got === other, `WSAJoinLeaf failed with ${this.describe(outcome.result)}, not ${one} or ${other}`);
});

Then("the join of {string} fails", async function (this: JoinLeafWorld, socket: string) {
  await joinFails(this, socket);
});

Then("the join of {string} fails with {error}", async function (this: JoinLeafWorld, socket: string, error: string) {
  await joinFails(this, socket, error);
});

// Only the driver can see the inputs as the implementation holds them (in its own memory, or on
// the far side of the driver protocol), so the driver reports it; one that cannot says nothing.
Then("the join left its input parameters unchanged", async function (this: JoinLeafWorld) {
  const outcome = await this.finishJoin(this.lastJoin());
  if (outcome.inputsUnchanged === undefined) {
    this.attach(statusNote("UNSUPPORTED", `driver "${this.driver.name}" does not report whether WSAJoinLeaf left its inputs unchanged`), STATUS_MEDIA_TYPE);
    return "skipped";
  }
  assert.equal(outcome.inputsUnchanged, true, "WSAJoinLeaf wrote to one of its input parameters (name, caller data, QOS or dwFlags)");
});

Then("the call fails with {error}", function (this: JoinLeafWorld, error: string) {
  const { what, result } = this.lastResult();
  assert.ok(!result.ok, `${what} succeeded where ${error} was expected`);
  assert.equal(result.error, errorCode(error), `${what} failed with ${this.describe(result)}, not ${error}`);
});

Then("the call fails", function (this: JoinLeafWorld) {
  const { what, result } = this.lastResult();
  assert.ok(!result.ok, `${what} succeeded where the scenario expected it to fail`);
});

Then("the call succeeds", function (this: JoinLeafWorld) {
  const { what, result } = this.lastResult();
  assert.ok(result.ok, `${what} failed with ${this.describe(result)}`);
});

Then("the join of {string} is still in progress", async function (this: JoinLeafWorld, socket: string) {
  await new Promise((r) => setImmediate(r));
  const record = this.lastJoin(socket);
  assert.equal(record.outcome, undefined, `the blocking join returned early with ${record.outcome && this.describe(record.outcome.result)}`);
});

Then("the callee buffer length reads {int}", async function (this: JoinLeafWorld, len: number) {
  const callee = await this.latestCallee();
  assert.equal(callee.len, len, `lpCalleeData->len reads ${callee.len}, not ${len}`);
});

Then("the callee buffer holds the peer's {size}", async function (this: JoinLeafWorld, n: number) {
  const callee = await this.latestCallee();
  assert.equal(callee.len, n, `lpCalleeData->len reads ${callee.len}, not ${n}`);
  assert.equal(callee.bytes, patternBytes(n, CALLEE_SEED), "the callee buffer does not hold the bytes the peer sent");
});

Then("the call returned with the peer's {size} in the callee buffer", async function (this: JoinLeafWorld, n: number) {
  const outcome = await this.finishJoin(this.lastJoin());
  assert.ok(outcome.result.ok, `WSAJoinLeaf failed with ${this.describe(outcome.result)}`);
  const callee = outcome.callee;
  assert.ok(callee, "the join passed a NULL lpCalleeData, so there is no callee buffer to read");
  assert.equal(callee.len, n, `when WSAJoinLeaf returned, lpCalleeData->len read ${callee.len}, not ${n}`);
  assert.equal(callee.bytes, patternBytes(n, CALLEE_SEED), "when WSAJoinLeaf returned, the callee buffer did not hold the peer's bytes yet");
});

// A usable socket takes a read: it hands over data or says there is none yet (WSAEWOULDBLOCK).
async function usable(world: JoinLeafWorld, name: string, want: boolean): Promise<void> {
  const r = await world.driver.recv(world.socket(name).sock, 1);
  const usable = r.ok || r.error === errorCode("WSAEWOULDBLOCK");
  assert.equal(usable, want, `a recv on "${name}" answered ${world.describe(r)}`);
}

Then("{string} can be used", async function (this: JoinLeafWorld, name: string) {
  await usable(this, name, true);
});

Then("{string} cannot be used( yet)", async function (this: JoinLeafWorld, name: string) {
  await usable(this, name, false);
});

type SelectSet = "readable" | "writable" | "inError";

async function selectShows(world: JoinLeafWorld, name: string, set: SelectSet, want: boolean): Promise<void> {
  const answer = await world.selectAbout(name);
  const shown = set === "inError" ? "in error" : set;
  assert.equal(answer[set], want, `select ${answer[set] ? "reports" : "does not report"} "${name}" as ${shown}`);
}

// The legacy edition's two readings of a nonblocking c_leaf join that cannot finish at once
// (docs/editions.md, @reading:legacy-nonblocking-leaf): its error table's WSAEWOULDBLOCK, or its
// Return Values' started join, which returns s. A provider that took the error table's reading
// follows it through: select shows the join's end as for a connecting socket.
Then("the join fails with WSAEWOULDBLOCK or returns the same socket", async function (this: JoinLeafWorld) {
  const record = this.lastJoin();
  const outcome = await this.finishJoin(record);
  const wouldBlock = !outcome.result.ok && outcome.result.error === errorCode("WSAEWOULDBLOCK");
  const same = outcome.result.ok && outcome.result.value === this.socket(record.socket).sock;
  assert.ok(wouldBlock || same, `WSAJoinLeaf answered ${this.describe(outcome.result)}: neither WSAEWOULDBLOCK nor the socket it was given`);
});

function failedWouldBlock(world: JoinLeafWorld, name: string): boolean {
  const outcome = world.lastJoin(name).outcome;
  if (!outcome) throw new Error(`the join of "${name}" has not returned yet`);
  return !outcome.result.ok && outcome.result.error === errorCode("WSAEWOULDBLOCK");
}

Then("select reports {string} as {selectSet} if its join failed with WSAEWOULDBLOCK", async function (this: JoinLeafWorld, name: string, set: SelectSet) {
  if (failedWouldBlock(this, name)) await selectShows(this, name, set, true);
});

Then("select does not report {string} as {selectSet} if its join failed with WSAEWOULDBLOCK", async function (this: JoinLeafWorld, name: string, set: SelectSet) {
  if (failedWouldBlock(this, name)) await selectShows(this, name, set, false);
});

Then("select answers about {string}", async function (this: JoinLeafWorld, name: string) {
  await this.selectAbout(name); // fails the step when select refuses the socket
});

Then("select reports {string} as {selectSet}", async function (this: JoinLeafWorld, name: string, set: SelectSet) {
  await selectShows(this, name, set, true);
});

Then("select does not report {string} as {selectSet}", async function (this: JoinLeafWorld, name: string, set: SelectSet) {
  await selectShows(this, name, set, false);
});

Then("nothing was written past the callee buffer", async function (this: JoinLeafWorld) {
  const callee = await this.latestCallee();
  assert.ok(callee.guardIntact, "the guard bytes after the callee buffer were overwritten");
});

Then("{string} has a local address", async function (this: JoinLeafWorld, name: string) {
  const r = await this.driver.getsockname(this.socket(name).sock);
  assert.ok(r.ok, `getsockname failed with ${this.describe(r)}: the socket is not bound`);
});

Then("{string} has no local address yet", async function (this: JoinLeafWorld, name: string) {
  const r = await this.driver.getsockname(this.socket(name).sock);
  assert.ok(!r.ok, "getsockname returned an address before the socket was bound");
});

Then("{string} and {string} have different local addresses", async function (this: JoinLeafWorld, a: string, b: string) {
  const ra = await this.driver.getsockname(this.socket(a).sock);
  const rb = await this.driver.getsockname(this.socket(b).sock);
  assert.ok(ra.ok && rb.ok, "both sockets should have local addresses");
  assert.notEqual(ra.value, rb.value, "two implicitly bound sockets got the same local address");
});

Then("it is not testable: {string}", function (this: JoinLeafWorld, reason: string) {
  this.attach(statusNote("NOT TESTABLE", reason), STATUS_MEDIA_TYPE);
  return "skipped";
});
