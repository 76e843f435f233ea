#!/usr/bin/env bash
# capture-sa-dump.sh OUTDIR [COUNT]: captures a real XFRM SA dump of COUNT (10000) SAs into OUTDIR/sa-dump.bin.
# The host kernel has no ESP, so this boots User-Mode Linux (package user-mode-linux), whose kernel has it, installs the
# SAs there with `ip -batch` and captures the dump with xfrm-dump.py. Root not needed for UML itself; about 30-60 s.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$1"; count="${2:-10000}"
command -v linux.uml >/dev/null || { echo "no linux.uml: apt-get install user-mode-linux kmod" >&2; exit 2; }
mkdir -p "$out"; out="$(cd "$out" && pwd)"
case "$out" in /tmp/*|/run/*|/dev/*) echo "OUTDIR must not be under /tmp, /run or /dev (the guest mounts its own)" >&2; exit 2;; esac
rm -f "$out/exit-code" "$out/error" "$out/sa-dump.bin"
python3 "$here/xfrm-batch.py" sa "$count" >"$out/sa.batch"
timeout 600 linux.uml mem=1G root=/dev/root rootfstype=hostfs rootflags=/ ro init="$here/uml-init.sh" \
  CBB_CAPTURE_OUT="$out" con=null con0=null,fd:1 </dev/null >"$out/uml-console.log" 2>&1 || true
if [[ "$(cat "$out/exit-code" 2>/dev/null)" != 0 ]]; then
  echo "capture failed: $(cat "$out/error" 2>/dev/null || echo 'no exit code; see') $out/guest.log $out/uml-console.log" >&2
  exit 1
fi
cat "$out/guest.log"
