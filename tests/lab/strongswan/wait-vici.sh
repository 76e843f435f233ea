#!/bin/sh
# wait-vici.sh DIR [SECONDS]: waits until the charon of DIR answers on its vici socket (default 10 s).
set -eu
dir=${1:?usage: $0 DIR [SECONDS]}; limit=${2:-10}; here=$(dirname "$0")
end=$(( $(date +%s) + limit ))
until [ -S "$dir/charon.vici" ] && "$here/swanctl.sh" "$dir" --version >/dev/null 2>&1; do
  [ "$(date +%s)" -lt "$end" ] || { echo "wait-vici.sh: no vici answer from $dir within ${limit}s" >&2; exit 1; }
  sleep 0.05
done
