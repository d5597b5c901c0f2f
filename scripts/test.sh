#!/usr/bin/env bash
# The one test command: installs what is missing, starts a private PostgreSQL, builds once,
# runs unit then end-to-end tests, scripts the SQL Server migrations, stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Every .NET process of the run (the compiler, MSBuild, the test hosts, the journeys' Web and Worker, the benchmark smoke)
# without tiered PGO: the run starts hundreds of hosts whose code runs a few times each, so instrumenting hot methods
# before their final compilation costs more than it gains. Measured on 3 December, same machine, back to back: a clean
# build 94 s -> 59 s, the unit shards 216/227 s -> 160/175 s. (Web's runtimeconfig has it off for memory already.)
export DOTNET_TieredPGO=0

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "DejaVu Sans" || need+=(fonts-dejavu-core)
fc-list 2>/dev/null | grep -qi "Liberation" || need+=(fonts-liberation)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
command -v wrk >/dev/null || need+=(wrk)
# Invoice PDFs are checked with qpdf --check (InvoiceSortingAndPdfTests).
command -v qpdf >/dev/null || need+=(qpdf)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

scripts/pg.sh start
trap 'scripts/pg.sh stop' EXIT
export CHAOS_TEST_POSTGRES="$(scripts/pg.sh env)"
export CHAOS_CHROMIUM=/usr/bin/chromium

dotnet tool restore >/dev/null
# The compiler server (VBCSCompiler) compiles the solution's 49 projects in one warm process; some machines switch it
# off through the environment (UseSharedCompilation=false). With it the clean build took 78-96 s here, without it 137-167 s.
# It is shut down right after, so nothing outlives the build.
dotnet build ChaosModular.sln -c Release -nologo -v q -p:UseSharedCompilation=true
dotnet build-server shutdown >/dev/null 2>&1 || true

status=0
# The unit tests run one test class at a time inside a process (Hangfire's process-wide statics), which leaves the
# second core mostly idle: they run as two processes at once, split by namespace (about half the time each on
# 2 December). Shard b is every namespace not named for shard a, so a new namespace is never left out. (Notifications in
# shard a was tried on 3 December for 9 s: in the second clean-clone run with it there, EmailDeliveryTests' .eml test
# timed out once after the Billing classes, so it went back to the order that many runs have passed.)
shard_a="Billing Licensing Http CloudCredits Telemetry Tools Catalog Modules Architecture Persistence Web Accounts"
filter_a=$(printf 'FullyQualifiedName~ChaosModular.UnitTests.%s.|' $shard_a); filter_a=${filter_a%|}
filter_b=$(printf 'FullyQualifiedName!~ChaosModular.UnitTests.%s.&' $shard_a); filter_b=${filter_b%&}
unit_shard() {
  dotnet test tests/unit/UnitTests.csproj -c Release --no-build --filter "$2" \
    --logger "trx;LogFileName=unit-$1.trx" --results-directory "$results" >"$results/unit-$1.log" 2>&1
}
unit_shard a "$filter_a" & shard_a_pid=$!
unit_shard b "$filter_b" || status=1
wait $shard_a_pid || status=1
cat "$results/unit-a.log" "$results/unit-b.log"
dotnet test tests/e2e/E2E.csproj -c Release --no-build --logger "trx;LogFileName=e2e.trx" --results-directory "$results" || status=1

# The performance harness on tiny sizes (about a minute), so it never rots: any page outside 2xx, a job or a bulk
# invite not finished in time fails the run. It uses this script's PostgreSQL and the build above.
# A failed smoke run is shown whole and run once more: two runs in four on 2 December stopped after the page loads
# (Web gone before the cold start, cause not yet seen); the second failure fails the test command.
if ! BENCH_NO_BUILD=1 scripts/bench.sh --smoke >"$results/bench-smoke.log" 2>&1; then
  echo "The benchmark smoke run failed; its log, then a second run:"
  cat "$results/bench-smoke.log"
  mv "$results/bench-smoke.log" "$results/bench-smoke-first.log"
  BENCH_NO_BUILD=1 scripts/bench.sh --smoke >"$results/bench-smoke.log" 2>&1 || { tail -40 "$results/bench-smoke.log"; status=1; }
fi
tail -20 "$results/bench-smoke.log"

# SQL Server cannot run here: its migrations are compiled above and scripted here on every run, every module in one
# process (the same idempotent scripts `dotnet ef migrations script --idempotent` writes, without a tool start per module).
rm -rf artifacts/sqlserver
dotnet src/Migrations/SqlServer/bin/Release/net10.0/ChaosModular.Migrations.SqlServer.dll --script artifacts/sqlserver >/dev/null || status=1
for module in $(scripts/modules.sh); do
  grep -q "CREATE TABLE" "artifacts/sqlserver/$module.sql" 2>/dev/null || { echo "SQL Server script for $module is empty"; status=1; }
done
echo "SQL Server migration scripts: artifacts/sqlserver/"

# One closing line that CI reads: counts from the TRX files. It fails the run when a test failed or was skipped, or when
# a suite ran fewer tests than its floor in tests/test-floor.txt.
python3 scripts/check-test-counts.py "$results" tests/test-floor.txt || status=1
exit $status
