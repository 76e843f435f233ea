#!/bin/sh
# demo.sh: the mission's story in one Linux with real ESP (./run demo boots User-Mode Linux and runs this as root).
#
#   client 10.96.1.1 --ESP-- 10.96.1.2 CbbProxy 10.96.2.2 --ESP-- 10.96.2.3 CbbServer
#
# topology.sh brings up the three namespaces and charons; this script makes a CA, the proxy's certificate and alice's
# client certificate, starts samples/CbbServer (the backend: plaintext over ESP, identity headers from proxy.test only)
# and samples/CbbProxy (TLS with client certificates and a plaintext endpoint for bound clients; it takes no IKE peer as
# a principal: IKE authenticates machines, the certificate the user), then runs samples/CbbDemo in the client namespace,
# which prints each request's channel and checks what it prints. Exit: CbbDemo's (0 every claim held, 1 one failed).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cfg=${CONFIGURATION:-Release}
dotnet=$(command -v dotnet || echo /usr/share/dotnet/dotnet)
work=$(mktemp -d /tmp/cbb-demo-XXXXXX)
backend=""; proxy=""
cleanup() {
  [ -z "$proxy" ] || kill "$proxy" 2>/dev/null || true
  [ -z "$backend" ] || kill "$backend" 2>/dev/null || true
  "$here/topology.sh" down "$work" || true
}
trap cleanup EXIT

# wait_for FILE TEXT: until the server's log says it listens (60 s at most).
wait_for() {
  i=0
  until grep -q "$2" "$1" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 600 ] || { echo "demo: $1 never said '$2':" >&2; cat "$1" >&2; exit 1; }
    sleep 0.1
  done
}

echo "== topology: three namespaces, three charons, both child SAs up"
"$here/topology.sh" up "$work"

echo "== certificates: a CA, server.test (the proxy), alice (a client certificate)"
tls="$work/tls"; mkdir -p "$tls"
ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
openssl req -x509 $ec -keyout "$tls/ca.key" -out "$tls/ca.crt" -subj /CN=demo-ca -days 1 2>/dev/null
printf 'subjectAltName=DNS:server.test,IP:10.96.1.2\nextendedKeyUsage=serverAuth\n' > "$tls/server.ext"
printf 'extendedKeyUsage=clientAuth\n' > "$tls/alice.ext"
for who in server alice; do
  cn=$who; [ $who = server ] && cn=server.test
  openssl req $ec -keyout "$tls/$who.key" -out "$tls/$who.csr" -subj "/CN=$cn" 2>/dev/null
  openssl x509 -req -in "$tls/$who.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 1 \
    -extfile "$tls/$who.ext" -out "$tls/$who.crt" 2>/dev/null
done

echo "== backend: samples/CbbServer in cbbdemo-backend; proxy: samples/CbbProxy in cbbdemo-proxy"
ip netns exec cbbdemo-backend "$dotnet" "$repo/samples/CbbServer/bin/$cfg/net10.0/CbbServer.dll" \
  --plaintext 10.96.2.3:8080 --known-proxy proxy.test --vici "unix://$work/backend/charon.vici" > "$work/backend.log" 2>&1 &
backend=$!
ip netns exec cbbdemo-proxy "$dotnet" "$repo/samples/CbbProxy/bin/$cfg/net10.0/CbbProxy.dll" \
  --CbbProxy:Listen:0=10.96.1.2:8080 --CbbProxy:Vici="$work/proxy/charon.vici" --CbbProxy:Tls=10.96.1.2:8443 \
  --CbbProxy:Cert="$tls/server.crt" --CbbProxy:Key="$tls/server.key" --CbbProxy:ClientCa="$tls/ca.crt" \
  --IpsecChannels:TrustedPeerIds:0=nobody.invalid > "$work/proxy.log" 2>&1 &
proxy=$!
wait_for "$work/backend.log" "listening on http://10.96.2.3:8080"
wait_for "$work/proxy.log" "Now listening on: https://10.96.1.2:8443"

echo "== client: samples/CbbDemo in cbbdemo-client"
status=0
ip netns exec cbbdemo-client "$dotnet" "$repo/samples/CbbDemo/bin/$cfg/net10.0/CbbDemo.dll" https://10.96.1.2:8443/ \
  "$tls/ca.crt" "$tls/alice.crt" "$tls/alice.key" "$work/client/charon.vici" "$work" "${DEMO_SECONDS:-3}" || status=$?
if [ $status -ne 0 ]; then
  echo "== proxy log"; tail -40 "$work/proxy.log"; echo "== backend log"; tail -40 "$work/backend.log"
fi
exit $status
