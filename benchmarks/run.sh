#!/usr/bin/env bash
# Runs every BenchmarkDotNet suite (Release) with a short but honest job and prints where the results are.
# Usage: benchmarks/run.sh [--nice] [extra BenchmarkDotNet arguments, e.g. --filter '*Converter*']
# Results go to $CBB_BENCH_ARTIFACTS (default benchmarks/BenchmarkDotNet.Artifacts).
#   --nice   run at nice -20 (root): on a shared machine the suites then get their core instead of a time slice
#            of it; docs/performance.md says which numbers were measured so.
# Not run by CI (too slow). Some suites need root and real peers (network namespaces, charon); they skip with the
# reason when those are missing.
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
echo "== uptime before: $(uptime)"
status=0
"${prefix[@]}" dotnet "$project/bin/Release/net10.0/CbbToolkit.Benchmarks.dll" \
  --launchCount 1 --warmupCount 3 --iterationCount 15 \
  --artifacts "$artifacts" "${filter[@]}" "$@" || status=$?
echo "== uptime after:  $(uptime)"
echo "== results: $artifacts/results/*-report-github.md (tables), *-report.csv, and the log in $artifacts/*.log"
exit $status
