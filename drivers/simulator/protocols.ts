// The simulated provider's protocol catalogue: what WSAEnumProtocols would list.
import type { ProtocolInfo } from "../driver";
import type { Choices } from "./choices";
import {
  AF_INET,
  SOCK_DGRAM,
  SOCK_STREAM,
  XP1_CONNECT_DATA,
  XP1_MULTIPOINT_CONTROL_PLANE,
  XP1_MULTIPOINT_DATA_PLANE,
  XP1_QOS_SUPPORTED,
  XP1_SUPPORT_MULTIPOINT,
} from "../winsock";

const PROVIDER = "{6a6f696e-6c65-6166-2d73-696d756c6174}";

/** Simulated link capacity for QOS admission, bytes per second (an OC-3 line, roughly). */
export const LINK_CAPACITY_BYTES_PER_SEC = 19_440_000;

export const SIM_PROTOCOLS: readonly ProtocolInfo[] = [
  {
    // IP multicast shape: nonrooted control and data, no connect data, no QOS.
    id: "sim-multicast",
    name: "Simulated IP multicast (UDP)",
    catalogEntryId: 1001,
    providerId: PROVIDER,
    addressFamily: AF_INET,
    socketType: SOCK_DGRAM,
    protocol: 17,
    serviceFlags1: XP1_SUPPORT_MULTIPOINT,
    maxConnectData: 0,
    rootInitiatedJoins: false,
    leafInitiatedJoins: true,
    sideChat: false,
  },
  {
    // ATM point-to-multipoint shape: rooted control and data, both join directions, connect data, QOS.
    id: "sim-atm-p2mp",
    name: "Simulated ATM point-to-multipoint",
    catalogEntryId: 1002,
    providerId: PROVIDER,
    addressFamily: AF_INET,
    socketType: SOCK_STREAM,
    protocol: 0,
    serviceFlags1:
      XP1_SUPPORT_MULTIPOINT | XP1_MULTIPOINT_CONTROL_PLANE | XP1_MULTIPOINT_DATA_PLANE | XP1_QOS_SUPPORTED | XP1_CONNECT_DATA,
    maxConnectData: 64,
    rootInitiatedJoins: true,
    leafInitiatedJoins: true,
    sideChat: false,
  },
  {
    // A conference with a central controller: rooted control, nonrooted data, leaf-initiated joins
    // only, connect data, side chats between the root and one leaf.
    id: "sim-conference",
    name: "Simulated controlled conference",
    catalogEntryId: 1003,
    providerId: PROVIDER,
    addressFamily: AF_INET,
    socketType: SOCK_STREAM,
    protocol: 0,
    serviceFlags1: XP1_SUPPORT_MULTIPOINT | XP1_MULTIPOINT_CONTROL_PLANE | XP1_CONNECT_DATA,
    maxConnectData: 32,
    rootInitiatedJoins: false,
    leafInitiatedJoins: true,
    sideChat: true,
  },
];

/** What WSAEnumProtocols lists under a set of choices: which entries, their order, their maxima. */
export function catalogue(choices: Pick<Choices, "catalogue" | "protocolOrder" | "maxConnectData">): ProtocolInfo[] {
  const entries = choices.catalogue === "windows-ip-multicast" ? [WINDOWS_IP_MULTICAST] : SIM_PROTOCOLS;
  const listed = entries.map((p) => {
    const max = choices.maxConnectData[p.id];
    return max === undefined || p.maxConnectData === 0 ? { ...p } : { ...p, maxConnectData: max };
  });
  return choices.protocolOrder === "reversed" ? listed.reverse() : listed;
}

/** The shape of Windows' IP multicast entry (MSAFD Tcpip [UDP/IP]): nonrooted, no connect data, no QOS. */
const WINDOWS_IP_MULTICAST: ProtocolInfo = {
  ...SIM_PROTOCOLS[0],
  id: "sim-ip-multicast",
  name: "Simulated Windows-like IP multicast (UDP/IP)",
  catalogEntryId: 1011,
};
