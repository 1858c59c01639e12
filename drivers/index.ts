// The driver registry: the one place that turns a driver name into a Driver.
import type { Driver } from "./driver";
import { Edition, Simulator } from "./simulator/simulator";
import { findVariant, unknownVariantMessage, variantOptions } from "./simulator/variants";

export interface DriverSettings {
  /** Which reading of the reference text a modelled driver follows. */
  edition: Edition;
  /** Free-form options for the driver (e.g. the agent command of a remote driver). */
  options?: Record<string, string>;
}

type Factory = (settings: DriverSettings) => Promise<Driver>;

const FACTORIES: Record<string, { describe: string; create: Factory }> = {
  simulator: {
    describe: "the reference model of a multipoint provider on a simulated network (in process);\n" +
      "               --variant ID picks a named set of choices or one provider bug (npx joinleaf variants)",
    create: async (s) => new Simulator({ edition: s.edition, ...simulatorVariant(s.options?.variant) }),
  },
  remote: {
    describe: "any implementation behind an agent speaking the driver protocol (docs/driver-protocol.md);\n" +
      "               default: a local agent hosting the simulator, over stdio",
    create: async (s) => {
      const remote = await import("./remote/remote-driver");
      return remote.connectRemote(remote.parseRemoteOptions(s.options), s.edition);
    },
  },
  native: {
    describe: "ws2_32.dll through koffi, in an agent process of its own (Windows only; on Linux see wine)",
    create: async (s) => {
      if (process.platform !== "win32") throw new Error("the native driver needs Windows; on Linux, --driver wine runs it under Wine");
      const remote = await import("./remote/remote-driver");
      const agent = `"${process.execPath}" "${BIN}" agent --driver native-host${providerFlag(s)}`;
      return remote.connectRemote({ ...remote.parseRemoteOptions(s.options), agent, network: "real" }, s.edition);
    },
  },
  wine: {
    describe: "the native driver in Windows Node under Wine, over TCP loopback (npm run setup:wine first)",
    create: async (s) => {
      const wine = await import("./native/wine");
      const loader = wine.checkWineLane(s.options?.wine);
      const remote = await import("./remote/remote-driver");
      const launch = `${wine.wineNodeCommand(loader)} "${BIN}" agent --driver native-host --listen 127.0.0.1:0 --ready-file "{readyFile}"${providerFlag(s)}`;
      return remote.connectRemote({ startTimeoutMs: 120_000, callTimeoutMs: 60_000, ...remote.parseRemoteOptions(s.options), launch, network: "real" }, s.edition);
    },
  },
  "native-host": {
    describe: "(inside an agent only) the koffi driver itself, in the agent's process",
    create: async (s) =>
      new (await import("./native/native-driver")).NativeDriver({ provider: s.options?.provider, providerTraits: s.options?.providerTraits }),
  },
};

/** The simulator options of `--variant ID` (none: the reference model). */
function simulatorVariant(id: string | undefined) {
  if (id === undefined) return {};
  const v = findVariant(id);
  if (!v) throw new Error(unknownVariantMessage(id));
  return variantOptions(v);
}

/** Drivers that run only inside an agent: the harness never loads them into its own process. */
export const AGENT_ONLY_DRIVERS: ReadonlySet<string> = new Set(["native-host"]);

/**
 * Drivers that do nothing between calls (a model in the agent's own process): an agent hosting
 * one may wait for the next request in a blocking read. A driver of a real stack may hear from
 * threads of its own at any time, and needs the event loop free.
 */
export const PASSIVE_BETWEEN_CALLS: ReadonlySet<string> = new Set(["simulator"]);

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { BIN } = require("../src/package-root") as typeof import("../src/package-root");

/** The provider choice travels to the agent on its command line (quoted for a POSIX or Windows shell). */
function providerFlag(s: DriverSettings): string {
  const quote = (v: string) => (process.platform === "win32" ? `"${v.replace(/"/g, '\\"')}"` : `'${v.replace(/'/g, "'\\''")}'`);
  const o = s.options ?? {};
  return (o.provider ? ` --provider ${quote(o.provider)}` : "") + (o.providerTraits ? ` --provider-traits ${quote(o.providerTraits)}` : "");
}

export function knownDrivers(): string[] {
  return Object.keys(FACTORIES);
}

export function describeDrivers(): string {
  return Object.entries(FACTORIES)
    .map(([name, f]) => `  ${name.padEnd(12)} ${f.describe}`)
    .join("\n");
}

export class UnknownDriverError extends Error {}

export async function createDriver(name: string, settings: DriverSettings): Promise<Driver> {
  const factory = FACTORIES[name];
  if (!factory) throw new UnknownDriverError(`unknown driver "${name}". Known drivers:\n${describeDrivers()}`);
  return factory.create(settings);
}
