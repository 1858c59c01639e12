#!/usr/bin/env python3
"""python-udp: an agent whose implementation is Linux's own UDP stack.

WSAJoinLeaf on a c_leaf/d_leaf socket of a nonrooted (IP multicast) protocol entry is carried out
the way a Winsock UDP provider does it on top of BSD sockets: the socket is bound if it was not
(to the group's port, so the session's datagrams reach it), it joins the group with
IP_ADD_MEMBERSHIP, and its later sends go to the group. Errors come from errno, mapped to the
Winsock code of the same meaning (ERRNO_TO_WSA). Network events (FD_CONNECT, FD_READ, FD_WRITE)
are reported through WSAEventSelect / WSAAsyncSelect as the driver protocol describes.

It claims no testbed capability and answers hello with testbed "real": the harness brings the
peers (session members made of its own sockets) and the network conditions (an interface going
down, an address with no route). Multicast is sent only inside the project's network namespace
(scripts/netns.sh): outside one this agent refuses hello, so a run never becomes a setup mistake
reported as the implementation's failure. Every multicast socket has TTL 0: nothing it sends
leaves the host, even inside the namespace.

The protocol plumbing (framing, hello, dispatch) is agent.py's. See README.md next to this file.
"""

import errno
import os
import select
import socket
import sys

import agent
from agent import fail, ok, sockaddr_in

# Winsock error codes (section 7 of docs/driver-protocol.md).
WSAEINTR = 10004
WSAEACCES = 10013
WSAEFAULT = 10014
WSAEINVAL = 10022
WSAEWOULDBLOCK = 10035
WSAEALREADY = 10037
WSAENOTSOCK = 10038
WSAEDESTADDRREQ = 10039
WSAEMSGSIZE = 10040
WSAENOPROTOOPT = 10042
WSAEPROTONOSUPPORT = 10043
WSAEOPNOTSUPP = 10045
WSAEAFNOSUPPORT = 10047
WSAEADDRINUSE = 10048
WSAEADDRNOTAVAIL = 10049
WSAENETDOWN = 10050
WSAENETUNREACH = 10051
WSAENOBUFS = 10055
WSAEISCONN = 10056
WSAENOTCONN = 10057
WSAETIMEDOUT = 10060
WSAECONNREFUSED = 10061
WSAEHOSTUNREACH = 10065
WSANOTINITIALISED = 10093

# errno -> the Winsock error of the same meaning. ENODEV is what IP_ADD_MEMBERSHIP says when no
# interface carries the group's route (the network is down).
ERRNO_TO_WSA = {
    errno.EINTR: WSAEINTR,
    errno.EACCES: WSAEACCES,
    errno.EPERM: WSAEACCES,
    errno.EFAULT: WSAEFAULT,
    errno.EINVAL: WSAEINVAL,
    errno.EAGAIN: WSAEWOULDBLOCK,
    errno.EALREADY: WSAEALREADY,
    errno.EBADF: WSAENOTSOCK,
    errno.ENOTSOCK: WSAENOTSOCK,
    errno.EDESTADDRREQ: WSAEDESTADDRREQ,
    errno.EMSGSIZE: WSAEMSGSIZE,
    errno.ENOPROTOOPT: WSAENOPROTOOPT,
    errno.EOPNOTSUPP: WSAEOPNOTSUPP,
    errno.EAFNOSUPPORT: WSAEAFNOSUPPORT,
    errno.EADDRINUSE: WSAEADDRINUSE,
    errno.EADDRNOTAVAIL: WSAEADDRNOTAVAIL,
    errno.ENETDOWN: WSAENETDOWN,
    errno.ENODEV: WSAENETDOWN,
    errno.ENETUNREACH: WSAENETUNREACH,
    errno.ENOBUFS: WSAENOBUFS,
    errno.ENOMEM: WSAENOBUFS,
    errno.EISCONN: WSAEISCONN,
    errno.ENOTCONN: WSAENOTCONN,
    errno.ETIMEDOUT: WSAETIMEDOUT,
    errno.ECONNREFUSED: WSAECONNREFUSED,
    errno.EHOSTUNREACH: WSAEHOSTUNREACH,
}


