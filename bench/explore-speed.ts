// Prints how many random sequences `explore` checks per second: against the in-process model, and
// through an agent hosting it (npm run bench:explore). Same seed, same sequences, side by side.
import { compiled } from "./compiled";

// The compiled build, as `npx joinleaf explore` runs it (bench/compiled.ts says why).
const { stepLibrary } = compiled<typeof import("../src/conformance")>("src/conformance.ts");
const { closeAllConnections } = compiled<typeof import("../drivers/remote/remote-driver")>("drivers/remote/remote-driver.ts");
const { explore } = compiled<typeof import("../src/explore/explore")>("src/explore/explore.ts");
const { conformantVariantIds } = compiled<typeof import("../src/explore/references")>("src/explore/references.ts");

const RUNS = Number(process.env.RUNS ?? 300);

async function main(): Promise<void> {
  const library = await stepLibrary();
  const references = conformantVariantIds();
  for (const driver of ["simulator", "remote"]) {
    const start = process.hrtime.bigint();
    const r = await explore({ driver, edition: "current", runs: RUNS, seed: 1, length: 20, references }, library);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(`${driver.padEnd(9)} ${r.sequences} sequences (up to 20 actions, ${references.length} reference variants) in ${seconds.toFixed(2)} s: ${(r.sequences / seconds).toFixed(1)} per second${r.failure ? " (stopped at a divergence)" : ""}`);
  }
  await closeAllConnections();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
