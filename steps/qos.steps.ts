// Then steps about what a socket holds after a join: its QOS and its socket group.
import assert from "node:assert/strict";
import { Then } from "@cucumber/cucumber";
import type { JoinLeafWorld } from "./world";

Then(
  /^the socket QOS of "([^"]+)" has a sending token rate of (\d+)(?: and a receiving token rate of (\d+))?$/,
  async function (this: JoinLeafWorld, name, sending, receiving) {
    const q = await this.expectOk(`WSAIoctl(SIO_GET_QOS) on "${name}"`, await this.driver.getQos(this.socket(name).sock));
    assert.equal(q.sending.tokenRate, Number(sending), `"${name}" has a sending token rate of ${q.sending.tokenRate}`);
    if (receiving != null) assert.equal(q.receiving.tokenRate, Number(receiving), `"${name}" has a receiving token rate of ${q.receiving.tokenRate}`);
  },
);

Then(/^"([^"]+)" (has|does not have) the group ID of "([^"]+)"$/, async function (this: JoinLeafWorld, name, has, owner) {
  const group = await this.expectOk(`SO_GROUP_ID of "${owner}"`, await this.driver.groupId(this.socket(owner).sock));
  assert.notEqual(group, 0, `"${owner}" belongs to no socket group`);
  const mine = await this.expectOk(`SO_GROUP_ID of "${name}"`, await this.driver.groupId(this.socket(name).sock));
  assert.equal(mine === group, has === "has", `"${name}" has group ID ${mine}; "${owner}" has ${group}`);
});
