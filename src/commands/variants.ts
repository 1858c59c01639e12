// `joinleaf variants`: the suite against every named simulator variant, in process.
import type { Command } from "commander";
import { VARIANTS } from "../../drivers/simulator/variants";
import { UsageError } from "../usage-error";
import { describeOutcome, Edition, runVariants, SAMPLE, writeSummary } from "../variants";

export function define(cmd: Command): void {
  cmd
    .option("--kind <k>", "conformant, broken or all", "all")
    .option("--only <ids>", "just these variants (comma-separated)")
    .option("--sample", "a fixed sample (SAMPLE in src/variants.ts), for npm test")
    .option("--edition <e>", "current, legacy or both", "both")
    .addHelpText(
      "after",
      `
a broken variant only explore is expected to catch (caughtBy "explore") must be found by explore
with a fixed seed (EXPLORE_CHECK in src/variants.ts), and by no scenario (else it is mislabelled)
writes <reports>/variants/summary.json (docs/variants.md)
exit: 0 every conformant variant has no FAIL and every broken one is caught as it says, 1 otherwise
`,
    );
}

export interface Options {
  kind: string;
  only?: string;
  sample?: boolean;
  edition: string;
}

export async function run(values: Options): Promise<number> {
  const kind = values.kind;
  if (kind !== "conformant" && kind !== "broken" && kind !== "all") throw new UsageError(`--kind wants conformant, broken or all, not "${kind}"`);
  const edition = values.edition;
  if (edition !== "current" && edition !== "legacy" && edition !== "both") throw new UsageError(`--edition wants current, legacy or both, not "${edition}"`);
  let only = values.only?.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = (only ?? []).filter((id) => !VARIANTS.some((v) => v.id === id));
  if (unknown.length) throw new UsageError(`unknown variant ${unknown.map((u) => `"${u}"`).join(", ")}; known variants: ${VARIANTS.map((v) => v.id).join(", ")}`);
  if (values.sample) only = only ? only.filter((id) => SAMPLE.includes(id)) : [...SAMPLE];
  const editions: Edition[] = edition === "both" ? ["current", "legacy"] : [edition];

  const started = Date.now();
  const outcomes = await runVariants({ kind, only, editions, onVariant: (o) => process.stdout.write(`${describeOutcome(o)}\n`) });
  const file = writeSummary(outcomes);
  const falseFails = outcomes.filter((o) => o.verdict === "false-fail");
  const notCaught = outcomes.filter((o) => o.verdict === "not-caught");
  const mislabelled = outcomes.filter((o) => o.verdict === "mislabelled");
  const conformant = outcomes.filter((o) => o.kind === "conformant").length;
  const broken = outcomes.length - conformant;
  const byExplore = outcomes.filter((o) => o.explore?.found).length;
  process.stdout.write(
    `variants${values.sample ? " (sample)" : ""}: ${conformant - falseFails.length} of ${conformant} conformant clean, ${broken - notCaught.length} of ${broken} broken caught` +
      `${byExplore ? `, ${byExplore} of them by explore` : ""} (${editions.join(" + ")}) in ${((Date.now() - started) / 1000).toFixed(1)} s; ${file}\n`,
  );
  if (falseFails.length) process.stdout.write(`FALSE FAIL (conformant variant failed): ${falseFails.map((o) => o.id).join(", ")}\n`);
  if (notCaught.length) process.stdout.write(`NOT CAUGHT (broken variant passed): ${notCaught.map((o) => o.id).join(", ")}\n`);
  if (mislabelled.length) process.stdout.write(`MISLABELLED (said to be caught only by explore, but the suite catches it): ${mislabelled.map((o) => o.id).join(", ")}\n`);
  return falseFails.length || notCaught.length || mislabelled.length ? 1 : 0;
}
