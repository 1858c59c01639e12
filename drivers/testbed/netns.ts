// Whether this process runs inside a network namespace that scripts/netns.sh made, and what that
// namespace can do. Multicast is sent only there: never in the machine's default namespace.
import { execFileSync, spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { PACKAGE_ROOT } = require("../../src/package-root") as typeof import("../../src/package-root");

/** The script that makes the namespace and runs a command in it (shipped with the package). */
export const NETNS_SCRIPT = path.join(PACKAGE_ROOT, "scripts", "netns.sh");

export interface Namespace {
  name: string;
  /** The interface that carries the multicast route; taking it down is "network down". */
  iface: string;
  /** Its address: the source of the testbed's multicast. */
  ifaceAddress: string;
  /** An address with no route in the namespace. */
  unreachable: string;
}

/** The project's namespace this process is in, or why it is in none. */
export function currentNamespace(): Namespace | string {
  if (process.platform !== "linux") return `real peers are made only inside a Linux network namespace of the project's own, and this is ${process.platform}`;
  const name = process.env.JOINLEAF_NETNS;
  if (!name) return "not inside a network namespace of the project's own (run under scripts/netns.sh, as root)";
  try {
    const mine = statSync("/proc/self/ns/net");
    const made = statSync(path.join("/run/netns", name));
    if (mine.ino !== made.ino || mine.dev !== made.dev) return `JOINLEAF_NETNS says "${name}", but this process is not in that namespace`;
  } catch (e) {
    return `network namespace "${name}" cannot be checked: ${(e as Error).message}`;
  }
  return {
    name,
    iface: process.env.JOINLEAF_NETNS_IF ?? "jl0",
    ifaceAddress: process.env.JOINLEAF_NETNS_IF_ADDRESS ?? "127.77.0.1",
    unreachable: process.env.JOINLEAF_NETNS_UNREACHABLE ?? "127.66.0.1",
  };
}

/** `ip route get ADDRESS` inside the current namespace: the route, or the error it gives. */
export function routeTo(address: string): { ok: boolean; text: string } {
  const r = spawnSync("ip", ["route", "get", address], { encoding: "utf8" });
  return { ok: r.status === 0, text: (r.status === 0 ? r.stdout : r.stderr || String(r.error ?? "")).trim() };
}

/** Runs `ip ARGS` in the current namespace; throws with ip's own message. */
export function ip(...args: string[]): void {
  try {
    execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`ip ${args.join(" ")}: ${stderr || (e as Error).message}`);
  }
}

/** Whether scripts/netns.sh can make a namespace here (root and iproute2), or why not. */
export function canMakeNamespace(): true | string {
  if (process.platform !== "linux") return "network namespaces are a Linux feature";
  if (process.getuid?.() !== 0) return "making a network namespace needs root";
  if (spawnSync("ip", ["-V"]).status !== 0) return "iproute2's ip is not installed";
  return true;
}
