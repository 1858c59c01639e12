// The join state machine: WSAJoinLeaf from its checks to its outcome, leaves admitted with
// accept / WSAAccept, and what closing or cancelling does to a join in flight.
import {
  AcceptCondition,
  AcceptOutcome,
  CalleeBuffer,
  done,
  fail,
  JoinLeafArgs,
  JoinLeafOutcome,
  ok,
  Ptr,
  Qos,
  Result,
  Sock,
  WsaBufIn,
} from "../driver";
import { decodeSockAddr, SockAddr, SOCKADDR_IN_SIZE } from "../sockaddr";
import {
  ERRORS as E,
  JL_RECEIVER_ONLY,
  JL_SENDER_ONLY,
  XP1_MULTIPOINT_CONTROL_PLANE,
  XP1_QOS_SUPPORTED,
} from "../winsock";
import { GUARD_BYTES, guardIntact, prepareCalleeMemory } from "../callee-buffer";
import { WSAECONNABORTED, WSAECONNRESET } from "./choices";
import { LINK_CAPACITY_BYTES_PER_SEC } from "./protocols";
import type { CalleeMemory, JoinRequest, PendingJoin, SimSocket, Target } from "./state";
import { isMulticast, routable } from "./network";
import { NO_REGISTRATION, qosFault, SocketModel } from "./sockets";

const WSATRY_AGAIN = 11002;
const QOS_NOT_SPECIFIED = 0xffffffff;
const SERVICETYPE_BESTEFFORT = 1;
const SERVICETYPE_NOTRAFFIC = 0;

export abstract class JoinModel extends SocketModel {
  protected readonly callee = new Map<number, CalleeMemory>();
  private nextCall = 1;

  // ---------------------------------------------------------------- joining

  async joinLeaf(s: Sock, a: JoinLeafArgs): Promise<JoinLeafOutcome> {
    const callId = this.nextCall++;
    // The caller's inputs as they were on entry; what the call returns says whether they still are.
    const inputs = snapshot(a);
    if (a.lpCalleeData) {
      const memory = prepareCalleeMemory(Buffer.alloc(a.lpCalleeData.len + GUARD_BYTES), a.lpCalleeData.len);
      this.callee.set(callId, { capacity: a.lpCalleeData.len, len: a.lpCalleeData.len, memory });
    }
    const returns = (result: Result<Sock>): JoinLeafOutcome => ({
      callId,
      result,
      callee: a.lpCalleeData ? this.readCallee(callId) : undefined,
      inputsUnchanged: sameSnapshot(snapshot(a), inputs),
    });
    const started = this.startJoin(callId, s, a);
    if (typeof started === "number") {
      // The error exit resets the socket's join state, also that of a join an earlier call started.
      const earlier = this.sockets.get(s)?.pendingJoin;
      if (earlier && started !== E.WSAEALREADY && this.bug("failedCallDropsPendingJoin")) this.cancel(earlier);
      return returns(fail(started));
    }
    const join = started;
    if (this.bug("writesBackName") && typeof a.name === "string") a.name = a.name.slice(0, 4) + "0".repeat(a.name.length - 4);
    if (this.bug("blockingReturnsEarly") && !join.s.nonBlocking) return returns(ok(join.returned.id));
    if (join.s.nonBlocking) {
      const wouldBlock = this.edition === "legacy" ? this.choices.legacyNonblockingLeaf === "wouldblock" : this.bug("wouldBlockInCurrent");
      if (wouldBlock && join.s.control === "leaf" && !join.finished) {
        // Legacy error table: a nonblocking join that cannot finish at once fails WSAEWOULDBLOCK
        // and the socket is selected for writing while it connects. (A c_root join keeps the
        // descriptor reading: failing would lose the new socket.)
        join.s.connectLike = "pending";
        return returns(fail(E.WSAEWOULDBLOCK));
      }
      if (this.bug("danglingRootDescriptor") && join.returned !== join.s) return returns(ok(join.returned.id + 2));
      return returns(ok(join.returned.id));
    }
    const error = await new Promise<number>((resolve) => {
      if (join.finished) return resolve(join.returned.closed ? E.WSAEINTR : 0);
      join.settle = resolve;
    });
    if (join.s.host.blocking === join) join.s.host.blocking = null;
    return returns(error ? fail(error) : ok(join.returned.id));
  }

