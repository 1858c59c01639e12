// Scale of the model (issue 12, goal 1): a c_root adding N leaves one by one (nonblocking, each
// join completed before the next), and a multicast session of N members with one datagram
// delivered to all. Prints time per leaf / member at 1k, 10k and 100k and heap per leaf.
// Run: npm run bench:model (node --expose-gc, so heap figures are after a full collection). The
// model measured is the compiled one (bench/compiled.ts says why).
import type { JoinLeafArgs, Result } from "../drivers/driver";
import { compiled } from "./compiled";

const { Simulator } = compiled<typeof import("../drivers/simulator/simulator")>("drivers/simulator/simulator.ts");
const { FD_BITS, JL_BOTH, WSA_FLAG_MULTIPOINT_C_LEAF, WSA_FLAG_MULTIPOINT_C_ROOT, WSA_FLAG_MULTIPOINT_D_LEAF, WSA_FLAG_MULTIPOINT_D_ROOT } =
  compiled<typeof import("../drivers/winsock")>("drivers/winsock.ts");

const SIZES = (process.env.BENCH_SIZES ?? "1000,10000,100000").split(",").map(Number);
/** Members per simulated host: each host has 16,384 ephemeral ports. */
const MEMBERS_PER_HOST = 10_000;

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`call failed with ${r.error}`);
  return r.value;
}

const join = (name: string): JoinLeafArgs => ({ name, namelen: 16, lpCallerData: null, lpCalleeData: null, lpSQOS: null, lpGQOS: null, dwFlags: JL_BOTH });

/** Heap in use after a full collection; 0 when not measuring (a forced collection would distort the timing). */
function heap(measuring: boolean): number {
  if (!measuring) return 0;
  // Twice: the first collection can leave finalised garbage for the second.
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

/** The model being measured, held so the heap figure includes it. */
let keep: InstanceType<typeof Simulator> | null = null;

async function rootWithLeaves(n: number, measureHeap = false): Promise<{ msPerLeaf: number; cpuUsPerLeaf: number; bytesPerLeaf: number }> {
  keep = null;
  const sim = new Simulator();
  await sim.startup("h");
  const root = value(await sim.socket({ host: "h", protocol: "sim-atm-p2mp", flags: WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT }));
  value(await sim.eventSelect(root, 1 << FD_BITS.FD_CONNECT));
  // Heap per leaf is what the leaves add to a model that has its root.
  const before = heap(measureHeap);
  const peers: string[] = [];
  for (let i = 0; i < n; i++) peers.push(value(await sim.definePeer(`leaf${i}`, { answer: "accept" })));
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    value((await sim.joinLeaf(root, join(peers[i]))).result);
    await sim.advance(10); // request out, answer back: the join completes
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const events = value(await sim.enumNetworkEvents(root));
  if (!(events.events & (1 << FD_BITS.FD_CONNECT)) || events.errors[FD_BITS.FD_CONNECT] !== 0) throw new Error("the last join did not complete");
  if ((await sim.openSockets()).length !== n + 1) throw new Error("not every leaf has its socket");
  const cpu = process.cpuUsage(cpu0);
  const bytes = heap(measureHeap) - before;
  keep = sim; // alive until measured
  return { msPerLeaf: ms / n, cpuUsPerLeaf: (cpu.user + cpu.system) / n, bytesPerLeaf: bytes / n };
}

async function sessionWithMembers(n: number, measureHeap = false): Promise<{ msPerMember: number; cpuUsPerMember: number; deliverMs: number; bytesPerMember: number }> {
  keep = null;
  const sim = new Simulator();
  const group = value(await sim.definePeer("group", { answer: "session" }));
  // Heap per member is what the members add to a model that has the session.
  const before = heap(measureHeap);
  const members: number[] = [];
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const host = `m${Math.floor(i / MEMBERS_PER_HOST)}`;
    if (i % MEMBERS_PER_HOST === 0) value(await sim.startup(host));
    const s = value(await sim.socket({ host, protocol: "sim-multicast", flags: WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF }));
    value(await sim.setNonBlocking(s, true));
    value((await sim.joinLeaf(s, join(group))).result);
    members.push(s);
    await sim.advance(10);
  }
  const joinMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const t1 = process.hrtime.bigint();
  value(await sim.send(members[0], "6869"));
  await sim.advance(10);
  const deliverMs = Number(process.hrtime.bigint() - t1) / 1e6;
  let got = 0;
  for (const s of members.slice(1)) if ((await sim.recv(s, 64)).ok) got++;
  if (got !== n - 1) throw new Error(`the datagram reached ${got} of ${n - 1} members`);
  const bytes = heap(measureHeap) - before;
  keep = sim;
  return { msPerMember: joinMs / n, cpuUsPerMember: (cpu.user + cpu.system) / n, deliverMs, bytesPerMember: bytes / n };
}

