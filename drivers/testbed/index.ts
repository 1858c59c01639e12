// Which testbed serves a driver: the driver's own simulated one, or the machine's real network.
import type { Driver, Testbed } from "../driver";
import { RealTestbed } from "./real";
import { SimulatedTestbed } from "./simulated";

export function testbedFor(driver: Driver): Testbed {
  return driver.network === "real" ? new RealTestbed() : new SimulatedTestbed(driver);
}

export { RealTestbed, SimulatedTestbed };
