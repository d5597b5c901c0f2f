#!/usr/bin/env bash
# Times a bulk-invite file of $ROWS rows (default 25,000; half registered accounts, half unknown) through the real Web
# over HTTP on PostgreSQL: the upload (read, validate, look up accounts and memberships in batches, store the rows) and
# the first review page. Usage: CHAOS_PG_PORT=55432 scripts/bench-bulk-invite.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-25000}
PG_PORT=${CHAOS_PG_PORT:-55432}
WEB_PORT=${BENCH_WEB_PORT:-5391}
BASE="http://127.0.0.1:$WEB_PORT"
DB="bench_bulk_$(date +%s)"
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
WORK=$(mktemp -d)
JAR="$WORK/cookies"

CHAOS_PG_PORT=$PG_PORT scripts/pg.sh start >/dev/null
"${PSQL[@]}" -d postgres -c "create database $DB"
cleanup() {
  [[ -n "${WEB_PID:-}" ]] && kill "$WEB_PID" 2>/dev/null && wait "$WEB_PID" 2>/dev/null || true
  "${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

[[ "${BENCH_NO_BUILD:-}" == 1 ]] || dotnet build src/Web -c Release -nologo -v q >/dev/null
WEB_DLL=$(ls src/Web/bin/Release/net*/ChaosModular.Web.dll | head -1)
(
  cd src/Web
  ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$BASE" \
  Database__Provider=PostgreSql \
  ConnectionStrings__PostgreSql="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=$DB" \
  Jobs__RunServerInWeb=false Seed__Demo=true Smtp__PickupDirectory="$WORK/mail" Logging__LogLevel__Default=Warning \
  exec dotnet "../../$WEB_DLL"
) >"$WORK/web.log" 2>&1 &
WEB_PID=$!
for _ in $(seq 1 120); do
  curl -sf "$BASE/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -sf "$BASE/health" >/dev/null || { echo "Web did not start:"; tail -30 "$WORK/web.log"; exit 1; }

# The demo customer administers the seeded "Demo Studio"; half the file's people get accounts here.
"${PSQL[@]}" -d "$DB" <<SQL
insert into accounts."AspNetUsers" ("Id", "Name", "Country", "CustomerNumber", "CreatedUtc", "UserName", "NormalizedUserName", "Email", "NormalizedEmail",
  "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
select 'bench-' || g, 'Bench ' || g, 'DE', '8' || lpad(g::text, 8, '0'), now(), 'bench' || g || '@example.test', 'BENCH' || g || '@EXAMPLE.TEST',
  'bench' || g || '@example.test', 'BENCH' || g || '@EXAMPLE.TEST', true, false, false, true, 0
from generate_series(1, $ROWS, 2) g;
SQL

token() { curl -s -c "$JAR" -b "$JAR" "$BASE$1" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }
curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "__RequestVerificationToken=$(token /sign-in)" \
  --data-urlencode "Form.Email=demo@chaosmodular.local" --data-urlencode "Form.Password=DemoCustomer#2026" "$BASE/sign-in"

CSV="$WORK/people.csv"
{
  echo "email,role"
  for ((i = 1; i <= ROWS; i++)); do
    if ((i % 2)); then echo "bench$i@example.test,Member"; else echo "unknown$i@example.test,Guest"; fi
  done
} >"$CSV"
echo "File: $ROWS rows, $(stat -c %s "$CSV") bytes"

# Twice: the first upload after start-up also pays for JIT and EF's query compilation, the second is the steady state.
for RUN in first second; do
  UPLOAD_TOKEN=$(token /organization/invite/bulk)
  read -r CODE LOCATION UPLOAD_TIME < <(curl -s -o /dev/null -c "$JAR" -b "$JAR" -w '%{http_code} %{redirect_url} %{time_total}\n' \
    -F "__RequestVerificationToken=$UPLOAD_TOKEN" -F "file=@$CSV;type=text/csv" "$BASE/organization/invite/bulk")
  [[ "$CODE" == 302 ]] || { echo "Upload answered $CODE"; tail -30 "$WORK/web.log"; exit 1; }
  read -r CODE REVIEW_TIME < <(curl -s -o "$WORK/review.html" -c "$JAR" -b "$JAR" -w '%{http_code} %{time_total}\n' "$LOCATION")
  [[ "$CODE" == 200 ]] || { echo "Review answered $CODE"; exit 1; }
  READY=$(grep -o 'data-testid="ready-count">[0-9]*' "$WORK/review.html" | grep -o '[0-9]*$')
  read -r CODE FILTER_TIME < <(curl -s -o /dev/null -c "$JAR" -b "$JAR" -w '%{http_code} %{time_total}\n' "$LOCATION?state=UnknownAccount&p=200")
  echo "== $RUN upload"
  echo "Upload (read, validate, look up, store $ROWS rows): ${UPLOAD_TIME}s"
  echo "First review page:                                 ${REVIEW_TIME}s ($READY ready)"
  echo "Review page 200 filtered by state:                 ${FILTER_TIME}s"
  awk -v a="$UPLOAD_TIME" -v b="$REVIEW_TIME" 'BEGIN { printf "Upload to review shown:                            %.3fs\n", a + b }'
done
