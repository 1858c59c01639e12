// sockaddr_in / sockaddr_in6 encoding, so the contract can pass names as raw bytes like the API does.
import type { Hex } from "./driver";
import { AF_INET, AF_INET6 } from "./winsock";

export interface SockAddr {
  family: number;
  address: string;
  port: number;
}

export const SOCKADDR_IN_SIZE = 16;
export const SOCKADDR_IN6_SIZE = 28;

export function encodeSockAddr(a: SockAddr): Hex {
  if (a.family === AF_INET) {
    const b = Buffer.alloc(SOCKADDR_IN_SIZE);
    b.writeUInt16LE(AF_INET, 0);
    b.writeUInt16BE(a.port, 2);
    a.address.split(".").forEach((octet, i) => b.writeUInt8(Number(octet), 4 + i));
    return b.toString("hex");
  }
  if (a.family === AF_INET6) {
    const b = Buffer.alloc(SOCKADDR_IN6_SIZE);
    b.writeUInt16LE(AF_INET6, 0);
    b.writeUInt16BE(a.port, 2);
    const groups = expandIpv6(a.address);
    groups.forEach((g, i) => b.writeUInt16BE(g, 8 + 2 * i));
    return b.toString("hex");
  }
  throw new Error(`cannot encode address family ${a.family}`);
}

/** Decodes the bytes of a sockaddr; undefined when they are too short for their family. */
export function decodeSockAddr(hex: Hex, namelen = hex.length / 2): SockAddr | undefined {
  const b = Buffer.from(hex, "hex").subarray(0, namelen);
  if (b.length < 2) return undefined;
  const family = b.readUInt16LE(0);
  if (family === AF_INET) {
    if (b.length < SOCKADDR_IN_SIZE) return undefined;
    return { family, port: b.readUInt16BE(2), address: [4, 5, 6, 7].map((i) => b[i]).join(".") };
  }
  if (family === AF_INET6) {
    if (b.length < SOCKADDR_IN6_SIZE) return undefined;
    const groups: string[] = [];
    for (let i = 0; i < 8; i++) groups.push(b.readUInt16BE(8 + 2 * i).toString(16));
    return { family, port: b.readUInt16BE(2), address: groups.join(":") };
  }
  return { family, port: 0, address: "" };
}

function expandIpv6(text: string): number[] {
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const h = head ? head.split(":").map((g) => parseInt(g, 16)) : [];
  const t = tail ? tail.split(":").map((g) => parseInt(g, 16)) : [];
  const zeros = tail === undefined ? [] : new Array(8 - h.length - t.length).fill(0);
  return [...h, ...zeros, ...t];
}

export const inet = (address: string, port: number): SockAddr => ({ family: AF_INET, address, port });
