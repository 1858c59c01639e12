// Named simulators: conformant variants make choices a real provider could make (the suite must
// pass them all), broken variants each carry one realistic provider bug (the suite must catch
// each in at least one edition). `npx joinleaf variants` runs them; docs/variants.md lists them.
import type { Choices, Defect } from "./choices";
import { WSAECONNABORTED, WSAECONNRESET } from "./choices";

export interface Variant {
  id: string;
  kind: "conformant" | "broken";
  /** One line: which provider would choose this, or what the bug is. */
  summary: string;
  /** Catalogue entries the bug breaks (broken only). */
  breaks?: string[];
  choices?: Partial<Choices>;
  /** The one defect a broken variant switches on. */
  defect?: Defect;
  /**
   * Broken only: what is expected to catch it. "suite" (the default) is the hand-written features;
   * "explore" means only random sequences do, and `joinleaf variants` checks that explore finds it.
   */
  caughtBy?: "suite" | "explore";
}

const ok = (id: string, summary: string, choices: Partial<Choices>): Variant => ({ id, kind: "conformant", summary, choices });
const bug = (id: string, defect: Defect, breaks: string[], summary: string): Variant => ({ id, kind: "broken", summary, breaks, defect });
/** A bug that only a sequence the features never make shows. */
const sequenceBug = (id: string, defect: Defect, breaks: string[], summary: string): Variant => ({ ...bug(id, defect, breaks, summary), caughtBy: "explore" });

