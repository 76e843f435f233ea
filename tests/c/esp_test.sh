#!/bin/sh
# esp_test.sh: the draft's Appendix A programs (samples/c) against their peers over real ESP, as root in a Linux with
# ESP (./run test boots User-Mode Linux for it; `./run build` builds the programs). Two of samples/demo/topology.sh's
# namespaces carry them: cbbdemo-client 10.96.1.1 runs the clients, cbbdemo-proxy 10.96.1.2 the peers, one charon each
# and one ESP SA pair between them.
#   Figure 14 hello_conn_client -> hello_peer tcp: two connections under a BTNS socket policy, the second required to
#     have the first's channel; the SPIs both ends report are the kernel's (`ip xfrm state`), mirrored. The control:
#     a socket policy without charon's reqid matches no SA, and the connection fails rather than go out in the clear.
#   Figure 15 hello_tls_conn_client -> openssl s_server -keymatexport: each connection's tls-exporter equals what
#     s_server prints; the second connection to the same server passes the stored channel, a third to a server with
#     another key (same name, same CA) is refused.
#   Figure 16 hello_msg_client -> hello_peer udp: the datagram with the policy control message arrives, under ESP.
# Prints one line per check and "N passed, N failed" last; exit 1 if a check failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$repo/samples/c
topology=$repo/samples/demo/topology.sh
work=$(mktemp -d /tmp/cbb-c-esp-XXXXXX)
C=cbbdemo-client P=cbbdemo-proxy
passed=0 failed=0 pids=""

cleanup() {
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  "$topology" down "$work/ike" >/dev/null 2>&1 || true
}
trap cleanup EXIT

check() { # NAME COMMAND...: one check, passed when COMMAND succeeds
  name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
has() { grep -qx -- "$2" "$1"; }            # FILE LINE: FILE has the whole line
lines() { grep -cx -- "$2" "$1"; }          # FILE LINE: how often
wait_for() { # FILE TEXT: until a peer says it is ready (30 s at most)
  i=0
  until grep -q "$2" "$1" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 300 ] || { echo "esp_test: $1 never said '$2':" >&2; cat "$1" >&2; return 1; }
    sleep 0.1
  done
}
start_peer() { # tcp|udp PORT COUNT NAME: hello_peer in the peer namespace, once it listens (output NAME.out, PID $peer)
  timeout 60 ip netns exec $P "$bin/hello_peer" "$1" 10.96.1.2 "$2" "$3" >"$work/$4.out" 2>&1 & peer=$!; pids="$pids $peer"
  wait_for "$work/$4.out" listening
}
spi() { ip -n $C xfrm state list src "$1" dst "$2" proto esp | sed -n 's/.*proto esp spi \(0x[0-9a-f]*\).*/\1/p'; }
packets() { ip -s -n $C xfrm state get src 10.96.1.1 dst 10.96.1.2 proto esp spi "$out" | sed -n 's/^[[:space:]]*[0-9]*(bytes), \([0-9]*\)(packets).*/\1/p'; }

for p in hello_conn_client hello_tls_conn_client hello_msg_client hello_peer; do
  [ -x "$bin/$p" ] || { echo "esp_test: $bin/$p is not built (./run build)" >&2; echo "0 passed, 1 failed"; exit 1; }
done
"$topology" up "$work/ike" >"$work/topology.log" 2>&1 || { cat "$work/topology.log" >&2; echo "0 passed, 1 failed"; exit 1; }
out=$(spi 10.96.1.1 10.96.1.2) in=$(spi 10.96.1.2 10.96.1.1)
check "one ESP SA each way between client and peer ($out, $in)" test -n "$out" -a -n "$in" -a "$(echo "$out $in" | wc -w)" -eq 2
# The clients' socket policies must name charon's reqid: Linux matches a template to an SA by exact reqid.
IPSEC_REQID=$(ip -n $C xfrm state get src 10.96.1.1 dst 10.96.1.2 proto esp spi "$out" | sed -n 's/.* reqid \([0-9]*\) .*/\1/p')
export IPSEC_REQID
check "charon's reqid ($IPSEC_REQID) is known" test -n "$IPSEC_REQID"

echo "== Figure 14: hello_conn_client -> hello_peer tcp"
start_peer tcp 7014 2 peer14
before=$(packets)
timeout 30 ip netns exec $C "$bin/hello_conn_client" 10.96.1.2 7014 >"$work/client14.out" 2>&1; rc=$?
wait "$peer" 2>/dev/null   # the peer exits after its hellos
cat "$work/client14.out" "$work/peer14.out"; [ $rc -eq 0 ] || { ip -n $C xfrm policy; ip -n $C -s xfrm state; }
check "hello_conn_client exits 0" test $rc -eq 0
check "both connections sent" has "$work/client14.out" "connection 2: sent (0)"
check "the client's channel is the kernel's SA pair, both times" \
  test "$(lines "$work/client14.out" "channel: outbound-spi $out inbound-spi $in")" -eq 2
