#!/bin/sh
# netns-pair.sh up NS_A NS_B ADDR_A ADDR_B [INNER_A INNER_B]
# netns-pair.sh down NS_A NS_B
# Two network namespaces joined by a veth pair (ADDR_x as CIDR, e.g. 192.0.2.1/24); lo up in both.
# INNER_x (CIDR, e.g. 10.1.0.1/32) go on lo: tunnel-mode traffic selectors that stay off the IKE path.
set -eu
cmd=${1:-}; a=${2:-}; b=${3:-}
[ -n "$a" ] && [ -n "$b" ] || { echo "usage: $0 up|down NS_A NS_B [ADDR_A ADDR_B [INNER_A INNER_B]]" >&2; exit 2; }
case "$cmd" in
  up)
    [ $# -ge 5 ] || { echo "usage: $0 up NS_A NS_B ADDR_A ADDR_B [INNER_A INNER_B]" >&2; exit 2; }
    ip netns add "$a"
    ip netns add "$b"
    # veth names are per namespace, so the same short names work for every pair.
    ip link add veth0 netns "$a" type veth peer name veth0 netns "$b"
    ip -n "$a" link set lo up; ip -n "$b" link set lo up
    ip -n "$a" addr add "$4" dev veth0; ip -n "$b" addr add "$5" dev veth0
    ip -n "$a" link set veth0 up; ip -n "$b" link set veth0 up
    if [ $# -ge 7 ]; then
      ip -n "$a" addr add "$6" dev lo; ip -n "$b" addr add "$7" dev lo
    fi
    ;;
  down)
    ip netns del "$a" 2>/dev/null || true
    ip netns del "$b" 2>/dev/null || true
    ;;
  *) echo "usage: $0 up|down NS_A NS_B ..." >&2; exit 2;;
esac
