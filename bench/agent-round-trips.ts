// Prints how many driver-protocol round trips per second an agent hosting the simulator answers,
// over stdio and over TCP loopback (npm run bench:agent). Each round trip is one "advance" call awaited before the next.
import { closeAllConnections, connectRemote } from "../drivers/remote/remote-driver";
import path from "node:path";
import { WINE_NODE, wineLaneStatus } from "../drivers/native/wine";

const CALLS = Number(process.env.CALLS ?? 5000);

async function measure(label: string, open: () => Promise<{ advance(ms: number): Promise<unknown> }>): Promise<void> {
  const driver = await open();
  for (let i = 0; i < 200; i++) await driver.advance(0); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await driver.advance(0);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label.padEnd(6)} ${CALLS} round trips in ${seconds.toFixed(3)} s: ${Math.round(CALLS / seconds)} per second (${((seconds / CALLS) * 1e6).toFixed(1)} µs each)`);
}

async function main(): Promise<void> {
  await measure("stdio", () => connectRemote({}, "current"));
  // Both agents are processes of their own, as in a real run.
  const bin = path.join(__dirname, "..", "bin", "joinleaf.js");
  const launch = `"${process.execPath}" "${bin}" agent --listen 127.0.0.1:0 --ready-file "{readyFile}"`;
  await measure("tcp", () => connectRemote({ launch }, "current"));
  if (wineLaneStatus().ready) {
    // Windows Node under Wine, hosting the simulator: the protocol's cost on the Wine lane.
    const wine = `"${WINE_NODE}" "${bin}" agent --listen 127.0.0.1:0 --ready-file "{readyFile}"`;
    await measure("wine", () => connectRemote({ launch: wine, startTimeoutMs: 120_000 }, "current"));
  } else {
    console.log("wine   not measured: the Wine lane is not set up (npm run setup:wine)");
  }
  closeAllConnections();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
