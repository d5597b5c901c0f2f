#!/usr/bin/env bash
# The performance harness: fills a private PostgreSQL with the volume generator (src/Tools/Volume), runs Web (Release,
# Benchmark environment) and measures with wrk the signed-in demo customer's pages against a bare page, Web's memory after
# the load, a cold start on the existing database, the renewal and automatic-payment jobs on a fresh `jobs` database, and
# a bulk invite file (upload to review page, then send until every email and the report are queued).
# Results: artifacts/bench/<yyyy-mm-dd>.json and .md, and the table printed at the end.
#
# Usage: CHAOS_PG_PORT=55432 scripts/bench.sh [--smoke]
#   --smoke            tiny sizes and 1 s of wrk per page (about a minute): what scripts/test.sh runs so the harness never rots.
#   BENCH_NO_BUILD=1   use the Release build already there.
#   BENCH_NO_PUBLISH=1 measure the ReadyToRun Web and Worker already published in artifacts/publish (a repeated run).
#   BENCH_READY_TO_RUN=0|1  publish Web and the Worker ReadyToRun (artifacts/publish/web, /worker) and measure those;
#                      default 1, 0 with --smoke.
#   Sizes: BENCH_SUBSCRIPTIONS BENCH_INVOICES BENCH_ORG_USERS BENCH_JOB_CUSTOMERS BENCH_JOB_SUBSCRIPTIONS BENCH_DUE_PERCENT
#          BENCH_OPEN_INVOICES BENCH_INVITE_ROWS; load: BENCH_DURATION (s, per page) BENCH_WARMUP (s) BENCH_CONNECTIONS BENCH_THREADS; BENCH_JOB_WORKERS ("1 2");
#          BENCH_JOB_TIMEOUT (s, per job run and for the bulk invite's send); BENCH_WEB_PORT.
#   BENCH_ONLY=invite  only the bulk invite (section 3): the account profile is generated (the demo organization), the page
#                      load, cold start and jobs sections are skipped and reported as not measured.
#   BENCH_ONLY=pages   only the pages, Web's memory after the load and the cold start (sections 1 and 2).
#   BENCH_ACCOUNT_DB=name  keep the account database under this name (generated on the first run, reused and not dropped
#                      after), so repeated page runs skip the generator.
# Fails (exit 1) when a page answers anything but 2xx, a job or the bulk invite does not finish in time, or a step breaks.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

SMOKE=0
[[ "${1:-}" == "--smoke" ]] && SMOKE=1
if ((SMOKE)); then
  # Few connections: a second of load on a busy machine still completes requests.
  # No warm-up and the jobs with two Workers only (the same scripts and paths as with one): about 20 s less in the test command.
  d_subs=30 d_invoices=50 d_org=20 d_customers=50 d_job_subs=200 d_open=50 d_rows=100 d_duration=1 d_warmup=0 d_timeout=120 d_connections=4 d_job_workers=2
else
  d_subs=1000 d_invoices=5000 d_org=5000 d_customers=20000 d_job_subs=100000 d_open=5000 d_rows=25000 d_duration=10 d_warmup=2 d_timeout=900 d_connections=32 d_job_workers='1 2'