  /** Validates a join and sets it going; returns an error code when the call fails at once. */
  protected startJoin(callId: number, s: Sock, a: JoinLeafArgs): PendingJoin | number {
    const found = this.lookup(s, true);
    if ("error" in found) return found.error;
    const sock = found.sock;
    if (sock.closed) return E.WSAENOTSOCK;
    const shortest = this.bug("namelenNotChecked") ? 8 : SOCKADDR_IN_SIZE;
    if (a.name === null || a.name === "invalid" || a.namelen < shortest) return E.WSAEFAULT;
    const name = decodeSockAddr(a.name, Math.max(a.namelen, SOCKADDR_IN_SIZE));
    if (!name) return E.WSAEFAULT;
    let callerData = this.readCallerData(a.lpCallerData);
    if (callerData === "fault") return E.WSAEFAULT;
    const qosChecked = !this.bug("qosFaultOnlyWithQos") || !!(sock.proto.serviceFlags1 & XP1_QOS_SUPPORTED);
    if (qosChecked && (qosFault(a.lpSQOS) || qosFault(a.lpGQOS))) return E.WSAEFAULT;
    if (sock.control === null && !this.bug("multipointFlagsNotChecked")) return E.WSAEINVAL; // not opened as a multipoint socket
    // Until a join completes, every further join on the same socket fails WSAEALREADY.
    if (sock.pendingJoin && !this.bug("noAlreadyCheck")) return this.bug("alreadyAsInProgress") ? E.WSAEINPROGRESS : E.WSAEALREADY;
    if (!sock.usable) return E.WSAENOTCONN;
    if (name.family !== sock.proto.addressFamily) return this.bug("familyAsFault") ? E.WSAEFAULT : E.WSAEAFNOSUPPORT;
    if (sock.control !== "root" && sock.joined && !this.bug("noIsConnCheck")) return E.WSAEISCONN;
    if (sock.control === "leaf" && sock.failedBefore && this.bug("noRetryAfterFailure")) return E.WSAEINVAL;
    if (sock.control === "root" && this.bug("rootSingleLeaf") && (sock.children?.size ?? 0) > 0) return E.WSAEISCONN;
    if (sock.control === "root" && !sock.proto.rootInitiatedJoins) return E.WSAEOPNOTSUPP;
    if (sock.control !== "root" && !sock.proto.leafInitiatedJoins) return E.WSAEOPNOTSUPP;
    if (sock.parent) return E.WSAEISCONN; // a root's per-leaf socket is already a member
    if (callerData && callerData.length > 0) {
      if (sock.proto.maxConnectData === 0 && this.bug("callerDataIgnoredWithoutSupport")) callerData = null;
      else if (sock.proto.maxConnectData === 0) return E.WSAEPROTONOSUPPORT;
      else if (callerData.length > sock.proto.maxConnectData + (this.bug("callerDataLimitOffByOne") ? 1 : 0)) return E.WSAEFAULT;
    }
    if (name.address === "0.0.0.0" && !this.bug("addrAnyAccepted")) return E.WSAEADDRNOTAVAIL;
    const target = name.address === "0.0.0.0" ? ({ kind: "nobody" } as const) : this.resolve(sock, name);
    if (target === "invalid") return E.WSAEADDRNOTAVAIL;
    if (sock.host.faults.has("no-buffers") && !this.bug("noBuffersIgnored")) return E.WSAENOBUFS;
    let qos = this.admitQos(sock, a);
    // A provider that learns only from the network that a flowspec cannot be met reports it as the join's outcome.
    const lateError = qos === E.WSAEOPNOTSUPP && this.choices.qosRefusal === "on-completion" ? qos : 0;
    if (lateError) qos = { tokenRate: null, bandwidth: 0, socketQos: null, groupQos: null };
    if (typeof qos === "number") return qos;
    const bindError = this.commitLocalAddress(sock);
    if (bindError) return bindError;

    const newSocket = (sock.control === "root") !== (this.bug("rootJoinReturnsRoot") || (sock.control === "leaf" && this.bug("leafJoinReturnsNew")));
    const returned = newSocket ? (sock.control === "root" ? this.newRootLeafSocket(sock) : this.newSocket(sock.host, sock.proto, "leaf", sock.data)) : sock;
    if (newSocket && sock.control === "leaf") returned.local = sock.local;
    // The socket for this leaf carries the flow this join asked for.
    if (returned !== sock && qos.socketQos) returned.qos = structuredClone(qos.socketQos);
    // The bytes that go on the wire: what the application gave, unless a defect garbles them.
    let sent = callerData && callerData.length ? callerData : null;
    if (sent && this.bug("userDataAsCString")) sent = cString(sent);
    if (this.bug("callerDataNotSent")) sent = null;
    if (a.lpCallerData === null && this.bug("nullCallerDataResendsPrevious")) sent = sock.lastCallerData;
    if (sent) sock.lastCallerData = sent;
    const join: PendingJoin = {
      callId,
      s: sock,
      returned,
      target,
      callerData: sent,
      flags: a.dwFlags,
      qosTokenRate: qos.tokenRate,
      socketQos: qos.socketQos,
      groupQos: qos.groupQos,
      bandwidth: qos.bandwidth,
      timeout: null,
      finished: false,
      settle: null,
      calleeWritten: false,
      lateError,
    };
    sock.pendingJoin = join;
    returned.usable = this.bug("usableBeforeCompletion");
    sock.host.reservedBandwidth += qos.bandwidth;
    if (!sock.nonBlocking && sock.host.version === "1.1") sock.host.blocking = join;
    this.transmit(join);
    return join;
  }