def wsa_error(e):
    # An errno with no Winsock counterpart is still a failure; WSAEINVAL says least that is untrue.
    return ERRNO_TO_WSA.get(e.errno, WSAEINVAL)


AF_INET = 2
AF_INET6 = 23  # Winsock's value, as the harness encodes it
SOCKADDR_IN_SIZE = 16
XP1_CONNECTIONLESS = 0x1
XP1_MESSAGE_ORIENTED = 0x8
XP1_SUPPORT_BROADCAST = 0x200
XP1_SUPPORT_MULTIPOINT = 0x400
WSA_FLAG_MULTIPOINT_C_LEAF = 0x04
WSA_FLAG_MULTIPOINT_D_LEAF = 0x10
JL_SENDER_ONLY, JL_RECEIVER_ONLY, JL_BOTH = 1, 2, 4
FD_READ, FD_WRITE, FD_CONNECT = 0, 1, 4
FD_MAX_EVENTS = 10
NO_QOS = 0xFFFFFFFF
# Service types that ask the network for nothing: no traffic, best effort, no change.
NO_SERVICE = (0, 1, 0x8000, NO_QOS)
IP_MULTICAST_ALL = getattr(socket, "IP_MULTICAST_ALL", 49)

# Shaped like Windows' UDP entry: nonrooted control and data planes (neither
# XP1_MULTIPOINT_CONTROL_PLANE nor XP1_MULTIPOINT_DATA_PLANE), no connect data, no QOS.
PROTOCOL = {
    "id": "py-udp",
    "name": "Linux UDP/IP through python-udp",
    "catalogEntryId": 9101,
    "providerId": "{70792d75-6470-0000-0000-000000000001}",
    "addressFamily": AF_INET,
    "socketType": 2,  # SOCK_DGRAM
    "protocol": 17,  # IPPROTO_UDP
    "serviceFlags1": XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST | XP1_SUPPORT_MULTIPOINT,
    "maxConnectData": 0,
    "rootInitiatedJoins": False,
    "leafInitiatedJoins": True,
    "sideChat": False,
}


def in_project_namespace():
    """Whether this process runs in the network namespace scripts/netns.sh made (None) or why not."""
    name = os.environ.get("JOINLEAF_NETNS")
    if not name:
        return "not inside a network namespace of the project's own"
    try:
        mine, made = os.stat("/proc/self/ns/net"), os.stat(os.path.join("/run/netns", name))
    except OSError as e:
        return "network namespace %s cannot be checked: %s" % (name, e)
    if (mine.st_ino, mine.st_dev) != (made.st_ino, made.st_dev):
        return "JOINLEAF_NETNS says %s, but this process is not in it" % name
    return None


def decode_name(name, namelen):
    """(family, address, port) of an encoded sockaddr, or None when it cannot be read."""
    if not isinstance(name, str):
        return None
    try:
        raw = bytes.fromhex(name)
    except ValueError:
        return None
    if len(raw) < 2 or namelen < 2:
        return None
    family = int.from_bytes(raw[0:2], "little")
    if family == AF_INET:
        if len(raw) < 8:
            return None
        return family, socket.inet_ntoa(raw[4:8]), int.from_bytes(raw[2:4], "big")
    return family, None, None


def encode_name(address, port):
    return sockaddr_in(socket.inet_aton(address), port)


def is_multicast(address):
    return 224 <= int(address.split(".")[0]) <= 239


def buffer_fault(wsabuf):
    """Whether a WSABUF points outside the caller's memory or claims more bytes than it holds."""
    if wsabuf == "invalid":
        return True
    if wsabuf is None:
        return False
    buf = wsabuf.get("buf")
    if buf == "invalid":
        return True
    held = len(buf) // 2 if isinstance(buf, str) else 0
    return wsabuf.get("len", 0) > held


def qos_fault(qos):
    return qos is not None and buffer_fault(qos.get("providerSpecific"))


