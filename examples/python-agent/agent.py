#!/usr/bin/env python3
"""python-null: the smallest honest agent for the joinleaf driver protocol.

Written from docs/driver-protocol.md alone, as a check that the document is enough. It speaks
protocol version 1 over stdio (requests on stdin, responses on stdout, logs on stderr), uses only
the Python standard library, and implements no multipoint provider at all:

- hello, reset, protocols, startup, cleanup, socket, closesocket, openSockets, dispose, advance
  and hostAddress do what the document says;
- every other Winsock call answers with a failure result, WSAEOPNOTSUPP (10045);
- definePeer names multipoint sessions (the one kind of peer every agent with a nonrooted
  protocol entry must offer); the testbed calls of the capabilities it does not claim (other
  kinds of peer, peerLog, peerLeave, peerSend, peerRequestJoin, injectFault) answer with a
  protocol error.

So it is a very non-conformant implementation: scenarios that need a capability are reported
UNSUPPORTED and the few that run fail. See README.md next to this file.

No Winsock call here ever blocks, so one thread serving one request at a time is enough. An agent
for a real implementation must stay responsive while a blocking call runs (section 3 of the doc).
"""

import json
import platform
import sys
import threading
import time

PROTOCOL_NAME = "joinleaf-driver"
VERSIONS = [1]
MAX_LINE = 1 << 20  # bytes, newline not counted

# Winsock error codes (section 7).
WSAEINVAL = 10022
WSAENOTSOCK = 10038
WSAEPROTONOSUPPORT = 10043
WSAEOPNOTSUPP = 10045
WSAEADDRINUSE = 10048
WSANOTINITIALISED = 10093

XP1_SUPPORT_MULTIPOINT = 0x400
WSA_FLAG_MULTIPOINT_C_ROOT = 0x02
WSA_FLAG_MULTIPOINT_D_ROOT = 0x08

# One catalogue entry shaped like IP multicast: nonrooted control and data planes (neither
# XP1_MULTIPOINT_CONTROL_PLANE nor XP1_MULTIPOINT_DATA_PLANE), leaves join sessions, no connect
# data, no QOS.
PROTOCOL = {
    "id": "py-null",
    "name": "Python null multicast (implements nothing)",
    "catalogEntryId": 9001,
    "providerId": "{70792d6e-756c-6c00-0000-000000000001}",
    "addressFamily": 2,  # AF_INET
    "socketType": 2,  # SOCK_DGRAM
    "protocol": 17,  # IPPROTO_UDP
    "serviceFlags1": XP1_SUPPORT_MULTIPOINT,
    "maxConnectData": 0,
    "rootInitiatedJoins": False,
    "leafInitiatedJoins": True,
    "sideChat": False,
}

# Each method and its parameters, in call order (section 6); "?" marks an optional one.
METHODS = {
    "protocols": [],
    "startup": ["host", "options?"],
    "cleanup": ["host"],
    "socket": ["options"],
    "bind": ["s", "name", "namelen"],
    "setReuseAddress": ["s", "on"],
    "listen": ["s", "backlog"],
    "accept": ["s"],
    "wsaAccept": ["s", "condition"],
    "joinLeaf": ["s", "args"],
    "calleeBuffer": ["callId"],
    "setNonBlocking": ["s", "on"],
    "eventSelect": ["s", "mask"],
    "enumNetworkEvents": ["s"],
    "asyncSelect": ["s", "message", "mask"],
    "takeMessages": ["host"],
    "select": ["sets", "timeoutMs"],
    "closesocket": ["s"],
    "getsockname": ["s"],
    "send": ["s", "data"],
    "recv": ["s", "capacity"],
    "setQos": ["s", "qos", "group"],
    "getQos": ["s"],
    "groupId": ["s"],
    "cancelBlockingCall": ["host"],
    "hostAddress": ["host"],
    "definePeer": ["name", "behaviour"],
    "peerLog": ["name"],
    "peerLeave": ["name"],
    "peerSend": ["name", "data", "sideChat?"],
    "peerRequestJoin": ["name", "root", "callerData"],
    "injectFault": ["host", "fault", "on"],
    "advance": ["ms", "onlyWhileWaiting?"],
    "openSockets": [],
    "dispose": [],
}

# Testbed methods that belong to capabilities this agent does not claim (section 9).
NOT_OFFERED = {
    "peerLog": "session-members",
    "peerLeave": "scripted-peers",
    "peerSend": "session-members",
    "peerRequestJoin": "scripted-peers",
    "injectFault": "network-down",
}


def sockaddr_in(address, port):
    """The bytes of a sockaddr_in as hex: family 2 little-endian, port big-endian, address, 8 zeros."""
    raw = (2).to_bytes(2, "little") + port.to_bytes(2, "big") + bytes(address) + bytes(8)
    return raw.hex()


def ok(value=None):
    return {"ok": True, "value": value}


