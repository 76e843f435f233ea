#!/bin/sh
# gen-peer.sh ROOT DIR LEFT RIGHT PORT [REQID]: one libreswan peer folder DIR for run-pluto.sh: IKEv2 with RFC 7619 NULL
# authentication (authby=null, ids %null) between LEFT and RIGHT, transport mode, narrowed to TCP to RIGHT's PORT
# (LEFT any port), connection "null", added when pluto starts (auto=add), no updown script. The same file serves both
# ends: pluto picks its side from its local addresses. REQID (optional) fixes the reqid of the SAs and policies.
# Also an empty secrets file (NULL auth has no secret), an empty NSS database (pluto refuses to start without one:
# SEC_ERROR_BAD_DATABASE), run/ for pluto.ctl and ipsec.d/. ROOT is the tree unpack.sh made (for certutil).
set -eu
usage="usage: $0 ROOT DIR LEFT RIGHT PORT [REQID]"
root=${1:?$usage} dir=${2:?$usage} left=${3:?$usage} right=${4:?$usage} port=${5:?$usage} reqid=${6:-}
mkdir -p "$dir/nss" "$dir/run" "$dir/ipsec.d"
{
    echo "config setup"
    echo "    dnssec-enable=no"
    echo
    echo "conn null"
    echo "    ikev2=insist"
    echo "    authby=null"
    echo "    type=transport"
    echo "    left=$left"
    echo "    leftid=%null"
    echo "    leftprotoport=tcp"
    echo "    right=$right"
    echo "    rightid=%null"
    echo "    rightprotoport=tcp/$port"
    echo "    leftupdown=%disabled"
    echo "    rightupdown=%disabled"
    [ -z "$reqid" ] || echo "    reqid=$reqid"
    echo "    auto=add"
} >"$dir/ipsec.conf"
: >"$dir/ipsec.secrets"
chmod 600 "$dir/ipsec.secrets"
LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu" "$root/usr/bin/certutil" -N -d "sql:$dir/nss" --empty-password
