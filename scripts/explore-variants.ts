// Which broken variants of the model does `explore` find, beside those the hand-written suite
// catches? Runs explore (same seed, RUNS sequences) against every broken variant, reads what
// `joinleaf variants --kind broken` wrote in <reports>/variants/summary.json, and prints one line a
// variant and the counts; each shrunk scenario goes to <reports>/explore-variants/<id>.feature.
//   npx joinleaf variants --kind broken; npm run explore:variants      (RUNS=500 by default)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { VARIANTS } from "../drivers/simulator/variants";
import { stepLibrary } from "../src/conformance";
import { explore } from "../src/explore/explore";
import { renderFailure } from "../src/explore/gherkin";
import { conformantVariantIds } from "../src/explore/references";
import { loadCatalogue } from "../src/report/catalogue";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { reportsRoot } = require("../src/profile") as typeof import("../src/profile");

const RUNS = Number(process.env.RUNS ?? 500);
const SEED = Number(process.env.SEED ?? 1);

async function main(): Promise<void> {
  const summaryFile = path.join(reportsRoot(), "variants", "summary.json");
  const suite = new Map<string, boolean>();
  if (existsSync(summaryFile)) {
    for (const v of JSON.parse(readFileSync(summaryFile, "utf8")).variants as Array<{ id: string; kind: string; verdict: string; suiteCaught?: boolean }>) {
      // The verdict of an explore-only variant is explore's; what the suite did is suiteCaught.
      if (v.kind === "broken") suite.set(v.id, v.suiteCaught ?? v.verdict !== "not-caught");
    }
  } else {
    console.log(`(no ${summaryFile}: run "npx joinleaf variants --kind broken" first to compare with the suite)`);
  }
  const out = path.join(reportsRoot(), "explore-variants");
  mkdirSync(out, { recursive: true });
  const library = await stepLibrary();
  const references = conformantVariantIds();
  const only = process.argv[2]?.split(",");
  const counts = { both: 0, suiteOnly: 0, exploreOnly: 0, neither: 0 };
  for (const v of VARIANTS.filter((x) => x.kind === "broken" && (!only || only.includes(x.id)))) {
    const started = Date.now();
    const r = await explore({ driver: "simulator", driverOptions: { variant: v.id }, edition: "current", runs: RUNS, seed: SEED, length: 20, references }, library);
    const found = !!r.failure;
    const caught = suite.get(v.id);
    if (r.failure) writeFileSync(path.join(out, `${v.id}.feature`), renderFailure(r.failure, { driver: "simulator", edition: "current", extra: ` --variant ${v.id}` }, loadCatalogue()));
    if (caught !== undefined) counts[found ? (caught ? "both" : "exploreOnly") : caught ? "suiteOnly" : "neither"]++;
    const suiteSays = caught === undefined ? "" : caught ? "suite: caught   " : "suite: NOT caught";
    console.log(`${v.id.padEnd(30)} ${suiteSays} explore: ${found ? `found, shrunk to ${r.failure!.trace.length + 1} actions` : "not found"} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  if (suite.size) console.log(`caught by both: ${counts.both}, by the suite only: ${counts.suiteOnly}, by explore only: ${counts.exploreOnly}, by neither: ${counts.neither}`);
  console.log(`shrunk scenarios: ${out}/`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
