// What a protocol entry offers, in the words scenarios use in `@needs:` tags.
import type { DriverCapability, ProtocolInfo, TestbedCapability } from "./driver";
import {
  XP1_CONNECT_DATA,
  XP1_MULTIPOINT_CONTROL_PLANE,
  XP1_MULTIPOINT_DATA_PLANE,
  XP1_QOS_SUPPORTED,
  XP1_SUPPORT_MULTIPOINT,
} from "./winsock";

/** Traits a protocol entry can have; each has a "no-" opposite for scenarios that need its absence. */
export const PROTOCOL_TRAITS = [
  "rooted-control",
  "nonrooted-control",
  "rooted-data",
  "nonrooted-data",
  "connect-data",
  "qos",
  "root-initiated",
  "leaf-initiated",
  "side-chat",
] as const;
export type ProtocolTrait = (typeof PROTOCOL_TRAITS)[number];

export const DRIVER_CAPABILITIES: readonly DriverCapability[] = [
  "scripted-peers",
  "session-members",
  "network-down",
  "unreachable-peers",
  "out-of-buffers",
  "winsock11-blocking",
  "virtual-clock",
  "socket-groups",
  "several-hosts",
];

/** The capabilities the testbed provides (peers, faults, time); the rest are the implementation's. */
export const TESTBED_CAPABILITIES: readonly TestbedCapability[] = [
  "scripted-peers",
  "session-members",
  "network-down",
  "unreachable-peers",
  "out-of-buffers",
  "virtual-clock",
];

export function isTestbedCapability(need: string): need is TestbedCapability {
  return (TESTBED_CAPABILITIES as readonly string[]).includes(need);
}

/** Every word a `@needs:` tag may carry. */
export const NEEDS_VOCABULARY: readonly string[] = [
  ...PROTOCOL_TRAITS,
  ...PROTOCOL_TRAITS.map((t) => `no-${t}`),
  ...DRIVER_CAPABILITIES,
];

export function protocolTraits(p: ProtocolInfo): Set<ProtocolTrait> {
  const traits = new Set<ProtocolTrait>();
  if (!(p.serviceFlags1 & XP1_SUPPORT_MULTIPOINT)) return traits;
  traits.add(p.serviceFlags1 & XP1_MULTIPOINT_CONTROL_PLANE ? "rooted-control" : "nonrooted-control");
  traits.add(p.serviceFlags1 & XP1_MULTIPOINT_DATA_PLANE ? "rooted-data" : "nonrooted-data");
  if (p.serviceFlags1 & XP1_CONNECT_DATA && p.maxConnectData > 0) traits.add("connect-data");
  if (p.serviceFlags1 & XP1_QOS_SUPPORTED) traits.add("qos");
  if (p.rootInitiatedJoins && traits.has("rooted-control")) traits.add("root-initiated");
  if (p.leafInitiatedJoins) traits.add("leaf-initiated");
  if (p.sideChat) traits.add("side-chat");
  return traits;
}

export function isMultipoint(p: ProtocolInfo): boolean {
  return (p.serviceFlags1 & XP1_SUPPORT_MULTIPOINT) !== 0;
}

/** Whether a protocol entry satisfies one need ("qos", "no-qos"); driver capabilities are not protocol needs. */
export function protocolMeets(p: ProtocolInfo, need: string): boolean {
  const traits = protocolTraits(p) as Set<string>;
  if (need.startsWith("no-")) return isMultipoint(p) && !traits.has(need.slice(3));
  return traits.has(need);
}

/** The protocol needs (traits and "no-" traits) that an entry does not meet. */
export function unmetNeeds(p: ProtocolInfo, needs: readonly string[]): string[] {
  return needs.filter((n) => !protocolMeets(p, n));
}

export function isDriverCapability(need: string): need is DriverCapability {
  return (DRIVER_CAPABILITIES as readonly string[]).includes(need);
}