fi
SUBSCRIPTIONS=${BENCH_SUBSCRIPTIONS:-$d_subs}
INVOICES=${BENCH_INVOICES:-$d_invoices}
ORG_USERS=${BENCH_ORG_USERS:-$d_org}
JOB_CUSTOMERS=${BENCH_JOB_CUSTOMERS:-$d_customers}
JOB_SUBSCRIPTIONS=${BENCH_JOB_SUBSCRIPTIONS:-$d_job_subs}
DUE_PERCENT=${BENCH_DUE_PERCENT:-100}
OPEN_INVOICES=${BENCH_OPEN_INVOICES:-$d_open}
INVITE_ROWS=${BENCH_INVITE_ROWS:-$d_rows}
DURATION=${BENCH_DURATION:-$d_duration}
WARMUP=${BENCH_WARMUP:-$d_warmup}
JOB_WORKERS=${BENCH_JOB_WORKERS:-$d_job_workers}
CONNECTIONS=${BENCH_CONNECTIONS:-$d_connections}
THREADS=${BENCH_THREADS:-2}
JOB_TIMEOUT=${BENCH_JOB_TIMEOUT:-$d_timeout}
PG_PORT=${CHAOS_PG_PORT:-55432}
ONLY=${BENCH_ONLY:-}
[[ -z "$ONLY" || "$ONLY" == invite || "$ONLY" == pages ]] || { echo "bench: BENCH_ONLY must be empty, invite or pages" >&2; exit 1; }
# One Web port per PostgreSQL port, so benches of several worktrees on one machine do not meet.
WEB_PORT=${BENCH_WEB_PORT:-$((PG_PORT - 45000))}
BASE="http://127.0.0.1:$WEB_PORT"
RUN="$(date +%s)_$$"
DB="bench_account_$RUN"
JOBS_TEMPLATE="bench_jobs_$RUN"
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
WORK=$(mktemp -d)
JAR="$WORK/cookies"
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
KEYS="$WORK/licensing-keys"
if [[ -n "${BENCH_ACCOUNT_DB:-}" ]]; then
  DB=$BENCH_ACCOUNT_DB
  KEYS="$root/artifacts/bench/keys-$DB"   # the signing keys the kept database's licences were made with
fi
DATABASES=()