  /**
   * The c_leaf socket a root holds for one leaf, whether WSAJoinLeaf added the leaf or accept /
   * WSAAccept admitted it (the same kind of socket): it copies the root's properties.
   */
  protected newRootLeafSocket(root: SimSocket): SimSocket {
    const leaf = this.newSocket(root.host, root.proto, "leaf", root.data, root);
    this.net.setLocal(leaf, root.local, root); // replaced whole, never changed in place: shared
    leaf.nonBlocking = root.nonBlocking;
    // Registrations are replaced whole, never changed in place: the leaf can share the root's.
    leaf.registration = this.bug("registrationsNotInherited") ? NO_REGISTRATION : root.registration;
    leaf.qos = root.qos ? structuredClone(root.qos) : null;
    // The legacy text excludes the root's group ID from what the new socket inherits.
    const inherits = this.edition === "legacy" ? this.bug("groupIdInheritedLegacy") : this.choices.currentGroupId === "inherited";
    leaf.groupId = inherits ? root.groupId : 0;
    return leaf;
  }

  protected readCallerData(p: Ptr<WsaBufIn>): Buffer | null | "fault" {
    if (p === null) return null;
    if (p === "invalid") return "fault";
    if (p.len === 0) return Buffer.alloc(0);
    if (p.buf === null || p.buf === "invalid") return "fault";
    const bytes = Buffer.from(p.buf, "hex");
    if (bytes.length < p.len) return "fault"; // len claims more than the buffer holds
    return bytes.subarray(0, p.len);
  }

  /** Where a join to `name` goes, from the state of the simulated network. */
  protected resolve(sock: SimSocket, name: SockAddr): Target | "invalid" {
    const multicast = isMulticast(name.address);
    const rootedControl = !!(sock.proto.serviceFlags1 & XP1_MULTIPOINT_CONTROL_PLANE);
    if (!rootedControl) {
      if (multicast) return { kind: "session", address: `${name.address}:${name.port}` };
      // A unicast name is no session, but one on a network this host cannot reach is unreachable
      // before it is anything else (as a UDP connect to it fails).
      return routable(name.address) ? "invalid" : { kind: "no-route" };
    }
    if (multicast) return "invalid";
    const peer = this.net.peerAt(name.address, name.port);
    if (peer) return peer.behaviour.answer === "unreachable" ? { kind: "no-route" } : { kind: "peer", peer };
    if (!routable(name.address)) return { kind: "no-route" };
    for (const other of this.net.listening) {
      if (other.closed || !other.listening || other.control !== "root" || !other.local) continue;
      const addr = other.local.address === "0.0.0.0" ? other.host.address : other.local.address;
      if (addr === name.address && other.local.port === name.port && other.proto === sock.proto) return { kind: "root", root: other };
    }
    return { kind: "nobody" };
  }

