// Steps about what crosses the network: notifications, peers' view, admitting leaves, data.
import assert from "node:assert/strict";
import { Then, When } from "@cucumber/cucumber";
import { errorCode, errorName, FdEventName } from "../drivers/winsock";
import { CALLEE_SEED } from "./setup.steps";
import { STATUS_MEDIA_TYPE, statusNote } from "./status";
import { JoinLeafWorld, patternBytes } from "./world";

async function notified(world: JoinLeafWorld, name: string, event: FdEventName, error?: string): Promise<void> {
  await world.untilArrived(async () => (await world.eventsOf(name, event)).length > 0);
  const seen = await world.eventsOf(name, event);
  assert.ok(seen.length > 0, `"${name}" got no ${event} notification`);
  if (error === undefined) return;
  const want = error === "no error" ? 0 : errorCode(error);
  const got = seen[seen.length - 1].error;
  assert.equal(got, want, `"${name}" got ${event} with ${errorName(got)}, not ${error}`);
}

Then("{string} is notified of {event}", async function (this: JoinLeafWorld, name: string, event: FdEventName) {
  await notified(this, name, event);
});

Then("{string} is notified of {event} with no error", async function (this: JoinLeafWorld, name: string, event: FdEventName) {
  await notified(this, name, event, "no error");
});

Then("{string} is notified of {event} with error {error}", async function (this: JoinLeafWorld, name: string, event: FdEventName, error: string) {
  await notified(this, name, event, error);
});

// The legacy text does not say on which socket FD_CONNECT arrives: s or the descriptor the join returned.
async function fdConnectEvents(world: JoinLeafWorld, name: string): Promise<{ seen: Array<{ error: number }>; where: string }> {
  const record = world.lastJoin(name);
  const returned = record.outcome?.result.ok ? world.nameOf(record.outcome.result.value) : undefined;
  const candidates = [name, ...(returned && returned !== name ? [returned] : [])];
  const seen: Array<{ error: number }> = [];
  for (const c of candidates) seen.push(...(await world.eventsOf(c, "FD_CONNECT")));
  return { seen, where: candidates.map((c) => `"${c}"`).join(" or ") };
}

async function fdConnectReports(world: JoinLeafWorld, name: string, error?: string): Promise<void> {
  await world.untilArrived(async () => (await fdConnectEvents(world, name)).seen.length > 0);
  const { seen, where } = await fdConnectEvents(world, name);
  assert.ok(seen.length > 0, `no FD_CONNECT on ${where}`);
  if (error === undefined) return;
  const want = error === "no error" ? 0 : errorCode(error);
  assert.ok(seen.some((e) => e.error === want), `FD_CONNECT came with ${seen.map((e) => errorName(e.error)).join(", ")}, not ${errorName(want)}`);
}

Then("FD_CONNECT reports the end of the join of {string}", async function (this: JoinLeafWorld, name: string) {
  await fdConnectReports(this, name);
});

Then("FD_CONNECT reports the end of the join of {string} with no error", async function (this: JoinLeafWorld, name: string) {
  await fdConnectReports(this, name, "no error");
});

Then("FD_CONNECT reports the end of the join of {string} with error {error}", async function (this: JoinLeafWorld, name: string, error: string) {
  await fdConnectReports(this, name, error);
});

Then("{string} is not notified of {event}", async function (this: JoinLeafWorld, name: string, event: FdEventName) {
  const seen = await this.eventsOf(name, event);
  assert.equal(seen.length, 0, `"${name}" got ${event} (${seen.map((e) => errorName(e.error)).join(", ")})`);
});

Then("{string} is notified of {event} exactly once", async function (this: JoinLeafWorld, name: string, event: FdEventName) {
  const seen = await this.eventsOf(name, event);
  assert.equal(seen.length, 1, `"${name}" got ${event} ${seen.length} times`);
});

/** Admits the leaf waiting at a listening root: with accept, or with WSAAccept (optionally answering with callee data). */
async function admit(world: JoinLeafWorld, root: string, how: "accept" | "WSAAccept", leafName?: string, calleeBytes?: number): Promise<void> {
  const s = world.socket(root);
  const result =
    how === "accept"
      ? await world.untilSettled(world.driver.accept(s.sock), "accept", s.blocking)
      : (await world.untilSettled(
          world.driver.wsaAccept(s.sock, { verdict: "accept", calleeData: calleeBytes === undefined ? undefined : patternBytes(calleeBytes, CALLEE_SEED) }),
          "WSAAccept",
          s.blocking,
        )).result;
  world.record(how, result);
  if (result.ok) world.adopt(leafName ?? `${root}#accepted${world.sockets.size}`, result.value, s.host, s);
}

When("{string} accepts the waiting leaf", async function (this: JoinLeafWorld, root: string) {
  await admit(this, root, "accept");
});

When("{string} accepts the waiting leaf as {string}", async function (this: JoinLeafWorld, root: string, leaf: string) {
  await admit(this, root, "accept", leaf);
});

When("{string} admits the waiting leaf with WSAAccept", async function (this: JoinLeafWorld, root: string) {
  await admit(this, root, "WSAAccept");
});

When("{string} admits the waiting leaf with WSAAccept as {string}", async function (this: JoinLeafWorld, root: string, leaf: string) {
  await admit(this, root, "WSAAccept", leaf);
});

