#!/bin/sh
# topology.sh up WORK | down WORK: the demo's three hosts and the IKE between them, in network namespaces.
#
#   client 10.96.1.1 --veth-- 10.96.1.2 proxy 10.96.2.2 --veth-- 10.96.2.3 backend
#
# Three charons (raw ECDSA keys, transport mode, kernel-netlink, charon's own SPD policies): client.test <-> proxy.test
# (connection "front") and proxy.test <-> backend.test (connection "back"); the proxy's charon holds both. Both child
# SAs are initiated at `up`, so every TCP flow between neighbours runs over ESP from the first packet. Everything lives in
# WORK: WORK/client, WORK/proxy, WORK/backend are charon folders (vici socket DIR/charon.vici), WORK/*.pid their PIDs.
# Namespaces: cbbdemo-client, cbbdemo-proxy, cbbdemo-backend.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
lab=$(cd "$here/../../tests/lab/strongswan" && pwd)
cmd=${1:-}; work=${2:-}
[ -n "$work" ] || { echo "usage: $0 up|down WORK" >&2; exit 2; }
C=cbbdemo-client P=cbbdemo-proxy B=cbbdemo-backend
common="--mode transport --kernel netlink --policies yes --auth pubkey"

# gen-peer.sh writes one connection per folder; the proxy's charon needs two: merge the second folder's connection
# into the first, with its peer key renamed.
merge_connection() { # into-dir from-dir peer-key-name
  cp "$2/swanctl/pubkey/peer.pub" "$1/swanctl/pubkey/$3.pub"
  sed -e '1,/^connections {/d' -e '$d' -e "s/pubkeys = peer.pub/pubkeys = $3.pub/" "$2/swanctl/swanctl.conf" > "$1/swanctl/second.conf"
  { sed '$d' "$1/swanctl/swanctl.conf"; cat "$1/swanctl/second.conf"; echo "}"; } > "$1/swanctl/merged.conf"
  mv "$1/swanctl/merged.conf" "$1/swanctl/swanctl.conf"; rm -f "$1/swanctl/second.conf"
}

case "$cmd" in
  up)
    mkdir -p "$work"; work=$(cd "$work" && pwd)
    for h in client proxy backend; do "$lab/gen-key.sh" "$work/$h" "$h.test"; done
    "$lab/gen-peer.sh" --dir "$work/client" --conn front --child front --local-addr 10.96.1.1 --remote-addr 10.96.1.2 \
      --local-id client.test --remote-id proxy.test --key "$work/client.key" --peer-pub "$work/proxy.pub" $common >/dev/null
    "$lab/gen-peer.sh" --dir "$work/proxy" --conn front --child front --local-addr 10.96.1.2 --remote-addr 10.96.1.1 \
      --local-id proxy.test --remote-id client.test --key "$work/proxy.key" --peer-pub "$work/client.pub" $common >/dev/null
    "$lab/gen-peer.sh" --dir "$work/proxy-back" --conn back --child back --local-addr 10.96.2.2 --remote-addr 10.96.2.3 \
      --local-id proxy.test --remote-id backend.test --key "$work/proxy.key" --peer-pub "$work/backend.pub" $common >/dev/null
    merge_connection "$work/proxy" "$work/proxy-back" backend
    rm -rf "$work/proxy-back"
    "$lab/gen-peer.sh" --dir "$work/backend" --conn back --child back --local-addr 10.96.2.3 --remote-addr 10.96.2.2 \
      --local-id backend.test --remote-id proxy.test --key "$work/backend.key" --peer-pub "$work/proxy.pub" $common >/dev/null

    for ns in $C $P $B; do ip netns add $ns; ip -n $ns link set lo up; done
    ip link add veth0 netns $C type veth peer name veth0 netns $P
    ip link add veth1 netns $P type veth peer name veth1 netns $B
    ip -n $C addr add 10.96.1.1/24 dev veth0; ip -n $P addr add 10.96.1.2/24 dev veth0
    ip -n $P addr add 10.96.2.2/24 dev veth1; ip -n $B addr add 10.96.2.3/24 dev veth1
    # A second client address no SA covers: the control that the proxy refuses unprotected flows.
    ip -n $C addr add 10.96.1.9/24 dev veth0
    ip -n $C link set veth0 up; ip -n $P link set veth0 up; ip -n $P link set veth1 up; ip -n $B link set veth1 up

    for h in client:$C proxy:$P backend:$B; do
      "$lab/run-charon.sh" "$work/${h%%:*}" "${h#*:}" >"$work/${h%%:*}.out" 2>&1 & echo $! >"$work/${h%%:*}.pid"
    done
    for h in client proxy backend; do "$lab/wait-vici.sh" "$work/$h"; "$lab/swanctl.sh" "$work/$h" --load-all >/dev/null; done
    "$lab/swanctl.sh" "$work/client" --initiate --child front >/dev/null
    "$lab/swanctl.sh" "$work/proxy" --initiate --child back >/dev/null
    ;;
  down)
    for h in client proxy backend; do
      if [ -f "$work/$h.pid" ]; then
        pid=$(cat "$work/$h.pid"); kill "$pid" 2>/dev/null || true
        i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
        kill -9 "$pid" 2>/dev/null || true; rm -f "$work/$h.pid"
      fi
    done
    for ns in $C $P $B; do ip netns del $ns 2>/dev/null || true; done
    ;;
  *) echo "usage: $0 up|down WORK" >&2; exit 2;;
esac