def qos_asks_for_service(qos, flags):
    """Whether the flowspecs of the directions the join uses ask for a service (a one-way member
    ignores the other direction's)."""
    if qos is None:
        return False
    flows = {JL_SENDER_ONLY: ["sending"], JL_RECEIVER_ONLY: ["receiving"]}.get(flags, ["sending", "receiving"])
    for flow in (qos[f] for f in flows):
        if flow["tokenRate"] != NO_QOS or flow["serviceType"] not in NO_SERVICE:
            return True
    return bool(qos["providerSpecific"].get("len"))


class Sock:
    def __init__(self, host, flags):
        self.host = host
        self.flags = flags
        self.os = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.os.setblocking(False)  # every call here is one nonblocking attempt
        # Multicast stays on this host (TTL 0), comes back to local members, and only the groups
        # this socket joined reach it.
        self.os.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 0)
        self.os.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
        self.os.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_ALL, 0)
        # Address sharing follows Winsock's rules, not Linux's (see UdpDriver.bind): the OS socket
        # always allows reuse, and `reuse` is what the application asked with SO_REUSEADDR.
        self.os.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.reuse = False
        self.bound = False
        self.name = None  # (address, port) the application bound it to
        # A session's datagrams go to the group's port, while the socket's own local address is
        # unique (an ephemeral port when the join binds it). So a receiving member gets a second
        # OS socket, bound to the group address and port, that only receives for it.
        self.receiver = None
        self.joined = None  # (group, port) once a multicast join succeeded
        self.peer = None  # (address, port) sends go to: the group, or a unicast peer
        self.nonblocking = False
        self.registration = None  # ("event", mask) or ("async", mask, message)
        self.pending = {}  # FD bit -> error code, not yet reported
        self.read_armed = True  # FD_READ is re-enabled by a recv

    @property
    def leaf(self):
        return bool(self.flags & (WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF))

    def signal(self, bit, error=0):
        if self.registration and self.registration[1] & (1 << bit):
            self.pending[bit] = error

    def os_sockets(self):
        return [self.os] + ([self.receiver] if self.receiver else [])

    def close(self):
        for o in self.os_sockets():
            o.close()  # closing leaves every group it joined

    def own(self, source):
        """Whether a datagram came from this socket itself (multicast loopback)."""
        try:
            return source[1] == self.os.getsockname()[1] and source[0].startswith("127.")
        except OSError:
            return False

    def drop_own(self):
        """Discards this socket's own datagrams at the head of its queues."""
        for o in self.os_sockets():
            while True:
                try:
                    _, source = o.recvfrom(65536, socket.MSG_PEEK)
                except OSError:
                    break
                if not self.own(source):
                    break
                o.recvfrom(65536)

    def readable(self):
        self.drop_own()
        return bool(select.select(self.os_sockets(), [], [], 0)[0])

    def poll(self):
        """Picks up FD_READ from the socket's state."""
        if self.read_armed and self.registration and self.registration[1] & (1 << FD_READ):
            if self.readable():
                self.pending.setdefault(FD_READ, 0)
                self.read_armed = False

    def take(self):
        self.poll()
        taken, self.pending = self.pending, {}
        return taken


