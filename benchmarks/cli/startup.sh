#!/usr/bin/env bash
# Whole-process timings of cbb (issue 12): start-up on a trivial command, and `cbb xfrm policy --json` over 10,000
# policies in a network namespace, side by side with `ip xfrm policy`. Best and median of N runs, wall clock, output
# sent to /dev/null. Needs root (the namespace). Usage: benchmarks/cli/startup.sh [CBB_DIR] [N]
#   CBB_DIR: the folder with cbb.dll (default src/Cli/bin/Release/net10.0); N: runs per row (default 20).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${1:-$root/src/Cli/bin/Release/net10.0}
runs=${2:-20}
dll=$dir/cbb.dll
[[ -f $dll ]] || { echo "no $dll: build src/Cli -c Release first" >&2; exit 1; }
ns=cbb-startup-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
python3 "$root/benchmarks/capture/xfrm-batch.py" policy 10000 > "/tmp/$ns.batch"
ip -n "$ns" -batch "/tmp/$ns.batch"
rm -f "/tmp/$ns.batch"
count=$(dotnet "$dll" xfrm policy --json --netns "$ns" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[[ $count == 10000 ]] || { echo "expected 10000 policies, cbb listed $count" >&2; exit 1; }

# Prints "best median" wall clock and "best median" CPU time (user + sys, less moved by other load) in ms of N runs.
measure() {
  local walls=() cpus=()
  for ((i = 0; i < runs; i++)); do
    local start end cpu
    start=$(date +%s%N)
    cpu=$( { TIMEFORMAT='%3U %3S'; time "$@" > /dev/null; } 2>&1 | tail -1 | awk '{printf "%d", ($1 + $2) * 1000000}')
    end=$(date +%s%N)
    walls+=($(((end - start) / 1000)))
    cpus+=("$cpu")
  done
  local wall cpu
  wall=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%6.1f ms %6.1f ms", a[1]/1000, a[int((NR+1)/2)]/1000}')
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%6.1f ms %6.1f ms", a[1]/1000, a[int((NR+1)/2)]/1000}')
  echo "$wall   $cpu"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each"
printf '%-44s %s\n' "" "wall: best    median     CPU: best    median"
printf '%-44s %s\n' "cbb --version" "$(measure dotnet "$dll" --version)"
printf '%-44s %s\n' "cbb xfrm --help" "$(measure dotnet "$dll" xfrm --help)"
printf '%-44s %s\n' "cbb xfrm policy --json (10,000 policies)" "$(measure dotnet "$dll" xfrm policy --json --netns "$ns")"
printf '%-44s %s\n' "ip xfrm policy (10,000 policies)" "$(measure ip -n "$ns" xfrm policy)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
