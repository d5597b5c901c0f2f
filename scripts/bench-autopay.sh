#!/usr/bin/env bash
# The automatic payment run's timing: scripts/bench-renewals.sh with MODE=autopay. Usage: AUTOPAY=N WORKERS=1|2 scripts/bench-autopay.sh
# (AUTOPAY defaults to RENEWALS, then 10,000). Last line: autopay=<N> workers=<W> seconds=<S>.
set -euo pipefail
MODE=autopay exec "$(dirname "$0")/bench-renewals.sh" "$@"