say() { echo "bench: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
# Any other command that stops the script under set -e says which one (a smoke run once stopped with no message).
set -o errtrace
trap 'code=$?; [[ $BASHPID == "$$" ]] && say "FAILED: line $LINENO: $BASH_COMMAND exited with $code"' ERR

# wrk, installed once (like scripts/test.sh installs chromium).
if ! command -v wrk >/dev/null; then
  say "installing wrk"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
  fi
fi

if [[ "${BENCH_NO_BUILD:-}" != 1 ]]; then
  for project in src/Web src/Worker src/Tools/Volume; do dotnet build "$project" -c Release -nologo -v q >/dev/null; done
fi
WEB_DLL=$(ls "$root"/src/Web/bin/Release/net*/ChaosModular.Web.dll | head -1)
# Web as it is deployed: published ReadyToRun (precompiled, so a start JITs little), outside the source tree's obj and bin
# (--artifacts-path), so builds and tests in the tree are not disturbed. The smoke run uses the build.
if [[ "${BENCH_READY_TO_RUN:-$((1 - SMOKE))}" == 1 && "${BENCH_NO_PUBLISH:-}" == 1 && -f "$root/artifacts/publish/web/ChaosModular.Web.dll" ]]; then
  say "using the published Web and Worker already there (BENCH_NO_PUBLISH=1)"
  WEB_DLL="$root/artifacts/publish/web/ChaosModular.Web.dll"
  export BENCH_WORKER_DLL="$root/artifacts/publish/worker/ChaosModular.Worker.dll"
elif [[ "${BENCH_READY_TO_RUN:-$((1 - SMOKE))}" == 1 ]]; then
  say "publishing Web ReadyToRun"
  rm -rf "$root/artifacts/publish/web"
  dotnet publish src/Web -c Release -r linux-x64 --self-contained false \
    --artifacts-path "$root/artifacts/publish/obj" -o "$root/artifacts/publish/web" -nologo -v q >/dev/null
  WEB_DLL="$root/artifacts/publish/web/ChaosModular.Web.dll"
  say "publishing the Worker ReadyToRun"
  rm -rf "$root/artifacts/publish/worker"
  dotnet publish src/Worker -c Release -r linux-x64 --self-contained false \
    --artifacts-path "$root/artifacts/publish/obj" -o "$root/artifacts/publish/worker" -nologo -v q >/dev/null
  export BENCH_WORKER_DLL="$root/artifacts/publish/worker/ChaosModular.Worker.dll"
fi
WORKER_DLL=${BENCH_WORKER_DLL:-$(ls "$root"/src/Worker/bin/Release/net*/ChaosModular.Worker.dll | head -1)}
VOLUME_DLL=$(ls "$root"/src/Tools/Volume/bin/Release/net*/ChaosModular.Volume.dll | head -1)

# A private PostgreSQL: started here unless one already runs on the port (then left running).
PG_STARTED=0
if ! "${PSQL[@]}" -d postgres -c "select 1" >/dev/null 2>&1; then
  CHAOS_PG_PORT=$PG_PORT scripts/pg.sh start >/dev/null
  PG_STARTED=1
fi

cleanup() {
  set +e
  for pid in ${WEB_PID:-} ${WORKER_PID:-} ${SAMPLER_PID:-}; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  for db in "${DATABASES[@]}"; do "${PSQL[@]}" -d postgres -c "drop database if exists $db with (force)" >/dev/null 2>&1; done
  ((PG_STARTED)) && CHAOS_PG_PORT=$PG_PORT scripts/pg.sh stop >/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

conn() { echo "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=$1;Maximum Pool Size=100"; }
create_db() { "${PSQL[@]}" -d postgres -c "create database $1 ${2:+template $2}"; DATABASES+=("$1"); }
record() { printf '%s\t%s\n' "$1" "$2" >>"$RESULTS"; }   # key, value
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# The generator runs with Web's content root and settings (Benchmark environment), sharing Web's signing keys.
volume() {
  local db=$1; shift
  (cd src/Web && env DOTNET_ENVIRONMENT=Benchmark Database__Provider=PostgreSql ConnectionStrings__PostgreSql="$(conn "$db")" \
    Licensing__Signing__KeyDirectory="$KEYS" dotnet "$VOLUME_DLL" "$@")
}

start_web() {
  local db=$1
  (
    cd src/Web
    exec env ASPNETCORE_ENVIRONMENT=Benchmark ASPNETCORE_URLS="$BASE" Database__Provider=PostgreSql ConnectionStrings__PostgreSql="$(conn "$db")" \
      Jobs__RunServerInWeb=false Licensing__Signing__KeyDirectory="$KEYS" Smtp__PickupDirectory="$WORK/mail" dotnet "$WEB_DLL"
  ) >>"$WORK/web.log" 2>&1 &
  WEB_PID=$!
}

# A Web that exited by itself (a crash, or a host stopped by a failing background service) is a failure with its log,
# not a silent exit of this script under set -e.
stop_web() {
  if ! kill "$WEB_PID" 2>/dev/null; then
    local code=0
    wait "$WEB_PID" 2>/dev/null || code=$?
    tail -60 "$WORK/web.log" >&2
    fail "Web (pid $WEB_PID) had exited by itself with code $code before it was stopped"
  fi
  wait "$WEB_PID" 2>/dev/null || true
  WEB_PID=
}

# Waits for the bare page's first 200; prints the milliseconds since $1 (date +%s%N taken before the process started).
wait_web() {
  local since=$1
  for _ in $(seq 1 3000); do
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/bench/bare")" == 200 ]]; then ms_since "$since"; return 0; fi
    kill -0 "$WEB_PID" 2>/dev/null || { tail -40 "$WORK/web.log" >&2; fail "Web stopped during start-up"; }
    sleep 0.05
  done
  tail -40 "$WORK/web.log" >&2
  fail "Web did not answer /bench/bare within 150 s"
}

token() { curl -s -c "$JAR" -b "$JAR" "$BASE$1" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }

