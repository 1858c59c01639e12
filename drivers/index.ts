// The driver registry: the one place that turns a driver name into a Driver.
import type { Driver } from "./driver";
import { Edition, Simulator } from "./simulator/simulator";

export interface DriverSettings {
  /** Which reading of the reference text a modelled driver follows. */
  edition: Edition;
  /** Free-form options for the driver (e.g. the agent command of a remote driver). */
  options?: Record<string, string>;
}

type Factory = (settings: DriverSettings) => Promise<Driver>;

const FACTORIES: Record<string, { describe: string; create: Factory }> = {
  simulator: {
    describe: "the reference model of a multipoint provider on a simulated network (in process)",
    create: async (s) => new Simulator({ edition: s.edition }),
  },
  remote: {
    describe: "any implementation behind an agent speaking the driver protocol (docs/driver-protocol.md);\n" +
      "               default: a local agent hosting the simulator, over stdio",
    create: async (s) => {
      const remote = await import("./remote/remote-driver");
      return remote.connectRemote(remote.parseRemoteOptions(s.options), s.edition);
    },
  },
};

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
