// koffi bindings for ws2_32.dll (plus the bits of user32.dll / kernel32.dll the
// suite needs), for the native driver and the Wine lane. x64 only.
//
// Nothing here touches koffi or a DLL at import time: importing this module on
// Linux is safe. `loadWs2()` loads koffi and the DLLs (Windows / Wine only) and
// returns the typed API; `ws2Layouts()` only needs koffi (any platform) and
// reports the struct sizes/offsets koffi computes, to check them against x64.
//
// Conventions of the API returned by loadWs2():
// - SOCKET is a bigint (pointer-sized unsigned). koffi returns small values as
//   number and INVALID_SOCKET (~0) as bigint; every socket coming back is
//   normalised to bigint, so compare with `=== INVALID_SOCKET`.
// - Every call is synchronous on the JS thread, so WSAGetLastError() called
//   right after it sees that call's error (koffi saves/restores the thread's
//   last-error value around each FFI call, so JS in between does not clobber
//   it). `*Async` variants run on a koffi worker thread: their last error is
//   not observable from JS.
// - Memory that the provider may keep or write later (WSABUF payloads, QOS
//   provider-specific buffers, caller/callee data) is allocated with
//   koffi.alloc (stable) and freed by the wrapper after the call.
// - Raw prototypes are available as `api.raw.<name>` to pass arbitrary
//   (including invalid) arguments: pointers are bigint | Buffer | null there.

import type * as KoffiModule from "koffi";

// The constants the whole suite shares live in ../winsock; this module adds the rest.
import { FD_BITS, WSA_FLAG_OVERLAPPED, WSA_FLAG_MULTIPOINT_C_ROOT, WSA_FLAG_MULTIPOINT_C_LEAF, WSA_FLAG_MULTIPOINT_D_ROOT, WSA_FLAG_MULTIPOINT_D_LEAF, JL_SENDER_ONLY, JL_RECEIVER_ONLY, JL_BOTH, XP1_CONNECT_DATA, XP1_SUPPORT_MULTIPOINT, XP1_MULTIPOINT_CONTROL_PLANE, XP1_MULTIPOINT_DATA_PLANE, XP1_QOS_SUPPORTED, CF_ACCEPT, CF_REJECT, CF_DEFER, FIONBIO, SIO_GET_QOS, SIO_SET_QOS, SIO_SET_GROUP_QOS, FD_MAX_EVENTS, AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM } from "../winsock";
export { WSA_FLAG_OVERLAPPED, WSA_FLAG_MULTIPOINT_C_ROOT, WSA_FLAG_MULTIPOINT_C_LEAF, WSA_FLAG_MULTIPOINT_D_ROOT, WSA_FLAG_MULTIPOINT_D_LEAF, JL_SENDER_ONLY, JL_RECEIVER_ONLY, JL_BOTH, XP1_CONNECT_DATA, XP1_SUPPORT_MULTIPOINT, XP1_MULTIPOINT_CONTROL_PLANE, XP1_MULTIPOINT_DATA_PLANE, XP1_QOS_SUPPORTED, CF_ACCEPT, CF_REJECT, CF_DEFER, FIONBIO, SIO_GET_QOS, SIO_SET_QOS, SIO_SET_GROUP_QOS, FD_MAX_EVENTS, AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM };

type Koffi = typeof KoffiModule;
type NativeFn = ReturnType<KoffiModule.LibraryHandle["func"]>;

// ----------------------------------------------------------------- constants

export type SOCKET = bigint;
export type Pointer = bigint;
export type HANDLE = bigint;

export const INVALID_SOCKET: SOCKET = 0xffffffffffffffffn;
export const SOCKET_ERROR = -1;
export const HWND_MESSAGE: HANDLE = 0xfffffffffffffffdn; // (HWND)-3

export const AF_UNSPEC = 0;
export const SOCK_RAW = 3;
export const IPPROTO_IP = 0;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const SOL_SOCKET = 0xffff;
export const SO_REUSEADDR = 0x0004;
export const SO_TYPE = 0x1008;
export const IP_MULTICAST_IF = 9;
export const IP_MULTICAST_TTL = 10;
export const IP_MULTICAST_LOOP = 11;
export const IP_ADD_MEMBERSHIP = 12;
export const IP_DROP_MEMBERSHIP = 13;



export const XP1_CONNECTIONLESS = 0x1;
export const XP1_GUARANTEED_DELIVERY = 0x2;
export const XP1_GUARANTEED_ORDER = 0x4;
export const XP1_MESSAGE_ORIENTED = 0x8;
export const XP1_PSEUDO_STREAM = 0x10;
export const XP1_GRACEFUL_CLOSE = 0x20;
export const XP1_EXPEDITED_DATA = 0x40;
export const XP1_DISCONNECT_DATA = 0x100;
export const XP1_SUPPORT_BROADCAST = 0x200;
export const XP1_INTERRUPT = 0x4000;
export const XP1_UNI_SEND = 0x8000;
export const XP1_UNI_RECV = 0x10000;
export const XP1_IFS_HANDLES = 0x20000;
export const XP1_PARTIAL_MESSAGE = 0x40000;
export const XP1_SAN_SUPPORT_SDP = 0x80000;

export const FD_READ = 0x01;
export const FD_WRITE = 0x02;
export const FD_OOB = 0x04;
export const FD_ACCEPT = 0x08;
export const FD_CONNECT = 0x10;
export const FD_CLOSE = 0x20;
export const FD_QOS = 0x40;
export const FD_GROUP_QOS = 0x80;
export const FD_ROUTING_INTERFACE_CHANGE = 0x100;
export const FD_ADDRESS_LIST_CHANGE = 0x200;
export const FD_ALL_EVENTS = 0x3ff;
/** Index into WSANETWORKEVENTS.iErrorCode for each FD_* bit. */
export const FD_BIT = { ...FD_BITS, FD_ROUTING_INTERFACE_CHANGE: 8, FD_ADDRESS_LIST_CHANGE: 9 } as const;


export const FIONREAD = 0x4004667f;
export const SIO_GET_GROUP_QOS = 0xc8000008;
export const SIO_MULTIPOINT_LOOPBACK = 0x88000009;
export const SIO_MULTICAST_SCOPE = 0x8800000a;

export const WSA_INFINITE = 0xffffffff;
export const WSA_WAIT_EVENT_0 = 0;
export const WSA_WAIT_TIMEOUT = 0x102;
export const WSA_WAIT_FAILED = 0xffffffff;
export const WSA_WAIT_IO_COMPLETION = 0xc0;

export const WM_USER = 0x0400;
export const PM_NOREMOVE = 0;
export const PM_REMOVE = 1;

