#!/usr/bin/env bash
# BenchmarkDotNet over the pure functions and the invoice PDF (tests/bench/Benchmarks): proration, invoice totals,
# the 25,000-row invite CSV, one invoice PDF. Prints BenchmarkDotNet's summary tables at the end.
# Usage: scripts/bench-functions.sh [--short] [--filter '*Pdf*'] [other BenchmarkDotNet arguments]
#   --short   BenchmarkDotNet's short job (3 warm-ups, 3 iterations): a quick look, wider error bars.
set -euo pipefail
cd "$(dirname "$0")/.."
ARTIFACTS=${BENCH_ARTIFACTS:-artifacts/benchmarks}
args=()
filter=()
for arg in "$@"; do
  case "$arg" in
    --short) args+=(--job short) ;;
    --filter) filter=(--filter) ;;
    *) if [[ ${#filter[@]} -eq 1 ]]; then filter+=("$arg"); else args+=("$arg"); fi ;;
  esac
done
[[ ${#filter[@]} -eq 2 ]] || filter=(--filter '*')
rm -rf "$ARTIFACTS/results"
# In process: BenchmarkDotNet's default out-of-process runner rebuilds every referenced module per job, which
# takes minutes on a small machine; the measured code is the same Release build either way.
dotnet run -c Release --project tests/bench/Benchmarks -- "${filter[@]}" --inProcess --artifacts "$ARTIFACTS" ${args[@]+"${args[@]}"}
echo
for report in "$ARTIFACTS"/results/*-report-github.md; do
  [[ -e "$report" ]] || continue
  echo "== $(basename "$report" -report-github.md)"
  sed -n '/^| Method/,$p' "$report"
  echo
done
