#!/bin/bash
# PID 1 inside the User-Mode Linux guest started by run.sh (see docs/lab.md).
#
# The guest's root is the host's / through hostfs, read-only. run.sh tells us where the read-write results folder is
# with CBB_LAB_OUT=... on the kernel command line (the kernel hands unknown name=value words to init as environment),
# and which host folders the payload needs with CBB_LAB_MOUNTS=...
# That folder holds what to run (payload.sh, env) and receives what happened (exit-code, payload.log, timings).
#
# Exit codes written to exit-code: the payload's own, or 126 when this script could not prepare the guest.
# This script never returns: it powers the guest off (sysrq 'o'), else the kernel would panic ("Attempted to kill init").

set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umask 022

OUT=${CBB_LAB_OUT:-}
LAB=/run/cbb-lab                      # guest-only scratch (tmpfs)
MODULES="ipv6 xfrm_user veth esp4 esp6 ah4 ah6 ipcomp ipcomp6 tunnel4 tunnel6 xfrm4_tunnel xfrm6_tunnel \
cryptomgr drbg jitterentropy_rng gcm ghash-generic ctr seqiv echainiv authenc authencesn cbc hmac sha512_generic"
# Instantiated once at boot (see below); 192.0.2.0/24 is TEST-NET-1, in the guest's own initial namespace only.
WARM_SAS="xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1 mode transport aead rfc4106(gcm(aes)) 0x$(printf '0%.0s' {1..40}) 128
xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x2 mode transport enc cbc(aes) 0x$(printf '0%.0s' {1..32}) auth-trunc hmac(sha256) 0x$(printf '0%.0s' {1..64}) 128
xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x3 mode transport enc cbc(aes) 0x$(printf '0%.0s' {1..32}) auth-trunc hmac(sha512) 0x$(printf '0%.0s' {1..128}) 256
xfrm state flush"

log() { echo "init: $*"; }