/** Winsock error names by code (the ones the suite is likely to meet). */
export const WSA_ERROR_NAMES: Readonly<Record<number, string>> = {
  0: "NO_ERROR",
  6: "WSA_INVALID_HANDLE",
  8: "WSA_NOT_ENOUGH_MEMORY",
  87: "WSA_INVALID_PARAMETER",
  995: "WSA_OPERATION_ABORTED",
  996: "WSA_IO_INCOMPLETE",
  997: "WSA_IO_PENDING",
  10004: "WSAEINTR",
  10009: "WSAEBADF",
  10013: "WSAEACCES",
  10014: "WSAEFAULT",
  10022: "WSAEINVAL",
  10024: "WSAEMFILE",
  10035: "WSAEWOULDBLOCK",
  10036: "WSAEINPROGRESS",
  10037: "WSAEALREADY",
  10038: "WSAENOTSOCK",
  10039: "WSAEDESTADDRREQ",
  10040: "WSAEMSGSIZE",
  10041: "WSAEPROTOTYPE",
  10042: "WSAENOPROTOOPT",
  10043: "WSAEPROTONOSUPPORT",
  10044: "WSAESOCKTNOSUPPORT",
  10045: "WSAEOPNOTSUPP",
  10046: "WSAEPFNOSUPPORT",
  10047: "WSAEAFNOSUPPORT",
  10048: "WSAEADDRINUSE",
  10049: "WSAEADDRNOTAVAIL",
  10050: "WSAENETDOWN",
  10051: "WSAENETUNREACH",
  10052: "WSAENETRESET",
  10053: "WSAECONNABORTED",
  10054: "WSAECONNRESET",
  10055: "WSAENOBUFS",
  10056: "WSAEISCONN",
  10057: "WSAENOTCONN",
  10058: "WSAESHUTDOWN",
  10060: "WSAETIMEDOUT",
  10061: "WSAECONNREFUSED",
  10065: "WSAEHOSTUNREACH",
  10091: "WSASYSNOTREADY",
  10092: "WSAVERNOTSUPPORTED",
  10093: "WSANOTINITIALISED",
  10101: "WSAEDISCON",
  10105: "WSAEINVALIDPROVIDER",
  10106: "WSAEPROVIDERFAILEDINIT",
  11001: "WSAHOST_NOT_FOUND",
  11002: "WSATRY_AGAIN",
  126: "ERROR_MOD_NOT_FOUND",
};

export function wsaErrorName(code: number): string {
  return WSA_ERROR_NAMES[code] ?? `0x${(code >>> 0).toString(16)}`;
}

// ------------------------------------------------------------- x64 layouts

/** Byte sizes/offsets of the x64 Winsock structures, as used by this module. */
export const LAYOUT = {
  WSADATA: { size: 408 }, // _WIN64 order: 4 WORDs, lpVendorInfo @8, szDescription[257] @16, szSystemStatus[129] @273
  WSABUF: { size: 16, len: 0, buf: 8 },
  FLOWSPEC: { size: 32 },
  QOS: { size: 80, SendingFlowspec: 0, ReceivingFlowspec: 32, ProviderSpecific: 64 },
  WSAPROTOCOLCHAIN: { size: 32 },
  WSAPROTOCOL_INFOW: {
    size: 628,
    dwServiceFlags1: 0,
    dwServiceFlags2: 4,
    dwServiceFlags3: 8,
    dwServiceFlags4: 12,
    dwProviderFlags: 16,
    ProviderId: 20,
    dwCatalogEntryId: 36,
    ProtocolChain: 40,
    iVersion: 72,
    iAddressFamily: 76,
    iMaxSockAddr: 80,
    iMinSockAddr: 84,
    iSocketType: 88,
    iProtocol: 92,
    iProtocolMaxOffset: 96,
    iNetworkByteOrder: 100,
    iSecurityScheme: 104,
    dwMessageSize: 108,
    dwProviderReserved: 112,
    szProtocol: 116,
  },
  WSANETWORKEVENTS: { size: 44, lNetworkEvents: 0, iErrorCode: 4 },
  SOCKADDR_IN: { size: 16 },
  SOCKADDR_IN6: { size: 28 },
  FD_SET: { size: 520, fd_count: 0, fd_array: 8, max: 64 },
  TIMEVAL: { size: 8 },
  MSG: { size: 48, hwnd: 0, message: 8, wParam: 16, lParam: 24, time: 32 },
} as const;

interface KoffiTypes {
  WSABUF: KoffiModule.TypeObject;
  FLOWSPEC: KoffiModule.TypeObject;
  QOS: KoffiModule.TypeObject;
  GUID: KoffiModule.TypeObject;
  WSAPROTOCOLCHAIN: KoffiModule.TypeObject;
  WSAPROTOCOL_INFOW: KoffiModule.TypeObject;
  WSANETWORKEVENTS: KoffiModule.TypeObject;
  SOCKADDR_IN: KoffiModule.TypeObject;
  MSG: KoffiModule.TypeObject;
  CONDITIONPROC: KoffiModule.TypeObject;
}

let koffiCache: Koffi | undefined;
let typesCache: KoffiTypes | undefined;

function getKoffi(): Koffi {
  if (!koffiCache) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    koffiCache = require("koffi") as Koffi;
  }
  return koffiCache;
}

function getTypes(): KoffiTypes {
  if (typesCache) return typesCache;
  const koffi = getKoffi();
  const WSABUF = koffi.struct("JL_WSABUF", { len: "uint32_t", buf: "void *" });
  const FLOWSPEC = koffi.struct("JL_FLOWSPEC", {
    TokenRate: "uint32_t",
    TokenBucketSize: "uint32_t",
    PeakBandwidth: "uint32_t",
    Latency: "uint32_t",
    DelayVariation: "uint32_t",
    ServiceType: "uint32_t",
    MaxSduSize: "uint32_t",
    MinimumPolicedSize: "uint32_t",
  });
  const QOS = koffi.struct("JL_QOS", {
    SendingFlowspec: FLOWSPEC,
    ReceivingFlowspec: FLOWSPEC,
    ProviderSpecific: WSABUF,
  });
  const GUID = koffi.struct("JL_GUID", {
    Data1: "uint32_t",
    Data2: "uint16_t",
    Data3: "uint16_t",
    Data4: koffi.array("uint8_t", 8),
  });
  const WSAPROTOCOLCHAIN = koffi.struct("JL_WSAPROTOCOLCHAIN", {
    ChainLen: "int32_t",
    ChainEntries: koffi.array("uint32_t", 7),
  });
  const WSAPROTOCOL_INFOW = koffi.struct("JL_WSAPROTOCOL_INFOW", {
    dwServiceFlags1: "uint32_t",
    dwServiceFlags2: "uint32_t",
    dwServiceFlags3: "uint32_t",
    dwServiceFlags4: "uint32_t",
    dwProviderFlags: "uint32_t",
    ProviderId: GUID,
    dwCatalogEntryId: "uint32_t",
    ProtocolChain: WSAPROTOCOLCHAIN,
    iVersion: "int32_t",
    iAddressFamily: "int32_t",
    iMaxSockAddr: "int32_t",
    iMinSockAddr: "int32_t",
    iSocketType: "int32_t",
    iProtocol: "int32_t",
    iProtocolMaxOffset: "int32_t",
    iNetworkByteOrder: "int32_t",
    iSecurityScheme: "int32_t",
    dwMessageSize: "uint32_t",
    dwProviderReserved: "uint32_t",
    szProtocol: koffi.array("char16_t", 256, "Array"),
  });
  const WSANETWORKEVENTS = koffi.struct("JL_WSANETWORKEVENTS", {
    lNetworkEvents: "int32_t",
    iErrorCode: koffi.array("int32_t", 10, "Array"),
  });
  const SOCKADDR_IN = koffi.struct("JL_SOCKADDR_IN", {
    sin_family: "uint16_t",
    sin_port: "uint16_be_t",
    sin_addr: "uint32_be_t",
    sin_zero: koffi.array("uint8_t", 8),
  });
  const MSG = koffi.struct("JL_MSG", {
    hwnd: "void *",
    message: "uint32_t",
    wParam: "uintptr_t",
    lParam: "intptr_t",
    time: "uint32_t",
    ptX: "int32_t",
    ptY: "int32_t",
    lPrivate: "uint32_t",
  });
  // int CALLBACK ConditionFunc(LPWSABUF lpCallerId, LPWSABUF lpCallerData, LPQOS lpSQOS,
  //   LPQOS lpGQOS, LPWSABUF lpCalleeId, LPWSABUF lpCalleeData, GROUP *g, DWORD_PTR dwCallbackData)
  const CONDITIONPROC = koffi.proto(
    "int __stdcall JL_CONDITIONPROC(void *lpCallerId, void *lpCallerData, void *lpSQOS, void *lpGQOS, void *lpCalleeId, void *lpCalleeData, void *g, uintptr_t dwCallbackData)",
  );
  typesCache = {
    WSABUF,
    FLOWSPEC,
    QOS,
    GUID,
    WSAPROTOCOLCHAIN,
    WSAPROTOCOL_INFOW,
    WSANETWORKEVENTS,
    SOCKADDR_IN,
    MSG,
    CONDITIONPROC,
  };
  return typesCache;
}

