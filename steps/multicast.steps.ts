// Steps for IP-multicast joins on a real stack: joins that may finish inside the call, sessions
// whose data goes to the group's port, and flowspecs that ask a provider without QOS for nothing.
import assert from "node:assert/strict";
import { DataTable, Given, Then, When } from "@cucumber/cucumber";
import type { Flowspec, JoinLeafArgs, Qos } from "../drivers/driver";
import { decodeSockAddr, encodeSockAddr, inet } from "../drivers/sockaddr";
import { errorCode, errorName } from "../drivers/winsock";
import { flowspec, JoinLeafWorld } from "./world";

/** QOS constants of winsock2.h / qos.h. */
const QOS_NOT_SPECIFIED = 0xffffffff;
const SERVICETYPE_BESTEFFORT = 0x1;
const SERVICETYPE_CONTROLLEDLOAD = 0x2;

// A session member sends to the group's address and port; a leaf hears it only on that port.
// Other members of the group on this host hold the same port, so the leaf shares it as every
// multicast receiver does: SO_REUSEADDR first, then bind.
Given("{string} is bound to the port of session {string} on the wildcard address", async function (this: JoinLeafWorld, name: string, session: string) {
  const group = decodeSockAddr(await this.addressOf(session));
  if (!group) throw new Error(`"${session}" has no address the harness can read`);
  const s = this.socket(name).sock;
  const addr = encodeSockAddr(inet("0.0.0.0", group.port));
  await this.expectOk(`setsockopt("${name}", SO_REUSEADDR)`, await this.driver.setReuseAddress(s, true));
  await this.expectOk(`bind("${name}")`, await this.driver.bind(s, addr, addr.length / 2));
});

// A multicast join may finish inside the call: then the call itself reports the outcome, and an
// FD_CONNECT that follows must agree with it. A join the call left going (legacy WSAEWOULDBLOCK)
// must end with FD_CONNECT on s. Either way no FD_CONNECT may report an error.
Then("the join of {string} ended in success, as the call or FD_CONNECT on {string} reports it", async function (this: JoinLeafWorld, name: string, on: string) {
  const record = this.lastJoin(name);
  const outcome = await this.finishJoin(record);
  const seen = await this.eventsOf(on, "FD_CONNECT");
  const errors = seen.filter((e) => e.error !== 0).map((e) => errorName(e.error));
  assert.deepEqual(errors, [], `FD_CONNECT on "${on}" came with ${errors.join(", ")} for a join that succeeded`);
  if (outcome.result.ok) {
    assert.equal(outcome.result.value, this.socket(name).sock, "the c_leaf join returned a different descriptor");
    return;
  }
  const started = this.edition === "legacy" && outcome.result.error === errorCode("WSAEWOULDBLOCK");
  assert.ok(started, `WSAJoinLeaf failed with ${this.describe(outcome.result)}`);
  assert.ok(seen.length > 0, `the join went on after WSAEWOULDBLOCK, and no FD_CONNECT on "${on}" reported its end`);
});

Then("the callee buffer read a length of {int} when the call returned", async function (this: JoinLeafWorld, len: number) {
  const outcome = await this.finishJoin(this.lastJoin());
  assert.ok(outcome.result.ok, `WSAJoinLeaf failed with ${this.describe(outcome.result)}`);
  assert.ok(outcome.callee, "the join passed a NULL lpCalleeData, so there is no callee buffer to read");
  assert.equal(outcome.callee.len, len, `when WSAJoinLeaf returned, lpCalleeData->len read ${outcome.callee.len}, not ${len}`);
});

/**
 * `"leaf" joins "group" with flowspecs:` — rows `sending`, `receiving`, `group sending`,
 * `group receiving` take `best effort` or `controlled load at N bytes per second`; every other
 * row is a join-table row. A QOS structure the join passes asks for best effort in each
 * direction no row names, so nothing but the named flowspecs asks a provider for a service.
 */
When("{string} joins {string} with flowspecs:", async function (this: JoinLeafWorld, socket: string, target: string, table: DataTable) {
  const rows = table.rowsHash();
  const flows: Partial<Record<"sending" | "receiving" | "group sending" | "group receiving", Flowspec>> = {};
  const rest: Record<string, string> = {};
  for (const [key, value] of Object.entries(rows)) {
    const k = key.trim();
    if (k === "sending" || k === "receiving" || k === "group sending" || k === "group receiving") flows[k] = parseFlowspec(value.trim());
    else if (/token rate$/.test(k)) throw new Error(`"${k}" belongs to the plain join table; with flowspecs, name the direction ("sending", "group receiving", ...)`);
    else rest[k] = value;
  }
  const args: JoinLeafArgs = await this.joinArgs(target, rest);
  if (flows.sending || flows.receiving) args.lpSQOS ??= bestEffortQos();
  if (flows["group sending"] || flows["group receiving"]) args.lpGQOS ??= bestEffortQos();
  const fill = (q: Qos | null, sending?: Flowspec, receiving?: Flowspec) => {
    if (!q) return;
    q.sending = sending ?? bestEffort();
    q.receiving = receiving ?? bestEffort();
  };
  fill(args.lpSQOS, flows.sending, flows.receiving);
  fill(args.lpGQOS, flows["group sending"], flows["group receiving"]);
  await this.join(socket, args);
});

function parseFlowspec(v: string): Flowspec {
  if (v === "best effort") return bestEffort();
  const m = /^controlled load at (\d+) bytes per second$/.exec(v);
  if (!m) throw new Error(`a flowspec is "best effort" or "controlled load at <n> bytes per second", not "${v}"`);
  return flowspec(Number(m[1]), SERVICETYPE_CONTROLLEDLOAD);
}

function bestEffort(): Flowspec {
  return flowspec(QOS_NOT_SPECIFIED, SERVICETYPE_BESTEFFORT);
}

function bestEffortQos(): Qos {
  return { sending: bestEffort(), receiving: bestEffort(), providerSpecific: { len: 0, buf: null } };
}