  /** Implicit bind, or committing a wildcard address to the host's address. */
  protected commitLocalAddress(sock: SimSocket): number {
    const h = sock.host;
    if (!sock.local) {
      if (this.bug("noImplicitBind")) return 0;
      const port = this.net.ephemeralPort(h);
      if (port === null) return E.WSAENOBUFS;
      this.net.setLocal(sock, { address: h.address, port });
      return 0;
    }
    const session = !(sock.proto.serviceFlags1 & XP1_MULTIPOINT_CONTROL_PLANE);
    if (sock.local.address === "0.0.0.0" && !(session && this.choices.sessionLocalAddress === "left-wildcard")) {
      if (!sock.reuseAddress && this.net.portTaken(h, h.address, sock.local.port, sock)) return E.WSAEADDRINUSE;
      this.net.setLocal(sock, { address: h.address, port: sock.local.port });
    }
    return 0;
  }

  /**
   * QOS for this join: lpSQOS overrides SIO_SET_QOS, lpGQOS overrides SIO_SET_GROUP_QOS (and is
   * ignored unless `s` created its group); a direction the join does not use is ignored.
   */
  protected admitQos(
    sock: SimSocket,
    a: JoinLeafArgs,
  ): { tokenRate: number | null; bandwidth: number; socketQos: Qos | null; groupQos: Qos | null } | number {
    const sqos = a.lpSQOS && !this.bug("socketQosNotApplied") ? a.lpSQOS : sock.qos;
    const ownGroupQos = sock.groupCreator && !this.bug("groupQosIgnored") ? a.lpGQOS : null;
    const gqos = ownGroupQos ? ownGroupQos : sock.groupCreator ? sock.groupQos : null;
    // The provider keeps its own copies: the caller's structures are inputs and stay the caller's.
    // They become the socket's (and group's) QOS only once the join has succeeded (see finish).
    const socketQos = a.lpSQOS && !this.bug("socketQosNotApplied") ? structuredClone(a.lpSQOS) : null;
    const groupQos = ownGroupQos ? structuredClone(ownGroupQos) : null;
    const bothWays = this.bug("qosBothDirections");
    const sending = bothWays || !(a.dwFlags & JL_RECEIVER_ONLY);
    const receiving = bothWays || !(a.dwFlags & JL_SENDER_ONLY);
    const demand = (q: Qos | null) =>
      q ? (sending ? rate(q.sending) : 0) + (receiving ? rate(q.receiving) : 0) : 0;
    const asksForService = (q: Qos | null) =>
      !!q && ((sending && wantsService(q.sending)) || (receiving && wantsService(q.receiving)));
    if (!(sock.proto.serviceFlags1 & XP1_QOS_SUPPORTED)) {
      if (asksForService(a.lpSQOS) || asksForService(ownGroupQos)) return E.WSAEOPNOTSUPP;
      return { tokenRate: null, bandwidth: 0, socketQos, groupQos };
    }
    const bandwidth = demand(sqos) + demand(gqos);
    if (sock.host.reservedBandwidth + bandwidth > LINK_CAPACITY_BYTES_PER_SEC && !this.bug("qosNoAdmission")) return E.WSAEOPNOTSUPP;
    // A receiver-only join ignores its sending flowspec, so there is no sending rate to signal.
    return { tokenRate: sqos && sending ? rate(sqos.sending) : null, bandwidth, socketQos, groupQos };
  }

  /** Puts the join request on the wire; the answer arrives through the clock. */
  protected transmit(join: PendingJoin): void {
    const t = join.target;
    const after = (ms: number, run: () => void) => this.clock.schedule(ms, run);
    join.timeout = after(this.choices.joinTimeoutMs, () => this.finish(join, this.bug("timeoutAsRefused") ? E.WSAECONNREFUSED : E.WSAETIMEDOUT));
    switch (t.kind) {
      case "no-route":
        after(this.latency, () => this.finish(join, this.bug("unreachableTimesOut") ? E.WSAETIMEDOUT : E.WSAENETUNREACH));
        return;
      case "nobody":
        after(2 * this.latency, () => this.finish(join, this.refused()));
        return;
      case "session":
        if (this.choices.sessionJoin === "at-once") this.finish(join, 0);
        else after(this.latency, () => this.finish(join, 0));
        return;
      case "root":
        after(this.latency, () => this.deliverRequest(t.root, { from: { kind: "socket", socket: join.s }, callerData: join.callerData, join }));
        return;
      case "peer": {
        const peer = t.peer;
        peer.pending = join;
        after(this.latency, () => {
          if (join.finished) return;
          peer.log.joinRequests++;
          peer.log.lastCallerData = join.callerData ? join.callerData.toString("hex") : null;
          peer.log.lastQosTokenRate = join.qosTokenRate;
          const answer = peer.behaviour.answer;
          if (answer === "accept") after(this.latency, () => this.finish(join, 0, peer.behaviour.calleeData));
          if (answer === "refuse") after(this.latency, () => this.finish(join, this.refused()));
          // "silent": the timeout answers.
        });
        // A provider that retransmits sends the request again while no answer has come.
        const { count, intervalMs } = this.choices.joinRetransmissions;
        for (let i = 1; i <= count; i++) {
          after(this.latency + i * intervalMs, () => {
            if (!join.finished) peer.log.joinRequests++;
          });
        }
        return;
      }
    }
  }

