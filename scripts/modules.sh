#!/usr/bin/env bash
# Prints the module names, one per line: the folders under src/Modules (Shared holds no module).
# ModuleList.All names the same set; an architecture test keeps the two equal.
set -euo pipefail
cd "$(dirname "$0")/.."
for dir in src/Modules/*/; do
  name=$(basename "$dir")
  [ "$name" = Shared ] || echo "$name"
done
