#!/bin/bash
# Load test of the Kestrel connection middleware with wrk, both sides in one run (docs/performance.md, "Kestrel").
#
#   benchmarks/load/kestrel.sh [--duration S] [--connections N] [--out DIR]
#
# On a host kernel without ESP it boots User-Mode Linux (tests/lab/uml/run.sh) and runs itself inside; with ESP it runs
# here. Two real charons (tests/lab/strongswan/lab-pair.sh: raw public keys, transport mode, kernel-netlink, charon's
# SPD policies) protect TCP between a (10.97.0.1) and b (10.97.0.2); a third address of a (10.97.0.3) is not covered.
# benchmarks/load/LoadServer runs in b with four endpoints that differ only in what runs per connection:
#   :8001 bare Kestrel    :8002 UseIpsecChannel (Permissive)    :8003 RequireVerifiedIpsecChannel (Strict)    :8443 TLS
# and wrk runs in a. Needs root, wrk (apt-get install wrk), openssl, strongSwan, and a Release build of LoadServer.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
duration=10 connections=16 out="$repo/artifacts/load" inside=0
while [ $# -gt 0 ]; do
    case $1 in
        --duration) duration=$2; shift ;;
        --connections) connections=$2; shift ;;
        --out) out=$2; shift ;;
        --inside) inside=1 ;;
        -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "kestrel.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
    shift
done
command -v wrk >/dev/null || { echo "kestrel.sh: wrk not found: apt-get install wrk" >&2; exit 2; }
server_dll="$repo/benchmarks/load/LoadServer/bin/Release/net10.0/LoadServer.dll"
[ -f "$server_dll" ] || { echo "kestrel.sh: build first: dotnet build benchmarks/load/LoadServer -c Release" >&2; exit 2; }
mkdir -p "$out"; out=$(cd "$out" && pwd -P)

has_esp() {
    local ns="cbbload-esp-$$" ok=1
    ip netns add "$ns" 2>/dev/null || return 1
    ip -n "$ns" xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 mode transport \
        aead 'rfc4106(gcm(aes))' 0x0000000000000000000000000000000000000000 128 2>/dev/null && ok=0
    ip netns del "$ns"
    return $ok
}

if [ "$inside" -eq 0 ] && ! has_esp; then
    echo "kestrel.sh: no ESP in this kernel: running inside User-Mode Linux" >&2
    exec "$repo/tests/lab/uml/run.sh" --timeout 900 --out "$out/uml" -- "$here/kestrel.sh" --inside \
        --duration "$duration" --connections "$connections" --out "$out"
fi

work=$(mktemp -d /tmp/cbb-load-XXXXXX)
export NS_A=cbbload-a NS_B=cbbload-b ADDR_A=10.97.0.1 ADDR_B=10.97.0.2 MODE=transport KERNEL=netlink POLICIES=yes INITIATE=yes
server_pid=
cleanup() {
    [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
    "$repo/tests/lab/strongswan/lab-pair.sh" down "$work" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

"$repo/tests/lab/strongswan/lab-pair.sh" up "$work" >/dev/null
ip -n "$NS_A" addr add 10.97.0.3/24 dev veth0
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=server.test -days 2 \
    -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null

ip netns exec "$NS_B" dotnet "$server_dll" --bare "$ADDR_B:8001,127.0.0.1:9001" --permissive "$ADDR_B:8002,127.0.0.1:9002" --strict "$ADDR_B:8003" \
    --tls "$ADDR_B:8443" --cert "$work/server.crt" --key "$work/server.key" --vici "unix://$work/b/charon.vici" \
    > "$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 120); do grep -q '^ready' "$out/server.log" && break; sleep 0.5; done
grep -q '^ready' "$out/server.log" || { echo "kestrel.sh: LoadServer did not start:" >&2; cat "$out/server.log" >&2; exit 1; }

# One wrk run: prints "NAME requests/s" and keeps wrk's output.
run() {
    local name=$1 ns=$2; shift 2
    ip netns exec "$ns" wrk -t1 -c"$connections" -d"${duration}s" --latency "$@" > "$out/$name.txt" 2>&1
    local rate errors
    rate=$(awk '/^Requests\/sec:/ {print $2}' "$out/$name.txt")
    errors=$(awk '/Non-2xx|Socket errors/' "$out/$name.txt" | tr -s ' ' | tr '\n' ';')
    printf '%-34s %10s req/s  %s\n' "$name" "$rate" "$errors" | tee -a "$out/summary.txt"
}

: > "$out/summary.txt"
{
    echo "kestrel.sh: $(date -u +%FT%TZ) $(uname -r) $(nproc) cpu(s); wrk -t1 -c$connections -d${duration}s"
    ip netns exec "$NS_A" wrk --version 2>&1 | head -1
    ip -n "$NS_A" xfrm state | grep -c '^src' | sed 's/^/ESP SAs in a: /'
} | tee -a "$out/summary.txt"
url=http://$ADDR_B
close=(-H 'Connection: close')
# Keep-alive: connections made once, then requests; the middleware's cost is per connection only.
run keepalive-bare "$NS_A" "$url:8001/"
run keepalive-permissive "$NS_A" "$url:8002/"
run keepalive-strict "$NS_A" "$url:8003/"
# A new connection per request: every request pays accept + resolve + latch (plaintext) or the TLS handshake.
run newconn-bare "$NS_A" "${close[@]}" "$url:8001/"
run newconn-strict "$NS_A" "${close[@]}" "$url:8003/"
run newconn-tls "$NS_A" "${close[@]}" "https://$ADDR_B:8443/"
# Loopback in b (a flow no SA protects): Permissive still resolves and reports every connection, refuses nothing.
run loopback-keepalive-bare "$NS_B" "http://127.0.0.1:9001/"
run loopback-keepalive-permissive "$NS_B" "http://127.0.0.1:9002/"
run loopback-newconn-bare "$NS_B" "${close[@]}" "http://127.0.0.1:9001/"
run loopback-newconn-permissive "$NS_B" "${close[@]}" "http://127.0.0.1:9002/"
# Control: the Strict endpoint refuses a flow no SA protects - wrk from 10.97.0.3 gets no response at all.
ip netns exec "$NS_A" wrk -t1 -c1 -d2s "$url:8003/" --timeout 1s > "$out/control-unprotected.txt" 2>&1 || true
# What carried the traffic: the SAs' counters (the byte counts must have grown by the runs' volume).
ip -s -n "$NS_A" xfrm state > "$out/xfrm-state-a.txt"
grep -c '^src' "$out/xfrm-state-a.txt" | sed 's/^/ESP SAs in a after the runs: /' | tee -a "$out/summary.txt"
echo "kestrel.sh: results in $out" >&2
