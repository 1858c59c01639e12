// `joinleaf agent`: host a local driver behind the driver protocol.
import type { Command } from "commander";
import { isLoopback, parseListen, serveStdio, serveTcp } from "../agent";
import { knownDrivers } from "../../drivers/index";
import { findVariant, unknownVariantMessage } from "../../drivers/simulator/variants";
import { addDriverFlags, checkEdition, driverOptionsFrom } from "../conformance-options";
import { UsageError } from "../usage-error";

export function define(cmd: Command): void {
  cmd
    .option("--driver <name>", "the driver to host", "simulator")
    .option("--edition <e>", "current or legacy, for modelled drivers", "current")
    .option("--listen <host:port>", "serve TCP instead of stdio (port 0: any free port; [::1]:PORT for IPv6); a bare PORT listens on 127.0.0.1")
    .option("--token <token>", "the token TCP clients must present in hello (default: a random one, printed)")
    .option("--ready-file <path>", 'with --listen: write {"host","port","token"} there once listening');
  addDriverFlags(cmd, ["--provider", "--provider-traits", "--variant"]);
}

export interface Options {
  driver: string;
  edition: string;
  listen?: string;
  token?: string;
  readyFile?: string;
  [driverFlag: string]: unknown;
}

export async function run(values: Options): Promise<number> {
  const driver = values.driver as string;
  if (!knownDrivers().includes(driver)) throw new UsageError(`unknown driver "${driver}"; known drivers: ${knownDrivers().join(", ")}`);
  const edition = checkEdition(values.edition);
  const driverOptions = driverOptionsFrom(values);
  if (driverOptions.variant !== undefined && driver !== "simulator") throw new UsageError(`--variant is for --driver simulator, not "${driver}"`);
  if (driverOptions.variant !== undefined && !findVariant(driverOptions.variant)) throw new UsageError(unknownVariantMessage(driverOptions.variant));
  if (!values.listen) {
    await serveStdio({ driver, edition, driverOptions });
    return 0;
  }
  const { host, port } = parseListen(values.listen);
  const served = await serveTcp({ driver, edition, token: values.token, driverOptions }, host, port, values.readyFile);
  const loopback = isLoopback(host);
  // stderr, not stdout: under Wine stdout may be a pipe node.exe cannot write to.
  process.stderr.write(
    `agent: driver ${driver} listening on ${served.host}:${served.port}${loopback ? "" : " (NOT loopback: reachable from other hosts)"}\n` +
      (values.token ? "" : `agent: token ${served.token}\n`),
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await served.close();
  return 0;
}
