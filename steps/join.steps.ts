// When and Then steps around WSAJoinLeaf itself: making joins and reading what they returned.
import assert from "node:assert/strict";
import { DataTable, Then, When } from "@cucumber/cucumber";
import { errorCode, errorName } from "../drivers/winsock";
import { CALLEE_SEED } from "./setup.steps";
import { STATUS_MEDIA_TYPE, statusNote } from "./status";
import { DEFAULT_HOST, JoinLeafWorld, patternBytes, SETTLE_MS } from "./world";

When(/^"([^"]+)" joins "([^"]+)"(?: again)?$/, async function (this: JoinLeafWorld, socket, target) {
  await this.join(socket, await this.joinArgs(target));
});

When(/^"([^"]+)" joins "([^"]+)" with:$/, async function (this: JoinLeafWorld, socket, target, table: DataTable) {
  await this.join(socket, await this.joinArgs(target, table.rowsHash()));
});

When("{string} joins with:", async function (this: JoinLeafWorld, socket: string, table: DataTable) {
  await this.join(socket, await this.joinArgs(null, table.rowsHash()));
});

When("{string} starts joining {string}", async function (this: JoinLeafWorld, socket: string, target: string) {
  this.startJoin(socket, await this.joinArgs(target));
  await this.testbed.advance(0); // the request is on its way; the call has not returned
});

When("the network settles", async function (this: JoinLeafWorld) {
  await this.testbed.advance(SETTLE_MS);
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
  assert.notEqual(outcome.result.value, s.sock, "the join returned the c_root socket itself, not a new descriptor");
  this.adopt(name, outcome.result.value, s.host, s);
});

Then("the join returns the same socket", async function (this: JoinLeafWorld) {
  const record = this.lastJoin();
  const outcome = await this.finishJoin(record);
  assert.ok(outcome.result.ok, `WSAJoinLeaf failed with ${this.describe(outcome.result)}`);
  assert.equal(outcome.result.value, this.socket(record.socket).sock, "the c_leaf join returned a different descriptor");
});

Then(/^the join (?:of "([^"]+)" )?succeeds$/, async function (this: JoinLeafWorld, socket?: string) {
  const outcome = await this.finishJoin(this.lastJoin(socket));
  assert.ok(outcome.result.ok, `WSAJoinLeaf failed with ${this.describe(outcome.result)}`);
});

Then(/^the join (?:of "([^"]+)" )?fails(?: with (\w+))?$/, async function (this: JoinLeafWorld, socket?: string, error?: string) {
  const outcome = await this.finishJoin(this.lastJoin(socket));
  assert.ok(!outcome.result.ok, `WSAJoinLeaf succeeded where ${error ?? "a failure"} was expected`);
  if (error) assert.equal(errorName(outcome.result.error), error, `WSAJoinLeaf failed with ${this.describe(outcome.result)}, not ${error}`);
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

Then("the call fails with {word}", function (this: JoinLeafWorld, error: string) {
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

Then("the callee buffer holds the peer's {int} bytes", async function (this: JoinLeafWorld, n: number) {
  const callee = await this.latestCallee();
  assert.equal(callee.len, n, `lpCalleeData->len reads ${callee.len}, not ${n}`);
  assert.equal(callee.bytes, patternBytes(n, CALLEE_SEED), "the callee buffer does not hold the bytes the peer sent");
});

Then("the call returned with the peer's {int} bytes in the callee buffer", async function (this: JoinLeafWorld, n: number) {
  const outcome = await this.finishJoin(this.lastJoin());
  assert.ok(outcome.result.ok, `WSAJoinLeaf failed with ${this.describe(outcome.result)}`);
  const callee = outcome.callee;
  assert.ok(callee, "the join passed a NULL lpCalleeData, so there is no callee buffer to read");
  assert.equal(callee.len, n, `when WSAJoinLeaf returned, lpCalleeData->len read ${callee.len}, not ${n}`);
  assert.equal(callee.bytes, patternBytes(n, CALLEE_SEED), "when WSAJoinLeaf returned, the callee buffer did not hold the peer's bytes yet");
});

Then("the callee buffer still reads its full length and holds nothing yet", async function (this: JoinLeafWorld) {
  const record = this.lastJoin();
  const outcome = await this.finishJoin(record);
  const capacity = record.args.lpCalleeData?.len;
  if (capacity === undefined || !outcome.callee) throw new Error("the join passed a NULL lpCalleeData, so there is no callee buffer to read");
  const now = await this.driver.calleeBuffer(outcome.callId);
  assert.equal(outcome.callee.len, capacity, `when the call returned lpCalleeData->len read ${outcome.callee.len}, not the capacity ${capacity}`);
  assert.equal(now.len, capacity, `lpCalleeData->len reads ${now.len} before the join completed, not the capacity ${capacity}`);
  assert.equal(now.bytes, outcome.callee.bytes, "the callee buffer was written before the join completed");
  assert.notEqual(now.bytes.slice(0, 2), patternBytes(1, CALLEE_SEED), "the callee buffer already holds the peer's data");
});

Then(/^"([^"]+)" (can|cannot) be used(?: yet)?$/, async function (this: JoinLeafWorld, name: string, can: string) {
  // A usable socket takes a read: it hands over data or says there is none yet (WSAEWOULDBLOCK).
  const r = await this.driver.recv(this.socket(name).sock, 1);
  const usable = r.ok || r.error === errorCode("WSAEWOULDBLOCK");
  assert.equal(usable, can === "can", `a recv on "${name}" answered ${this.describe(r)}`);
});

When("the application notes what select says about {string}", async function (this: JoinLeafWorld, name: string) {
  this.selectNotes.set(name, await this.selectAbout(name));
});

Then("select says the same about {string} as before", async function (this: JoinLeafWorld, name: string) {
  const before = this.selectNotes.get(name);
  if (!before) throw new Error(`the scenario never noted what select said about "${name}"`);
  assert.deepEqual(await this.selectAbout(name), before, `select's answer about "${name}" changed`);
});

Then(/^select (reports|does not report) "([^"]+)" as (readable|writable|in error)$/, async function (this: JoinLeafWorld, does, name, what) {
  const answer = await this.selectAbout(name);
  const key = what === "readable" ? "readable" : what === "writable" ? "writable" : "inError";
  assert.equal(answer[key], does === "reports", `select ${answer[key] ? "reports" : "does not report"} "${name}" as ${what}`);
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
