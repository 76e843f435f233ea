#!/bin/sh
# run-pluto.sh ROOT DIR NS: runs libreswan's pluto in the foreground inside network namespace NS, with ROOT the tree
# unpack.sh made and DIR the peer folder (ipsec.conf, ipsec.secrets, nss/, run/; see gen-peer.sh). Every step execs,
# so the caller's PID is pluto's own: kill it (or `whack --shutdown`) to stop the daemon.
#
# `ip netns exec` gives pluto a private mount namespace; only there, never on the host:
# - /run is a fresh tmpfs (pluto writes pluto.pid, and two plutos must not share it);
# - pluto hard-codes /usr/libexec/ipsec/addconn: a tmpfs over /usr/libexec holds links to what was there (bound
#   at /run/libexec.orig) and `ipsec` -> ROOT/usr/libexec/ipsec (the root file system may be read-only, as in User-Mode Linux);
# - ROOT's /usr/sbin/ipsec is bound over the host's, which is strongSwan's.
set -eu
root=$(cd "${1:?usage: $0 ROOT DIR NS}" && pwd); dir=$(cd "${2:?usage: $0 ROOT DIR NS}" && pwd); ns=${3:?usage: $0 ROOT DIR NS}
[ -x "$root/usr/libexec/ipsec/pluto" ] || { echo "run-pluto.sh: no $root/usr/libexec/ipsec/pluto (run unpack.sh)" >&2; exit 2; }
[ -f "$dir/ipsec.conf" ] || { echo "run-pluto.sh: no $dir/ipsec.conf (run gen-peer.sh)" >&2; exit 2; }
rm -f "$dir/run/pluto.ctl"
inner='set -e
root=$0 dir=$1
mount -t tmpfs tmpfs /run
mkdir /run/libexec.orig
mount --bind /usr/libexec /run/libexec.orig
mount -t tmpfs tmpfs /usr/libexec
for f in /run/libexec.orig/* /run/libexec.orig/.[!.]*; do [ ! -e "$f" ] || ln -s "$f" /usr/libexec/; done
rm -f /usr/libexec/ipsec
ln -s "$root/usr/libexec/ipsec" /usr/libexec/ipsec
[ ! -e /usr/sbin/ipsec ] || mount --bind "$root/usr/sbin/ipsec" /usr/sbin/ipsec
export LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu"
exec /usr/libexec/ipsec/pluto --config "$dir/ipsec.conf" --nssdir "$dir/nss" --secretsfile "$dir/ipsec.secrets" \
  --rundir "$dir/run" --dumpdir "$dir/run" --ipsecdir "$dir/ipsec.d" --nofork --stderrlog'
exec ip netns exec "$ns" sh -c "$inner" "$root" "$dir"
