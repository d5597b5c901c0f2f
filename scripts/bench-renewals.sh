#!/usr/bin/env bash
# Times the renewal run (or, with MODE=autopay, the automatic payment run) on PostgreSQL with 1 or 2 Worker processes.
# Usage: RENEWALS=100000 WORKERS=2 CHAOS_PG_PORT=55432 scripts/bench-renewals.sh   (scripts/bench-autopay.sh: AUTOPAY=N)
#   BENCH_NO_BUILD=1  skip the Release build
#   BENCH_WORKER_DLL=path  run this Worker build (scripts/bench.sh passes the ReadyToRun publish, as the Worker is deployed)
#   BENCH_DB=name     use that existing, filled database (the volume generator's) instead of making one: no data is
#                     created or dropped, the run takes whatever is due in it
#   BENCH_TIMEOUT=s   give up after s seconds (default 1800) and print what is left
#   BENCH_WAIT_JOBS=1 after the renewals, wait until the Workers have run every job they queued (handlers, receipts,
#                     emails) and print that time and the Workers' CPU as well
#   BENCH_KEEP_LOGS=dir copy the Web and Worker logs there before the work directory is removed
#   BENCH_PAGE_CACHE=false  migrate with Web's page cache off, so the module tables get no change-notifying triggers
#                     (default true: the triggers are there, as wherever Web runs on PostgreSQL)
# A fresh database is migrated by starting Web once, then filled with SQL: N customers (account, billing information,
# a default card that the simulated gateway charges) with one monthly subscription each renewing today (renewals), or
# one open invoice each due today (autopay). The Workers then start; the last one to start triggers the recurring job
# once (Jobs:TriggerOnStart), which drains with the drain jobs it enqueues on every Worker (Jobs:DrainJobs). The script
# polls the completion query every second and prints the seconds from that Worker's launch (its start-up included).
# Last line: renewals=<N> workers=<W> seconds=<S>  (or autopay=<N> ...).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${MODE:-renewals}
case "$MODE" in
  renewals) N=${RENEWALS:-10000}; JOB=subscriptions-renewals ;;
  autopay) N=${AUTOPAY:-${RENEWALS:-10000}}; JOB=billing-automatic-payments ;;
  *) echo "MODE must be renewals or autopay" >&2; exit 2 ;;
esac
WORKERS=${WORKERS:-1}
PG_PORT=${CHAOS_PG_PORT:-55432}
TIMEOUT=${BENCH_TIMEOUT:-1800}
PAGE_CACHE=${BENCH_PAGE_CACHE:-true}
WEB_PORT=${BENCH_WEB_PORT:-5393}
export PGPASSWORD=postgres
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
WORK=$(mktemp -d)
PIDS=()

CHAOS_PG_PORT=$PG_PORT scripts/pg.sh start >/dev/null
if [[ -n "${BENCH_DB:-}" ]]; then
  DB=$BENCH_DB
  OWN_DB=0
else
  DB="bench_${MODE}_$(date +%s)"
  OWN_DB=1
  "${PSQL[@]}" -d postgres -c "create database $DB"
fi
CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=$DB;Maximum Pool Size=60"
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ "$OWN_DB" == 1 ]]; then "${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" >/dev/null 2>&1 || true; fi
  if [[ -n "${BENCH_KEEP_LOGS:-}" ]]; then mkdir -p "$BENCH_KEEP_LOGS" && cp "$WORK"/*.log "$BENCH_KEEP_LOGS"/ 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [[ "${BENCH_NO_BUILD:-}" != 1 ]]; then
  dotnet build src/Web -c Release -nologo -v q >/dev/null
  dotnet build src/Worker -c Release -nologo -v q >/dev/null
fi
WEB_DLL=$(ls src/Web/bin/Release/net*/ChaosModular.Web.dll | head -1)
WORKER_DLL=$(realpath "${BENCH_WORKER_DLL:-$(ls src/Worker/bin/Release/net*/ChaosModular.Worker.dll | head -1)}")

