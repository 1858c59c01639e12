// What about this machine decides how fast two processes can hand a message back and forth.
// On a virtual machine a CPU with nothing to run either polls for a while or halts; waking a
// halted one is a round trip through the hypervisor. With Linux's haltpoll idle driver and
// guest_halt_poll_ns=0 every wakeup is one: here a stdio round trip took 66-89 µs with it at 0
// and 20-23 µs at 200000 (Linux's default), the same code, the two settings taken in turn.
import { readFileSync } from "node:fs";

function read(file: string): string | null {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return null;
  }
}

/** One line on how idle CPUs wait here, or null where the kernel does not say (not Linux). */
export function idleNote(): string | null {
  const driver = read("/sys/devices/system/cpu/cpuidle/current_driver");
  if (!driver) return null;
  const pollNs = driver === "haltpoll" ? read("/sys/module/haltpoll/parameters/guest_halt_poll_ns") : null;
  const poll = pollNs === null ? "" : `, guest_halt_poll_ns=${pollNs}${pollNs === "0" ? " (an idle CPU halts at once: every wakeup goes through the hypervisor)" : ""}`;
  return `this machine's idle CPUs: cpuidle driver ${driver}${poll}`;
}