  protected deliverRequest(root: SimSocket, request: JoinRequest): void {
    if (root.closed || !root.listening) {
      if (request.join) this.finish(request.join, this.refused());
      return;
    }
    root.acceptQueue.push(request);
    if (!this.bug("noFdAccept")) this.signal(root, "FD_ACCEPT");
    root.acceptWaiters.splice(0).forEach((wake) => wake());
  }

  /** The error of a join the other side rejects. */
  protected refused(): number {
    return this.bug("refusedAsReset") ? WSAECONNRESET : E.WSAECONNREFUSED;
  }

  /** Ends a join with an outcome: 0 for success, or the error code. */
  protected finish(join: PendingJoin, error: number, calleeHex?: string): void {
    if (join.finished) return;
    if (!error && join.lateError) error = join.lateError;
    const memory = this.callee.get(join.callId);
    if (!error && memory && !join.calleeWritten && this.choices.calleeBufferWritten === "before-fd-connect") {
      // This provider fills the callee buffer as the answer arrives and reports completion a moment later.
      const fault = this.writeCallee(join, memory, calleeHex);
      this.clock.schedule(1, () => this.finish(join, fault, calleeHex));
      return;
    }
    join.finished = true;
    join.timeout?.cancel();
    const { s, returned } = join;
    if (s.host.blocking === join) s.host.blocking = null;
    const t = join.target;
    if (t.kind === "peer" && t.peer.pending === join) t.peer.pending = null;

    let outcome = error;
    if (!outcome && memory && !join.calleeWritten) {
      if (this.bug("calleeAfterFdConnect")) this.clock.schedule(1, () => this.writeCallee(join, memory, calleeHex));
      else outcome = this.writeCallee(join, memory, calleeHex);
    }
    // A blocking call clears the mark as it returns; the nonblocking completion path has to itself.
    const leftPending = !!outcome && s.nonBlocking && this.bug("failedJoinLeftPending");
    if (s.pendingJoin === join && !leftPending) s.pendingJoin = null;
    if (outcome) {
      s.host.reservedBandwidth -= join.bandwidth;
      s.failedBefore = true;
      if (t.kind === "peer" && !error) t.peer.log.member = false; // admitted, then torn down
      if (returned !== s) this.net.forget(returned);
      else s.usable = true; // a failed join leaves the c_leaf socket free to try again
      if (s.connectLike) s.connectLike = "failed";
    } else {
      returned.usable = true;
      returned.joined = true;
      returned.joinFlags = join.flags;
      returned.reserved = join.bandwidth;
      // The join's QOS replaces what SIO_SET_QOS / SIO_SET_GROUP_QOS set, now that it has succeeded.
      if (join.socketQos) s.qos = join.socketQos;
      if (join.groupQos) s.groupQos = join.groupQos;
      if (t.kind === "peer") {
        t.peer.log.member = true;
        t.peer.link = returned;
        returned.far = { kind: "peer", peer: t.peer };
      }
      if (t.kind === "session") this.net.setSession(returned, t.address);
      if (s.connectLike) s.connectLike = "connected";
    }
    const reported = outcome && this.bug("fdConnectGenericError") ? WSAECONNABORTED : this.bug("fdConnectAlwaysZero") ? 0 : outcome;
    const on = this.bug("fdConnectOnNewSocket") && returned !== s && !outcome ? returned : s;
    if (!(outcome && this.bug("noFdConnectOnFailure"))) this.signal(on, "FD_CONNECT", reported);
    join.settle?.(outcome);
  }

