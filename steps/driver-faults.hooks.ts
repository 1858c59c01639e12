// A scenario whose implementation hung or died is marked TIMEOUT or CRASH, not just failed.
import { After } from "@cucumber/cucumber";
import { STATUS_MEDIA_TYPE, statusNote } from "./status";
import type { JoinLeafWorld } from "./world";

After(function (this: JoinLeafWorld, { result }) {
  const fault = this.driver?.fault ?? faultIn(result?.message);
  if (fault) this.attach(statusNote(fault.status, fault.reason), STATUS_MEDIA_TYPE);
});

/** A driver that could not even start reports its fault in the error message ("TIMEOUT: ..."). */
function faultIn(message: string | undefined): { status: "TIMEOUT" | "CRASH"; reason: string } | null {
  const m = /^(TIMEOUT|CRASH): (.*)/s.exec(message ?? "");
  return m ? { status: m[1] as "TIMEOUT" | "CRASH", reason: m[2] } : null;
}
