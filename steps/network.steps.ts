// Steps about what crosses the network: notifications, peers' view, admitting leaves, data.
import assert from "node:assert/strict";
import { Then, When } from "@cucumber/cucumber";
import { errorCode, errorName, FD_BITS, FdEventName } from "../drivers/winsock";
import { CALLEE_SEED } from "./setup.steps";
import { JoinLeafWorld, patternBytes } from "./world";

function fdEvent(name: string): FdEventName {
  if (!(name in FD_BITS)) throw new Error(`unknown network event "${name}"`);
  return name as FdEventName;
}

Then(/^"([^"]+)" is notified of (FD_\w+) with (?:no error|error (\w+))$/, async function (this: JoinLeafWorld, name, event, error) {
  const seen = await this.eventsOf(name, fdEvent(event));
  assert.ok(seen.length > 0, `"${name}" got no ${event} notification`);
  const want = error ? errorCode(error) : 0;
  const got = seen[seen.length - 1].error;
  assert.equal(got, want, `"${name}" got ${event} with ${errorName(got)}, not ${error ?? "no error"}`);
});

Then("{string} is not notified of {word}", async function (this: JoinLeafWorld, name: string, event: string) {
  const seen = await this.eventsOf(name, fdEvent(event));
  assert.equal(seen.length, 0, `"${name}" got ${event} (${seen.map((e) => errorName(e.error)).join(", ")})`);
});

Then("{string} is notified of {word} exactly once", async function (this: JoinLeafWorld, name: string, event: string) {
  const seen = await this.eventsOf(name, fdEvent(event));
  assert.equal(seen.length, 1, `"${name}" got ${event} ${seen.length} times`);
});

When(/^"([^"]+)" (accepts|admits) the waiting leaf(?: with WSAAccept)?(?: answering with (\d+) bytes of callee data)?(?: as "([^"]+)")?$/,
  async function (this: JoinLeafWorld, root, how, calleeBytes, leafName) {
    const s = this.socket(root);
    const result =
      how === "accepts" && !calleeBytes
        ? await this.untilSettled(this.driver.accept(s.sock), "accept")
        : (await this.untilSettled(
            this.driver.wsaAccept(s.sock, { verdict: "accept", calleeData: calleeBytes ? patternBytes(Number(calleeBytes), CALLEE_SEED) : undefined }),
            "WSAAccept",
          )).result;
    this.record(how === "accepts" ? "accept" : "WSAAccept", result);
    if (result.ok) this.adopt(leafName ?? `${root}#accepted${this.sockets.size}`, result.value, s.host, s);
  },
);

When("{string} rejects the waiting leaf with WSAAccept", async function (this: JoinLeafWorld, root: string) {
  const out = await this.untilSettled(this.driver.wsaAccept(this.socket(root).sock, { verdict: "reject" }), "WSAAccept");
  this.record("WSAAccept", out.result);
});

When(/^peer "([^"]+)" asks to join "([^"]+)"(?: with (\d+) bytes of caller data)?$/, async function (this: JoinLeafWorld, peer, root, n) {
  await this.driver.peerRequestJoin(peer, await this.addressOf(root), n ? patternBytes(Number(n)) : null);
});

When("peer {string} leaves", async function (this: JoinLeafWorld, peer: string) {
  await this.driver.peerLeave(peer);
});

When("peer {string} sends {int} bytes", async function (this: JoinLeafWorld, peer: string, n: number) {
  await this.driver.peerSend(peer, patternBytes(n, CALLEE_SEED));
});

When("{string} sends {int} bytes", async function (this: JoinLeafWorld, name: string, n: number) {
  this.record(`send("${name}")`, await this.driver.send(this.socket(name).sock, patternBytes(n)));
});

Then("{string} receives the peer's {int} bytes", async function (this: JoinLeafWorld, name: string, n: number) {
  const r = await this.driver.recv(this.socket(name).sock, 4096);
  assert.ok(r.ok, `recv on "${name}" failed with ${this.describe(r)}`);
  assert.equal(r.value, patternBytes(n, CALLEE_SEED), `"${name}" received other bytes than the peer sent`);
});

Then("{string} has nothing to receive", async function (this: JoinLeafWorld, name: string) {
  const r = await this.driver.recv(this.socket(name).sock, 4096);
  assert.ok(!r.ok, `"${name}" received ${r.ok ? r.value.length / 2 : 0} bytes`);
});

Then(/^peer "([^"]+)" received (\d+) bytes of caller data$/, async function (this: JoinLeafWorld, peer, n) {
  const log = await this.driver.peerLog(peer);
  assert.ok(log.joinRequests > 0, `peer "${peer}" never saw a join request`);
  assert.equal(log.lastCallerData, patternBytes(Number(n)), `peer "${peer}" got caller data ${log.lastCallerData ?? "(none)"}`);
});

Then("peer {string} received no caller data", async function (this: JoinLeafWorld, peer: string) {
  const log = await this.driver.peerLog(peer);
  assert.ok(log.joinRequests > 0, `peer "${peer}" never saw a join request`);
  assert.equal(log.lastCallerData, null, `peer "${peer}" got caller data ${log.lastCallerData}`);
});

Then(/^peer "([^"]+)" (is|is not) a member$/, async function (this: JoinLeafWorld, peer, is) {
  const log = await this.driver.peerLog(peer);
  assert.equal(log.member, is === "is", `peer "${peer}" ${log.member ? "is" : "is not"} a member`);
});

Then("peer {string} saw the connection close", async function (this: JoinLeafWorld, peer: string) {
  assert.ok((await this.driver.peerLog(peer)).sawClose, `peer "${peer}" was not told the connection closed`);
});

Then("peer {string} received {int} bytes", async function (this: JoinLeafWorld, peer: string, n: number) {
  const log = await this.driver.peerLog(peer);
  assert.ok(log.received.includes(patternBytes(n)), `peer "${peer}" received ${JSON.stringify(log.received)}`);
});

Then("peer {string} received nothing", async function (this: JoinLeafWorld, peer: string) {
  const log = await this.driver.peerLog(peer);
  assert.deepEqual(log.received, [], `peer "${peer}" received ${JSON.stringify(log.received)}`);
});

Then("peer {string} saw {int} join request(s)", async function (this: JoinLeafWorld, peer: string, n: number) {
  const log = await this.driver.peerLog(peer);
  assert.equal(log.joinRequests, n, `peer "${peer}" saw ${log.joinRequests} join requests`);
});
