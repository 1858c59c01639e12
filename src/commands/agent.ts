// `joinleaf agent`: host a local driver behind the driver protocol.
import { parseArgs } from "node:util";
import { serveStdio, serveTcp } from "../agent";
import { knownDrivers } from "../../drivers/index";
import { checkEdition, PROVIDER_FLAGS_USAGE } from "../conformance";
import { UsageError } from "../usage-error";

export const summary = "host a local driver behind the driver protocol (stdio, or TCP with --listen)";
export const usage = `  --driver NAME        the driver to host (default: simulator)
  --edition E          current (default) or legacy, for modelled drivers
  --listen HOST:PORT   serve TCP instead of stdio (port 0: any free port); loopback unless you say otherwise
  --token T            the token TCP clients must present in hello (default: a random one, printed)
  --ready-file PATH    with --listen: write {"host","port","token"} there once listening
  native drivers:
${PROVIDER_FLAGS_USAGE}`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      driver: { type: "string", default: "simulator" },
      edition: { type: "string", default: "current" },
      listen: { type: "string" },
      token: { type: "string" },
      "ready-file": { type: "string" },
      provider: { type: "string" },
      "provider-traits": { type: "string" },
    },
    strict: true,
  });
  const driver = values.driver as string;
  if (!knownDrivers().includes(driver)) throw new UsageError(`unknown driver "${driver}"; known drivers: ${knownDrivers().join(", ")}`);
  const edition = checkEdition(values.edition as string);
  const driverOptions: Record<string, string> = {
    ...(values.provider ? { provider: values.provider } : {}),
    ...(values["provider-traits"] ? { providerTraits: values["provider-traits"] } : {}),
  };
  if (!values.listen) {
    await serveStdio({ driver, edition, driverOptions });
    return 0;
  }
  const i = values.listen.lastIndexOf(":");
  const host = values.listen.slice(0, i);
  const port = Number(values.listen.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--listen wants HOST:PORT, not "${values.listen}"`);
  const served = await serveTcp({ driver, edition, token: values.token, driverOptions }, host, port, values["ready-file"]);
  const loopback = /^(127\.|::1$|localhost$)/.test(host);
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