/**
 * Heap from a model of size n (after full collections; the median of five models below 10,000);
 * time as the mean over enough further models of size n to add up to 100,000 leaves, run without
 * forced collections.
 */
async function repeated<T extends { cpuUs: number; ms: number; bytesPerUnit: number }>(n: number, measure: (n: number, measureHeap: boolean) => Promise<T>): Promise<T> {
  // A small model's heap figure moves by a hundred bytes per leaf from one model to the next
  // (what the JIT and the allocator keep).
  const heaps: T[] = [];
  for (let i = 0; i < (n < 10_000 ? 5 : 1); i++) heaps.push(await measure(n, true));
  const first = heaps.sort((a, b) => a.bytesPerUnit - b.bytesPerUnit)[Math.floor(heaps.length / 2)];
  const times = Math.max(1, Math.round(100_000 / n));
  let ms = 0;
  let cpuUs = 0;
  for (let i = 0; i < times; i++) {
    const r = await measure(n, false);
    ms += r.ms;
    cpuUs += r.cpuUs;
  }
  return { ...first, ms: ms / times, cpuUs: cpuUs / times };
}

async function main(): Promise<void> {
  void keep;
  if (!(globalThis as { gc?: () => void }).gc) process.stdout.write("(run with node --expose-gc for heap figures after a full collection)\n");
  // Warm up the JIT, so the first size measures the model and not the compiler.
  await rootWithLeaves(2000);
  await sessionWithMembers(2000);
  process.stdout.write("c_root adding leaves (nonblocking, each join completed; smaller sizes repeated up to 100,000 leaves):\n");
  for (const n of SIZES) {
    const r = await repeated(n, async (k, h) => {
      const x = await rootWithLeaves(k, h);
      return { ...x, ms: x.msPerLeaf * k, cpuUs: x.cpuUsPerLeaf * k, bytesPerUnit: x.bytesPerLeaf };
    });
    process.stdout.write(
      `  ${String(n).padStart(7)} leaves: ${((r.ms * 1000) / n).toFixed(2).padStart(7)} µs per leaf (${(r.cpuUs / n).toFixed(2)} µs CPU), ${r.ms.toFixed(0).padStart(6)} ms in all, ${Math.round(r.bytesPerLeaf)} B heap per leaf (its peer and the benchmark's copy of the peer's address included)\n`,
    );
  }
  process.stdout.write("multicast session (members join, then one datagram to all):\n");
  for (const n of SIZES) {
    const r = await repeated(n, async (k, h) => {
      const x = await sessionWithMembers(k, h);
      return { ...x, ms: x.msPerMember * k, cpuUs: x.cpuUsPerMember * k, bytesPerUnit: x.bytesPerMember };
    });
    process.stdout.write(
      `  ${String(n).padStart(7)} members: ${((r.ms * 1000) / n).toFixed(2).padStart(7)} µs per member (${(r.cpuUs / n).toFixed(2)} µs CPU), ${r.ms.toFixed(0).padStart(6)} ms in all, ` +
        `one datagram to all in ${r.deliverMs.toFixed(1)} ms, ${Math.round(r.bytesPerMember)} B heap per member\n`,
    );
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
