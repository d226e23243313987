#!/usr/bin/env bash
# The demo: Wolkvox emulator -> meltano run tap-wolkvox target-duckdb (output/demo.duckdb) -> KPIs.
# Run it again: the second run is incremental and upserts (no duplicate rows).
# Arguments go to `meltano run`, e.g. `bash scripts/demo.sh --full-refresh`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
python scripts/demo.py "$@"