check "the peer sees the same SA pair, mirrored, on both connections" \
  test "$(lines "$work/peer14.out" "channel: outbound-spi $in inbound-spi $out")" -eq 2
check "the peer got both hellos" has "$work/peer14.out" "hello 2: hello world"
check "the connections went out under ESP (outbound SA packets $before -> $(packets))" \
  test "$(packets)" -gt "$before"

# The control: with reqid 0 the socket policy matches no SA of charon's, and nothing goes out in the clear.
start_peer tcp 7018 1 peer14c
IPSEC_REQID=0 timeout 5 ip netns exec $C "$bin/hello_conn_client" 10.96.1.2 7018 >"$work/client14c.out" 2>&1; rc=$?
kill $peer 2>/dev/null
check "control: with reqid 0 the client gets no connection (exit $rc)" test $rc -ne 0
check "control: the peer got nothing" test "$(grep -c hello "$work/peer14c.out")" -eq 0

echo "== Figure 15: hello_tls_conn_client -> openssl s_server -keymatexport"
tls=$work/tls; mkdir -p "$tls"
ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
openssl req -x509 $ec -keyout "$tls/ca.key" -out "$tls/ca.crt" -subj /CN=c-esp-ca -days 1 2>/dev/null
for s in a b; do   # two servers with one name and one CA, each its own key
  openssl req $ec -keyout "$tls/$s.key" -out "$tls/$s.csr" -subj /CN=peer.test 2>/dev/null
  printf 'subjectAltName=DNS:peer.test\n' >"$tls/ext"
  openssl x509 -req -in "$tls/$s.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 1 \
    -extfile "$tls/ext" -out "$tls/$s.crt" 2>/dev/null
done
# s_server quits at EOF on stdin: each reads a FIFO this script holds open.
mkfifo "$work/stdin"; exec 3<>"$work/stdin"
for s in a:7015:2 b:7016:1; do
  name=${s%%:*} rest=${s#*:}
  timeout 60 ip netns exec $P openssl s_server -accept "10.96.1.2:${rest%%:*}" -cert "$tls/$name.crt" -key "$tls/$name.key" \
    -naccept "${rest#*:}" -keymatexport EXPORTER-Channel-Binding -keymatexportlen 32 <"$work/stdin" \
    >"$work/server-$name.out" 2>&1 & pids="$pids $!"
  wait_for "$work/server-$name.out" ACCEPT
done
timeout 30 ip netns exec $C "$bin/hello_tls_conn_client" 10.96.1.2 7015 peer.test "$tls/ca.crt" 7015 7016 \
  >"$work/client15.out" 2>&1; rc=$?
cat "$work/client15.out"
exporters=$(sed -n 's/^tls-exporter: \([0-9A-F]*\)$/\1/p' "$work/client15.out")
material() { sed -n 's/^ *Keying material: \([0-9A-F]*\)$/\1/p' "$work/server-$1.out"; }
i=0; while [ "$(material a | wc -l)$(material b | wc -l)" != 21 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
echo "s_server a: $(material a | tr '\n' ' ')"; echo "s_server b: $(material b)"
check "hello_tls_conn_client exits 1 (the third server is refused)" test $rc -eq 1
check "connections 1 and 2 sent, 3 refused" sh -c "grep -qx 'connection 2: sent (0)' '$work/client15.out' &&
  grep -q '^connection 3: failed' '$work/client15.out'"
check "three tls-exporters, all different" test "$(echo "$exporters" | sort -u | grep -c .)" -eq 3
check "connections 1 and 2: tls-exporter equals s_server a's keying material" \
  test "$(material a | wc -l)" -eq 2 -a "$(echo "$exporters" | sed -n 1,2p)" = "$(material a)"
check "connection 3: tls-exporter equals s_server b's keying material" \
  test "$(material b | wc -l)" -eq 1 -a "$(echo "$exporters" | sed -n 3p)" = "$(material b)"

echo "== Figure 16: hello_msg_client -> hello_peer udp"
start_peer udp 7017 1 peer16
before=$(packets)
timeout 30 ip netns exec $C "$bin/hello_msg_client" 10.96.1.2 7017 >"$work/client16.out" 2>&1; rc=$?
wait "$peer" 2>/dev/null   # the peer exits after its hellos
cat "$work/client16.out" "$work/peer16.out"
check "hello_msg_client exits 0" test $rc -eq 0
check "the datagram sent" has "$work/client16.out" "datagram: sent (0)"
check "the peer got the hello" has "$work/peer16.out" "hello 1: hello world"
check "the datagram went out under ESP (outbound SA packets $before -> $(packets))" \
  test "$(packets)" -gt "$before"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
