import assert from "node:assert/strict";
import { test } from "node:test";
import { VirtualClock } from "../drivers/simulator/clock";

test("timers run in time order, ties in scheduling order, only when time is advanced", () => {
  const clock = new VirtualClock();
  const ran: string[] = [];
  clock.schedule(20, () => ran.push("b"));
  clock.schedule(10, () => ran.push("a1"));
  clock.schedule(10, () => ran.push("a2"));
  assert.deepEqual(ran, []);
  clock.advance(10);
  assert.deepEqual(ran, ["a1", "a2"]);
  assert.equal(clock.now, 10);
  clock.advance(100);
  assert.deepEqual(ran, ["a1", "a2", "b"]);
  assert.equal(clock.now, 110);
});

test("a timer scheduled by a timer runs in the same advance when it falls due", () => {
  const clock = new VirtualClock();
  const ran: number[] = [];
  clock.schedule(5, () => clock.schedule(5, () => ran.push(clock.now)));
  clock.advance(10);
  assert.deepEqual(ran, [10]);
});

test("a cancelled timer never runs", () => {
  const clock = new VirtualClock();
  let ran = false;
  clock.schedule(5, () => (ran = true)).cancel();
  clock.advance(10);
  assert.equal(ran, false);
  assert.equal(clock.pending(), 0);
});

test("ties can run in the reverse of scheduling order (a choice the texts leave open)", () => {
  const clock = new VirtualClock({ ties: "reversed" });
  const ran: string[] = [];
  clock.schedule(10, () => ran.push("a1"));
  clock.schedule(10, () => ran.push("a2"));
  clock.schedule(5, () => ran.push("first"));
  clock.advance(10);
  assert.deepEqual(ran, ["first", "a2", "a1"]);
});

test("many timers come out in time order", () => {
  const clock = new VirtualClock();
  const ran: number[] = [];
  const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
  for (const t of times) clock.schedule(t, () => ran.push(clock.now));
  assert.equal(clock.pending(), 500);
  clock.advance(1000);
  assert.deepEqual(ran, [...times].sort((a, b) => a - b));
  assert.equal(clock.pending(), 0);
});
