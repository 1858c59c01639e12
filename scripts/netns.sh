#!/usr/bin/env bash
# scripts/netns.sh COMMAND [ARGS...]
# scripts/netns.sh --setup      installs iproute2 (Debian/Ubuntu, as root) when `ip` is missing
#
# Runs COMMAND inside a network namespace of the project's own, made for the real testbed
# (drivers/testbed/real.ts), and deletes the namespace afterwards, also when COMMAND fails or is
# interrupted. Multicast never leaves it: the machine's default namespace sees none of it.
#
# The namespace holds:
#   lo       up, 127.0.0.1 only: the local route for the rest of 127.0.0.0/8 is removed, so an
#            address such as 127.66.0.1 has no route (WSAENETUNREACH) and nothing else does either
#            (there is no default route). The harness<->agent TCP link uses 127.0.0.1 on lo.
#   jl0      one end of a veth pair (jl1, the other end, stays inside too), 127.77.0.1, carrying
#            the multicast route 224.0.0.0/4. "Network down" takes jl0 down: the multicast
#            route goes with it while lo, and so the TCP link to an agent, keeps working.
#            route_localnet lets a 127.x address source multicast on a non-loopback interface.
#
# COMMAND sees JOINLEAF_NETNS (the namespace's name), JOINLEAF_NETNS_IF (jl0),
# JOINLEAF_NETNS_UNREACHABLE (an address with no route) and JOINLEAF_NETNS_IF_ADDRESS.
# Needs root (CAP_NET_ADMIN) and iproute2's `ip`. Exit status: COMMAND's, or 2 when the namespace
# cannot be made (with a one-line reason on stderr).
set -euo pipefail

if [ "${1:-}" = "--setup" ]; then
  if command -v ip >/dev/null 2>&1; then
    echo "netns: iproute2 is installed ($(ip -V))"
  elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "netns: installing iproute2"
    apt-get install -y -qq --no-install-recommends iproute2 >/dev/null 2>&1 ||
      { apt-get update -qq && apt-get install -y -qq --no-install-recommends iproute2; }
  else
    echo "netns: iproute2's ip is missing and cannot be installed here (needs root and apt-get); the real testbed's scenarios will be UNSUPPORTED"
  fi
  exit 0
fi
if [ "$#" -eq 0 ]; then
  echo "usage: scripts/netns.sh COMMAND [ARGS...]" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "netns: a network namespace needs root (CAP_NET_ADMIN); run as root or without the real testbed" >&2
  exit 2
fi
if ! command -v ip >/dev/null 2>&1; then
  echo "netns: iproute2's ip is missing (Debian: apt-get install iproute2)" >&2
  exit 2
fi

NS="joinleaf-$$"
IF=jl0
IF_ADDRESS=127.77.0.1
UNREACHABLE=127.66.0.1

cleanup() {
  # Deleting the namespace deletes the veth pair inside it.
  ip netns del "$NS" 2>/dev/null || true
}
trap cleanup EXIT

in_ns() { ip netns exec "$NS" "$@"; }

make_namespace() {
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  ip -n "$NS" link add "$IF" type veth peer name jl1
  in_ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
    net.ipv4.conf.all.route_localnet=1 "net.ipv4.conf.$IF.route_localnet=1"
  ip -n "$NS" link set jl1 up
  ip -n "$NS" link set "$IF" up multicast on
  ip -n "$NS" addr add "$IF_ADDRESS/32" dev "$IF" scope link
  ip -n "$NS" route add 224.0.0.0/4 dev "$IF"
  ip -n "$NS" route del local 127.0.0.0/8 dev lo table local
}

if ! err=$(make_namespace 2>&1); then
  echo "netns: cannot make network namespace $NS: $(echo "$err" | tail -n 1)" >&2
  exit 2
fi

export JOINLEAF_NETNS="$NS" JOINLEAF_NETNS_IF="$IF" JOINLEAF_NETNS_IF_ADDRESS="$IF_ADDRESS" JOINLEAF_NETNS_UNREACHABLE="$UNREACHABLE"
# COMMAND runs as a child this script waits for, so that an interrupt reaches it and the
# namespace is deleted only once nothing runs in it any more.
set +e
ip netns exec "$NS" "$@" <&0 &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' INT TERM HUP
while :; do
  wait "$child"
  status=$?
  kill -0 "$child" 2>/dev/null || break
done
exit "$status"
