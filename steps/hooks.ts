// Scenario lifecycle: a fresh driver per scenario, capability checks, and the leak check after.
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

After(async function (this: JoinLeafWorld) {
  const leftover = await this.closeAll();
  if (leftover.length) {
    throw new Error(`after closing every socket it knows, the driver still holds ${leftover.length} socket(s): ${leftover.join(", ")}`);
  }
});