uptime_s() { local u _; read -r u _ </proc/uptime; echo "$u"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

power_off() {
    sync
    echo o >/proc/sysrq-trigger 2>/dev/null
    sleep 30                          # sysrq 'o' is asynchronous; never fall off the end while it works
    echo b >/proc/sysrq-trigger 2>/dev/null
    sleep infinity
}

# Setup failed: say why, where the host looks (exit-code 126, setup-error), then power off.
fail() {
    log "SETUP FAILED: $*"
    if [ -n "$OUT" ] && [ -w "$OUT" ]; then
        echo "$*" >"$OUT/setup-error"
        echo 126 >"$OUT/exit-code"
    fi
    power_off
}

# Mounts a host folder at the same path when the guest's own file systems hide it (tmpfs on /tmp and /run, /dev).
host_mount() {
    local path=$1 opts=$2
    case $path in /tmp/*|/run/*|/dev/*|/var/run/*) ;; *) return 0 ;; esac
    mkdir -p "$path" || fail "cannot create mount point $path"
    mount -t hostfs -o "$opts$path" none "$path" || fail "cannot mount host folder $path"
}

mount -t proc proc /proc || fail "cannot mount /proc"
t_init=$(uptime_s)
mount -t sysfs sysfs /sys || fail "cannot mount /sys"
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev || fail "cannot mount /dev"
mkdir -p /dev/shm /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm || fail "cannot mount /dev/shm"
mount -t devpts devpts /dev/pts 2>/dev/null || true
mount -t tmpfs -o mode=755 tmpfs /run || fail "cannot mount /run"
# .NET needs a writable /tmp: it creates /tmp/.dotnet/shm/session<N> there whatever TMPDIR says.
mount -t tmpfs -o mode=1777 tmpfs /tmp || fail "cannot mount /tmp"
mkdir -p /run/netns                  # where 'ip netns add' keeps namespaces

[ -n "$OUT" ] || fail "no CBB_LAB_OUT= on the kernel command line (start the guest with tests/lab/uml/run.sh)"
case $OUT in /*) ;; *) fail "CBB_LAB_OUT must be absolute: $OUT" ;; esac

# Host folders the payload reads (repository, SDK, NuGet cache: CBB_LAB_MOUNTS, colon-separated) read-only where the
# guest's own file systems hide them, and the results folder read-write; parents before children.
for path in $(for p in ${CBB_LAB_MOUNTS:+${CBB_LAB_MOUNTS//:/ }} "$OUT"; do echo "${#p} $p"; done | sort -n | cut -d' ' -f2-); do
    if [ "$path" = "$OUT" ]; then
        mkdir -p "$OUT" 2>/dev/null || true
        mount -t hostfs -o "$OUT" none "$OUT" || fail "cannot mount the results folder $OUT read-write"
    else
        host_mount "$path" ro,
    fi
done
[ -w "$OUT" ] || fail "results folder $OUT is not writable"
[ -f "$OUT/payload.sh" ] || fail "no $OUT/payload.sh"

# Without lo, local TCP fails and 'dotnet test' hangs 90 s (vstest.console cannot reach the test host).
ip link set lo up || fail "cannot bring lo up"

# Modules live in /usr/lib/uml/modules/<release>; modprobe looks in <root>/lib/modules/<release>, so give it a root.
mkdir -p "$LAB/modroot/lib" "$LAB/bin"
ln -s /usr/lib/uml/modules "$LAB/modroot/lib/modules"
[ -d "$LAB/modroot/lib/modules/$(uname -r)" ] || fail "no modules for kernel $(uname -r) in /usr/lib/uml/modules"
printf '#!/bin/sh\nexec /usr/sbin/modprobe -d %s "$@"\n' "$LAB/modroot" >"$LAB/bin/modprobe"
chmod 755 "$LAB/bin/modprobe"
echo "$LAB/bin/modprobe" >/proc/sys/kernel/modprobe   # the kernel's own module requests go through it too
export PATH="$LAB/bin:$PATH"

t_modules_start=$(uptime_s)
# shellcheck disable=SC2086 # word splitting wanted
modprobe -a $MODULES || fail "modprobe failed: $MODULES"
t_modules_end=$(uptime_s)

# The first SA with a new algorithm makes the kernel ask modprobe for every name it tries (crypto-rfc4106(gcm(aes)),
# crypto-gcm(aes)-all, ...): a dozen process starts, 13 s in UML. The modules are all loaded, so instantiate the usual
# ESP algorithms once with module requests off (an empty modprobe path fails them at once), then turn requests on.
echo >/proc/sys/kernel/modprobe
echo "$WARM_SAS" | ip -batch - || fail "cannot instantiate the ESP algorithms"
echo "$LAB/bin/modprobe" >/proc/sys/kernel/modprobe
t_crypto_end=$(uptime_s)

# A clean, writable home for the SDK.
export HOME=/tmp/home DOTNET_CLI_HOME=/tmp/home TMPDIR=/tmp
mkdir -p "$HOME"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_GENERATE_ASPNET_CERTIFICATE=false
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
if [ -f "$OUT/env" ]; then
    # shellcheck disable=SC1091
    . "$OUT/env" || fail "cannot read $OUT/env"
fi

log "ready after $t_crypto_end s (modules $MODULES)"
log "running payload"
t_payload_start=$(uptime_s)
set -o pipefail
bash "$OUT/payload.sh" </dev/null 2>&1 | tee "$OUT/payload.log"
code=$?
t_payload_end=$(uptime_s)

cat >"$OUT/timings" <<EOF
boot_to_init=$t_init
modules=$(elapsed "$t_modules_start" "$t_modules_end")
crypto=$(elapsed "$t_modules_end" "$t_crypto_end")
payload=$(elapsed "$t_payload_start" "$t_payload_end")
payload_start=$t_payload_start
payload_end=$t_payload_end
EOF
echo "$code" >"$OUT/exit-code"
log "payload exit code $code; powering off"
power_off