class UdpDriver(agent.NullDriver):
    """Winsock calls on real Linux UDP sockets; the testbed is the harness's (hello testbed: real)."""

    NAME = "python-udp"
    PRODUCT = "python-udp example agent (Linux UDP/IP, IP_ADD_MEMBERSHIP)"
    CAPABILITIES = []
    TESTBED = "real"
    NOT_OFFERED = {
        "peerLog": "session-members (the harness's real testbed watches sessions)",
        "peerLeave": "scripted-peers",
        "peerSend": "session-members (the harness's real testbed sends to sessions)",
        "peerRequestJoin": "scripted-peers",
        "injectFault": "network-down (the harness's real testbed takes the interface down)",
    }

    def __init__(self):
        super().__init__()
        self.socks = {}  # descriptor -> Sock

    def protocols(self):
        return [dict(PROTOCOL)]

    # --- hosts and sockets

    def cleanup(self, host):
        if host not in self.started:
            return fail(WSANOTINITIALISED)
        # The host's sockets are gone; their descriptors now answer WSANOTINITIALISED.
        for s, sock in self.socks.items():
            if sock.host == host and s in self.sockets:
                sock.close()
                del self.sockets[s]
        self.started.discard(host)
        return ok()

    def socket(self, options):
        host = options["host"]
        refused = self.socket_refused(options)
        if refused:
            return fail(refused)
        try:
            sock = Sock(host, options["flags"])
        except OSError as e:
            return fail(wsa_error(e))
        s = self.next_sock
        self.next_sock += 4
        self.socks[s] = sock
        self.sockets[s] = host
        return ok(s)

    def lookup(self, s):
        """(Sock, None) or (None, error code)."""
        sock = self.socks.get(s)
        if sock is None:
            return None, WSAENOTSOCK
        if sock.host not in self.started:
            return None, WSANOTINITIALISED
        return sock, None

    def closesocket(self, s):
        sock, error = self.lookup(s)
        if error:
            return fail(error)
        sock.close()
        del self.socks[s]
        del self.sockets[s]
        return ok()

    def dispose(self):
        for s in self.sockets:
            self.socks[s].close()
        self.__init__()
        return None

    def bind(self, s, name, namelen):
        sock, error = self.lookup(s)
        if error:
            return fail(error)
        if name is None or name == "invalid" or namelen < SOCKADDR_IN_SIZE:
            return fail(WSAEFAULT)
        decoded = decode_name(name, namelen)
        if decoded is None:
            return fail(WSAEFAULT)
        family, address, port = decoded
        if family != AF_INET:
            return fail(WSAEAFNOSUPPORT)
        if sock.bound:
            return fail(WSAEINVAL)
        # Winsock's rule: the same address and port twice needs SO_REUSEADDR on the later socket.
        # A wildcard address and a specific one on the same port may both be bound; the conflict
        # shows when the wildcard one commits its address (join_group). Linux would refuse the
        # second bind at once, so the OS sockets all allow reuse and the rule is kept here, among
        # this agent's own sockets (other programs' sockets are not seen).
        if port != 0 and not sock.reuse and any(o.name == (address, port) for o in self.live() if o is not sock):
            return fail(WSAEADDRINUSE)
        try:
            if port == 0:
                self.autobind(sock, address)
            else:
                sock.os.bind((address, port))
        except OSError as e:
            return fail(wsa_error(e))
        sock.bound = True
        sock.name = (address, sock.os.getsockname()[1])
        return ok()

    def live(self):
        return [self.socks[s] for s in self.sockets]

    @staticmethod
    def autobind(sock, address):
        """An ephemeral port of its own: reuse is off while the system picks it, so it is unique."""
        sock.os.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0)
        try:
            sock.os.bind((address, 0))
        finally:
            sock.os.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    def setReuseAddress(self, s, on):
        sock, error = self.lookup(s)
        if error:
            return fail(error)
        sock.reuse = bool(on)
        return ok()

    def setNonBlocking(self, s, on):
        sock, error = self.lookup(s)
        if error:
            return fail(error)
        if not on and sock.registration:
            return fail(WSAEINVAL)  # a socket registered for events cannot go back to blocking
        sock.nonblocking = bool(on)
        return ok()

    def getsockname(self, s):
        sock, error = self.lookup(s)
        if error:
            return fail(error)
        address, port = sock.os.getsockname()
        if not sock.bound and port == 0:
            return fail(WSAEINVAL)  # not bound yet
        return ok(encode_name(address, port))

    # --- WSAJoinLeaf

    def joinLeaf(self, s, args):
        call_id = self.next_call
        self.next_call += 1
        wanted = args.get("lpCalleeData")
        capacity = wanted["len"] if wanted is not None else None
        # The callee buffer as the application gave it: len is its capacity, its bytes a 0xCC fill.
        if capacity is not None:
            self.callee[call_id] = {"len": capacity, "bytes": "cc" * capacity, "guardIntact": True}
        error = self.join(s, args)
        if error == 0 and capacity is not None:
            # No user data comes back from a multicast join: lpCalleeData->len reads 0.
            self.callee[call_id] = {"len": 0, "bytes": "", "guardIntact": True}
        outcome = {"callId": call_id, "result": ok(s) if error == 0 else fail(error)}
        if capacity is not None:
            outcome["callee"] = dict(self.callee[call_id])
        return outcome

    def join(self, s, a):
        """0 when the join worked, or the Winsock error it fails with."""
        sock, error = self.lookup(s)
        if error:
            return error
        name, namelen = a["name"], a["namelen"]
        if name is None or name == "invalid" or namelen < SOCKADDR_IN_SIZE:
            return WSAEFAULT
        decoded = decode_name(name, namelen)
        if decoded is None:
            return WSAEFAULT
        caller = a.get("lpCallerData")
        if buffer_fault(caller) or qos_fault(a.get("lpSQOS")) or qos_fault(a.get("lpGQOS")):
            return WSAEFAULT
        if not sock.leaf:
            return WSAEINVAL  # opened without WSA_FLAG_MULTIPOINT_C_LEAF / D_LEAF
        if a["dwFlags"] not in (JL_SENDER_ONLY, JL_RECEIVER_ONLY, JL_BOTH):
            return WSAEINVAL
        if sock.joined or sock.peer:
            return WSAEISCONN
        family, address, port = decoded
        if family != AF_INET:
            return WSAEAFNOSUPPORT
        if caller is not None and caller.get("len", 0) > 0:
            return WSAEPROTONOSUPPORT  # no connect data on this provider
        if address == "0.0.0.0":
            return WSAEADDRNOTAVAIL
        # No QOS here: a flow asked for cannot be satisfied. lpGQOS is for the socket's group, and
        # this provider has no socket groups, so no socket is held to it.
        if qos_asks_for_service(a.get("lpSQOS"), a["dwFlags"]):
            return WSAEOPNOTSUPP
        try:
            if is_multicast(address):
                self.join_group(sock, address, port, a["dwFlags"])
            else:
                # A unicast name: the socket is associated with that peer, as a UDP connect does.
                if not sock.bound:
                    # Bound from here on, even when the connect below fails: a second join
                    # (allowed after WSAENETUNREACH) must not bind it again (EINVAL).
                    self.autobind(sock, "0.0.0.0")
                    sock.bound = True
                    sock.name = ("0.0.0.0", sock.os.getsockname()[1])
                sock.os.connect((address, port))
                sock.peer = (address, port)
        except OSError as e:
            error = wsa_error(e)
            sock.signal(FD_CONNECT, error)
            return error
        sock.signal(FD_CONNECT, 0)
        return 0

    def join_group(self, sock, group, port, flags):
        if sock.name and sock.name[0] == "0.0.0.0" and not sock.reuse:
            # Committing the wildcard address: taken when a socket holds a specific one on the port.
            if any(o.name and o.name[1] == sock.name[1] and o.name[0] != "0.0.0.0" for o in self.live() if o is not sock):
                raise OSError(errno.EADDRINUSE, "the address is taken")
        if flags != JL_SENDER_ONLY:
            receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                receiver.setblocking(False)
                receiver.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # the group's port is shared by its members
                receiver.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_ALL, 0)
                receiver.bind((group, port))
                # No interface named: the kernel takes the one the group's route goes through;
                # when that interface is down there is none (ENODEV: WSAENETDOWN).
                membership = socket.inet_aton(group) + socket.inet_aton("0.0.0.0")
                receiver.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
            except OSError:
                receiver.close()
                raise
        if not sock.bound:
            # Implicit bind: unique values, the wildcard address and an ephemeral port.
            try:
                self.autobind(sock, "0.0.0.0")
            except OSError:
                if flags != JL_SENDER_ONLY:
                    receiver.close()
                raise
            sock.bound = True
            sock.name = ("0.0.0.0", sock.os.getsockname()[1])
        if flags != JL_SENDER_ONLY:
            sock.receiver = receiver
        sock.joined = (group, port)
        if flags != JL_RECEIVER_ONLY:
            sock.peer = (group, port)

    def calleeBuffer(self, callId):
        return dict(self.callee.get(callId, {"len": 0, "bytes": "", "guardIntact": True}))

    # --- data

    def send(self, s, data):
        sock, error = self.lookup(s)
        if error:
            return fail(error)
        if sock.peer is None:
            return fail(WSAENOTCONN)
        try:
            return ok(sock.os.sendto(bytes.fromhex(data), sock.peer))
        except OSError as e:
            return fail(wsa_error(e))

    def recv(self, s, capacity):
        sock, error = self.lookup(s)
        if error:
            return fail(error)
        sock.read_armed = True
        if not sock.readable():
            return fail(WSAEWOULDBLOCK)
        ready = select.select(sock.os_sockets(), [], [], 0)[0]
        try:
            data, _, flags, _ = ready[0].recvmsg(max(capacity, 0))
        except OSError as e:
            return fail(wsa_error(e))
        if flags & socket.MSG_TRUNC:
            return fail(WSAEMSGSIZE)  # the datagram was larger than the buffer; the rest is lost
        return ok(data.hex())

    # --- network events

    def eventSelect(self, s, mask):
        return self.register(s, ("event", mask))

    def asyncSelect(self, s, message, mask):
        return self.register(s, ("async", mask, message))

    def register(self, s, registration):
        sock, error = self.lookup(s)
        if error:
            return fail(error)
        sock.registration = registration if registration[1] else None
        sock.nonblocking = True  # registering for events makes the socket nonblocking
        sock.pending = {}
        sock.read_armed = True
        sock.signal(FD_WRITE, 0)  # a datagram socket can send at once
        return ok()

    def enumNetworkEvents(self, s):
        sock, error = self.lookup(s)
        if error:
            return fail(error)
        if not sock.registration or sock.registration[0] != "event":
            return ok({"events": 0, "errors": [0] * FD_MAX_EVENTS})
        taken = sock.take()
        errors = [0] * FD_MAX_EVENTS
        events = 0
        for bit, err in taken.items():
            events |= 1 << bit
            errors[bit] = err
        return ok({"events": events, "errors": errors})

    def takeMessages(self, host):
        messages = []
        for s, sock in sorted(self.socks.items()):
            if sock.host != host or not sock.registration or sock.registration[0] != "async":
                continue
            for bit, err in sorted(sock.take().items()):
                messages.append({"socket": s, "message": sock.registration[2], "event": 1 << bit, "error": err})
        return messages

    def select(self, sets, timeoutMs):
        found = {}
        for key in ("read", "write", "except"):
            for s in sets[key]:
                sock, error = self.lookup(s)
                if error:
                    return fail(error)
                found[s] = sock
        for sock in found.values():
            sock.drop_own()
        try:
            r, w, x = select.select(
                [o for s in sets["read"] for o in found[s].os_sockets()],
                [found[s].os for s in sets["write"]],
                [found[s].os for s in sets["except"]],
                max(timeoutMs, 0) / 1000,
            )
        except OSError as e:
            return fail(wsa_error(e))
        pick = lambda key, ready: [s for s in sets[key] if any(o in ready for o in found[s].os_sockets())]
        return ok({"read": pick("read", r), "write": pick("write", w), "except": pick("except", x)})

    # --- what a UDP provider does not have

    def listen(self, s, backlog):
        sock, error = self.lookup(s)
        return fail(error or WSAEOPNOTSUPP)  # datagram sockets do not listen

    def accept(self, s):
        sock, error = self.lookup(s)
        return fail(error or WSAEOPNOTSUPP)

    def wsaAccept(self, s, condition):
        sock, error = self.lookup(s)
        return {"result": fail(error or WSAEOPNOTSUPP)}

    def setQos(self, s, qos, group):
        sock, error = self.lookup(s)
        return fail(error or WSAEOPNOTSUPP)

    def getQos(self, s):
        sock, error = self.lookup(s)
        return fail(error or WSAEOPNOTSUPP)

    def groupId(self, s):
        sock, error = self.lookup(s)
        return fail(error or WSAENOPROTOOPT)  # no socket groups

    def cancelBlockingCall(self, host):
        return fail(WSAEOPNOTSUPP)  # Winsock 2: there are no 1.1 blocking calls to cancel


def main():
    why = in_project_namespace()
    if why:
        # Refuse to start: a join here would send IGMP and multicast on the machine's network.
        sys.stderr.write(
            "python-udp: %s; it sends multicast only inside the project's network namespace: "
            "run the harness under scripts/netns.sh (as root)\n" % why
        )
        return 2
    return agent.serve_stdio(UdpDriver)


if __name__ == "__main__":
    sys.exit(main())
