// npm run lane:wine — the suite against Wine's ws2_32 through the native driver, judged by
// expectations/wine.yaml. Where Wine is not set up it says so plainly and skips the lane.
import { execFileSync } from "node:child_process";
import { WINE_NODE, wineLaneStatus } from "../drivers/native/wine";
import { main } from "../src/cli";

async function lane(): Promise<number> {
  const status = wineLaneStatus();
  if (!status.ready) {
    process.stdout.write(`SKIPPED the Wine lane: ${status.reason}. Enable it with "npm run setup:wine" (Debian: installs wine, wine64 and Windows Node).\n`);
    return 0;
  }
  const started = Date.now();
  try {
    return await main(["conformance", "--driver", "wine", "--quiet", ...process.argv.slice(2)]);
  } finally {
    // The lane leaves no wineserver behind.
    execFileSync(WINE_NODE, ["--wine-stop"], { stdio: "ignore" });
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
