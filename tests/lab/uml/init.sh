#!/bin/bash
# PID 1 inside the User-Mode Linux guest started by run.sh (see docs/lab.md).
#
# The guest's root is the host's / through hostfs, read-only. run.sh passes on the kernel command line (the kernel
# hands unknown name=value words to init as environment):
#   CBB_LAB_OUT=/abs/dir           the results folder, mounted read-write: it holds what to run (payload.sh, env) and
#                                  receives what happened (exit-code, payload.log, timings, setup-error)
#   CBB_LAB_MOUNTS=/a:/b:...       host folders the payload reads, parents first (the results folder among them); those
#                                  under /tmp, /run or /dev, which the guest's own file systems hide, are mounted again
# Exit code written to exit-code: the payload's own, 124 when it ran out of time (CBB_LAB_TIMEOUT from env, the host's
# limit), or 126 when this script could not prepare the guest.
# This script never returns: it powers the guest off (sysrq 'o'), else the kernel would panic ("Attempted to kill init").
#
# Every process start costs 0.1-1 s in UML, so this script uses shell builtins wherever it can.

set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umask 022

OUT=${CBB_LAB_OUT:-}
LAB=/run/cbb-lab                      # guest-only scratch (tmpfs)
# ESP, AH, IPComp for IPv4 and IPv6, tunnel helpers, veth, the XFRM netlink interface, and the crypto they use.
# drbg: ESP's IV generators need the default RNG (stdrng). Not jitterentropy_rng: its self-test fails (EFAULT) when the
# host is busy, and drbg does without it.
MODULES="ipv6 xfrm_user veth tun esp4 esp6 ah4 ah6 ipcomp ipcomp6 tunnel4 tunnel6 xfrm4_tunnel xfrm6_tunnel \
cryptomgr drbg gcm ghash-generic ctr seqiv echainiv authenc authencesn cbc hmac sha512_generic"