if [[ "$OWN_DB" == 1 ]]; then
  # Web applies the migrations (and creates Hangfire's schema), then stops.
  (
    cd src/Web
    ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$WEB_PORT" Database__Provider=PostgreSql ConnectionStrings__PostgreSql="$CONN" \
    Database__MigrateOnStartup=true Jobs__RunServerInWeb=false Jobs__PrepareSchema=true Seed__Demo=false Logging__LogLevel__Default=Warning \
    Caching__PageData="$PAGE_CACHE" exec dotnet "../../$WEB_DLL"
  ) >"$WORK/web.log" 2>&1 &
  WEB_PID=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$WEB_PORT/health" >/dev/null 2>&1 && break; sleep 1; done
  curl -sf "http://127.0.0.1:$WEB_PORT/health" >/dev/null || { echo "Web did not start:"; tail -30 "$WORK/web.log"; exit 1; }
  if [[ "$PAGE_CACHE" == true ]]; then
    # As in production, where Web runs beside the Workers: its change listener has put the page cache's statement
    # triggers on the module tables, so every write of the run also notifies (README, Performance).
    for _ in $(seq 1 100); do
      [[ "$("${PSQL[@]}" -d "$DB" -c "select count(*) from pg_trigger where tgname = 'chaos_data_changed'")" != 0 ]] && break
      sleep 0.1
    done
    echo "Tables with the page cache's change trigger: $("${PSQL[@]}" -d "$DB" -c "select count(*) from pg_trigger where tgname = 'chaos_data_changed'")"
  fi
  kill "$WEB_PID"; wait "$WEB_PID" 2>/dev/null || true

  "${PSQL[@]}" -d "$DB" <<SQL