export interface LayoutCheck {
  name: string;
  expected: number;
  actual: number;
  ok: boolean;
}

/**
 * Struct sizes/offsets as koffi lays them out, compared with LAYOUT. Needs koffi
 * only (no DLL), so it runs on Linux too.
 */
export function ws2Layouts(): LayoutCheck[] {
  const koffi = getKoffi();
  const t = getTypes();
  const checks: Array<[string, number, number]> = [
    ["sizeof(WSABUF)", LAYOUT.WSABUF.size, koffi.sizeof(t.WSABUF)],
    ["offsetof(WSABUF,buf)", LAYOUT.WSABUF.buf, koffi.offsetof(t.WSABUF, "buf")],
    ["sizeof(FLOWSPEC)", LAYOUT.FLOWSPEC.size, koffi.sizeof(t.FLOWSPEC)],
    ["sizeof(QOS)", LAYOUT.QOS.size, koffi.sizeof(t.QOS)],
    ["offsetof(QOS,ProviderSpecific)", LAYOUT.QOS.ProviderSpecific, koffi.offsetof(t.QOS, "ProviderSpecific")],
    ["sizeof(WSAPROTOCOLCHAIN)", LAYOUT.WSAPROTOCOLCHAIN.size, koffi.sizeof(t.WSAPROTOCOLCHAIN)],
    ["sizeof(WSAPROTOCOL_INFOW)", LAYOUT.WSAPROTOCOL_INFOW.size, koffi.sizeof(t.WSAPROTOCOL_INFOW)],
    ["offsetof(WSAPROTOCOL_INFOW,dwCatalogEntryId)", LAYOUT.WSAPROTOCOL_INFOW.dwCatalogEntryId, koffi.offsetof(t.WSAPROTOCOL_INFOW, "dwCatalogEntryId")],
    ["offsetof(WSAPROTOCOL_INFOW,iAddressFamily)", LAYOUT.WSAPROTOCOL_INFOW.iAddressFamily, koffi.offsetof(t.WSAPROTOCOL_INFOW, "iAddressFamily")],
    ["offsetof(WSAPROTOCOL_INFOW,szProtocol)", LAYOUT.WSAPROTOCOL_INFOW.szProtocol, koffi.offsetof(t.WSAPROTOCOL_INFOW, "szProtocol")],
    ["sizeof(WSANETWORKEVENTS)", LAYOUT.WSANETWORKEVENTS.size, koffi.sizeof(t.WSANETWORKEVENTS)],
    ["sizeof(sockaddr_in)", LAYOUT.SOCKADDR_IN.size, koffi.sizeof(t.SOCKADDR_IN)],
    ["sizeof(MSG)", LAYOUT.MSG.size, koffi.sizeof(t.MSG)],
  ];
  return checks.map(([name, expected, actual]) => ({ name, expected, actual, ok: expected === actual }));
}

// ----------------------------------------------------- plain-buffer helpers

export interface SockaddrIn {
  family: number;
  address: string;
  port: number;
}

/** sockaddr_in bytes (16) for "a.b.c.d" and a port. */
export function sockaddrIn(address: string, port: number, family = AF_INET): Buffer {
  const b = Buffer.alloc(LAYOUT.SOCKADDR_IN.size);
  b.writeUInt16LE(family, 0);
  b.writeUInt16BE(port & 0xffff, 2);
  const parts = address.split(".").map((p) => Number(p));
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`sockaddrIn: not an IPv4 address: ${address}`);
  }
  parts.forEach((p, i) => b.writeUInt8(p, 4 + i));
  return b;
}

export function parseSockaddrIn(b: Buffer, len = b.length): SockaddrIn | null {
  if (len < 2 || b.length < 2) return null;
  const family = b.readUInt16LE(0);
  if (len < 8 || b.length < 8) return { family, address: "", port: 0 };
  return { family, port: b.readUInt16BE(2), address: `${b[4]}.${b[5]}.${b[6]}.${b[7]}` };
}

export interface Flowspec {
  TokenRate: number;
  TokenBucketSize: number;
  PeakBandwidth: number;
  Latency: number;
  DelayVariation: number;
  ServiceType: number;
  MaxSduSize: number;
  MinimumPolicedSize: number;
}

/** "Don't care" flowspec: every field QOS_NOT_SPECIFIED (0xFFFFFFFF), ServiceType SERVICETYPE_NOTRAFFIC... callers override. */
export const FLOWSPEC_NOT_SPECIFIED: Flowspec = {
  TokenRate: 0xffffffff,
  TokenBucketSize: 0xffffffff,
  PeakBandwidth: 0xffffffff,
  Latency: 0xffffffff,
  DelayVariation: 0xffffffff,
  ServiceType: 0xffffffff, // SERVICETYPE_NOCHANGE-ish "not specified"
  MaxSduSize: 0xffffffff,
  MinimumPolicedSize: 0xffffffff,
};

export interface QosSpec {
  sending?: Partial<Flowspec>;
  receiving?: Partial<Flowspec>;
  /** Bytes for ProviderSpecific (copied into stable memory); null/undefined = {0, NULL}. */
  providerSpecific?: Buffer | null;
}

export interface ProtocolInfo {
  index: number;
  szProtocol: string;
  iAddressFamily: number;
  iSocketType: number;
  iProtocol: number;
  iProtocolMaxOffset: number;
  dwServiceFlags1: number;
  dwServiceFlags2: number;
  dwServiceFlags3: number;
  dwServiceFlags4: number;
  dwProviderFlags: number;
  providerId: string; // {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}
  dwCatalogEntryId: number;
  chainLen: number;
  chainEntries: number[];
  iVersion: number;
  iMaxSockAddr: number;
  iMinSockAddr: number;
  iNetworkByteOrder: number;
  iSecurityScheme: number;
  dwMessageSize: number;
  dwProviderReserved: number;
  /** The raw 628 bytes, e.g. to pass back to WSASocketW. */
  raw: Buffer;
}