log() { echo "init: $*"; }
now() { read -r NOW _ </proc/uptime; }                 # sets NOW to the guest's uptime, seconds with 2 decimals
elapsed() {                                            # elapsed FROM TO VAR: VAR = TO - FROM, both from now()
    local d=$((10#${2/./} - 10#${1/./}))
    printf -v "$3" '%d.%02d' $((d / 100)) $((d % 100))
}

power_off() {
    sync
    echo o >/proc/sysrq-trigger 2>/dev/null
    sleep infinity                    # sysrq 'o' is asynchronous; never fall off the end meanwhile
}

# Setup failed: say why where the host looks (exit-code 126, setup-error), then power off.
fail() {
    log "SETUP FAILED: $*"
    if [ -n "$OUT" ] && [ -w "$OUT" ]; then
        echo "$*" >"$OUT/setup-error"
        echo 126 >"$OUT/exit-code"
    fi
    power_off
}

mount -t proc proc /proc || fail "cannot mount /proc"
now; t_init=$NOW
mount -t sysfs sysfs /sys || fail "cannot mount /sys"
dev_mounted=0
while read -r _ mnt _; do [ "$mnt" != /dev ] || dev_mounted=1; done </proc/mounts
[ $dev_mounted -eq 1 ] || mount -t devtmpfs devtmpfs /dev || fail "cannot mount /dev"
mkdir -p /dev/shm || fail "cannot create /dev/shm"
mount -t tmpfs -o mode=1777 tmpfs /dev/shm || fail "cannot mount /dev/shm"
mount -t tmpfs -o mode=755 tmpfs /run || fail "cannot mount /run"
# .NET needs a writable /tmp: it creates /tmp/.dotnet/shm/session<N> there whatever TMPDIR says.
mount -t tmpfs -o mode=1777 tmpfs /tmp || fail "cannot mount /tmp"
export HOME=/tmp/home DOTNET_CLI_HOME=/tmp/home TMPDIR=/tmp
mkdir -p /run/netns "$LAB/modroot/lib" "$LAB/bin" "$HOME" || fail "cannot create folders in /run and /tmp"

[ -n "$OUT" ] || fail "no CBB_LAB_OUT= on the kernel command line (start the guest with tests/lab/uml/run.sh)"
case $OUT in /*) ;; *) fail "CBB_LAB_OUT must be absolute: $OUT" ;; esac
IFS=: read -r -a mounts <<<"${CBB_LAB_MOUNTS:-$OUT}"
for path in "${mounts[@]}"; do
    if [ "$path" = "$OUT" ]; then
        [ -d "$OUT" ] || mkdir -p "$OUT" || fail "cannot create mount point $OUT"
        mount -t hostfs -o "$OUT" none "$OUT" || fail "cannot mount the results folder $OUT read-write"
    else
        case $path in /tmp/*|/run/*|/dev/*) ;; *) continue ;; esac   # elsewhere the read-only root shows it
        [ -d "$path" ] || mkdir -p "$path" || fail "cannot create mount point $path"
        mount -t hostfs -o "ro,$path" none "$path" || fail "cannot mount host folder $path"
    fi
done
[ -w "$OUT" ] || fail "results folder $OUT is not writable"
[ -f "$OUT/payload.sh" ] || fail "no $OUT/payload.sh"

# Without lo, local TCP fails and 'dotnet test' hangs 90 s (vstest.console cannot reach the test host).
ip link set lo up || fail "cannot bring lo up"

# Modules live in /usr/lib/uml/modules/<release>; modprobe looks in <root>/lib/modules/<release>, so give it a root.
read -r release </proc/sys/kernel/osrelease
ln -s /usr/lib/uml/modules "$LAB/modroot/lib/modules" || fail "cannot link the module folder"
[ -d "$LAB/modroot/lib/modules/$release" ] || fail "no modules for kernel $release in /usr/lib/uml/modules"
printf '#!/bin/sh\nexec /usr/sbin/modprobe -d %s "$@"\n' "$LAB/modroot" >"$LAB/bin/modprobe"
chmod 755 "$LAB/bin/modprobe" || fail "cannot make the modprobe wrapper executable"
echo "$LAB/bin/modprobe" >/proc/sys/kernel/modprobe   # the kernel's own module requests go through it too
export PATH="$LAB/bin:$PATH"

now; t_modules_start=$NOW
# shellcheck disable=SC2086 # word splitting wanted
modprobe -a $MODULES || fail "modprobe failed: $MODULES"
now; t_modules_end=$NOW

# The first SA with a new algorithm makes the kernel ask modprobe for every name it tries (crypto-rfc4106(gcm(aes)),
# crypto-gcm(aes)-all, crypto-stdrng, ...): a dozen process starts, 13 s in UML. The modules are all loaded, so
# instantiate the usual ESP algorithms once with module requests off (an empty modprobe path fails them at once), then
# turn requests back on. 192.0.2.0/24 is TEST-NET-1, in the guest's initial namespace only; the SAs are flushed.
printf -v k160 '%040d' 0
printf -v k128 '%032d' 0
printf -v k256 '%064d' 0
printf -v k512 '%0128d' 0
sa="xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp"
echo >/proc/sys/kernel/modprobe
ip -batch - <<EOF || fail "cannot instantiate the ESP algorithms"
$sa spi 0x1 mode transport aead rfc4106(gcm(aes)) 0x$k160 128
$sa spi 0x2 mode transport enc cbc(aes) 0x$k128 auth-trunc hmac(sha256) 0x$k256 128
$sa spi 0x3 mode transport enc cbc(aes) 0x$k128 auth-trunc hmac(sha512) 0x$k512 256
xfrm state flush
EOF
echo "$LAB/bin/modprobe" >/proc/sys/kernel/modprobe
now; t_crypto_end=$NOW

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_GENERATE_ASPNET_CERTIFICATE=false
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
if [ -f "$OUT/env" ]; then
    # shellcheck disable=SC1091
    . "$OUT/env" || fail "cannot read $OUT/env"
fi

# Stop the payload 15 s before the host's limit (CBB_LAB_TIMEOUT, counted from about our boot) so that its log and
# exit code 124 still reach the host; 0 = no limit.
now; t_payload_start=$NOW
limit=0
if [ "${CBB_LAB_TIMEOUT:-0}" -gt 0 ]; then
    limit=$((CBB_LAB_TIMEOUT - ${t_payload_start%.*} - 15))
    [ "$limit" -gt 0 ] || limit=1
fi
log "ready after $t_crypto_end s; running the payload (limit ${limit}s)"
set -o pipefail
timeout -k 5 "$limit" bash "$OUT/payload.sh" </dev/null 2>&1 | tee "$OUT/payload.log"
code=$?
now; t_payload_end=$NOW
[ "$code" -ne 124 ] || log "payload timed out after ${limit}s"

elapsed "$t_modules_start" "$t_modules_end" modules
elapsed "$t_modules_end" "$t_crypto_end" crypto
elapsed "$t_payload_start" "$t_payload_end" payload
cat >"$OUT/timings" <<EOF
boot_to_init=$t_init
ready=$t_crypto_end
modules=$modules
crypto=$crypto
payload=$payload
EOF
echo "$code" >"$OUT/exit-code"
log "payload exit code $code; powering off"
power_off
