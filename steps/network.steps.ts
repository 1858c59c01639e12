// Steps about what crosses the network: notifications, peers' view, admitting leaves, data.
import assert from "node:assert/strict";
import { Then, When } from "@cucumber/cucumber";
import { errorCode, errorName, FD_BITS, FdEventName } from "../drivers/winsock";
import { CALLEE_SEED } from "./setup.steps";
import { STATUS_MEDIA_TYPE, statusNote } from "./status";
import { JoinLeafWorld, patternBytes } from "./world";

function fdEvent(name: string): FdEventName {
  if (!(name in FD_BITS)) throw new Error(`unknown network event "${name}"`);
  return name as FdEventName;
}

Then(/^"([^"]+)" is notified of (FD_\w+)(?: with (no error|error \w+))?$/, async function (this: JoinLeafWorld, name, event, outcome) {
  const seen = await this.eventsOf(name, fdEvent(event));
  assert.ok(seen.length > 0, `"${name}" got no ${event} notification`);
  if (!outcome) return;
  const error = outcome === "no error" ? undefined : outcome.slice("error ".length);
  const want = error ? errorCode(error) : 0;
  const got = seen[seen.length - 1].error;
  assert.equal(got, want, `"${name}" got ${event} with ${errorName(got)}, not ${error ?? "no error"}`);
});

// The legacy text does not say on which socket FD_CONNECT arrives: s or the descriptor the join returned.
Then(/^FD_CONNECT (reports|does not report) the end of the join of "([^"]+)"(?: with (no error|error \w+))?$/, async function (this: JoinLeafWorld, does, name, outcome) {
  const record = this.lastJoin(name);
  const returned = record.outcome?.result.ok ? this.nameOf(record.outcome.result.value) : undefined;
  const candidates = [name, ...(returned && returned !== name ? [returned] : [])];
  const seen: Array<{ error: number }> = [];
  for (const c of candidates) seen.push(...(await this.eventsOf(c, "FD_CONNECT")));
  const where = candidates.map((c) => `"${c}"`).join(" or ");
  if (does === "does not report") {
    assert.equal(seen.length, 0, `FD_CONNECT came on ${where} (${seen.map((e) => errorName(e.error)).join(", ")})`);
    return;
  }
  assert.ok(seen.length > 0, `no FD_CONNECT on ${where}`);
  if (!outcome) return;
  const want = outcome === "no error" ? 0 : errorCode(outcome.slice("error ".length));
  assert.ok(seen.some((e) => e.error === want), `FD_CONNECT came with ${seen.map((e) => errorName(e.error)).join(", ")}, not ${errorName(want)}`);
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
        ? await this.untilSettled(this.driver.accept(s.sock), "accept", s.blocking)
        : (await this.untilSettled(
            this.driver.wsaAccept(s.sock, { verdict: "accept", calleeData: calleeBytes ? patternBytes(Number(calleeBytes), CALLEE_SEED) : undefined }),
            "WSAAccept",
            s.blocking,
          )).result;
    this.record(how === "accepts" ? "accept" : "WSAAccept", result);
    if (result.ok) this.adopt(leafName ?? `${root}#accepted${this.sockets.size}`, result.value, s.host, s);
  },
);

When(
  "{string} admits the waiting leaf with WSAAccept whose condition function first makes {string} join {string}",
  async function (this: JoinLeafWorld, root: string, socket: string, target: string) {
    const r = this.socket(root);
    const args = await this.joinArgs(target);
    const out = await this.untilSettled(
      this.driver.wsaAccept(r.sock, { verdict: "accept", joinInside: { s: this.socket(socket).sock, args } }),
      "WSAAccept",
      r.blocking,
    );
    this.record("WSAAccept", out.result);
    if (out.result.ok) this.adopt(`${root}#accepted${this.sockets.size}`, out.result.value, r.host, r);
    if (!out.joinInside) {
      this.attach(statusNote("UNSUPPORTED", `driver "${this.driver.name}" cannot call WSAJoinLeaf from a WSAAccept condition function`), STATUS_MEDIA_TYPE);
      return "skipped";
    }
    this.recordJoin(socket, args, out.joinInside);
  },
);