export function decodeProtocolInfo(b: Buffer, index = 0): ProtocolInfo {
  const L = LAYOUT.WSAPROTOCOL_INFOW;
  const u32 = (o: number): number => b.readUInt32LE(o);
  const i32 = (o: number): number => b.readInt32LE(o);
  const g = b.subarray(L.ProviderId, L.ProviderId + 16);
  const hex = (buf: Buffer): string => buf.toString("hex");
  const d1 = g.readUInt32LE(0).toString(16).padStart(8, "0");
  const d2 = g.readUInt16LE(4).toString(16).padStart(4, "0");
  const d3 = g.readUInt16LE(6).toString(16).padStart(4, "0");
  const providerId = `{${d1}-${d2}-${d3}-${hex(g.subarray(8, 10))}-${hex(g.subarray(10, 16))}}`;
  const nameBytes = b.subarray(L.szProtocol, L.szProtocol + 512);
  let end = 0;
  while (end < 512 && (nameBytes[end] !== 0 || nameBytes[end + 1] !== 0)) end += 2;
  const chainLen = i32(L.ProtocolChain);
  const chainEntries: number[] = [];
  for (let i = 0; i < 7; i++) chainEntries.push(u32(L.ProtocolChain + 4 + 4 * i));
  return {
    index,
    szProtocol: nameBytes.subarray(0, end).toString("utf16le"),
    iAddressFamily: i32(L.iAddressFamily),
    iSocketType: i32(L.iSocketType),
    iProtocol: i32(L.iProtocol),
    iProtocolMaxOffset: i32(L.iProtocolMaxOffset),
    dwServiceFlags1: u32(L.dwServiceFlags1),
    dwServiceFlags2: u32(L.dwServiceFlags2),
    dwServiceFlags3: u32(L.dwServiceFlags3),
    dwServiceFlags4: u32(L.dwServiceFlags4),
    dwProviderFlags: u32(L.dwProviderFlags),
    providerId,
    dwCatalogEntryId: u32(L.dwCatalogEntryId),
    chainLen,
    chainEntries: chainEntries.slice(0, Math.max(0, Math.min(7, chainLen))),
    iVersion: i32(L.iVersion),
    iMaxSockAddr: i32(L.iMaxSockAddr),
    iMinSockAddr: i32(L.iMinSockAddr),
    iNetworkByteOrder: i32(L.iNetworkByteOrder),
    iSecurityScheme: i32(L.iSecurityScheme),
    dwMessageSize: u32(L.dwMessageSize),
    dwProviderReserved: u32(L.dwProviderReserved),
    raw: Buffer.from(b.subarray(0, L.size)),
  };
}

/** Names of the XP1_* bits set in dwServiceFlags1. */
export function decodeServiceFlags1(flags: number): string[] {
  const names: Array<[number, string]> = [
    [XP1_CONNECTIONLESS, "XP1_CONNECTIONLESS"],
    [XP1_GUARANTEED_DELIVERY, "XP1_GUARANTEED_DELIVERY"],
    [XP1_GUARANTEED_ORDER, "XP1_GUARANTEED_ORDER"],
    [XP1_MESSAGE_ORIENTED, "XP1_MESSAGE_ORIENTED"],
    [XP1_PSEUDO_STREAM, "XP1_PSEUDO_STREAM"],
    [XP1_GRACEFUL_CLOSE, "XP1_GRACEFUL_CLOSE"],
    [XP1_EXPEDITED_DATA, "XP1_EXPEDITED_DATA"],
    [XP1_CONNECT_DATA, "XP1_CONNECT_DATA"],
    [XP1_DISCONNECT_DATA, "XP1_DISCONNECT_DATA"],
    [XP1_SUPPORT_BROADCAST, "XP1_SUPPORT_BROADCAST"],
    [XP1_SUPPORT_MULTIPOINT, "XP1_SUPPORT_MULTIPOINT"],
    [XP1_MULTIPOINT_CONTROL_PLANE, "XP1_MULTIPOINT_CONTROL_PLANE"],
    [XP1_MULTIPOINT_DATA_PLANE, "XP1_MULTIPOINT_DATA_PLANE"],
    [XP1_QOS_SUPPORTED, "XP1_QOS_SUPPORTED"],
    [XP1_INTERRUPT, "XP1_INTERRUPT"],
    [XP1_UNI_SEND, "XP1_UNI_SEND"],
    [XP1_UNI_RECV, "XP1_UNI_RECV"],
    [XP1_IFS_HANDLES, "XP1_IFS_HANDLES"],
    [XP1_PARTIAL_MESSAGE, "XP1_PARTIAL_MESSAGE"],
    [XP1_SAN_SUPPORT_SDP, "XP1_SAN_SUPPORT_SDP"],
  ];
  return names.filter(([bit]) => (flags & bit) !== 0).map(([, n]) => n);
}

/** Normalise a SOCKET coming back from koffi (number | bigint) to bigint. */
export function toSocket(v: unknown): SOCKET {
  if (typeof v === "bigint") return BigInt.asUintN(64, v);
  if (typeof v === "number") return BigInt.asUintN(64, BigInt(v));
  if (v === null || v === undefined) return 0n;
  throw new TypeError(`not a SOCKET value: ${String(v)}`);
}

/** Normalise a pointer/HANDLE coming back from koffi (bigint | number | null) to bigint (0n for NULL). */
export function toPointer(v: unknown): Pointer {
  if (v === null || v === undefined) return 0n;
  if (typeof v === "bigint") return BigInt.asUintN(64, v);
  if (typeof v === "number") return BigInt.asUintN(64, BigInt(v));
  throw new TypeError(`not a pointer value: ${String(v)}`);
}

// ------------------------------------------------------------- API shapes

export interface WsaData {
  wVersion: number;
  wHighVersion: number;
  iMaxSockets: number;
  iMaxUdpDg: number;
  szDescription: string;
  szSystemStatus: string;
}

export interface NetworkEvents {
  rc: number;
  error: number;
  lNetworkEvents: number;
  iErrorCode: number[];
}

/** Decoded arguments of a WSAAccept condition callback (null = NULL pointer). */
export interface ConditionArgs {
  callerId: Buffer | null; // the WSABUF's bytes (a sockaddr)
  callerIdLen: number | null;
  callerData: Buffer | null;
  callerDataLen: number | null;
  sqos: Pointer | null;
  gqos: Pointer | null;
  calleeId: Buffer | null;
  calleeIdLen: number | null;
  calleeDataLen: number | null; // lpCalleeData->len on entry (provider-supplied capacity)
  calleeDataPtr: Pointer | null;
  groupPtr: Pointer | null;
  callbackData: bigint;
}
export type ConditionFn = (args: ConditionArgs) => number;

export interface JoinLeafOptions {
  /** Bytes for lpCallerData (WSABUF in stable memory); null = NULL pointer. */
  callerData?: Buffer | null;
  /** Capacity of lpCalleeData's buffer; null/undefined = NULL pointer. */
  calleeDataCapacity?: number | null;
  sqos?: QosSpec | null;
  gqos?: QosSpec | null;
  flags?: number;
}

export interface JoinLeafResult {
  socket: SOCKET;
  ok: boolean;
  error: number;
  /** lpCalleeData->len after the call (when calleeDataCapacity was given). */
  calleeDataLen: number | null;
  calleeData: Buffer | null;
}

export interface SelectResult {
  rc: number;
  error: number;
  read: SOCKET[];
  write: SOCKET[];
  except: SOCKET[];
}

export interface PeekedMessage {
  hwnd: Pointer;
  message: number;
  wParam: bigint;
  lParam: bigint;
}

