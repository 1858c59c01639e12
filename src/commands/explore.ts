// `joinleaf explore`: random call sequences checked against the model, a divergence shrunk and
// printed as a Gherkin scenario.
import type { Command } from "commander";
import { stepLibrary } from "../conformance";
import { addDriverFlags, checkEdition, checkOptions, driverOptionsFrom } from "../conformance-options";
import { closeAllConnections } from "../../drivers/remote/remote-driver";
import { explore } from "../explore/explore";
import { renderFailure } from "../explore/gherkin";
import { loadCatalogue } from "../report/catalogue";
import { conformantVariantIds } from "../explore/references";
import { UsageError } from "../usage-error";

export function define(cmd: Command): void {
  cmd
    .option("--driver <name>", "the implementation to explore", "simulator")
    .option("--edition <e>", "current or legacy", "current")
    .option("--runs <n>", "how many sequences", "100")
    .option("--seed <s>", "the random seed (default: a new one, printed)")
    .option("--length <l>", "the longest sequence, in actions", "20")
    .option("--path <p>", "with --seed: replay one failure (explore prints both)");
  addDriverFlags(cmd);
  cmd.addHelpText(
    "after",
    `
the oracle is every conformant variant of the model: an answer one of them gives is not a divergence
exit: 0 no divergence, 1 a divergence (printed as a scenario), 2 usage error
`,
  );
}

function whole(flag: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`${flag} wants a whole number of at least ${min}, not "${value}"`);
  return Number(value);
}

export async function run(values: { driver: string; edition: string; runs: string; seed?: string; length: string; path?: string; [flag: string]: unknown }): Promise<number> {
  const driver = values.driver;
  const edition = checkEdition(values.edition);
  const driverOptions = driverOptionsFrom(values);
  checkOptions({ driver, edition, driverOptions });
  if (values.path !== undefined && values.seed === undefined) throw new UsageError("--path replays a failure of one seed: give --seed too");
  const options = {
    driver,
    edition,
    driverOptions,
    runs: whole("--runs", values.runs, 100),
    seed: whole("--seed", values.seed, Math.floor(Math.random() * 0x7fffffff), 0),
    length: whole("--length", values.length, 20),
    path: values.path,
    references: conformantVariantIds(),
  };
  const started = process.hrtime.bigint();
  const result = await explore(options, await stepLibrary()).finally(closeAllConnections);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const speed = `${result.sequences} sequences in ${seconds.toFixed(1)} s (${(result.sequences / seconds).toFixed(0)}/s)`;
  if (!result.failure) {
    process.stdout.write(`explore: no divergence in ${options.runs} sequences of up to ${options.length} actions (seed ${options.seed}, ${options.references.length} reference variants); ${speed}\n`);
    return 0;
  }
  const extra = Object.entries(driverOptions)
    .map(([k, v]) => ` --${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} '${v}'`)
    .join("");
  process.stdout.write(renderFailure(result.failure, { driver, edition, extra }, loadCatalogue()));
  process.stdout.write(`explore: a divergence (seed ${result.failure.seed}); ${speed}\n`);
  return 1;
}
