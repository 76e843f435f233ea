#!/bin/bash
# PID 1 of the User-Mode Linux guest that capture-sa-dump.sh boots (the host kernel has no ESP, UML's has).
# Kernel command line gives CBB_CAPTURE_OUT=/abs/dir (read-write; holds sa.batch, receives sa-dump.bin, log, exit-code).
# Loads ESP, installs the SAs with `ip -batch`, captures the kernel's SA dump with xfrm-dump.py, times
# `ip xfrm state` listing them, and powers off.
set -u
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
here=$(cd "$(dirname "$0")" && pwd)
out=${CBB_CAPTURE_OUT:-}
off() { sync; echo o >/proc/sysrq-trigger; sleep infinity; }
fail() { echo "$*" >"$out/error"; echo 1 >"$out/exit-code"; off; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t hostfs -o "$out" none "$out" || off
exec >"$out/guest.log" 2>&1
ip link set lo up || fail "cannot bring lo up"

read -r release </proc/sys/kernel/osrelease
mkdir -p /run/m/lib /run/bin && ln -s /usr/lib/uml/modules /run/m/lib/modules
printf '#!/bin/sh\nexec /usr/sbin/modprobe -d /run/m "$@"\n' >/run/bin/modprobe && chmod 755 /run/bin/modprobe
echo /run/bin/modprobe >/proc/sys/kernel/modprobe
export PATH=/run/bin:$PATH
modprobe -a ipv6 xfrm_user esp4 cryptomgr drbg gcm ghash-generic ctr seqiv echainiv || fail "modprobe failed ($release)"
# The first GCM SA still asks modprobe for a dozen names (about 10 s in UML): it stays on, as it was measured to work.

start=$(date +%s.%N)
ip -batch "$out/sa.batch" || fail "ip -batch failed"
echo "added $(ip xfrm state count 2>/dev/null | head -1) in $(echo "$(date +%s.%N) - $start" | bc) s"
python3 "$here/xfrm-dump.py" sa "$out/sa-dump.bin" || fail "capture failed"
for run in 1 2 3 4 5; do
  start=$(date +%s.%N); ip xfrm state >/dev/null; end=$(date +%s.%N)
  echo "ip xfrm state (10,000 SAs, formatted to /dev/null) run $run: $(echo "($end - $start) * 1000" | bc) ms"
done
echo 0 >"$out/exit-code"
off
