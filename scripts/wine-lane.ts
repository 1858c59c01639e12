// npm run lane:wine — the suite against Wine's ws2_32 through the native driver, judged by
// expectations/wine.yaml. Where Wine is not set up it says so plainly and skips the lane.
//
// Wine's sockets are this machine's sockets, so the lane's peers and faults are the real testbed
// (drivers/testbed/real.ts). Where a network namespace can be made (root, iproute2) the lane runs
// itself again inside one of its own (scripts/netns.sh), and the multicast it makes stays there;
// elsewhere the scenarios that need real peers are UNSUPPORTED with the reason.
import { execFileSync, spawnSync } from "node:child_process";
import { WINE_NODE, wineLaneStatus, wineLoader } from "../drivers/native/wine";
import { canMakeNamespace, currentNamespace, NETNS_SCRIPT } from "../drivers/testbed/netns";
import { main } from "../src/cli";

/** Set to 1 to run the lane in the current namespace, without real peers. */
const NO_NAMESPACE = process.env.JOINLEAF_WINE_NO_NETNS === "1";

function stopWineserver(wine?: string): void {
  execFileSync(WINE_NODE, [...(wine ? ["--wine", wine] : []), "--wine-stop"], { stdio: "ignore" });
}

async function lane(): Promise<number> {
  const args = process.argv.slice(2);
  const wine = args.includes("--wine") ? args[args.indexOf("--wine") + 1] : undefined;
  const status = wineLaneStatus(wine);
  // A Wine someone named must run: only a lane nobody set up is skipped.
  if (!status.ready && wineLoader(wine)?.explicit) throw new Error(status.reason);
  if (!status.ready) {
    process.stdout.write(`SKIPPED the Wine lane: ${status.reason}. Enable it with "npm run setup:wine" (Debian: installs wine, wine64 and Windows Node).\n`);
    return 0;
  }
  const ns = currentNamespace();
  const makeable = canMakeNamespace();
  if (typeof ns === "string" && makeable === true && !NO_NAMESPACE) {
    // The wineserver creates Wine's sockets, so it must start inside the namespace: stop any
    // wineserver of the prefix that runs outside first.
    stopWineserver(wine);
    const again = spawnSync(NETNS_SCRIPT, [process.execPath, ...process.execArgv, __filename, ...process.argv.slice(2)], { stdio: "inherit" });
    return again.status ?? 1;
  }
  if (typeof ns === "string") {
    process.stdout.write(`Wine lane without real peers (${NO_NAMESPACE ? "JOINLEAF_WINE_NO_NETNS=1" : makeable}): scenarios that need them are UNSUPPORTED.\n`);
  } else {
    process.stdout.write(`Wine lane in network namespace ${ns.name}: real session members, network down on ${ns.iface}, ${ns.unreachable} unreachable.\n`);
  }
  const started = Date.now();
  try {
    return await main(["conformance", "--driver", "wine", "--quiet", ...args]);
  } finally {
    // The lane leaves no wineserver behind.
    stopWineserver(wine);
    process.stdout.write(`Wine lane wall time: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}

lane().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`wine lane: ${err instanceof Error ? err.message : err}\n`);
    process.exit(1);
  },
);
