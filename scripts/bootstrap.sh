# Sourced by demo.sh and test.sh: installs what a fresh machine (Python 3.11 + pip) lacks.
# uv (from PyPI), the project's locked environment, and Meltano as a uv tool.
set -euo pipefail
MELTANO_VERSION=4.4.1
if ! python3 -m uv --version >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check uv
fi
uv() { python3 -m uv "$@"; }
uv sync --frozen --quiet
if ! "$(uv tool dir --bin)/meltano" --version 2>/dev/null | grep -q "$MELTANO_VERSION"; then
  uv tool install --quiet --force "meltano==$MELTANO_VERSION"
fi
PATH="$(uv tool dir --bin):$PWD/.venv/bin:$PATH"
export PATH
