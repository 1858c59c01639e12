// Given steps: the sockets, peers and conditions a scenario starts from.
import assert from "node:assert/strict";
import { Given, Then, When } from "@cucumber/cucumber";
import type { Result } from "../drivers/driver";
import { errorName, FdEventName } from "../drivers/winsock";
import { CALLEE_SEED, DEFAULT_HOST, JoinLeafWorld, patternBytes, qos } from "./world";

export { CALLEE_SEED } from "./world";
/** Ports the scenarios bind to; listening roots get their own from here up. */
const LISTEN_PORT = 7000;

type Role = "c_root" | "c_leaf";

Given("a {role} socket {string}", async function (this: JoinLeafWorld, role: Role, name: string) {
  await this.createSocket(name, role);
});

Given("a {role} socket {string} on host {string}", async function (this: JoinLeafWorld, role: Role, name: string, host: string) {
  await this.createSocket(name, role, host);
});

Given("a {role} socket {string} that creates a socket group", async function (this: JoinLeafWorld, role: Role, name: string) {
  await this.createSocket(name, role, DEFAULT_HOST, true);
});

Given("a socket {string} opened without multipoint flags", async function (this: JoinLeafWorld, name: string) {
  await this.createPlainSocket(name);
});

Given("{string} is in nonblocking mode", async function (this: JoinLeafWorld, name: string) {
  await this.expectOk("ioctlsocket(FIONBIO)", await this.driver.setNonBlocking(this.socket(name).sock, true));
  this.socket(name).blocking = false;
});

Given("{string} is bound to port {int} of its host address", async function (this: JoinLeafWorld, name: string, port: number) {
  await bindTo(this, name, port, false);
});

Given("{string} is bound to port {int} of the wildcard address", async function (this: JoinLeafWorld, name: string, port: number) {
  await bindTo(this, name, port, true);
});

Given("{string} allows address reuse", async function (this: JoinLeafWorld, name: string) {
  await this.expectOk("setsockopt(SO_REUSEADDR)", await this.driver.setReuseAddress(this.socket(name).sock, true));
});

Given("{string} is listening", async function (this: JoinLeafWorld, name: string) {
  const s = this.socket(name);
  const port = LISTEN_PORT + [...this.sockets.keys()].indexOf(name);
  const addr = await this.localName(name, port, false);
  await this.expectOk(`bind("${name}")`, await this.driver.bind(s.sock, addr, addr.length / 2));
  await this.expectOk(`listen("${name}")`, await this.driver.listen(s.sock, 5));
});

Given("{string} registers for {events} with {registration}", async function (this: JoinLeafWorld, name: string, events: FdEventName[], how: "event-select" | "async-select") {
  await this.register(name, events, how);
});

Given("a peer {string} that {answer}", async function (this: JoinLeafWorld, name: string, answer: PeerAnswer) {
  await definePeer(this, name, answer);
});

Given("a peer {string} that {answer} and answers with {size} of callee data", async function (this: JoinLeafWorld, name: string, answer: PeerAnswer, size: number) {
  await definePeer(this, name, answer, size);
});

When("{string} tries to bind to port {int} of the wildcard address", async function (this: JoinLeafWorld, name: string, port: number) {
  const addr = await this.localName(name, port, true);
  const result = await this.driver.bind(this.socket(name).sock, addr, addr.length / 2);
  this.record(`bind("${name}")`, result);
  bindResults(this).set(name, result);
});

// A conflict over a local address usually shows at bind, but may wait until a join commits the
// address (JL-096): either call may report it.
Then("the bind or the join of {string} failed with {error}", async function (this: JoinLeafWorld, name: string, error: string) {
  const bound = bindResults(this).get(name);
  if (!bound) throw new Error(`the scenario never tried to bind "${name}"`);
  if (!bound.ok) {
    assert.equal(errorName(bound.error), error, `bind("${name}") failed with ${this.describe(bound)}, not ${error}`);
    return;
  }
  const outcome = await this.finishJoin(this.lastJoin(name));
  assert.ok(!outcome.result.ok, `both bind("${name}") and its join succeeded where ${error} was expected from one of them`);
  assert.equal(errorName(outcome.result.error), error, `bind("${name}") worked and the join failed with ${this.describe(outcome.result)}, not ${error}`);
});

const binds = new WeakMap<JoinLeafWorld, Map<string, Result>>();
function bindResults(world: JoinLeafWorld): Map<string, Result> {
  let m = binds.get(world);
  if (!m) binds.set(world, (m = new Map()));
  return m;
}

async function bindTo(world: JoinLeafWorld, name: string, port: number, wildcard: boolean): Promise<void> {
  const addr = await world.localName(name, port, wildcard);
  await world.expectOk(`bind("${name}")`, await world.driver.bind(world.socket(name).sock, addr, addr.length / 2));
}

type PeerAnswer = "accept" | "refuse" | "silent";

async function definePeer(world: JoinLeafWorld, name: string, answer: PeerAnswer, calleeBytes?: number): Promise<void> {
  const behaviour = { answer, calleeData: calleeBytes === undefined ? undefined : patternBytes(calleeBytes, CALLEE_SEED) };
  world.peers.set(name, await world.expectOk(`defining peer "${name}"`, await world.testbed.definePeer(name, behaviour)));
}

Given("a peer {string} on a network with no route", async function (this: JoinLeafWorld, name: string) {
  this.peers.set(name, await this.expectOk(`defining peer "${name}"`, await this.testbed.definePeer(name, { answer: "unreachable" })));
});

Given("a multipoint session {string}", async function (this: JoinLeafWorld, name: string) {
  this.peers.set(name, await this.expectOk(`defining session "${name}"`, await this.testbed.definePeer(name, { answer: "session" })));
});

Given("the network subsystem has failed", async function (this: JoinLeafWorld) {
  await this.injectFault(DEFAULT_HOST, "network-down");
});

Given("the provider has run out of buffer space", async function (this: JoinLeafWorld) {
  await this.injectFault(DEFAULT_HOST, "no-buffers");
});

Given("the application has called WSACleanup", async function (this: JoinLeafWorld) {
  await this.expectOk("WSACleanup", await this.driver.cleanup(DEFAULT_HOST));
});

Given("the application uses Winsock 1.1 blocking calls", async function (this: JoinLeafWorld) {
  await this.expectOk("WSAStartup(1.1)", await this.driver.startup(DEFAULT_HOST, { version: "1.1" }));
});

Given("{string} has socket QOS with a sending token rate of {int}", async function (this: JoinLeafWorld, name: string, tokenRate: number) {
  await this.expectOk("WSAIoctl(SIO_SET_QOS)", await this.driver.setQos(this.socket(name).sock, qos(tokenRate), false));
});

Given("{string} has group QOS with a sending token rate of {int}", async function (this: JoinLeafWorld, name: string, tokenRate: number) {
  await this.expectOk("WSAIoctl(SIO_SET_GROUP_QOS)", await this.driver.setQos(this.socket(name).sock, qos(tokenRate), true));
});
