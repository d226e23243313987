#!/usr/bin/env bash
# Every check, on a fresh machine (python3 >= 3.10, or uv): lint, types, unit and emulator tests,
# and the real Meltano pipelines into DuckDB and a throwaway PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."
export BOOTSTRAP_DEV=1  # lint, type and test tools too
source scripts/bootstrap.sh
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  # the PostgreSQL test starts its own server from these packages
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL server packages are missing (initdb); install them, e.g. apt-get install postgresql" >&2
    exit 1
  fi
fi
ruff check .
ruff format --check .
mypy
if [ $# -gt 0 ]; then
  pytest "$@"
else
  pytest -m "not integration" -n 2  # tap runs are CPU-bound: both cores
  pytest -m integration             # Meltano installs into this one project: one at a time
fi