export const VARIANTS: readonly Variant[] = [
  ok("reference", "the simulator as it always behaved (DEFAULT_CHOICES)", {}),
  ok("windows-ip-multicast", "Windows' IP helper: only a nonrooted UDP entry, joins complete inside the call, dwFlags not enforced, no local address committed", {
    catalogue: "windows-ip-multicast",
    sessionJoin: "at-once",
    dataPlaneFlags: "ignored",
    sessionLocalAddress: "left-wildcard",
  }),
  ok("wildcard-member", "a UDP-based provider whose multicast join leaves a wildcard-bound socket's address a wildcard (no WSAEADDRINUSE)", {
    sessionLocalAddress: "left-wildcard",
  }),
  ok("instant-joins", "a provider whose multicast joins complete inside the call (nothing to wait for on the wire)", { sessionJoin: "at-once" }),
  ok("abortive-close", "a provider that releases connections abortively: FD_CLOSE carries WSAECONNRESET", { fdCloseError: WSAECONNRESET }),
  ok("aborted-close", "a provider that reports a torn-down connection as FD_CLOSE with WSAECONNABORTED", { fdCloseError: WSAECONNABORTED }),
  ok("small-connect-data", "an ATM-like stack whose signalling carries at most 8 bytes of user data", {
    maxConnectData: { "sim-atm-p2mp": 8, "sim-conference": 8 },
  }),
  ok("large-connect-data", "a conference bridge that accepts up to 1 KiB of user data with a join", {
    maxConnectData: { "sim-atm-p2mp": 1024, "sim-conference": 1024 },
  }),
  ok("short-timeout", "a provider that gives up on an unanswered join after 3 s", { joinTimeoutMs: 3_000 }),
  ok("long-timeout", "a provider that waits 75 s (TCP-like) before a join times out", { joinTimeoutMs: 75_000 }),
  ok("retransmits", "a signalling stack that repeats an unanswered join request every second, three times", {
    joinRetransmissions: { count: 3, intervalMs: 1000 },
  }),
  ok("late-callee-buffer", "a provider that fills lpCalleeData as the answer arrives and signals FD_CONNECT a moment later", {
    calleeBufferWritten: "before-fd-connect",
  }),
  ok("legacy-descriptor", "legacy edition read by its return-value section: a nonblocking c_leaf join returns s, no WSAEWOULDBLOCK", {
    legacyNonblockingLeaf: "descriptor",
  }),
  ok("flags-ignored", "a provider that records dwFlags but lets every member send and receive (as Windows' IP helper does)", {
    dataPlaneFlags: "ignored",
  }),
  ok("descriptor-reuse", "a provider that hands out the lowest free descriptor again, numbered from 4 in steps of 4", {
    descriptors: { first: 4, step: 4, reuse: true },
  }),
  ok("dense-descriptors", "a provider that numbers descriptors 1, 2, 3 ...", { descriptors: { first: 1, step: 1, reuse: false } }),
  ok("descending-ports", "a stack that hands out ephemeral ports from the top of 1025-5000 down (older Windows range)", {
    ephemeralPorts: { first: 1025, last: 5000, order: "descending" },
  }),
  ok("reversed-ties", "events of the same instant delivered in the reverse of the order they arose", { sameInstantOrder: "reversed" }),
  ok("reversed-catalogue", "a provider that lists its protocol entries in the reverse order", { protocolOrder: "reversed" }),
  ok("side-chat-dropped", "a provider without side chats that lets data sent on the root's per-leaf socket vanish instead of refusing it", {
    sideChatWithout: "dropped",
  }),
  ok("late-qos-refusal", "an RSVP-style provider that learns from the network that a flowspec cannot be met: the join ends WSAEOPNOTSUPP", {
    qosRefusal: "on-completion",
  }),
  ok("select-shows-join", "a connection-like provider whose c_leaf turns writable in select once it is a member", { selectAfterJoin: "writable-once-joined" }),
  ok("group-id-not-inherited", "current edition: a provider that gives the root's new c_leaf socket no group ID (as the legacy text says)", {
    currentGroupId: "not-inherited",
  }),
  ok("slow-links", "a wide-area network: 200 ms one-way delay on every link", { linkLatencyMs: 200 }),

  bug("callee-overrun", "calleeIgnoresLen", ["JL-110", "JL-068"], "ignores lpCalleeData->len and writes the peer's whole answer past the buffer"),
  bug("callee-len-stale", "calleeLenNotUpdated", ["JL-069"], "leaves lpCalleeData->len at the buffer size instead of the bytes written"),
  bug("callee-len-not-zeroed", "calleeLenNotZeroed", ["JL-070"], "leaves lpCalleeData->len untouched when the peer sends no data back"),
  bug("callee-after-fd-connect", "calleeAfterFdConnect", ["JL-074", "JL-075", "JL-073"], "fills the callee buffer a moment after FD_CONNECT is signalled (or the blocking call returned)"),
  bug("callee-data-dropped", "calleeDataDropped", ["JL-067"], "sets lpCalleeData->len but never copies the peer's bytes"),
  bug("user-data-c-string", "userDataAsCString", ["JL-065", "JL-067"], "treats user data as a C string: stops at the first zero byte"),
  bug("stale-caller-data", "nullCallerDataResendsPrevious", ["JL-066"], "a NULL lpCallerData resends the previous join's caller data"),
  bug("caller-data-not-sent", "callerDataNotSent", ["JL-065", "JL-011"], "never puts lpCallerData on the wire"),
  bug("caller-data-off-by-one", "callerDataLimitOffByOne", ["JL-113"], "accepts caller data one byte longer than the protocol's maximum"),
  bug("caller-data-silently-dropped", "callerDataIgnoredWithoutSupport", ["JL-120"], "drops caller data on a protocol without connect data instead of failing WSAEPROTONOSUPPORT"),
  bug("dangling-root-descriptor", "danglingRootDescriptor", ["JL-018", "JL-044"], "a nonblocking c_root join returns a descriptor that names no socket"),
  bug("root-join-returns-s", "rootJoinReturnsRoot", ["JL-044"], "a c_root join returns s itself instead of a new c_leaf socket"),
  bug("leaf-join-new-descriptor", "leafJoinReturnsNew", ["JL-052"], "a c_leaf join allocates a new descriptor instead of returning s"),
  bug("fd-connect-always-zero", "fdConnectAlwaysZero", ["JL-064", "JL-031"], "FD_CONNECT always carries error 0, also for a failed join"),
  bug("fd-connect-generic-error", "fdConnectGenericError", ["JL-064"], "a failed join's FD_CONNECT carries WSAECONNABORTED whatever the cause"),
  bug("no-fd-connect-on-failure", "noFdConnectOnFailure", ["JL-031", "JL-032"], "signals FD_CONNECT only when a join succeeds"),
  bug("fd-connect-on-new-socket", "fdConnectOnNewSocket", ["JL-032", "JL-063"], "signals a root join's FD_CONNECT on the new c_leaf socket instead of on s"),
  bug("group-qos-ignored", "groupQosIgnored", ["JL-079", "JL-086"], "ignores lpGQOS even on the socket that created the group"),
  bug("qos-fault-only-with-qos", "qosFaultOnlyWithQos", ["JL-111", "JL-112"], "checks a short QOS buffer only on protocols with QOS: no WSAEFAULT elsewhere"),
  bug("sqos-not-applied", "socketQosNotApplied", ["JL-078", "JL-013"], "lpSQOS given at join time does not replace the SIO_SET_QOS flowspecs"),
  bug("qos-no-admission", "qosNoAdmission", ["JL-119", "JL-081"], "admits any flowspec, however far beyond the link's capacity"),
  bug("qos-both-directions", "qosBothDirections", ["JL-082"], "counts the unused direction's flowspec on a sender- or receiver-only join"),
  bug("unreachable-times-out", "unreachableTimesOut", ["JL-116"], "reports a target with no route as WSAETIMEDOUT instead of WSAENETUNREACH"),
  bug("refused-as-reset", "refusedAsReset", ["JL-107"], "reports a rejected join as WSAECONNRESET instead of WSAECONNREFUSED"),
  bug("leaks-per-leaf-socket", "leaksPerLeafSocket", ["JL-044", "JL-061"], "closesocket on a root's per-leaf socket leaves it in the provider's table"),
  bug("no-already-check", "noAlreadyCheck", ["JL-036", "JL-103", "JL-058"], "starts a second join while one is pending on the same socket"),
  bug("already-as-inprogress", "alreadyAsInProgress", ["JL-036", "JL-103"], "answers a second pending join with WSAEINPROGRESS instead of WSAEALREADY"),
  bug("no-isconn-check", "noIsConnCheck", ["JL-023", "JL-115"], "lets a c_leaf that completed its join join again"),
  bug("root-single-leaf", "rootSingleLeaf", ["JL-024", "JL-057"], "refuses a second leaf with WSAEISCONN once the root's first join completed"),
  bug("registrations-not-inherited", "registrationsNotInherited", ["JL-046"], "the new c_leaf socket does not carry over the root's event registrations"),
  bug("legacy-group-id-inherited", "groupIdInheritedLegacy", ["JL-047"], "under the legacy reading, copies the root's group ID to the new c_leaf socket"),
  bug("no-implicit-bind", "noImplicitBind", ["JL-094", "JL-095"], "does not bind an unbound socket during the join"),
  bug("no-fd-close-at-root", "noFdCloseAtRoot", ["JL-060", "JL-059"], "raises no FD_CLOSE at the root when a leaf leaves"),
  bug("no-fd-close-at-leaf", "noFdCloseAtLeaf", ["JL-061"], "raises no FD_CLOSE at the leaf when the root closes its per-leaf socket"),
  bug("no-fd-accept", "noFdAccept", ["JL-062"], "a listening c_root gets no FD_ACCEPT when a leaf asks to join"),
  bug("would-block-in-current", "wouldBlockInCurrent", ["JL-030", "JL-029"], "current edition: fails a nonblocking join that cannot finish at once with WSAEWOULDBLOCK"),
  bug("usable-before-completion", "usableBeforeCompletion", ["JL-040", "JL-039"], "the descriptor of a pending join already sends and receives"),
  bug("blocking-returns-early", "blockingReturnsEarly", ["JL-021"], "a blocking join returns a descriptor as soon as the request is sent"),
  bug("not-initialised-as-notsock", "notInitialisedAsNotSock", ["JL-097"], "before WSAStartup, WSAJoinLeaf fails WSAENOTSOCK instead of WSANOTINITIALISED"),
  bug("network-down-ignored", "networkDownIgnored", ["JL-098"], "WSAJoinLeaf does not notice a failed network subsystem"),
  bug("callback-reentry-allowed", "callbackReentryAllowed", ["JL-102"], "a WSAJoinLeaf from inside an accept condition function is not refused with WSAEINPROGRESS"),
  bug("cancel-as-aborted", "cancelledAsAborted", ["JL-101"], "a blocking join cancelled by WSACancelBlockingCall fails WSAECONNABORTED instead of WSAEINTR"),
  bug("family-as-fault", "familyAsFault", ["JL-106"], "an address of the wrong family fails WSAEFAULT instead of WSAEAFNOSUPPORT"),
  bug("namelen-not-checked", "namelenNotChecked", ["JL-109"], "accepts a namelen shorter than a sockaddr_in"),
  bug("multipoint-flags-not-checked", "multipointFlagsNotChecked", ["JL-017", "JL-114"], "joins a socket that was created without multipoint flags"),
  bug("no-buffers-ignored", "noBuffersIgnored", ["JL-117"], "does not notice that it ran out of buffers (no WSAENOBUFS)"),
  bug("addr-any-accepted", "addrAnyAccepted", ["JL-105"], "accepts ADDR_ANY as the address to join"),
  bug("timeout-as-refused", "timeoutAsRefused", ["JL-121"], "a join nobody answers gives up with WSAECONNREFUSED instead of WSAETIMEDOUT"),
  bug("close-does-not-cancel", "closeDoesNotCancel", ["JL-041"], "closesocket on a pending join's new descriptor does not cancel the join"),
  bug("no-retry-after-failure", "noRetryAfterFailure", ["JL-025", "JL-026", "JL-027"], "a c_leaf whose join failed cannot try again (WSAEINVAL)"),
  bug("writes-back-name", "writesBackName", ["JL-003"], "writes its normalised copy of name back into the caller's buffer"),
  sequenceBug("failed-join-left-pending", "failedJoinLeftPending", ["JL-036", "JL-025", "JL-026", "JL-027"], "a nonblocking join that fails leaves s marked as joining: every later join on s fails WSAEALREADY"),
  sequenceBug("failed-call-drops-pending", "failedCallDropsPendingJoin", ["JL-036", "JL-031", "JL-103"], "a join that fails at the call while another is pending on s silently drops the pending one"),
];

/** What is expected to catch a broken variant (the suite unless it says otherwise). */
export function caughtBy(v: Variant): "suite" | "explore" {
  return v.caughtBy ?? "suite";
}

export function findVariant(id: string): Variant | undefined {
  return VARIANTS.find((v) => v.id === id);
}

/** The simulator options a variant stands for. */
export function variantOptions(v: Variant): { choices: Partial<Choices>; defects: Partial<Record<Defect, boolean>> } {
  return { choices: v.choices ?? {}, defects: v.defect ? { [v.defect]: true } : {} };
}

/** A one-line error naming every variant, for an unknown --variant. */
export function unknownVariantMessage(id: string): string {
  return `unknown variant "${id}"; known variants: ${VARIANTS.map((v) => v.id).join(", ")}`;
}