  /** Copies the peer's answer into the callee buffer; WSAEFAULT when it does not fit. */
  protected writeCallee(join: PendingJoin, memory: CalleeMemory, calleeHex: string | undefined): number {
    join.calleeWritten = true;
    let data: Buffer = calleeHex && join.s.proto.maxConnectData > 0 ? Buffer.from(calleeHex, "hex") : Buffer.alloc(0);
    if (this.bug("userDataAsCString")) data = cString(data);
    if (data.length > memory.capacity && !this.bug("calleeIgnoresLen")) return E.WSAEFAULT;
    if (!this.bug("calleeDataDropped")) data.copy(memory.memory, 0);
    if (this.bug("calleeLenNotUpdated") || (data.length === 0 && this.bug("calleeLenNotZeroed"))) return 0;
    memory.len = data.length;
    return 0;
  }

  async calleeBuffer(callId: number): Promise<CalleeBuffer> {
    return this.readCallee(callId);
  }

  protected readCallee(callId: number): CalleeBuffer {
    const m = this.callee.get(callId);
    if (!m) return { len: 0, bytes: "", guardIntact: true };
    return {
      len: m.len,
      bytes: m.memory.subarray(0, Math.min(m.len, m.capacity)).toString("hex"),
      guardIntact: guardIntact(m.memory, m.capacity),
    };
  }

  // ---------------------------------------------------------------- admitting leaves

  async accept(s: Sock): Promise<Result<Sock>> {
    const out = await this.admit(s, { verdict: "accept" });
    return out.result;
  }

  async wsaAccept(s: Sock, condition: AcceptCondition): Promise<AcceptOutcome> {
    return this.admit(s, condition);
  }

  protected async admit(s: Sock, condition: AcceptCondition): Promise<AcceptOutcome> {
    const found = this.lookup(s);
    if ("error" in found) return { result: fail(found.error) };
    const root = found.sock;
    if (!root.listening) return { result: fail(E.WSAEINVAL) };
    while (root.acceptQueue.length === 0) {
      if (root.nonBlocking) return { result: fail(E.WSAEWOULDBLOCK) };
      await new Promise<void>((wake) => root.acceptWaiters.push(wake));
      if (root.closed) return { result: fail(E.WSAENOTSOCK) };
    }
    const request = root.acceptQueue[0];
    const callerData = request.callerData ? request.callerData.toString("hex") : null;
    // The condition function runs now. A WSAJoinLeaf it makes finds the provider inside a callback.
    let joinInside: JoinLeafOutcome | undefined;
    if (condition.joinInside) {
      const counted = !this.bug("callbackReentryAllowed");
      if (counted) root.host.inCallback++;
      try {
        joinInside = await this.joinLeaf(condition.joinInside.s, condition.joinInside.args);
      } finally {
        if (counted) root.host.inCallback--;
      }
    }
    const answered = (result: Result<Sock>): AcceptOutcome => (joinInside ? { result, callerData, joinInside } : { result, callerData });
    if (condition.verdict === "defer") return answered(fail(WSATRY_AGAIN));
    root.acceptQueue.shift();
    const from = request.from;
    if (condition.verdict === "reject") {
      if (request.join) this.clock.schedule(this.latency, () => this.finish(request.join as PendingJoin, this.refused()));
      if (from.kind === "peer") from.peer.log.member = false;
      return answered(fail(E.WSAECONNREFUSED));
    }
    const leaf = this.newRootLeafSocket(root);
    leaf.joined = true;
    leaf.far = from;
    if (from.kind === "peer") {
      from.peer.link = leaf;
      from.peer.log.member = true;
    } else {
      from.socket.far = { kind: "socket", socket: leaf };
    }
    const join = request.join;
    if (join) this.clock.schedule(this.latency, () => this.finish(join, 0, condition.calleeData));
    return answered(ok(leaf.id));
  }

  // ---------------------------------------------------------------- closing and cancelling

  async closesocket(s: Sock): Promise<Result> {
    const found = this.lookup(s);
    if ("error" in found) return fail(found.error);
    this.close(found.sock);
    return done;
  }

