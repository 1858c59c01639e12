// The simulated testbed: the peers, faults and clock a driver models itself (the simulator in
// process, or an agent's testbed methods over the driver protocol). It only forwards.
import type { ClockHint, Driver, Fault, Hex, PeerBehaviour, PeerLog, Result, Testbed, TestbedCalls, TestbedCapability } from "../driver";
import { isTestbedCapability } from "../capabilities";

export class SimulatedTestbed implements Testbed {
  readonly kind = "simulated" as const;
  readonly capabilities: ReadonlySet<TestbedCapability>;
  // A modelled network's link delays are its driver's; a second covers any it could sensibly
  // have, and on a virtual clock it costs nothing.
  readonly settleMs = 1_000;

  constructor(private readonly driver: Driver) {
    this.capabilities = new Set([...driver.capabilities].filter(isTestbedCapability));
  }

  /** A modelled network lacks what its driver does not claim; "lacks X" says it all. */
  whyNot(_capability: TestbedCapability): string | undefined {
    return undefined;
  }

  private calls<K extends keyof TestbedCalls>(name: K): NonNullable<TestbedCalls[K]> {
    const fn = this.driver[name];
    if (typeof fn !== "function") throw new Error(`driver "${this.driver.name}" has no testbed call ${name}`);
    return (fn as (...a: unknown[]) => unknown).bind(this.driver) as NonNullable<TestbedCalls[K]>;
  }

  hostAddress(host: string): Promise<string> {
    return this.calls("hostAddress")(host);
  }
  definePeer(name: string, behaviour: PeerBehaviour): Promise<Result<Hex>> {
    return this.calls("definePeer")(name, behaviour);
  }
  peerLog(name: string): Promise<PeerLog> {
    return this.calls("peerLog")(name);
  }
  peerLeave(name: string): Promise<void> {
    return this.calls("peerLeave")(name);
  }
  peerSend(name: string, data: Hex, sideChat?: boolean): Promise<void> {
    // The protocol sends sideChat only when it is true.
    return sideChat ? this.calls("peerSend")(name, data, true) : this.calls("peerSend")(name, data);
  }
  peerRequestJoin(name: string, root: Hex, callerData: Hex | null): Promise<void> {
    return this.calls("peerRequestJoin")(name, root, callerData);
  }
  injectFault(host: string, fault: Fault, on: boolean): Promise<void> {
    return this.calls("injectFault")(host, fault, on);
  }
  advance(ms: number, onlyWhileWaiting?: boolean): Promise<ClockHint | null | void> {
    return this.calls("advance")(ms, onlyWhileWaiting);
  }
  /** The driver's dispose ends its modelled network too. */
  async dispose(): Promise<void> {}
}