insert into accounts."AspNetUsers" ("Id", "Name", "Country", "CustomerNumber", "CreatedUtc", "UserName", "NormalizedUserName", "Email", "NormalizedEmail",
  "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
select 'bench-' || g, 'Bench ' || g, 'DE', '8' || lpad(g::text, 8, '0'), now(), 'bench' || g || '@example.test', 'BENCH' || g || '@EXAMPLE.TEST',
  'bench' || g || '@example.test', 'BENCH' || g || '@EXAMPLE.TEST', true, false, false, true, 0
from generate_series(1, $N) g;
insert into billing.billing_profiles ("CustomerId", "Name", "AddressLine1", "City", "PostalCode", "Country", "BillingEmail", "VatId", "UpdatedUtc")
select 'bench-' || g, 'Bench Studio ' || g, '1 Render Road', 'Berlin', '10115', 'DE', 'bench' || g || '@example.test', null, now()
from generate_series(1, $N) g;
insert into billing.payment_methods ("Id", "CustomerId", "Brand", "Last4", "ExpiryMonth", "ExpiryYear", "GatewayToken", "IsDefault", "AddedUtc")
select gen_random_uuid(), 'bench-' || g, 'Visa', '4242', 12, extract(year from now())::int + 3, 'sim_bench_' || g, true, now()
from generate_series(1, $N) g;
SQL
  if [[ "$MODE" == renewals ]]; then
    "${PSQL[@]}" -d "$DB" <<SQL
insert into subscriptions.subscriptions ("Id", "CustomerId", "PlanCode", "ProductCode", "FamilyCode", "Term", "Currency", "PricePerSeat", "Seats",
  "ActivatedOn", "PeriodStart", "RenewsOn", "AutoRenew", "Status", "Version")
select gen_random_uuid(), 'bench-' || g, 'corona-solo-monthly', 'corona-solo', 'corona', 'Monthly', 'EUR', 49.9, 1,
  (now() at time zone 'utc')::date - interval '1 month', (now() at time zone 'utc')::date - interval '1 month', (now() at time zone 'utc')::date, true, 'Active', gen_random_uuid()
from generate_series(1, $N) g;
SQL
  else
    "${PSQL[@]}" -d "$DB" <<SQL
create temporary table bench_invoices as
select gen_random_uuid() as id, g from generate_series(1, $N) g;
insert into billing.invoices ("Id", "Number", "CustomerId", "Currency", "IssuedUtc", "DueUtc", "Status", "TaxRatePercent", "Subtotal", "Tax", "Total", "AmountPaid",
  bill_to_name, bill_to_address1, bill_to_city, bill_to_postal_code, bill_to_country, bill_to_email, "AutoPayFailures", "NextAutoPayUtc", "Version")
select id, 'BENCH-' || lpad(g::text, 8, '0'), 'bench-' || g, 'EUR', now() - interval '14 days', date_trunc('day', now() at time zone 'utc') at time zone 'utc', 'Open',
  19, 49.9, 9.48, 59.38, 0, 'Bench Studio ' || g, '1 Render Road', 'Berlin', '10115', 'DE', 'bench' || g || '@example.test', 0,
  date_trunc('day', now() at time zone 'utc') at time zone 'utc', gen_random_uuid()
from bench_invoices;
insert into billing.invoice_lines ("Id", "InvoiceId", "Description", "Quantity", "UnitPrice", "Amount", "ProductReference")
select gen_random_uuid(), id, 'Corona Solo, monthly', 1, 49.9, 49.9, 'corona-solo-monthly' from bench_invoices;
SQL
  fi
  "${PSQL[@]}" -d "$DB" -c "vacuum analyze" >/dev/null
fi

# What is left: renewals due without an order, or whose order has not had its first charge (no invoice, or an open
# invoice never attempted); for autopay, open invoices due and never attempted at their current attempt.
if [[ "$MODE" == renewals ]]; then
  LEFT_SQL=$(cat <<'SQL'
select
  (select count(*) from subscriptions.subscriptions s
   where s."Status" = 'Active' and s."AutoRenew" and s."RenewsOn" <= (now() at time zone 'utc')::date
     and not exists (select 1 from subscriptions.orders o where o."SubscriptionId" = s."Id" and o."RenewalOf" = s."RenewsOn"))
+ (select count(*) from subscriptions.orders o
   where o."Kind" = 'Renewal' and o."Status" = 'AwaitingPayment'
     and (o."InvoiceId" is null
          or exists (select 1 from billing.invoices i where i."Id" = o."InvoiceId" and i."Status" = 'Open' and i."AutoPayFailures" = 0
                     and not exists (select 1 from billing.payments p where p."IdempotencyKey" = 'auto:' || replace(i."Id"::text, '-', '') || ':0:' || i."Currency"))))
SQL
)
else
  LEFT_SQL=$(cat <<'SQL'
select count(*) from billing.invoices i
where i."Status" = 'Open' and i."NextAutoPayUtc" <= now()
  and not exists (select 1 from billing.payments p where p."IdempotencyKey" = 'auto:' || replace(i."Id"::text, '-', '') || ':' || i."AutoPayFailures" || ':' || i."Currency")
SQL
)
fi
DUE=$("${PSQL[@]}" -d "$DB" -c "$LEFT_SQL")
echo "Due at start: $DUE ($MODE, database $DB)"

start_worker() {
  local n=$1 trigger=$2
  (
    cd src/Worker
    DOTNET_ENVIRONMENT=Production Database__Provider=PostgreSql ConnectionStrings__PostgreSql="$CONN" Jobs__TriggerOnStart="$trigger" \
    Smtp__PickupDirectory="$WORK/mail" Logging__LogLevel__Default=Warning Logging__LogLevel__Hangfire=Warning \
    Hosting__LocalInstance=true Billing__Gateway=Simulated Smtp__Delivery=Pickup \
    exec dotnet "$WORKER_DLL"
  ) >"$WORK/worker$n.log" 2>&1 &
  PIDS+=($!)
}
servers() { "${PSQL[@]}" -d "$DB" -c "select count(*) from hangfire.server"; }
BEFORE=$(servers)
for ((w = 2; w <= WORKERS; w++)); do start_worker "$w" ""; done
for _ in $(seq 1 60); do (( $(servers) >= BEFORE + WORKERS - 1 )) && break; sleep 1; done
T0=$(date +%s.%N)
start_worker 1 "$JOB"
LEFT=$DUE
POLLS=0
# The count above is costly while much is left (0.8 s of PostgreSQL's time at the start of a 100,000 run, measured with
# pg_stat_statements: polled every second it took about 65 s of the database's CPU from the Workers it measures). It is
# asked again after a third of the time the rate so far predicts is left (before any progress: after as long again as
# has passed; at most 10 s, at least 1 s), so the last polls, cheap by then, still come every second and the end is
# timed to the second, and a small run is not kept waiting.
PAUSE=1
while :; do
  sleep "$PAUSE"
  LEFT=$("${PSQL[@]}" -d "$DB" -c "$LEFT_SQL")
  POLLS=$((POLLS + 1))
  NOW=$(date +%s.%N)
  [[ -n "${BENCH_VERBOSE:-}" ]] && echo "left $LEFT"
  PAUSE=$(awk -v due="$DUE" -v left="$LEFT" -v a="$NOW" -v b="$T0" 'BEGIN {
    done = due - left; rest = (done > 0) ? left * (a - b) / done : 3 * (a - b); p = rest / 3;
    if (p > 10) p = 10; if (p < 1) p = 1; printf "%.1f", p }')
  [[ "$LEFT" == 0 ]] && break
  if awk -v a="$NOW" -v b="$T0" -v t="$TIMEOUT" 'BEGIN { exit !(a - b > t) }'; then
    echo "Timed out with $LEFT left"; tail -20 "$WORK/worker1.log"; break
  fi
done
SECONDS_TAKEN=$(awk -v a="$NOW" -v b="$T0" 'BEGIN { printf "%.1f", a - b }')
ERRORS=$(cat "$WORK"/worker*.log | grep -c "fail:" || true)
echo "Left: $LEFT; errors logged by the Workers: $ERRORS; completion polls: $POLLS"
if [[ "$ERRORS" != 0 ]]; then
  echo "Most frequent:"; cat "$WORK"/worker*.log | grep -A1 "fail:" | grep -v "fail:\|^--" | sed 's/[0-9a-f]\{8\}-[0-9a-f-]\{27\}/<id>/g' | sort | uniq -c | sort -rn | head -5
fi
cpu_seconds() {
  local total=0 pid
  for pid in "${PIDS[@]}"; do
    [[ -r /proc/$pid/stat ]] && total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }'
}
echo "Workers' CPU until then: $(cpu_seconds) s"
# BENCH_WAIT_JOBS=1: go on until the Workers have no job left to run (the events' handlers, receipts and their emails
# that the drain's batches queued), to see what follows the renewals themselves.
if [[ "${BENCH_WAIT_JOBS:-}" == 1 ]]; then
  while :; do
    sleep 1
    PENDING=$("${PSQL[@]}" -d "$DB" -c "select count(*) from hangfire.job where statename in ('Enqueued', 'Processing')")
    NOW=$(date +%s.%N)
    [[ "$PENDING" == 0 ]] && break
    if awk -v a="$NOW" -v b="$T0" -v t="$TIMEOUT" 'BEGIN { exit !(a - b > t) }'; then echo "Timed out with $PENDING jobs left"; break; fi
  done
  EMAILS=$("${PSQL[@]}" -d "$DB" -c "select count(*) from notifications.emails" 2>/dev/null || echo "?")
  echo "Every job run at $(awk -v a="$NOW" -v b="$T0" 'BEGIN { printf "%.1f", a - b }') s (emails stored: $EMAILS); Workers' CPU until then: $(cpu_seconds) s"
fi
echo "$MODE=$DUE workers=$WORKERS seconds=$SECONDS_TAKEN"