  protected close(sock: SimSocket): void {
    if (sock.closed) return;
    const parentJoin = sock.parent?.pendingJoin;
    // Closing the new socket cancels the join.
    if (parentJoin && parentJoin.returned === sock && !this.bug("closeDoesNotCancel")) this.cancel(parentJoin);
    if (sock.pendingJoin) this.cancel(sock.pendingJoin);
    sock.closed = true;
    if (!(sock.parent && this.bug("leaksPerLeafSocket"))) this.net.forget(sock);
    sock.host.reservedBandwidth -= sock.reserved;
    const far = sock.far;
    // The far end hears of it: a leaf when its root's per-leaf socket closes, a root when its leaf does.
    const tell = !this.bug(sock.parent ? "noFdCloseAtLeaf" : "noFdCloseAtRoot");
    if (far?.kind === "peer") {
      if (tell) far.peer.log.sawClose = true;
      far.peer.log.member = false;
      far.peer.link = null;
    }
    if (far?.kind === "socket" && tell) this.clock.schedule(this.latency, () => this.signal(far.socket, "FD_CLOSE", this.choices.fdCloseError));
    if (sock.control === "root" && !sock.parent) {
      // The session ends with its root: every leaf is told.
      for (const leaf of [...(sock.children ?? [])]) {
        const lf = leaf.far;
        if (lf?.kind === "peer") {
          lf.peer.log.sawClose = true;
          lf.peer.log.member = false;
        }
        if (lf?.kind === "socket") this.clock.schedule(this.latency, () => this.signal(lf.socket, "FD_CLOSE", this.choices.fdCloseError));
        leaf.far = null;
      }
    }
    // Any listening socket, root or not: a blocking accept on it returns (WSAENOTSOCK) once it is closed.
    if (sock.acceptWaiters?.length) sock.acceptWaiters.splice(0).forEach((wake) => wake());
  }

  /** Abandons a pending join without an FD_CONNECT: the far side sees the request withdrawn. */
  protected cancel(join: PendingJoin, error: number = E.WSAEINTR): void {
    if (join.finished) return;
    join.finished = true;
    join.timeout?.cancel();
    if (join.s.pendingJoin === join) join.s.pendingJoin = null;
    if (join.s.host.blocking === join) join.s.host.blocking = null;
    join.s.host.reservedBandwidth -= join.bandwidth;
    const t = join.target;
    if (t.kind === "peer") {
      t.peer.pending = null;
      t.peer.log.member = false;
    }
    if (t.kind === "root") t.root.acceptQueue = t.root.acceptQueue.filter((r) => r.join !== join);
    if (join.returned !== join.s) {
      join.returned.closed = true;
      this.net.forget(join.returned);
    } else {
      join.s.usable = true;
    }
    join.settle?.(error);
  }

  async cancelBlockingCall(hostName: string): Promise<Result> {
    const h = this.host(hostName);
    if (!h.started) return fail(E.WSANOTINITIALISED);
    if (h.version !== "1.1") return fail(E.WSAEOPNOTSUPP); // removed from Winsock 2
    if (!h.blocking) return fail(E.WSAEINVAL);
    this.cancel(h.blocking, this.bug("cancelledAsAborted") ? WSAECONNABORTED : E.WSAEINTR);
    return done;
  }

}

function rate(f: { tokenRate: number }): number {
  return f.tokenRate === QOS_NOT_SPECIFIED ? 0 : f.tokenRate;
}

function wantsService(f: { serviceType: number; tokenRate: number }): boolean {
  return f.serviceType !== SERVICETYPE_BESTEFFORT && f.serviceType !== SERVICETYPE_NOTRAFFIC && f.serviceType !== QOS_NOT_SPECIFIED;
}

/** A C string's view of user data: everything before the first zero byte. */
function cString(b: Buffer): Buffer {
  const zero = b.indexOf(0);
  return zero < 0 ? b : b.subarray(0, zero);
}

/** What the caller's arguments read: plain values as they are, nested structures as their JSON. */
function snapshot(a: JoinLeafArgs): unknown[] {
  const json = (v: unknown) => (v !== null && typeof v === "object" ? JSON.stringify(v) : v);
  return [a.name, a.namelen, a.dwFlags, json(a.lpCallerData), json(a.lpCalleeData), json(a.lpSQOS), json(a.lpGQOS)];
}

function sameSnapshot(x: unknown[], y: unknown[]): boolean {
  return x.every((v, i) => v === y[i]);
}
