#!/usr/bin/env bash
# Runs every BenchmarkDotNet suite (Release) with a short but honest job and prints where the results are.
# Usage: benchmarks/run.sh [--nice] [extra BenchmarkDotNet arguments, e.g. --filter '*Converter*']
# Results go to $CBB_BENCH_ARTIFACTS (default benchmarks/BenchmarkDotNet.Artifacts).
#   --nice   run at nice -20 (root). With autogroup scheduling (Debian's default) nice only ranks the processes of one
#            session: it keeps this session's own work out of the way, not other sessions' (docs/performance.md).
# Not run by CI (too slow). Suites that need root and real peers (network namespaces, charon, User-Mode Linux for
# the SA capture) fail their set-up with the reason when those are missing; the others still run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$here/CbbToolkit.Benchmarks"
artifacts="${CBB_BENCH_ARTIFACTS:-$here/BenchmarkDotNet.Artifacts}"
prefix=()
if [[ "${1:-}" == "--nice" ]]; then
  prefix=(nice -n -20)
  shift
fi
filter=(--filter '*')
for a in "$@"; do [[ "$a" == "--filter" ]] && filter=(); done

dotnet build "$project" -c Release --nologo -v q
# The host kernel has no ESP: the real 10,000-SA dump is captured once in User-Mode Linux (about 2 minutes) and kept
# where the SA suite looks for it; without it that suite measures the encoder's dump only.
sa_dump="$here/BenchmarkDotNet.Artifacts/xfrm/sa-dump.bin"
if [[ ! -f "$sa_dump" ]] && command -v linux.uml >/dev/null; then
  "$here/capture/capture-sa-dump.sh" "$(dirname "$sa_dump")" || echo "== SA capture failed; the SA suite uses the encoder's dump only" >&2
fi
echo "== uptime before: $(uptime)"
status=0
"${prefix[@]}" dotnet "$project/bin/Release/net10.0/CbbToolkit.Benchmarks.dll" \
  --launchCount 1 --warmupCount 3 --iterationCount 15 \
  --artifacts "$artifacts" "${filter[@]}" "$@" || status=$?
echo "== uptime after:  $(uptime)"
echo "== results: $artifacts/results/*-report-github.md (tables), *-report.csv, and the log in $artifacts/*.log"
exit $status
