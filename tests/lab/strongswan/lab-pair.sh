#!/bin/sh
# lab-pair.sh up WORK | down WORK: two charons (peers a and b) in two network namespaces joined by veth,
# raw ECDSA public keys, connection "lab" with child "lab". Everything lives in WORK (keys, a/, b/, pids).
# Parameters (environment, defaults in brackets):
#   NS_A NS_B [cbb-a cbb-b]   ADDR_A ADDR_B [192.0.2.1 192.0.2.2] (prefix /24)   ID_A ID_B [a.test b.test]
#   MODE [tunnel] KERNEL [netlink|libipsec; default libipsec for tunnel]   INNER_A INNER_B [10.1.0.1 10.2.0.1]
#   (tunnel mode: inner addresses on lo are the traffic selectors; transport mode: the IKE addresses)
#   START_ACTION [none]  REQID [0]  POLICIES [yes]  INITIATE [yes: a initiates child "lab" after loading]
#   AUTH [pubkey: raw keys | x509: pinned self-signed certificates CN=ID, SAN DNS:ID]
# After `up`: WORK/a and WORK/b are peer folders (use swanctl.sh WORK/a ...), WORK/a.pid, WORK/b.pid hold charon PIDs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:-}; work=${2:-}
[ -n "$work" ] || { echo "usage: $0 up|down WORK" >&2; exit 2; }
NS_A=${NS_A:-cbb-a}; NS_B=${NS_B:-cbb-b}
case "$cmd" in
  up)
    ADDR_A=${ADDR_A:-192.0.2.1}; ADDR_B=${ADDR_B:-192.0.2.2}; ID_A=${ID_A:-a.test}; ID_B=${ID_B:-b.test}
    MODE=${MODE:-tunnel}; INNER_A=${INNER_A:-10.1.0.1}; INNER_B=${INNER_B:-10.2.0.1}
    if [ "$MODE" = tunnel ]; then KERNEL=${KERNEL:-libipsec}; TS_A=$INNER_A/32; TS_B=$INNER_B/32
    else KERNEL=${KERNEL:-netlink}; TS_A=$ADDR_A/32; TS_B=$ADDR_B/32; fi
    mkdir -p "$work"; work=$(cd "$work" && pwd)
    "$here/gen-key.sh" "$work/a" "$ID_A"; "$here/gen-key.sh" "$work/b" "$ID_B"
    common="--mode $MODE --kernel $KERNEL --start-action ${START_ACTION:-none} --reqid ${REQID:-0} --policies ${POLICIES:-yes} --auth ${AUTH:-pubkey}"
    "$here/gen-peer.sh" --dir "$work/a" --local-addr "$ADDR_A" --remote-addr "$ADDR_B" --local-id "$ID_A" --remote-id "$ID_B" \
      --key "$work/a.key" --peer-pub "$work/b.pub" --cert "$work/a.crt" --peer-cert "$work/b.crt" --local-ts "$TS_A" --remote-ts "$TS_B" $common >/dev/null
    "$here/gen-peer.sh" --dir "$work/b" --local-addr "$ADDR_B" --remote-addr "$ADDR_A" --local-id "$ID_B" --remote-id "$ID_A" \
      --key "$work/b.key" --peer-pub "$work/a.pub" --cert "$work/b.crt" --peer-cert "$work/a.crt" --local-ts "$TS_B" --remote-ts "$TS_A" $common >/dev/null
    if [ "$MODE" = tunnel ]; then
      "$here/netns-pair.sh" up "$NS_A" "$NS_B" "$ADDR_A/24" "$ADDR_B/24" "$INNER_A/32" "$INNER_B/32"
    else
      "$here/netns-pair.sh" up "$NS_A" "$NS_B" "$ADDR_A/24" "$ADDR_B/24"
    fi
    "$here/run-charon.sh" "$work/a" "$NS_A" >"$work/a.out" 2>&1 & echo $! >"$work/a.pid"
    "$here/run-charon.sh" "$work/b" "$NS_B" >"$work/b.out" 2>&1 & echo $! >"$work/b.pid"
    "$here/wait-vici.sh" "$work/a"; "$here/wait-vici.sh" "$work/b"
    "$here/swanctl.sh" "$work/a" --load-all >/dev/null; "$here/swanctl.sh" "$work/b" --load-all >/dev/null
    if [ "${INITIATE:-yes}" = yes ]; then "$here/swanctl.sh" "$work/a" --initiate --child lab >/dev/null; fi
    ;;
  down)
    for p in a b; do
      if [ -f "$work/$p.pid" ]; then
        pid=$(cat "$work/$p.pid"); kill "$pid" 2>/dev/null || true
        i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
        kill -9 "$pid" 2>/dev/null || true; rm -f "$work/$p.pid"
      fi
    done
    "$here/netns-pair.sh" down "$NS_A" "$NS_B"
    ;;
  *) echo "usage: $0 up|down WORK" >&2; exit 2;;
esac
