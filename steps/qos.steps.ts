// Then steps about what a socket holds after a join: its QOS and its socket group.
import assert from "node:assert/strict";
import { Then } from "@cucumber/cucumber";
import type { JoinLeafWorld } from "./world";

async function socketQos(world: JoinLeafWorld, name: string, sending: number, receiving?: number): Promise<void> {
  const q = await world.expectOk(`WSAIoctl(SIO_GET_QOS) on "${name}"`, await world.driver.getQos(world.socket(name).sock));
  assert.equal(q.sending.tokenRate, sending, `"${name}" has a sending token rate of ${q.sending.tokenRate}`);
  if (receiving !== undefined) assert.equal(q.receiving.tokenRate, receiving, `"${name}" has a receiving token rate of ${q.receiving.tokenRate}`);
}

Then("the socket QOS of {string} has a sending token rate of {int}", async function (this: JoinLeafWorld, name: string, sending: number) {
  await socketQos(this, name, sending);
});

Then(
  "the socket QOS of {string} has a sending token rate of {int} and a receiving token rate of {int}",
  async function (this: JoinLeafWorld, name: string, sending: number, receiving: number) {
    await socketQos(this, name, sending, receiving);
  },
);

async function groupOf(world: JoinLeafWorld, name: string, owner: string, want: boolean): Promise<void> {
  const group = await world.expectOk(`SO_GROUP_ID of "${owner}"`, await world.driver.groupId(world.socket(owner).sock));
  assert.notEqual(group, 0, `"${owner}" belongs to no socket group`);
  const mine = await world.expectOk(`SO_GROUP_ID of "${name}"`, await world.driver.groupId(world.socket(name).sock));
  assert.equal(mine === group, want, `"${name}" has group ID ${mine}; "${owner}" has ${group}`);
}

Then("{string} has the group ID of {string}", async function (this: JoinLeafWorld, name: string, owner: string) {
  await groupOf(this, name, owner, true);
});

Then("{string} does not have the group ID of {string}", async function (this: JoinLeafWorld, name: string, owner: string) {
  await groupOf(this, name, owner, false);
});