def fail(error):
    return {"ok": False, "error": error}


class ProtocolError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class NullDriver:
    """The driver state of one session: started hosts, open descriptors, callee buffers."""

    # What hello says about this driver (udp_agent.py's driver says its own).
    NAME = "python-null"
    PRODUCT = "python-null example agent (no multipoint provider)"
    CAPABILITIES = []
    TESTBED = None  # None: this agent's own testbed methods; "real": the harness brings real peers
    NOT_OFFERED = NOT_OFFERED

    def __init__(self):
        self.started = set()  # host names with a WSAStartup in force
        self.sockets = {}  # descriptor -> host name
        self.callee = {}  # callId -> callee buffer as it reads now
        self.sessions = {}  # session name -> its encoded sockaddr
        self.next_sock = 0x100
        self.next_call = 1

    # --- what this agent really does

    def protocols(self):
        return [dict(PROTOCOL)]

    def startup(self, host, options=None):
        version = (options or {}).get("version", "2.2")
        if version not in ("2.2", "1.1"):
            return fail(WSAEINVAL)
        self.started.add(host)
        return ok()

    def cleanup(self, host):
        if host not in self.started:
            return fail(WSANOTINITIALISED)
        for s in [s for s, h in self.sockets.items() if h == host]:
            del self.sockets[s]
        self.started.discard(host)
        return ok()

    def socket_refused(self, options):
        """The Winsock error WSASocket fails with for these options, or None when it may succeed."""
        if options["host"] not in self.started:
            return WSANOTINITIALISED
        if options["protocol"] not in [p["id"] for p in self.protocols()]:
            return WSAEPROTONOSUPPORT
        # Nonrooted planes: a c_root or d_root socket cannot be had; no socket groups here.
        if options["flags"] & (WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT) or options.get("group", 0) != 0:
            return WSAEINVAL
        return None

    def socket(self, options):
        host = options["host"]
        refused = self.socket_refused(options)
        if refused:
            return fail(refused)
        s = self.next_sock
        self.next_sock += 4
        self.sockets[s] = host
        return ok(s)

    def closesocket(self, s):
        if s not in self.sockets:
            return fail(WSAENOTSOCK if self.started else WSANOTINITIALISED)
        del self.sockets[s]
        return ok()

    def openSockets(self):
        return sorted(self.sockets)

    def dispose(self):
        self.__init__()
        return None

    def advance(self, ms, onlyWhileWaiting=None):
        # No virtual clock: time passes for real (and nothing is ever due).
        time.sleep(max(0, ms) / 1000)
        return None

    def hostAddress(self, host):
        return "127.0.0.1"

    def definePeer(self, name, behaviour):
        if behaviour["answer"] != "session":
            raise ProtocolError("driver-error", 'a peer that answers "%s" needs "scripted-peers", which this agent does not claim' % behaviour["answer"])
        if name in self.sessions:
            return fail(WSAEADDRINUSE)
        # A multicast group address to join: 239.255.77.n port 47000, as an encoded sockaddr_in.
        n = len(self.sessions) + 1
        self.sessions[name] = sockaddr_in((239, 255, 77, n), 47000)
        return ok(self.sessions[name])

    def takeMessages(self, host):
        return []  # no WSAAsyncSelect ever succeeds, so no window message is ever posted

    # --- WSAJoinLeaf and friends: answered with WSAEOPNOTSUPP, buffers left untouched

    def joinLeaf(self, s, args):
        call_id = self.next_call
        self.next_call += 1
        outcome = {"callId": call_id, "result": fail(WSAEOPNOTSUPP)}
        wanted = args.get("lpCalleeData")
        if wanted is not None:
            capacity = wanted["len"]
            # The untouched buffer: len still reads the capacity, every byte its 0xCC fill.
            buffer = {"len": capacity, "bytes": "cc" * capacity, "guardIntact": True}
            self.callee[call_id] = buffer
            outcome["callee"] = dict(buffer)
        return outcome

    def calleeBuffer(self, callId):
        return dict(self.callee.get(callId, {"len": 0, "bytes": "", "guardIntact": True}))

    def wsaAccept(self, s, condition):
        return {"result": fail(WSAEOPNOTSUPP)}

    def unsupported(self, *args):
        return fail(WSAEOPNOTSUPP)

    bind = setReuseAddress = listen = accept = setNonBlocking = eventSelect = unsupported
    enumNetworkEvents = asyncSelect = select = getsockname = send = recv = unsupported
    setQos = getQos = groupId = cancelBlockingCall = unsupported