export interface Ws2Raw {
  [name: string]: NativeFn;
}

export interface Ws2 {
  readonly koffi: Koffi;
  /** Every bound prototype by name (ws2_32, user32, kernel32), for arbitrary arguments. */
  readonly raw: Ws2Raw;

  WSAStartup(version?: number): { rc: number; data: WsaData };
  WSACleanup(): number;
  WSAGetLastError(): number;
  WSASetLastError(code: number): void;

  /** Two-call pattern; `protocols` null = all. */
  WSAEnumProtocolsW(protocols?: number[] | null): {
    rc: number;
    error: number;
    requiredLength: number;
    protocols: ProtocolInfo[];
  };
  WSASocketW(af: number, type: number, protocol: number, protocolInfo?: Buffer | null, group?: number, flags?: number): SOCKET;
  closesocket(s: SOCKET): number;
  bind(s: SOCKET, name: Buffer | null, namelen?: number): number;
  listen(s: SOCKET, backlog: number): number;
  accept(s: SOCKET, wantAddr?: boolean): { socket: SOCKET; addr: SockaddrIn | null; addrlen: number };
  /** condition null passes a NULL lpfnCondition. The callback runs synchronously inside the call. */
  WSAAccept(s: SOCKET, condition: ConditionFn | null, callbackData?: bigint, wantAddr?: boolean): {
    socket: SOCKET;
    addr: SockaddrIn | null;
    addrlen: number;
  };
  /** name null = NULL pointer; namelen defaults to name.length (0 for null). */
  WSAJoinLeaf(s: SOCKET, name: Buffer | null, namelen?: number, opts?: JoinLeafOptions): JoinLeafResult;
  connect(s: SOCKET, name: Buffer | null, namelen?: number): number;
  ioctlsocket(s: SOCKET, cmd: number, arg: number): { rc: number; arg: number };
  setNonBlocking(s: SOCKET, on: boolean): number;
  WSAIoctl(s: SOCKET, code: number, input: Buffer | null, outputSize: number): {
    rc: number;
    bytesReturned: number;
    output: Buffer | null;
  };
  getsockname(s: SOCKET): { rc: number; addr: SockaddrIn | null; namelen: number; raw: Buffer };
  setsockopt(s: SOCKET, level: number, optname: number, value: Buffer | number | null, optlen?: number): number;
  getsockopt(s: SOCKET, level: number, optname: number, size?: number): { rc: number; value: Buffer; optlen: number };
  send(s: SOCKET, data: Buffer, flags?: number): number;
  recv(s: SOCKET, size: number, flags?: number): { rc: number; data: Buffer };
  sendto(s: SOCKET, data: Buffer, to: Buffer | null, flags?: number, tolen?: number): number;
  recvfrom(s: SOCKET, size: number, flags?: number): { rc: number; data: Buffer; from: SockaddrIn | null; fromlen: number };
  select(read: SOCKET[], write: SOCKET[], except: SOCKET[], timeoutMs: number | null): SelectResult;

  WSACreateEvent(): HANDLE;
  WSACloseEvent(h: HANDLE): boolean;
  WSAResetEvent(h: HANDLE): boolean;
  WSAEventSelect(s: SOCKET, event: HANDLE, mask: number): number;
  /** event 0n = NULL (do not reset an event). */
  WSAEnumNetworkEvents(s: SOCKET, event: HANDLE): NetworkEvents;
  WSAWaitForMultipleEvents(events: HANDLE[], waitAll: boolean, timeoutMs: number, alertable?: boolean): number;
  /** Same on a koffi worker thread (does not block the JS thread). */
  WSAWaitForMultipleEventsAsync(events: HANDLE[], waitAll: boolean, timeoutMs: number, alertable?: boolean): Promise<number>;

  WSAAsyncSelect(s: SOCKET, hwnd: HANDLE, msg: number, mask: number): number;
  /** A message-only window (parent HWND_MESSAGE, class "STATIC") owned by this thread; 0n on failure. */
  createMessageWindow(): { hwnd: HANDLE; error: number };
  destroyWindow(hwnd: HANDLE): boolean;
  /** PeekMessageW(PM_REMOVE) for [min, max]; null when the queue has nothing in range. */
  peekMessage(hwnd: HANDLE, min?: number, max?: number): PeekedMessage | null;
  /** Polls peekMessage until a message in range arrives or timeoutMs passes (Sleep between polls). */
  waitMessage(hwnd: HANDLE, min: number, max: number, timeoutMs: number): PeekedMessage | null;
  GetLastError(): number;
  Sleep(ms: number): void;
}

// ---------------------------------------------------------------- loading

let ws2Cache: Ws2 | undefined;

/** True where loadWs2() can work (Windows, including Windows node under Wine). */
export function ws2Available(): boolean {
  return process.platform === "win32" && process.arch === "x64";
}