When("{string} rejects the waiting leaf with WSAAccept", async function (this: JoinLeafWorld, root: string) {
  const r = this.socket(root);
  const out = await this.untilSettled(this.driver.wsaAccept(r.sock, { verdict: "reject" }), "WSAAccept", r.blocking);
  this.record("WSAAccept", out.result);
});

When(/^peer "([^"]+)" asks to join "([^"]+)"(?: with (\d+) bytes of caller data)?$/, async function (this: JoinLeafWorld, peer, root, n) {
  await this.testbed.peerRequestJoin(peer, await this.addressOf(root), n ? patternBytes(Number(n)) : null);
});

When("peer {string} leaves", async function (this: JoinLeafWorld, peer: string) {
  await this.testbed.peerLeave(peer);
});

When("peer {string} sends {int} bytes", async function (this: JoinLeafWorld, peer: string, n: number) {
  await this.testbed.peerSend(peer, patternBytes(n, CALLEE_SEED));
});

When("peer {string} sends {int} bytes over its side chat", async function (this: JoinLeafWorld, peer: string, n: number) {
  await this.testbed.peerSend(peer, patternBytes(n, CALLEE_SEED), true);
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
  const log = await this.testbed.peerLog(peer);
  assert.ok(log.joinRequests > 0, `peer "${peer}" never saw a join request`);
  assert.equal(log.lastCallerData, patternBytes(Number(n)), `peer "${peer}" got caller data ${log.lastCallerData ?? "(none)"}`);
});

Then("peer {string} received no caller data", async function (this: JoinLeafWorld, peer: string) {
  const log = await this.testbed.peerLog(peer);
  assert.ok(log.joinRequests > 0, `peer "${peer}" never saw a join request`);
  assert.equal(log.lastCallerData, null, `peer "${peer}" got caller data ${log.lastCallerData}`);
});

Then(/^peer "([^"]+)" (is|is not) a member$/, async function (this: JoinLeafWorld, peer, is) {
  const log = await this.testbed.peerLog(peer);
  assert.equal(log.member, is === "is", `peer "${peer}" ${log.member ? "is" : "is not"} a member`);
});

Then("peer {string} saw the connection close", async function (this: JoinLeafWorld, peer: string) {
  assert.ok((await this.testbed.peerLog(peer)).sawClose, `peer "${peer}" was not told the connection closed`);
});

Then("peer {string} received {int} bytes", async function (this: JoinLeafWorld, peer: string, n: number) {
  const log = await this.testbed.peerLog(peer);
  assert.ok(log.received.includes(patternBytes(n)), `peer "${peer}" received ${JSON.stringify(log.received)}`);
});

Then("peer {string} received nothing", async function (this: JoinLeafWorld, peer: string) {
  const log = await this.testbed.peerLog(peer);
  assert.deepEqual(log.received, [], `peer "${peer}" received ${JSON.stringify(log.received)}`);
});

Then(/^peer "([^"]+)" was signalled (?:a sending token rate of (\d+)|(no) (?:QOS|sending token rate))$/, async function (this: JoinLeafWorld, peer, rate, none) {
  const log = await this.testbed.peerLog(peer);
  assert.ok(log.joinRequests > 0, `peer "${peer}" never saw a join request`);
  const want = none ? null : Number(rate);
  assert.equal(log.lastQosTokenRate, want, `peer "${peer}" was signalled ${log.lastQosTokenRate === null ? "no QOS" : `a sending token rate of ${log.lastQosTokenRate}`}`);
});

Then("peer {string} saw {int} join request(s)", async function (this: JoinLeafWorld, peer: string, n: number) {
  const log = await this.testbed.peerLog(peer);
  assert.equal(log.joinRequests, n, `peer "${peer}" saw ${log.joinRequests} join requests`);
});
