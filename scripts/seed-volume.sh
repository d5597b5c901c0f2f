#!/usr/bin/env bash
# Fills a database with the volume generator (src/Tools/Volume): scripts/seed-volume.sh account|jobs [options]
# Options: see `scripts/seed-volume.sh --help` or docs/perf-harness.md. The database settings are Web's: pass them as
# arguments (--Database:Provider PostgreSql --ConnectionStrings:PostgreSql "...") or environment variables
# (Database__Provider, ConnectionStrings__PostgreSql). It runs with Web's content root (src/Web), so SQLite files and the
# licensing signing key are the ones a local Web uses. VOLUME_NO_BUILD=1 skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ "${VOLUME_NO_BUILD:-}" == 1 ]] || dotnet build src/Tools/Volume -c Release -nologo -v q >/dev/null
dll=$(ls "$(pwd)"/src/Tools/Volume/bin/Release/net*/ChaosModular.Volume.dll | head -1)
cd src/Web
exec dotnet "$dll" "$@"
