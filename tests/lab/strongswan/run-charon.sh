#!/bin/sh
# run-charon.sh DIR [NS]: runs charon in the foreground with DIR/strongswan.conf, inside network namespace NS
# ("-" or empty: the current one). Every exec keeps the PID, so the caller's PID (or $! of `run-charon.sh ... &`)
# is charon's own: kill it to stop the daemon. /run is a private tmpfs so charons do not share charon.pid.
set -eu
dir=$(cd "${1:?usage: $0 DIR [NS]}" && pwd); ns=${2:--}
[ -f "$dir/strongswan.conf" ] || { echo "run-charon.sh: no $dir/strongswan.conf (run gen-peer.sh)" >&2; exit 2; }
rm -f "$dir/charon.vici"
inner='mount -t tmpfs tmpfs /run && STRONGSWAN_CONF="$0/strongswan.conf" exec /usr/lib/ipsec/charon'
if [ "$ns" = "-" ]; then
  exec unshare -m sh -c "$inner" "$dir"
fi
exec ip netns exec "$ns" sh -c "$inner" "$dir"
