// Prints how many driver-protocol round trips per second an agent hosting the simulator answers,
// over stdio and over TCP loopback (npm run bench:agent). Each round trip is one "advance" call
// awaited before the next, through the compiled remote driver, as a run makes them.
//
// Beside each figure, in the same run, a plain echo: two Node processes passing a line back and
// forth over the same kind of channel through their event loops, doing nothing else. It is a
// yardstick, not a floor: the agent can beat it, as it reads stdin with a blocking read when idle
// and the harness stays awake for an answer (drivers/remote/remote-driver.ts, stayAwake), which
// the echo does not. ROUNDS=N keeps the best of N.
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { WINE_NODE, wineLaneStatus } from "../drivers/native/wine";
import { buildIfStale, fromDist } from "./compiled";
import { idleNote } from "./machine";

const CALLS = Number(process.env.CALLS ?? 10_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const LINE = `${JSON.stringify({ id: 1, method: "advance", params: { ms: 0 } })}\n`;

type Driverish = { advance(ms: number): Promise<unknown> };

/** Seconds for CALLS awaited round trips, after a warm-up. */
async function time(roundTrip: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 300; i++) await roundTrip();
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await roundTrip();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** A child that writes back every chunk it reads, over stdio or (with a port) over TCP. */
const ECHO = `
const net = require("node:net");
if (process.argv[1] === "tcp") {
  const server = net.createServer((s) => { s.setNoDelay(true); s.on("data", (c) => s.write(c)); });
  server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
} else process.stdin.on("data", (c) => process.stdout.write(c));
`;

/** One line out, wait for it back, through both event loops: the yardstick beside each figure. */
async function echo(kind: "stdio" | "tcp"): Promise<number> {
  const child = spawn(process.execPath, ["-e", ECHO, kind], { stdio: ["pipe", "pipe", "inherit"] });
  try {
    let write: (s: string) => void;
    let onData: (f: () => void) => void;
    if (kind === "stdio") {
      write = (s) => void child.stdin.write(s);
      onData = (f) => child.stdout.on("data", f);
    } else {
      const port = await new Promise<number>((r) => child.stdout.once("data", (d: Buffer) => r(Number(String(d).trim()))));
      const socket = net.connect(port, "127.0.0.1");
      socket.setNoDelay(true);
      await new Promise((r) => socket.once("connect", r));
      write = (s) => void socket.write(s);
      onData = (f) => socket.on("data", f);
      child.once("exit", () => socket.destroy());
    }
    let waiting: (() => void) | null = null;
    onData(() => waiting?.());
    return await time(() => new Promise<void>((r) => ((waiting = r), write(LINE))));
  } finally {
    child.kill();
  }
}

function perSecond(seconds: number): number {
  return Math.round(CALLS / seconds);
}

async function best(n: number, f: () => Promise<number>): Promise<number> {
  let least = Infinity;
  for (let i = 0; i < n; i++) least = Math.min(least, await f());
  return least;
}

async function main(): Promise<void> {
  buildIfStale();
  const { closeAllConnections, connectRemote } = fromDist<typeof import("../drivers/remote/remote-driver")>("drivers/remote/remote-driver.ts");
  const bin = path.join(__dirname, "..", "bin", "joinleaf.js");
  const agent = async (o: object): Promise<Driverish> => (await connectRemote(o, "current")) as unknown as Driverish;
  const lanes: Array<{ label: string; echo?: "stdio" | "tcp"; open: () => Promise<Driverish> }> = [
    { label: "stdio", echo: "stdio", open: () => agent({}) },
    // A process of its own, as in a real run.
    { label: "tcp", echo: "tcp", open: () => agent({ launch: `"${process.execPath}" "${bin}" agent --listen 127.0.0.1:0 --ready-file "{readyFile}"` }) },
  ];
  if (wineLaneStatus().ready) {
    // Windows Node under Wine, hosting the simulator: the protocol's cost on the Wine lane.
    const launch = `"${WINE_NODE}" "${bin}" agent --listen 127.0.0.1:0 --ready-file "{readyFile}"`;
    lanes.push({ label: "wine", open: () => agent({ launch, startTimeoutMs: 120_000 }) });
  }
  console.log(`${CALLS} round trips, best of ${ROUNDS}; echo = two Node processes passing a line through their event loops, nothing else`);
  const idle = idleNote();
  if (idle) console.log(idle);
  for (const lane of lanes) {
    const driver = await lane.open();
    const agentSeconds = await best(ROUNDS, () => time(() => driver.advance(0)));
    const echoSeconds = lane.echo ? await best(ROUNDS, () => echo(lane.echo!)) : NaN;
    const ratio = lane.echo ? `, echo ${perSecond(echoSeconds)} per second (the agent takes ${(agentSeconds / echoSeconds).toFixed(2)}x the echo's time)` : "";
    console.log(`${lane.label.padEnd(6)} agent ${perSecond(agentSeconds)} per second (${((agentSeconds / CALLS) * 1e6).toFixed(1)} µs each)${ratio}`);
  }
  if (!wineLaneStatus().ready) console.log("wine   not measured: the Wine lane is not set up (npm run setup:wine)");
  closeAllConnections();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
