// Scenario lifecycle: a fresh driver per scenario, capability checks, and after it the leak
// check and the TIMEOUT / CRASH note.
import { After, Before, setDefaultTimeout, setWorldConstructor } from "@cucumber/cucumber";
import { STATUS_MEDIA_TYPE, statusNote } from "./status";
import { JoinLeafWorld } from "./world";

// Registered here, not in world.ts, so that other tools (explore) can make a World outside a Cucumber run.
setWorldConstructor(JoinLeafWorld);

// A native implementation may block for a real join timeout; the simulator never comes close.
setDefaultTimeout(120_000);

Before(async function (this: JoinLeafWorld, { pickle }) {
  const needs = pickle.tags.filter((t) => t.name.startsWith("@needs:")).map((t) => t.name.slice("@needs:".length));
  if (pickle.tags.some((t) => t.name === "@untestable")) return; // its Then step records why
  const missing = await this.start(needs);
  if (missing) {
    this.attach(statusNote("UNSUPPORTED", missing, this.notApplicable), STATUS_MEDIA_TYPE);
    return "skipped";
  }
});

// One After hook, not one per concern: Cucumber runs, reports and times each hook as a step of
// every scenario. It closes what the scenario left open and checks the driver holds nothing
// more; then a scenario whose implementation hung or died (in a step, at start, or while
// closing) is marked TIMEOUT or CRASH, not just failed.
After(async function (this: JoinLeafWorld, { result }) {
  let closing: Error | undefined;
  try {
    const leftover = await this.closeAll();
    if (leftover.length) closing = new Error(`after closing every socket it knows, the driver still holds ${leftover.length} socket(s): ${leftover.join(", ")}`);
  } catch (err) {
    closing = err as Error;
  }
  const fault = this.driver?.fault ?? faultIn(result?.message) ?? faultIn(closing?.message);
  if (fault) this.attach(statusNote(fault.status, fault.reason), STATUS_MEDIA_TYPE);
  if (closing) throw closing;
});

/** A driver that could not even start reports its fault in the error message ("TIMEOUT: ..."). */
function faultIn(message: string | undefined): { status: "TIMEOUT" | "CRASH"; reason: string } | null {
  const m = /^(TIMEOUT|CRASH): (.*)/s.exec(message ?? "");
  return m ? { status: m[1] as "TIMEOUT" | "CRASH", reason: m[2] } : null;
}