When("{string} admits the waiting leaf with WSAAccept answering with {size} of callee data", async function (this: JoinLeafWorld, root: string, n: number) {
  await admit(this, root, "WSAAccept", undefined, n);
});

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

When("peer {string} asks to join {string}", async function (this: JoinLeafWorld, peer: string, root: string) {
  await this.testbed.peerRequestJoin(peer, await this.addressOf(root), null);
});

When("peer {string} asks to join {string} with {size} of caller data", async function (this: JoinLeafWorld, peer: string, root: string, n: number) {
  await this.testbed.peerRequestJoin(peer, await this.addressOf(root), patternBytes(n));
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
  const recv = () => this.driver.recv(this.socket(name).sock, 4096);
  let r = await recv();
  // Nothing there yet (WSAEWOULDBLOCK) on a real clock: look again until it is.
  await this.untilArrived(async () => r.ok || (r = await recv()).ok);
  assert.ok(r.ok, `recv on "${name}" failed with ${this.describe(r)}`);
  assert.equal(r.value, patternBytes(n, CALLEE_SEED), `"${name}" received other bytes than the peer sent`);
});

Then("{string} has nothing to receive", async function (this: JoinLeafWorld, name: string) {
  const r = await this.driver.recv(this.socket(name).sock, 4096);
  assert.ok(!r.ok, `"${name}" received ${r.ok ? r.value.length / 2 : 0} bytes`);
});

Then("peer {string} received {size} of caller data", async function (this: JoinLeafWorld, peer: string, n: number) {
  const log = await this.testbed.peerLog(peer);
  assert.ok(log.joinRequests > 0, `peer "${peer}" never saw a join request`);
  assert.equal(log.lastCallerData, patternBytes(n), `peer "${peer}" got caller data ${log.lastCallerData ?? "(none)"}`);
});

Then("peer {string} received no caller data", async function (this: JoinLeafWorld, peer: string) {
  const log = await this.testbed.peerLog(peer);
  assert.ok(log.joinRequests > 0, `peer "${peer}" never saw a join request`);
  assert.equal(log.lastCallerData, null, `peer "${peer}" got caller data ${log.lastCallerData}`);
});

async function member(world: JoinLeafWorld, peer: string, want: boolean): Promise<void> {
  if (want) await world.untilArrived(async () => (await world.testbed.peerLog(peer)).member);
  const log = await world.testbed.peerLog(peer);
  assert.equal(log.member, want, `peer "${peer}" ${log.member ? "is" : "is not"} a member`);
}

Then("peer {string} is a member", async function (this: JoinLeafWorld, peer: string) {
  await member(this, peer, true);
});

Then("peer {string} is not a member", async function (this: JoinLeafWorld, peer: string) {
  await member(this, peer, false);
});

Then("peer {string} saw the connection close", async function (this: JoinLeafWorld, peer: string) {
  await this.untilArrived(async () => (await this.testbed.peerLog(peer)).sawClose);
  assert.ok((await this.testbed.peerLog(peer)).sawClose, `peer "${peer}" was not told the connection closed`);
});

Then("peer {string} received {int} bytes", async function (this: JoinLeafWorld, peer: string, n: number) {
  await this.untilArrived(async () => (await this.testbed.peerLog(peer)).received.includes(patternBytes(n)));
  const log = await this.testbed.peerLog(peer);
  assert.ok(log.received.includes(patternBytes(n)), `peer "${peer}" received ${JSON.stringify(log.received)}`);
});

Then("peer {string} received nothing", async function (this: JoinLeafWorld, peer: string) {
  const log = await this.testbed.peerLog(peer);
  assert.deepEqual(log.received, [], `peer "${peer}" received ${JSON.stringify(log.received)}`);
});

async function signalled(world: JoinLeafWorld, peer: string, want: number | null): Promise<void> {
  const log = await world.testbed.peerLog(peer);
  assert.ok(log.joinRequests > 0, `peer "${peer}" never saw a join request`);
  assert.equal(log.lastQosTokenRate, want, `peer "${peer}" was signalled ${log.lastQosTokenRate === null ? "no QOS" : `a sending token rate of ${log.lastQosTokenRate}`}`);
}

Then("peer {string} was signalled a sending token rate of {int}", async function (this: JoinLeafWorld, peer: string, rate: number) {
  await signalled(this, peer, rate);
});

Then("peer {string} was signalled no QOS", async function (this: JoinLeafWorld, peer: string) {
  await signalled(this, peer, null);
});

Then("peer {string} was signalled no sending token rate", async function (this: JoinLeafWorld, peer: string) {
  await signalled(this, peer, null);
});

// A provider may send a join request more than once (the texts do not forbid retransmission),
// so a scenario counts either none at all or at least some.
Then("peer {string} saw no join request(s)", async function (this: JoinLeafWorld, peer: string) {
  const log = await this.testbed.peerLog(peer);
  assert.equal(log.joinRequests, 0, `peer "${peer}" saw ${log.joinRequests} join requests`);
});

Then("peer {string} saw a join request", async function (this: JoinLeafWorld, peer: string) {
  const log = await this.testbed.peerLog(peer);
  assert.ok(log.joinRequests > 0, `peer "${peer}" saw no join request`);
});
