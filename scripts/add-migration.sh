#!/usr/bin/env bash
# Adds a migration named $1 for every module (or only $2, e.g. Accounts) on every provider at once.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/add-migration.sh MigrationName [Module]}
only=${2:-}
mapfile -t modules < <(scripts/modules.sh)
providers=(Sqlite PostgreSql SqlServer)
dotnet tool restore >/dev/null
for provider in "${providers[@]}"; do
  dotnet build "src/Migrations/$provider" -v q -nologo
  for module in "${modules[@]}"; do
    [[ -n "$only" && "$only" != "$module" ]] && continue
    echo "== $provider / $module: $name"
    dotnet ef migrations add "$name" \
      --project "src/Migrations/$provider" --startup-project "src/Migrations/$provider" \
      --context "${module}DbContext" --output-dir "$module" --no-build
  done
done
