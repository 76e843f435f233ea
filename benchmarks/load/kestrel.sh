#!/bin/bash
# Load test of the Kestrel connection middleware with wrk, both sides in one run (docs/performance.md, "Kestrel").
#
#   benchmarks/load/kestrel.sh [--duration S] [--connections N] [--rounds R] [--out DIR]
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
duration=10 connections=16 rounds=3 out="$repo/artifacts/load" inside=0
while [ $# -gt 0 ]; do
    case $1 in
        --duration) duration=$2; shift ;;
        --connections) connections=$2; shift ;;
        --rounds) rounds=$2; shift ;;
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
    # The guest sees the host read-only except run.sh's results folder: the results go there (with payload.log).
    exec "$repo/tests/lab/uml/run.sh" --timeout 900 --out "$out" -- "$here/kestrel.sh" --inside \
        --duration "$duration" --connections "$connections" --rounds "$rounds" --out "$out"
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

# One wrk run: keeps wrk's output, appends "NAME RATE" to the raw results.
run() {
    local name=$1 ns=$2; shift 2
    ip netns exec "$ns" wrk -t1 -c"$connections" -d"${duration}s" --latency "$@" > "$out/$name.$round.txt" 2>&1
    local rate errors
    rate=$(awk '/^Requests\/sec:/ {print $2}' "$out/$name.$round.txt")
    errors=$(awk '/Non-2xx|Socket errors/' "$out/$name.$round.txt" | tr -s ' ' | tr '\n' ';')
    printf '%s %s %s %s\n' "$name" "${rate:-0}" "$round" "$errors" >> "$out/raw.txt"
    printf 'round %s %-30s %10s req/s %s\n' "$round" "$name" "${rate:-0}" "$errors" >&2
}

url=http://$ADDR_B
close=(-H 'Connection: close')
# The runs; every round runs them all, in reverse order every other round, so drift (JIT, other load) hits all alike.
runs=(
    # Keep-alive over real ESP: connections made once; the middleware's cost is per connection, not per request.
    "keepalive-bare $NS_A $url:8001/"
    "keepalive-permissive $NS_A $url:8002/"
    "keepalive-strict $NS_A $url:8003/"
    # A new connection per request over real ESP: accept + resolve + latch (plaintext) or the full TLS handshake.
    "newconn-bare $NS_A close $url:8001/"
    "newconn-strict $NS_A close $url:8003/"
    "newconn-tls $NS_A close https://$ADDR_B:8443/"
    # Loopback in b, a flow no SA protects: Permissive still resolves and reports every connection, refuses nothing.
    "loopback-keepalive-bare $NS_B http://127.0.0.1:9001/"
    "loopback-keepalive-permissive $NS_B http://127.0.0.1:9002/"
    "loopback-newconn-bare $NS_B close http://127.0.0.1:9001/"
    "loopback-newconn-permissive $NS_B close http://127.0.0.1:9002/"
)
run_one() {
    local name ns a b
    read -r name ns a b <<< "$1"
    if [ "$a" = close ]; then run "$name" "$ns" "${close[@]}" "$b"; else run "$name" "$ns" "$a"; fi
}

: > "$out/raw.txt"
{
    echo "kestrel.sh: $(date -u +%FT%TZ) kernel $(uname -r), $(nproc) cpu(s); wrk -t1 -c$connections -d${duration}s, $rounds rounds; median req/s"
    { ip netns exec "$NS_A" wrk --version 2>&1 || true; } | head -1
} > "$out/summary.txt"
# Warm-up (JIT, connection pools): 2 s on every endpoint, not counted.
for r in "${runs[@]}"; do
    read -r name ns a b <<< "$r"
    if [ "$a" = close ]; then target=$b; extra=("${close[@]}"); else target=$a; extra=(); fi
    ip netns exec "$ns" wrk -t1 -c4 -d2s "${extra[@]}" "$target" > /dev/null 2>&1 || true
done
for round in $(seq "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then
        for r in "${runs[@]}"; do run_one "$r"; done
    else
        for ((i = ${#runs[@]} - 1; i >= 0; i--)); do run_one "${runs[$i]}"; done
    fi
done
round=control
# Control: the Strict endpoint refuses a flow no SA protects - from 10.97.0.3 curl gets no response (exit 52, empty reply).
if command -v curl >/dev/null; then
    code=0; ip netns exec "$NS_A" curl -s -m 5 --interface 10.97.0.3 "$url:8003/" > /dev/null || code=$?
    echo "control: Strict endpoint from 10.97.0.3 (no SA): curl exit $code (52 empty reply, 56 reset: closed without a response)" >> "$out/summary.txt"
fi
for r in "${runs[@]}"; do
    read -r name _ <<< "$r"
    median=$(awk -v n="$name" '$1 == n {print $2}' "$out/raw.txt" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    all=$(awk -v n="$name" '$1 == n {printf "%s ", $2}' "$out/raw.txt")
    printf '%-30s %10s   (%s)\n' "$name" "$median" "$all" >> "$out/summary.txt"
done
# Paired ratios: the two runs of a pair are adjacent in every round, so load that changes over minutes moves both alike;
# the median of the per-round ratios is the figure the goals are judged by (the medians of rates above swing with load).
ratio() {
    local label=$1 num=$2 den=$3 values
    values=$(awk -v n="$num" -v d="$den" '$1 == n {a[$3] = $2} $1 == d {b[$3] = $2}
        END {for (r in a) if (r in b && b[r] > 0) printf "%.3f\n", a[r] / b[r]}' "$out/raw.txt" | sort -g | tr '\n' ' ')
    printf '%-44s %s   (%s)\n' "$label" "$(tr ' ' '\n' <<< "$values" | grep . | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')" \
        "$values" >> "$out/summary.txt"
}
echo "paired ratios per round, median (sorted values):" >> "$out/summary.txt"
ratio "keep-alive Permissive / bare (goal >= 0.95)" keepalive-permissive keepalive-bare
ratio "keep-alive Strict / bare" keepalive-strict keepalive-bare
ratio "new conn Strict (ESP) / TLS (goal >= 5)" newconn-strict newconn-tls
ratio "new conn bare (ESP) / TLS" newconn-bare newconn-tls
ratio "loopback keep-alive Permissive / bare" loopback-keepalive-permissive loopback-keepalive-bare
ratio "loopback new conn Permissive / bare" loopback-newconn-permissive loopback-newconn-bare
# The middleware's per-connection resolve + verify + latch cost, from its own histogram (all Permissive/Strict connections).
if command -v curl >/dev/null; then
    echo "resolve+latch per connection (cbb.kestrel.resolve.duration): $(ip netns exec "$NS_B" curl -s -m 5 http://127.0.0.1:9001/stats)" >> "$out/summary.txt"
fi
# What carried the traffic: the SAs and their counters.
ip -s -n "$NS_A" xfrm state > "$out/xfrm-state-a.txt"
grep -c '^src' "$out/xfrm-state-a.txt" | sed 's/^/ESP SAs in a after the runs: /' >> "$out/summary.txt"
cat "$out/summary.txt"
echo "kestrel.sh: results in $out" >&2