/** Loads koffi, ws2_32.dll, user32.dll and kernel32.dll (once) and returns the typed API. */
export function loadWs2(): Ws2 {
  if (ws2Cache) return ws2Cache;
  if (!ws2Available()) {
    throw new Error(`loadWs2: needs Windows x64 (this is ${process.platform}/${process.arch}); on Linux run under Wine: scripts/wine-node.sh`);
  }
  const koffi = getKoffi();
  const T = getTypes();
  const bad = ws2Layouts().filter((c) => !c.ok);
  if (bad.length) throw new Error(`loadWs2: struct layout mismatch: ${JSON.stringify(bad)}`);

  const ws = koffi.load("ws2_32.dll");
  const user32 = koffi.load("user32.dll");
  const kernel32 = koffi.load("kernel32.dll");

  const raw: Ws2Raw = {};
  const def = (lib: KoffiModule.LibraryHandle, proto: string): NativeFn => {
    const fn = lib.func(proto);
    raw[fn.info.name] = fn;
    return fn;
  };
  const SOCK = "uintptr_t";
  const f = {
    WSAStartup: def(ws, "int __stdcall WSAStartup(uint16_t wVersionRequested, void *lpWSAData)"),
    WSACleanup: def(ws, "int __stdcall WSACleanup()"),
    WSAGetLastError: def(ws, "int __stdcall WSAGetLastError()"),
    WSASetLastError: def(ws, "void __stdcall WSASetLastError(int iError)"),
    WSAEnumProtocolsW: def(ws, "int __stdcall WSAEnumProtocolsW(void *lpiProtocols, void *lpProtocolBuffer, _Inout_ uint32_t *lpdwBufferLength)"),
    WSASocketW: def(ws, `${SOCK} __stdcall WSASocketW(int af, int type, int protocol, void *lpProtocolInfo, uint32_t g, uint32_t dwFlags)`),
    closesocket: def(ws, `int __stdcall closesocket(${SOCK} s)`),
    bind: def(ws, `int __stdcall bind(${SOCK} s, void *name, int namelen)`),
    listen: def(ws, `int __stdcall listen(${SOCK} s, int backlog)`),
    accept: def(ws, `${SOCK} __stdcall accept(${SOCK} s, void *addr, void *addrlen)`),
    WSAAccept: def(ws, `${SOCK} __stdcall WSAAccept(${SOCK} s, void *addr, void *addrlen, JL_CONDITIONPROC *lpfnCondition, uintptr_t dwCallbackData)`),
    WSAJoinLeaf: def(ws, `${SOCK} __stdcall WSAJoinLeaf(${SOCK} s, void *name, int namelen, void *lpCallerData, void *lpCalleeData, void *lpSQOS, void *lpGQOS, uint32_t dwFlags)`),
    connect: def(ws, `int __stdcall connect(${SOCK} s, void *name, int namelen)`),
    ioctlsocket: def(ws, `int __stdcall ioctlsocket(${SOCK} s, uint32_t cmd, _Inout_ uint32_t *argp)`),
    WSAIoctl: def(ws, `int __stdcall WSAIoctl(${SOCK} s, uint32_t dwIoControlCode, void *lpvInBuffer, uint32_t cbInBuffer, void *lpvOutBuffer, uint32_t cbOutBuffer, _Out_ uint32_t *lpcbBytesReturned, void *lpOverlapped, void *lpCompletionRoutine)`),
    getsockname: def(ws, `int __stdcall getsockname(${SOCK} s, void *name, _Inout_ int *namelen)`),
    setsockopt: def(ws, `int __stdcall setsockopt(${SOCK} s, int level, int optname, void *optval, int optlen)`),
    getsockopt: def(ws, `int __stdcall getsockopt(${SOCK} s, int level, int optname, void *optval, _Inout_ int *optlen)`),
    send: def(ws, `int __stdcall send(${SOCK} s, void *buf, int len, int flags)`),
    recv: def(ws, `int __stdcall recv(${SOCK} s, void *buf, int len, int flags)`),
    sendto: def(ws, `int __stdcall sendto(${SOCK} s, void *buf, int len, int flags, void *to, int tolen)`),
    recvfrom: def(ws, `int __stdcall recvfrom(${SOCK} s, void *buf, int len, int flags, void *from, void *fromlen)`),
    select: def(ws, "int __stdcall select(int nfds, void *readfds, void *writefds, void *exceptfds, void *timeout)"),
    WSACreateEvent: def(ws, "void * __stdcall WSACreateEvent()"),
    WSACloseEvent: def(ws, "int __stdcall WSACloseEvent(void *hEvent)"),
    WSAResetEvent: def(ws, "int __stdcall WSAResetEvent(void *hEvent)"),
    WSAEventSelect: def(ws, `int __stdcall WSAEventSelect(${SOCK} s, void *hEventObject, int32_t lNetworkEvents)`),
    WSAEnumNetworkEvents: def(ws, `int __stdcall WSAEnumNetworkEvents(${SOCK} s, void *hEventObject, void *lpNetworkEvents)`),
    WSAWaitForMultipleEvents: def(ws, "uint32_t __stdcall WSAWaitForMultipleEvents(uint32_t cEvents, void *lphEvents, int fWaitAll, uint32_t dwTimeout, int fAlertable)"),
    WSAAsyncSelect: def(ws, `int __stdcall WSAAsyncSelect(${SOCK} s, void *hWnd, uint32_t wMsg, int32_t lEvent)`),
    CreateWindowExW: def(user32, "void * __stdcall CreateWindowExW(uint32_t dwExStyle, const char16_t *lpClassName, const char16_t *lpWindowName, uint32_t dwStyle, int X, int Y, int nWidth, int nHeight, void *hWndParent, void *hMenu, void *hInstance, void *lpParam)"),
    DestroyWindow: def(user32, "int __stdcall DestroyWindow(void *hWnd)"),
    PeekMessageW: def(user32, "int __stdcall PeekMessageW(void *lpMsg, void *hWnd, uint32_t wMsgFilterMin, uint32_t wMsgFilterMax, uint32_t wRemoveMsg)"),
    GetLastError: def(kernel32, "uint32_t __stdcall GetLastError()"),
    Sleep: def(kernel32, "void __stdcall Sleep(uint32_t dwMilliseconds)"),
  };

  const lastError = (): number => f.WSAGetLastError() as number;

  // Stable (non-moving) native memory for pointers the provider may keep.
  const allocs: Pointer[] = [];
  const allocBytes = (bytes: Buffer | number): { ptr: Pointer; view: Buffer } => {
    const size = typeof bytes === "number" ? bytes : bytes.length;
    const ptr = toPointer(koffi.alloc("uint8_t", Math.max(1, size)));
    const view = Buffer.from(koffi.view(ptr, Math.max(1, size)));
    view.fill(0);
    if (typeof bytes !== "number") bytes.copy(view);
    allocs.push(ptr);
    return { ptr, view };
  };
  const freeAll = (): void => {
    while (allocs.length) koffi.free(allocs.pop());
  };
  const wsabuf = (len: number, bufPtr: Pointer): { ptr: Pointer; view: Buffer } => {
    const w = allocBytes(LAYOUT.WSABUF.size);
    w.view.writeUInt32LE(len >>> 0, LAYOUT.WSABUF.len);
    w.view.writeBigUInt64LE(bufPtr, LAYOUT.WSABUF.buf);
    return w;
  };
  const writeFlowspec = (view: Buffer, off: number, fs: Partial<Flowspec> | undefined): void => {
    const v = { ...FLOWSPEC_NOT_SPECIFIED, ...(fs ?? {}) };
    const order: Array<keyof Flowspec> = [
      "TokenRate",
      "TokenBucketSize",
      "PeakBandwidth",
      "Latency",
      "DelayVariation",
      "ServiceType",
      "MaxSduSize",
      "MinimumPolicedSize",
    ];
    order.forEach((k, i) => view.writeUInt32LE(v[k] >>> 0, off + 4 * i));
  };
  const qos = (spec: QosSpec): Pointer => {
    const q = allocBytes(LAYOUT.QOS.size);
    writeFlowspec(q.view, LAYOUT.QOS.SendingFlowspec, spec.sending);
    writeFlowspec(q.view, LAYOUT.QOS.ReceivingFlowspec, spec.receiving);
    if (spec.providerSpecific && spec.providerSpecific.length) {
      const ps = allocBytes(spec.providerSpecific);
      q.view.writeUInt32LE(spec.providerSpecific.length, LAYOUT.QOS.ProviderSpecific + LAYOUT.WSABUF.len);
      q.view.writeBigUInt64LE(ps.ptr, LAYOUT.QOS.ProviderSpecific + LAYOUT.WSABUF.buf);
    }
    return q.ptr;
  };
  const fdSet = (socks: SOCKET[]): Buffer => {
    if (socks.length > LAYOUT.FD_SET.max) throw new Error(`fd_set holds at most ${LAYOUT.FD_SET.max} sockets`);
    const b = Buffer.alloc(LAYOUT.FD_SET.size);
    b.writeUInt32LE(socks.length, LAYOUT.FD_SET.fd_count);
    socks.forEach((s, i) => b.writeBigUInt64LE(s, LAYOUT.FD_SET.fd_array + 8 * i));
    return b;
  };
  const readFdSet = (b: Buffer): SOCKET[] => {
    const n = Math.min(b.readUInt32LE(LAYOUT.FD_SET.fd_count), LAYOUT.FD_SET.max);
    const out: SOCKET[] = [];
    for (let i = 0; i < n; i++) out.push(b.readBigUInt64LE(LAYOUT.FD_SET.fd_array + 8 * i));
    return out;
  };
  const handleArray = (hs: HANDLE[]): Buffer => {
    const b = Buffer.alloc(Math.max(8, 8 * hs.length));
    hs.forEach((h, i) => b.writeBigUInt64LE(h, 8 * i));
    return b;
  };
  const readWsabuf = (p: unknown): { len: number; buf: Pointer; bytes: Buffer | null } | null => {
    const ptr = toPointer(p);
    if (ptr === 0n) return null;
    const w = Buffer.from(koffi.view(ptr, LAYOUT.WSABUF.size));
    const len = w.readUInt32LE(LAYOUT.WSABUF.len);
    const buf = w.readBigUInt64LE(LAYOUT.WSABUF.buf);
    const bytes = buf !== 0n && len > 0 && len < 1 << 20 ? Buffer.from(Buffer.from(koffi.view(buf, len))) : null;
    return { len, buf, bytes };
  };
  const ptrOrNull = (p: unknown): Pointer | null => {
    const v = toPointer(p);
    return v === 0n ? null : v;
  };

  const api: Ws2 = {
    koffi,
    raw,

    WSAStartup(version = 0x0202) {
      const b = Buffer.alloc(LAYOUT.WSADATA.size);
      const rc = f.WSAStartup(version, b) as number;
      const cstr = (off: number, len: number): string => {
        const s = b.subarray(off, off + len);
        const z = s.indexOf(0);
        return s.subarray(0, z < 0 ? len : z).toString("latin1");
      };
      return {
        rc,
        data: {
          wVersion: b.readUInt16LE(0),
          wHighVersion: b.readUInt16LE(2),
          iMaxSockets: b.readUInt16LE(4),
          iMaxUdpDg: b.readUInt16LE(6),
          szDescription: cstr(16, 257),
          szSystemStatus: cstr(16 + 257, 129),
        },
      };
    },
    WSACleanup: () => f.WSACleanup() as number,
    WSAGetLastError: lastError,
    WSASetLastError: (code) => void f.WSASetLastError(code | 0),

    WSAEnumProtocolsW(protocols = null) {
      const list = protocols ? Int32Array.from([...protocols, 0]) : null;
      const len = [0];
      let rc = f.WSAEnumProtocolsW(list, null, len) as number;
      let error = rc === SOCKET_ERROR ? lastError() : 0;
      const requiredLength = len[0];
      if (rc !== SOCKET_ERROR || requiredLength === 0) return { rc, error, requiredLength, protocols: [] };
      const buf = Buffer.alloc(requiredLength);
      const len2 = [requiredLength];
      rc = f.WSAEnumProtocolsW(list, buf, len2) as number;
      error = rc === SOCKET_ERROR ? lastError() : 0;
      const out: ProtocolInfo[] = [];
      for (let i = 0; i < Math.max(0, rc); i++) {
        const off = i * LAYOUT.WSAPROTOCOL_INFOW.size;
        if (off + LAYOUT.WSAPROTOCOL_INFOW.size > buf.length) break;
        out.push(decodeProtocolInfo(buf.subarray(off, off + LAYOUT.WSAPROTOCOL_INFOW.size), i));
      }
      return { rc, error, requiredLength, protocols: out };
    },
    WSASocketW: (af, type, protocol, protocolInfo = null, group = 0, flags = 0) =>
      toSocket(f.WSASocketW(af, type, protocol, protocolInfo, group >>> 0, flags >>> 0)),
    closesocket: (s) => f.closesocket(s) as number,
    bind: (s, name, namelen) => f.bind(s, name, namelen ?? (name ? name.length : 0)) as number,
    listen: (s, backlog) => f.listen(s, backlog) as number,
    accept(s, wantAddr = true) {
      const addr = wantAddr ? Buffer.alloc(128) : null;
      const len = wantAddr ? Int32Array.from([128]) : null;
      const socket = toSocket(f.accept(s, addr, len));
      const addrlen = len ? len[0] : 0;
      return { socket, addr: addr && socket !== INVALID_SOCKET ? parseSockaddrIn(addr, addrlen) : null, addrlen };
    },
    WSAAccept(s, condition, callbackData = 0n, wantAddr = true) {
      const addr = wantAddr ? Buffer.alloc(128) : null;
      const len = wantAddr ? Int32Array.from([128]) : null;
      let cb: ((...a: unknown[]) => number) | null = null;
      if (condition) {
        cb = (callerId, callerData, sqos, gqos, calleeId, calleeData, g, data) => {
          const cid = readWsabuf(callerId);
          const cdata = readWsabuf(callerData);
          const eid = readWsabuf(calleeId);
          const edata = readWsabuf(calleeData);
          return condition({
            callerId: cid?.bytes ?? null,
            callerIdLen: cid ? cid.len : null,
            callerData: cdata?.bytes ?? null,
            callerDataLen: cdata ? cdata.len : null,
            sqos: ptrOrNull(sqos),
            gqos: ptrOrNull(gqos),
            calleeId: eid?.bytes ?? null,
            calleeIdLen: eid ? eid.len : null,
            calleeDataLen: edata ? edata.len : null,
            calleeDataPtr: edata ? edata.buf : null,
            groupPtr: ptrOrNull(g),
            callbackData: toPointer(data),
          });
        };
      }
      const socket = toSocket(f.WSAAccept(s, addr, len, cb, callbackData));
      const addrlen = len ? len[0] : 0;
      return { socket, addr: addr && socket !== INVALID_SOCKET ? parseSockaddrIn(addr, addrlen) : null, addrlen };
    },
    WSAJoinLeaf(s, name, namelen, opts = {}) {
      try {
        const callerData =
          opts.callerData === undefined || opts.callerData === null
            ? null
            : wsabuf(opts.callerData.length, opts.callerData.length ? allocBytes(opts.callerData).ptr : 0n).ptr;
        let callee: { w: { ptr: Pointer; view: Buffer }; data: { ptr: Pointer; view: Buffer } } | null = null;
        if (opts.calleeDataCapacity !== undefined && opts.calleeDataCapacity !== null) {
          const data = allocBytes(opts.calleeDataCapacity);
          callee = { w: wsabuf(opts.calleeDataCapacity, opts.calleeDataCapacity ? data.ptr : 0n), data };
        }
        const sq = opts.sqos ? qos(opts.sqos) : null;
        const gq = opts.gqos ? qos(opts.gqos) : null;
        const socket = toSocket(
          f.WSAJoinLeaf(
            s,
            name,
            namelen ?? (name ? name.length : 0),
            callerData,
            callee ? callee.w.ptr : null,
            sq,
            gq,
            (opts.flags ?? JL_BOTH) >>> 0,
          ),
        );
        const error = lastError();
        let calleeDataLen: number | null = null;
        let calleeData: Buffer | null = null;
        if (callee) {
          calleeDataLen = callee.w.view.readUInt32LE(LAYOUT.WSABUF.len);
          calleeData = Buffer.from(callee.data.view.subarray(0, Math.min(calleeDataLen, callee.data.view.length)));
        }
        return { socket, ok: socket !== INVALID_SOCKET, error, calleeDataLen, calleeData };
      } finally {
        freeAll();
      }
    },
    connect: (s, name, namelen) => f.connect(s, name, namelen ?? (name ? name.length : 0)) as number,
    ioctlsocket(s, cmd, arg) {
      const a = [arg >>> 0];
      const rc = f.ioctlsocket(s, cmd >>> 0, a) as number;
      return { rc, arg: a[0] };
    },
    setNonBlocking: (s, on) => api.ioctlsocket(s, FIONBIO, on ? 1 : 0).rc,
    WSAIoctl(s, code, input, outputSize) {
      const out = outputSize > 0 ? Buffer.alloc(outputSize) : null;
      const ret = [0];
      const rc = f.WSAIoctl(s, code >>> 0, input, input ? input.length : 0, out, outputSize, ret, null, null) as number;
      return { rc, bytesReturned: ret[0], output: out };
    },
    getsockname(s) {
      const b = Buffer.alloc(128);
      const len = [128];
      const rc = f.getsockname(s, b, len) as number;
      return { rc, addr: rc === 0 ? parseSockaddrIn(b, len[0]) : null, namelen: len[0], raw: b.subarray(0, Math.max(0, Math.min(128, len[0]))) };
    },
    setsockopt(s, level, optname, value, optlen) {
      let v: Buffer | null;
      if (typeof value === "number") {
        v = Buffer.alloc(4);
        v.writeInt32LE(value | 0, 0);
      } else {
        v = value;
      }
      return f.setsockopt(s, level, optname, v, optlen ?? (v ? v.length : 0)) as number;
    },
    getsockopt(s, level, optname, size = 4) {
      const b = Buffer.alloc(size);
      const len = [size];
      const rc = f.getsockopt(s, level, optname, b, len) as number;
      return { rc, value: b.subarray(0, Math.max(0, Math.min(size, len[0]))), optlen: len[0] };
    },
    send: (s, data, flags = 0) => f.send(s, data, data.length, flags) as number,
    recv(s, size, flags = 0) {
      const b = Buffer.alloc(Math.max(1, size));
      const rc = f.recv(s, b, size, flags) as number;
      return { rc, data: b.subarray(0, Math.max(0, rc)) };
    },
    sendto: (s, data, to, flags = 0, tolen) => f.sendto(s, data, data.length, flags, to, tolen ?? (to ? to.length : 0)) as number,
    recvfrom(s, size, flags = 0) {
      const b = Buffer.alloc(Math.max(1, size));
      const from = Buffer.alloc(128);
      const len = Int32Array.from([128]);
      const rc = f.recvfrom(s, b, size, flags, from, len) as number;
      return { rc, data: b.subarray(0, Math.max(0, rc)), from: rc >= 0 ? parseSockaddrIn(from, len[0]) : null, fromlen: len[0] };
    },
    select(read, write, except, timeoutMs) {
      const r = fdSet(read);
      const w = fdSet(write);
      const e = fdSet(except);
      let tv: Buffer | null = null;
      if (timeoutMs !== null) {
        tv = Buffer.alloc(LAYOUT.TIMEVAL.size);
        tv.writeInt32LE(Math.floor(timeoutMs / 1000), 0);
        tv.writeInt32LE(Math.floor((timeoutMs % 1000) * 1000), 4);
      }
      const rc = f.select(0, read.length ? r : null, write.length ? w : null, except.length ? e : null, tv) as number;
      const error = rc === SOCKET_ERROR ? lastError() : 0;
      return {
        rc,
        error,
        read: read.length ? readFdSet(r) : [],
        write: write.length ? readFdSet(w) : [],
        except: except.length ? readFdSet(e) : [],
      };
    },

    WSACreateEvent: () => toPointer(f.WSACreateEvent()),
    WSACloseEvent: (h) => (f.WSACloseEvent(h) as number) !== 0,
    WSAResetEvent: (h) => (f.WSAResetEvent(h) as number) !== 0,
    WSAEventSelect: (s, event, mask) => f.WSAEventSelect(s, event === 0n ? null : event, mask | 0) as number,
    WSAEnumNetworkEvents(s, event) {
      const b = Buffer.alloc(LAYOUT.WSANETWORKEVENTS.size);
      const rc = f.WSAEnumNetworkEvents(s, event === 0n ? null : event, b) as number;
      const error = rc === SOCKET_ERROR ? lastError() : 0;
      const iErrorCode: number[] = [];
      for (let i = 0; i < FD_MAX_EVENTS; i++) iErrorCode.push(b.readInt32LE(LAYOUT.WSANETWORKEVENTS.iErrorCode + 4 * i));
      return { rc, error, lNetworkEvents: b.readInt32LE(0), iErrorCode };
    },
    WSAWaitForMultipleEvents: (events, waitAll, timeoutMs, alertable = false) =>
      f.WSAWaitForMultipleEvents(events.length, handleArray(events), waitAll ? 1 : 0, timeoutMs >>> 0, alertable ? 1 : 0) as number,
    WSAWaitForMultipleEventsAsync(events, waitAll, timeoutMs, alertable = false) {
      // Stable memory: the worker thread reads the array after this returns.
      const arr = allocBytesStable(koffi, handleArray(events));
      return new Promise<number>((resolve, reject) => {
        f.WSAWaitForMultipleEvents.async(events.length, arr, waitAll ? 1 : 0, timeoutMs >>> 0, alertable ? 1 : 0, (err: unknown, res: number) => {
          koffi.free(arr);
          if (err) reject(err instanceof Error ? err : new Error(String(err)));
          else resolve(res);
        });
      });
    },

    WSAAsyncSelect: (s, hwnd, msg, mask) => f.WSAAsyncSelect(s, hwnd === 0n ? null : hwnd, msg >>> 0, mask | 0) as number,
    createMessageWindow() {
      const hwnd = toPointer(f.CreateWindowExW(0, "STATIC", "joinleaf-ws2", 0, 0, 0, 0, 0, HWND_MESSAGE, null, null, null));
      const error = hwnd === 0n ? (f.GetLastError() as number) : 0;
      return { hwnd, error };
    },
    destroyWindow: (hwnd) => (f.DestroyWindow(hwnd) as number) !== 0,
    peekMessage(hwnd, min = 0, max = 0) {
      const m = Buffer.alloc(LAYOUT.MSG.size);
      const got = f.PeekMessageW(m, hwnd === 0n ? null : hwnd, min >>> 0, max >>> 0, PM_REMOVE) as number;
      if (!got) return null;
      return {
        hwnd: m.readBigUInt64LE(LAYOUT.MSG.hwnd),
        message: m.readUInt32LE(LAYOUT.MSG.message),
        wParam: m.readBigUInt64LE(LAYOUT.MSG.wParam),
        lParam: m.readBigInt64LE(LAYOUT.MSG.lParam),
      };
    },
    waitMessage(hwnd, min, max, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = api.peekMessage(hwnd, min, max);
        if (m || Date.now() >= deadline) return m;
        f.Sleep(5);
      }
    },
    GetLastError: () => f.GetLastError() as number,
    Sleep: (ms) => void f.Sleep(ms >>> 0),
  };
  void T; // types are registered by getTypes() for the prototypes above
  ws2Cache = api;
  return api;
}

function allocBytesStable(koffi: Koffi, bytes: Buffer): Pointer {
  const ptr = toPointer(koffi.alloc("uint8_t", Math.max(1, bytes.length)));
  bytes.copy(Buffer.from(koffi.view(ptr, Math.max(1, bytes.length))));
  return ptr;
}

/** WSAGETSELECTEVENT / WSAGETSELECTERROR for a WSAAsyncSelect message's lParam. */
export function selectEvent(lParam: bigint): number {
  return Number(lParam & 0xffffn);
}
export function selectError(lParam: bigint): number {
  return Number((lParam >> 16n) & 0xffffn);
}
