// Winsock 2 constants the suite speaks in. Values are the ones in winsock2.h / ws2def.h.

export const WSA_FLAG_OVERLAPPED = 0x01;
export const WSA_FLAG_MULTIPOINT_C_ROOT = 0x02;
export const WSA_FLAG_MULTIPOINT_C_LEAF = 0x04;
export const WSA_FLAG_MULTIPOINT_D_ROOT = 0x08;
export const WSA_FLAG_MULTIPOINT_D_LEAF = 0x10;

export const JL_SENDER_ONLY = 0x01;
export const JL_RECEIVER_ONLY = 0x02;
export const JL_BOTH = 0x04;

export const XP1_CONNECT_DATA = 0x80;
export const XP1_SUPPORT_MULTIPOINT = 0x400;
export const XP1_MULTIPOINT_CONTROL_PLANE = 0x800; // set: rooted control
export const XP1_MULTIPOINT_DATA_PLANE = 0x1000; // set: rooted data
export const XP1_QOS_SUPPORTED = 0x2000;

export const AF_INET = 2;
export const AF_INET6 = 23;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;

export const SG_UNCONSTRAINED_GROUP = 0x01;
export const SG_CONSTRAINED_GROUP = 0x02;

export const CF_ACCEPT = 0;
export const CF_REJECT = 1;
export const CF_DEFER = 2;

export const FIONBIO = 0x8004667e;
export const SIO_SET_QOS = 0x8800000b;
export const SIO_SET_GROUP_QOS = 0x8800000c;
export const SIO_GET_QOS = 0xc8000007;

export const FD_MAX_EVENTS = 10;
/** Network event bit positions; the event mask is 1 << bit. */
export const FD_BITS = {
  FD_READ: 0,
  FD_WRITE: 1,
  FD_OOB: 2,
  FD_ACCEPT: 3,
  FD_CONNECT: 4,
  FD_CLOSE: 5,
  FD_QOS: 6,
  FD_GROUP_QOS: 7,
} as const;
export type FdEventName = keyof typeof FD_BITS;
export const fdMask = (name: FdEventName): number => 1 << FD_BITS[name];

export const ERRORS = {
  WSAEINTR: 10004,
  WSAEFAULT: 10014,
  WSAEINVAL: 10022,
  WSAEWOULDBLOCK: 10035,
  WSAEINPROGRESS: 10036,
  WSAEALREADY: 10037,
  WSAENOTSOCK: 10038,
  WSAEPROTONOSUPPORT: 10043,
  WSAEOPNOTSUPP: 10045,
  WSAEAFNOSUPPORT: 10047,
  WSAEADDRINUSE: 10048,
  WSAEADDRNOTAVAIL: 10049,
  WSAENETDOWN: 10050,
  WSAENETUNREACH: 10051,
  WSAENOBUFS: 10055,
  WSAEISCONN: 10056,
  WSAENOTCONN: 10057,
  WSAESHUTDOWN: 10058,
  WSAETIMEDOUT: 10060,
  WSAECONNREFUSED: 10061,
  WSANOTINITIALISED: 10093,
} as const;
export type ErrorName = keyof typeof ERRORS;

/** The last-error value a driver plants before each call, so "failed without setting an error" shows. */
export const NO_ERROR_SET_SENTINEL = 0x0000dead;

export function errorName(code: number): string {
  if (code === 0) return "NO_ERROR";
  if (code === NO_ERROR_SET_SENTINEL) return "no error code set";
  for (const [name, value] of Object.entries(ERRORS)) if (value === code) return name;
  return `error ${code}`;
}

export function errorCode(name: string): number {
  const code = (ERRORS as Record<string, number>)[name];
  if (code === undefined) throw new Error(`unknown Winsock error name ${name}; known: ${Object.keys(ERRORS).join(", ")}`);
  return code;
}