class Session:
    """One harness connection: hello first, then calls on a driver that reset renews."""

    def __init__(self, write, driver_class=NullDriver):
        self.write = write
        self.greeted = False
        self.driver_class = driver_class
        self.driver = driver_class()

    def reply(self, message):
        text = json.dumps(message, separators=(",", ":"))
        if len(text.encode("utf-8")) > MAX_LINE:
            text = json.dumps({"id": message.get("id"), "error": {"code": "driver-error", "message": "the answer is over 1 MiB"}})
        self.write(text + "\n")

    def handle(self, raw):
        request_id = None
        try:
            try:
                message = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                raise ProtocolError("parse-error", "not JSON: %s" % e)
            if not isinstance(message, dict):
                raise ProtocolError("parse-error", "a message must be a JSON object")
            request_id = message.get("id")
            if not isinstance(request_id, int) or isinstance(request_id, bool):
                request_id = None
                raise ProtocolError("invalid-request", "id must be an integer")
            method = message.get("method")
            if not isinstance(method, str):
                raise ProtocolError("invalid-request", "method must be a string")
            params = message.get("params", {})
            if params is None:
                params = {}
            if not isinstance(params, dict):
                raise ProtocolError("invalid-params", "params must be an object")
            result = self.dispatch(method, params)
            self.reply({"id": request_id, "result": result})
        except ProtocolError as e:
            self.reply({"id": request_id, "error": {"code": e.code, "message": str(e)}})
        except Exception as e:  # the driver failed: a protocol error, never a crash
            self.reply({"id": request_id, "error": {"code": "driver-error", "message": "%s: %s" % (type(e).__name__, e)}})

    def dispatch(self, method, params):
        if method == "hello":
            return self.hello(params)
        if not self.greeted:
            raise ProtocolError("hello-required", '"%s" before a successful hello' % method)
        if method == "reset":
            edition = params.get("edition")
            if edition not in (None, "current", "legacy"):
                raise ProtocolError("invalid-params", "edition must be current or legacy")
            self.driver.dispose()  # this agent implements no edition-dependent behaviour
            self.driver = self.driver_class()
            return None
        if method not in METHODS:
            raise ProtocolError("unknown-method", 'no method "%s"' % method)
        names = [n.rstrip("?") for n in METHODS[method]]
        for key in params:
            if key not in names:
                raise ProtocolError("invalid-params", '"%s" takes no parameter "%s" (it takes: %s)' % (method, key, ", ".join(names) or "none"))
        args = []
        for n in METHODS[method]:
            name = n.rstrip("?")
            if name in params:
                args.append(params[name])
            elif n.endswith("?"):
                args.append(None)
            else:
                raise ProtocolError("invalid-params", '"%s" needs parameter "%s"' % (method, name))
        not_offered = self.driver.NOT_OFFERED
        if method in not_offered:
            raise ProtocolError("driver-error", '"%s" is not offered: this agent does not claim "%s"' % (method, not_offered[method]))
        return getattr(self.driver, method)(*args)

    def hello(self, params):
        if params.get("protocol") != PROTOCOL_NAME:
            raise ProtocolError("invalid-params", 'hello.protocol must be "%s"' % PROTOCOL_NAME)
        offered = params.get("versions")
        common = [v for v in VERSIONS if isinstance(offered, list) and v in offered]
        if not common:
            raise ProtocolError("version-mismatch", "this agent speaks version 1 only")
        # Over stdio no token is needed; one sent anyway is ignored.
        self.greeted = True
        answer = {
            "protocol": PROTOCOL_NAME,
            "version": max(common),
            "driver": self.driver.NAME,
            "implementation": {
                "product": self.driver.PRODUCT,
                "python": platform.python_version(),
                "platform": sys.platform,
            },
            "capabilities": list(self.driver.CAPABILITIES),
            "protocols": self.driver.protocols(),
            # One request at a time, in the order read: the harness may send some without waiting.
            "inOrder": True,
        }
        if self.driver.TESTBED:
            answer["testbed"] = self.driver.TESTBED
        return answer


def serve_stdio(driver_class=NullDriver):
    out = sys.stdout
    lock = threading.Lock()

    def write(text):
        with lock:  # one response per line, whole, whichever thread answers
            out.write(text)
            out.flush()

    session = Session(write, driver_class)
    stdin = sys.stdin.buffer
    pending = b""
    discarding = False
    while True:
        chunk = stdin.read1(65536)
        if not chunk:
            break
        pending += chunk
        while True:
            nl = pending.find(b"\n")
            if nl < 0:
                if not discarding and len(pending) > MAX_LINE:
                    # Too long already: say so once, then skip to the next newline.
                    session.reply({"id": None, "error": {"code": "too-large", "message": "message longer than 1 MiB; skipped to the next newline"}})
                    discarding = True
                if discarding:
                    pending = b""
                break
            line, pending = pending[:nl], pending[nl + 1 :]
            if discarding:
                discarding = False
                continue
            if len(line) > MAX_LINE:
                session.reply({"id": None, "error": {"code": "too-large", "message": "message longer than 1 MiB; skipped"}})
                continue
            line = line.rstrip(b"\r")
            if line.strip():
                session.handle(line)
    session.driver.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(serve_stdio())