sign_in() {
  rm -f "$JAR"
  curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "__RequestVerificationToken=$(token /sign-in)" \
    --data-urlencode "Form.Email=demo@chaosmodular.local" --data-urlencode "Form.Password=DemoCustomer#2026" "$BASE/sign-in" \
    || { code=$?; tail -40 "$WORK/web.log" >&2; fail "signing in: curl exited with $code"; }
  COOKIE=$(awk '!/^#/ || /^#HttpOnly_/ { sub(/^#HttpOnly_/, ""); if (NF >= 7) printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$JAR")
  [[ "$COOKIE" == *chaos.auth=* ]] || fail "signing in as the demo customer failed"
}

# --- 1. The account database and the pages -------------------------------------------------------------------------
say "generating the account profile ($SUBSCRIPTIONS subscriptions, $INVOICES invoices, $ORG_USERS organization users)"
REUSED=0
if [[ -n "${BENCH_ACCOUNT_DB:-}" ]] && [[ "$("${PSQL[@]}" -d postgres -c "select 1 from pg_database where datname = '$DB'")" == 1 ]]; then
  REUSED=1
  say "reusing the account database $DB"
elif [[ -n "${BENCH_ACCOUNT_DB:-}" ]]; then
  "${PSQL[@]}" -d postgres -c "create database $DB"
else
  create_db "$DB"
fi
T=$(date +%s%N)
((REUSED)) || volume "$DB" account --subscriptions "$SUBSCRIPTIONS" --invoices "$INVOICES" --org-users "$ORG_USERS" \
  --served-licenses "$(( SUBSCRIPTIONS < 200 ? SUBSCRIPTIONS / 5 : 200 ))" --payment-methods "$(( SMOKE ? 5 : 50 ))" >"$WORK/volume-account.log" 2>&1 \
  || { cat "$WORK/volume-account.log" >&2; fail "the volume generator (account) failed"; }
record generate_account_ms "$(ms_since "$T")"

T=$(date +%s%N)
start_web "$DB"
record first_start_ms "$(wait_web "$T")"
sign_in

CUSTOMER=$("${PSQL[@]}" -d "$DB" -c "select \"Id\" from accounts.\"AspNetUsers\" where \"NormalizedEmail\" = 'DEMO@CHAOSMODULAR.LOCAL'")
SUBSCRIPTION=$("${PSQL[@]}" -d "$DB" -c "select \"Id\" from subscriptions.subscriptions where \"CustomerId\" = '$CUSTOMER' and \"Status\" = 'Active' order by \"Seats\" desc, \"Id\" limit 1" 2>/dev/null \
  || "${PSQL[@]}" -d "$DB" -c "select \"Id\" from subscriptions.subscriptions where \"CustomerId\" = '$CUSTOMER' order by \"Id\" limit 1")
INVOICE=$("${PSQL[@]}" -d "$DB" -c "select \"Id\" from billing.invoices where \"CustomerId\" = '$CUSTOMER' order by \"IssuedUtc\" desc limit 1")
[[ -n "$SUBSCRIPTION" && -n "$INVOICE" ]] || fail "no subscription or invoice to open"

PAGES=(
  "bare|/bench/bare"
  "products_active|/products"
  "products_expired|/products/expired"
  "product|/products/$SUBSCRIPTION"
  "invoices|/billing"
  "invoices_search|/billing?q=V-Ray&status=Paid"
  "invoice_pdf|/billing/invoices/$INVOICE/pdf"
  "licenses|/licensing"
  "organization_users|/organization"
)

cat >"$WORK/status.lua" <<'LUA'
-- Counts answers outside 2xx (wrk's own count lets 3xx pass, and a redirect to sign-in is a failure here).
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status < 200 or status > 299 then bad = bad + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("non2xx %d\n", total))
end
LUA

# wrk's latency in ms from "1.23ms" / "850.00us" / "1.20s".
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

PAGE_FAILED=0
[[ "$ONLY" == invite ]] && PAGES=()
for entry in "${PAGES[@]}"; do
  name=${entry%%|*} path=${entry#*|}
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$path")
  if [[ "$code" != 200 ]]; then say "$path answered $code"; PAGE_FAILED=1; fi
  if ((WARMUP > 0)); then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -H "Cookie: $COOKIE" "$BASE$path" >/dev/null 2>&1 || true
  fi
  # A long timeout: a slow page is measured, not dropped as a socket error.
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency -s "$WORK/status.lua" -H "Cookie: $COOKIE" "$BASE$path" 2>&1)
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  bad=$(awk '$1 == "non2xx" { print $2 }' <<<"$out")
  errors=$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' <<<"$out")
  [[ -n "$rps" ]] || { echo "$out" >&2; fail "wrk gave no result for $path"; }
  record "page:$name" "$path|${rps}|${p50}|${p99}|${bad:-0}|${errors:-0}"
  ((${bad:-0} == 0)) || { say "$path: ${bad} answers outside 2xx under load"; PAGE_FAILED=1; }
  say "$(printf '%-20s %10s req/s  p50 %8s ms  p99 %8s ms  non-2xx %s' "$name" "$rps" "$p50" "$p99" "${bad:-0}")"
done
((PAGE_FAILED == 0)) || fail "a page answered outside 2xx"

if [[ "$ONLY" != invite ]]; then
record web_rss_after_load_kb "$(rss_kb "$WEB_PID")"
# Where Web's resident memory is, by mapping (anonymous, the JIT's double-mapped code, files), for whoever works on it.
mkdir -p artifacts/bench; awk '/^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6 ? $6 : "[anon]"); sub(/.*\//, "", name) } /^Rss:/ { kb[name] += $2 }
  END { for (n in kb) if (kb[n] >= 1024) printf "%8d kB  %s\n", kb[n], n }' "/proc/$WEB_PID/smaps" 2>/dev/null | sort -rn >"artifacts/bench/web-smaps-$(date -u +%Y-%m-%d).txt" || true
# Web on PostgreSQL loads no other provider's code (ModuleDatabase, MigrationsCheck and ModuleHost keep each provider in a
# method of its own; Web.csproj lists no migrations assemblies as application parts): 3-5 MB of its memory.
others=$(grep -oE '[^/ ]*(SqlClient|SqlServer|Sqlite|Hangfire\.InMemory)[^/ ]*\.dll' "/proc/$WEB_PID/maps" 2>/dev/null | sort -u | tr '\n' ' ' || true)
[[ -z "$others" ]] || fail "Web on PostgreSQL mapped other providers' assemblies: $others"

# --- 2. Cold start on the existing database ------------------------------------------------------------------------
stop_web
T=$(date +%s%N)
start_web "$DB"
record cold_start_ms "$(wait_web "$T")"
sign_in
fi

# --- 3. Bulk invite: upload to review page, then send until every email and the report are queued -----------------
if [[ "$ONLY" != pages ]]; then
"${PSQL[@]}" -d "$DB" <<SQL
insert into accounts."AspNetUsers" ("Id", "Name", "Country", "CustomerNumber", "CreatedUtc", "UserName", "NormalizedUserName", "Email", "NormalizedEmail",
  "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
select 'bench-' || g, 'Bench ' || g, 'DE', '0' || lpad(g::text, 8, '0'), now(), 'bench' || g || '@example.test', 'BENCH' || g || '@EXAMPLE.TEST',
  'bench' || g || '@example.test', 'BENCH' || g || '@EXAMPLE.TEST', true, false, false, true, 0
from generate_series(1, $INVITE_ROWS, 2) g;
SQL
CSV="$WORK/people.csv"
{
  echo "email,role"
  for ((i = 1; i <= INVITE_ROWS; i++)); do
    if ((i % 2)); then echo "bench$i@example.test,Member"; else echo "unknown$i@example.test,Guest"; fi
  done
} >"$CSV"

(
  cd src/Worker
  exec env DOTNET_ENVIRONMENT=Benchmark Database__Provider=PostgreSql ConnectionStrings__PostgreSql="$(conn "$DB")" \
    Licensing__Signing__KeyDirectory="$KEYS" Smtp__PickupDirectory="$WORK/mail" Logging__LogLevel__Default=Warning \
    Hosting__LocalInstance=true Billing__Gateway=Simulated Smtp__Delivery=Pickup dotnet "$WORKER_DLL"
) >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!

# Peak memory of Web and the Worker while the file goes through: sampled every 100 ms.
(
  peak_web=0 peak_worker=0
  while :; do
    w=$(rss_kb "$WEB_PID"); k=$(rss_kb "$WORKER_PID")
    ((w > peak_web)) && peak_web=$w
    ((k > peak_worker)) && peak_worker=$k
    echo "$peak_web $peak_worker" >"$WORK/peak"
    sleep 0.1
  done
) &
SAMPLER_PID=$!
record web_rss_before_invite_kb "$(rss_kb "$WEB_PID")"

T=$(date +%s%N)
read -r CODE LOCATION < <(curl -s -o /dev/null -c "$JAR" -b "$JAR" -w '%{http_code} %{redirect_url}\n' \
  -F "__RequestVerificationToken=$(token /organization/invite/bulk)" -F "file=@$CSV;type=text/csv" "$BASE/organization/invite/bulk")
[[ "$CODE" == 302 ]] || { tail -30 "$WORK/web.log" >&2; fail "the bulk invite upload answered $CODE"; }
CODE=$(curl -s -o "$WORK/review.html" -c "$JAR" -b "$JAR" -w '%{http_code}' "$LOCATION")
record invite_review_ms "$(ms_since "$T")"
[[ "$CODE" == 200 ]] || fail "the review page answered $CODE"
READY=$(grep -o 'data-testid="ready-count">[0-9]*' "$WORK/review.html" | grep -o '[0-9]*$' || echo 0)
BULK_ID=$(grep -o '/organization/bulk-invites/[0-9a-f-]*/review' <<<"$LOCATION" | cut -d/ -f4)
[[ -n "$BULK_ID" ]] || fail "no bulk invite id in $LOCATION"
record invite_rows "$INVITE_ROWS"
record invite_ready "${READY:-0}"

SEND_TOKEN=$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' "$WORK/review.html" | tail -1 | sed 's/.*value="//;s/"$//')
T=$(date +%s%N)
SENT_FROM=$("${PSQL[@]}" -d "$DB" -c "select now() at time zone 'utc'")
CODE=$(curl -s -o /dev/null -c "$JAR" -b "$JAR" -w '%{http_code}' --data-urlencode "__RequestVerificationToken=$SEND_TOKEN" "$LOCATION?handler=Send")
[[ "$CODE" == 302 ]] || fail "Send invites answered $CODE"
DONE=0
for _ in $(seq 1 $((JOB_TIMEOUT * 5))); do
  if [[ "$("${PSQL[@]}" -d "$DB" -c "select \"ReportQueuedUtc\" is not null from organizations.bulk_invites where \"Id\" = '$BULK_ID'")" == t ]]; then DONE=1; break; fi
  kill -0 "$WORKER_PID" 2>/dev/null || { tail -30 "$WORK/worker.log" >&2; fail "the Worker stopped"; }
  sleep 0.2
done
record invite_send_ms "$(ms_since "$T")"
((DONE)) || { tail -30 "$WORK/worker.log" >&2; fail "the bulk invite was not finished (report queued) within ${JOB_TIMEOUT} s"; }
record invite_emails_queued "$("${PSQL[@]}" -d "$DB" -c "select count(*) from notifications.emails where \"CreatedUtc\" >= '$SENT_FROM'")"
read -r PEAK_WEB PEAK_WORKER <"$WORK/peak"
record invite_peak_web_rss_kb "$PEAK_WEB"
record invite_peak_worker_rss_kb "$PEAK_WORKER"
kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=
kill "$WORKER_PID" 2>/dev/null; wait "$WORKER_PID" 2>/dev/null || true; WORKER_PID=
stop_web
fi

# --- 4. Jobs: renewals and automatic payments on a fresh copy of one generated database per run --------------------
if [[ -z "$ONLY" ]]; then
say "generating the jobs profile ($JOB_CUSTOMERS customers, $JOB_SUBSCRIPTIONS subscriptions, $DUE_PERCENT% due today, $OPEN_INVOICES open invoices)"
create_db "$JOBS_TEMPLATE"
T=$(date +%s%N)
volume "$JOBS_TEMPLATE" jobs --customers "$JOB_CUSTOMERS" --subscriptions "$JOB_SUBSCRIPTIONS" --due-percent "$DUE_PERCENT" \
  --open-invoices "$OPEN_INVOICES" >"$WORK/volume-jobs.log" 2>&1 || { cat "$WORK/volume-jobs.log" >&2; fail "the volume generator (jobs) failed"; }
record generate_jobs_ms "$(ms_since "$T")"
for job in renewals autopay; do
  for workers in $JOB_WORKERS; do
    script="scripts/bench-$job.sh"
    if [[ ! -x "$script" ]]; then
      record "job:$job:$workers" "not measured (script missing)"
      continue
    fi
    copy="bench_${job}_${workers}_$RUN"
    create_db "$copy" "$JOBS_TEMPLATE"
    if line=$(BENCH_DB=$copy WORKERS=$workers CHAOS_PG_PORT=$PG_PORT BENCH_NO_BUILD=1 timeout "$JOB_TIMEOUT" "$script" 2>"$WORK/$job-$workers.err" | tail -1) \
      && [[ "$line" == "$job="* ]]; then
      record "job:$job:$workers" "$line"
    else
      tail -20 "$WORK/$job-$workers.err" >&2
      fail "$script (WORKERS=$workers) did not finish within ${JOB_TIMEOUT} s or printed no result line"
    fi
    "${PSQL[@]}" -d postgres -c "drop database if exists $copy with (force)" >/dev/null
  done
done
fi

# --- Results --------------------------------------------------------------------------------------------------------
mkdir -p artifacts/bench
STAMP=$(date -u +%Y-%m-%d)
[[ $SMOKE == 1 ]] && STAMP="$STAMP-smoke"
[[ -n "$ONLY" ]] && STAMP="$STAMP-$ONLY"
BENCH_CONNECTIONS_USED=$CONNECTIONS python3 - "$RESULTS" "artifacts/bench/$STAMP" "$SMOKE" <<'PY'
import json, sys, datetime, platform, os
rows = [l.rstrip("\n").split("\t", 1) for l in open(sys.argv[1]) if l.strip()]
r = dict(rows)
out, smoke = sys.argv[2], sys.argv[3] == "1"
num = lambda k: float(r[k]) if k in r else None
pages = []
for k, v in rows:
    if k.startswith("page:"):
        path, rps, p50, p99, bad, errors = v.split("|")
        pages.append({"page": k[5:], "path": path, "requests_per_second": float(rps), "p50_ms": float(p50), "p99_ms": float(p99),
                      "non_2xx": int(bad), "socket_errors": int(errors)})
bare = next((p["requests_per_second"] for p in pages if p["page"] == "bare"), None)
for p in pages:
    p["ratio_to_bare"] = round(p["requests_per_second"] / bare, 3) if bare else None
jobs = {}
for k, v in rows:
    if k.startswith("job:"):
        _, job, workers = k.split(":")
        entry = {"result": v}
        if "seconds=" in v:
            parts = dict(p.split("=", 1) for p in v.split())
            entry = {"processed": int(parts.get(job, 0)), "seconds": float(parts["seconds"])}
        jobs.setdefault(job, {})[f"workers_{workers}"] = entry
mb = lambda k: round(num(k) / 1024, 1) if num(k) is not None else None
targets = {
    "cold_start_under_3s": num("cold_start_ms") is not None and num("cold_start_ms") < 3000,
    "web_rss_after_load_under_300mb": mb("web_rss_after_load_kb") is not None and mb("web_rss_after_load_kb") < 300,
    "invite_review_under_5s": num("invite_review_ms") is not None and num("invite_review_ms") < 5000,
    "invite_send_under_60s": num("invite_send_ms") is not None and num("invite_send_ms") < 60000,
}
result = {
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "smoke": smoke,
    "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg(), "platform": platform.platform()},
    "generate_ms": {"account": num("generate_account_ms"), "jobs": num("generate_jobs_ms")},
    "pages": pages,
    "web_rss_after_load_mb": mb("web_rss_after_load_kb"),
    "first_start_after_generation_ms": num("first_start_ms"),
    "cold_start_ms": num("cold_start_ms"),
    "bulk_invite": {"rows": int(num("invite_rows") or 0), "ready": int(num("invite_ready") or 0),
                    "upload_to_review_ms": num("invite_review_ms"), "send_to_report_queued_ms": num("invite_send_ms"),
                    "emails_queued": int(num("invite_emails_queued") or 0), "web_rss_before_mb": mb("web_rss_before_invite_kb"),
                    "peak_web_rss_mb": mb("invite_peak_web_rss_kb"), "peak_worker_rss_mb": mb("invite_peak_worker_rss_kb")},
    "jobs": jobs,
    "targets": targets,
}
json.dump(result, open(out + ".json", "w"), indent=2)
ok = lambda b, v=0: "not measured" if v is None else ("met" if b else "MISSED")
f0 = lambda v: "not measured" if v is None else f"{v:.0f} ms"
md = [f"Benchmark {result['date']}{' (smoke sizes)' if smoke else ''}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
      f"wrk {os.environ.get('BENCH_CONNECTIONS_USED', '?')} connections", "",
      "| Page | req/s | p50 ms | p99 ms | non-2xx | socket errors | vs bare |", "|---|---:|---:|---:|---:|---:|---:|"]
md += [f"| {p['page']} (`{p['path'].split('?')[0][:40]}`) | {p['requests_per_second']:.1f} | {p['p50_ms']:.1f} | {p['p99_ms']:.1f} | {p['non_2xx']} | {p['socket_errors']} | {p['ratio_to_bare']:.2f} |" for p in pages]
b = result["bulk_invite"]
md += ["", "| Figure | Value | Target |", "|---|---:|---|",
       f"| Web RSS after the load | {result['web_rss_after_load_mb']} MB | < 300 MB: {ok(targets['web_rss_after_load_under_300mb'], result['web_rss_after_load_mb'])} |",
       f"| Cold start to the first page (existing database) | {f0(result['cold_start_ms'])} | < 3 s: {ok(targets['cold_start_under_3s'], result['cold_start_ms'])} |",
       f"| First start after generation | {f0(result['first_start_after_generation_ms'])} | |",
       f"| Bulk invite {b['rows']} rows: upload to review page | {f0(b['upload_to_review_ms'])} | < 5 s: {ok(targets['invite_review_under_5s'], b['upload_to_review_ms'])} |",
       f"| Bulk invite: send to last email and report queued ({b['emails_queued']} emails) | {f0(b['send_to_report_queued_ms'])} | < 60 s: {ok(targets['invite_send_under_60s'], b['send_to_report_queued_ms'])} |",
       f"| Bulk invite: peak RSS Web / Worker | {b['peak_web_rss_mb']} / {b['peak_worker_rss_mb']} MB (Web before: {b['web_rss_before_mb']} MB) | flat |",
       f"| Volume generator: account / jobs profile | {f0(result['generate_ms']['account'])} / {f0(result['generate_ms']['jobs'])} | |"]
for job, runs in jobs.items():
    for w, e in sorted(runs.items()):
        md.append(f"| Job {job}, {w.replace('_', ' ')} | " + (f"{e['processed']} in {e['seconds']} s" if "seconds" in e else e["result"]) + " | |")
open(out + ".md", "w").write("\n".join(md) + "\n")
print("\n".join(md))
PY
say "results: artifacts/bench/$STAMP.json and .md"
