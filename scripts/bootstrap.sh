# Sourced by demo.sh, test.sh and the wrappers scripts/uv and scripts/meltano. Sets up what a
# fresh machine lacks, inside the project, and never installs anything into the system Python
# (PEP 668 "externally managed" interpreters such as Debian's and Ubuntu's stay untouched):
# - uv: the one on PATH if it runs and is recent enough, else a private copy in .tools/uv-venv;
# - the project's locked environment in .venv (bytecode compiled): what the tap needs to run and
#   the Wolkvox emulator (emulator/, the `emulator` group: the demo runs it), plus the lint, type
#   and test tools when BOOTSTRAP_DEV=1 (test.sh and CI set it);
# - Meltano, as a uv tool in .tools/ (its command in .tools/bin).
# Downloads use the system's certificates (UV_SYSTEM_CERTS=1; UV_NATIVE_TLS=1 for an older uv)
# and honour SSL_CERT_FILE and HTTPS_PROXY. uv's and pip's download caches and Meltano's logs go
# to .tools/cache and .tools/state unless XDG_CACHE_HOME / XDG_STATE_HOME are set already.
# Afterwards .tools/bin and .venv/bin come first on PATH. Set BOOTSTRAP_QUIET=1 to hide progress.
set -euo pipefail
MELTANO_VERSION=4.4.1
UV_VERSION=0.13.9       # the private copy's version
UV_MIN_VERSION=0.6.0    # an older uv on PATH cannot read uv.lock: the private copy is used instead
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$TOOLS/cache}"  # uv's and pip's caches, Meltano's version check
export XDG_STATE_HOME="${XDG_STATE_HOME:-$TOOLS/state}"  # Meltano's install logs

_say() { [ -n "${BOOTSTRAP_QUIET:-}" ] || echo "bootstrap: $*" >&2; }

_uv_is_usable() {  # $1: a uv command; true if it runs and is at least UV_MIN_VERSION
  local version
  version="$("$1" --version 2>/dev/null | awk '{print $2}')" || return 1
  [ -n "$version" ] && [ "$(printf '%s\n%s\n' "$UV_MIN_VERSION" "$version" | sort -V | head -n1)" = "$UV_MIN_VERSION" ]
}

_install_private_uv() {
  _say "installing uv $UV_VERSION into $TOOLS/uv-venv (nothing goes into $(command -v python3))"
  if ! python3 -m venv "$TOOLS/uv-venv" >/dev/null; then
    echo "bootstrap: python3 cannot create a virtual environment. Install its venv module" \
      "(Debian/Ubuntu: apt-get install python3-venv), or install uv and put it on PATH." >&2
    return 1
  fi
  local cert=()
  [ -z "${SSL_CERT_FILE:-}" ] || cert=(--cert "$SSL_CERT_FILE")  # pip reads certifi's store otherwise
  "$TOOLS/uv-venv/bin/python" -m pip install --quiet --disable-pip-version-check "${cert[@]}" \
    "uv==$UV_VERSION"
}

mkdir -p "$TOOLS/bin"
if command -v uv >/dev/null && _uv_is_usable uv; then
  UV="$(readlink -f "$(command -v uv)")"  # resolved: it may be our own .tools/bin/uv link
else
  if ! _uv_is_usable "$TOOLS/uv-venv/bin/uv"; then
    rm -rf "$TOOLS/uv-venv"
    _install_private_uv
  fi
  UV="$TOOLS/uv-venv/bin/uv"
fi
ln -sfn "$UV" "$TOOLS/bin/uv"
# the system's certificates (a certificate-inspecting proxy's CA is there); newer uv renamed the variable
if [ -z "${UV_NATIVE_TLS:-}${UV_SYSTEM_CERTS:-}" ]; then
  if "$UV" sync --help 2>/dev/null | grep -q -- --system-certs; then
    export UV_SYSTEM_CERTS=1
  else
    export UV_NATIVE_TLS=1
  fi
fi

# uv installs Meltano into .tools, not into ~/.local: the project carries all it runs
_tool() { UV_TOOL_DIR="$TOOLS/uv-tools" UV_TOOL_BIN_DIR="$TOOLS/bin" "$UV" tool "$@"; }

if [ -n "${BOOTSTRAP_DEV:-}" ]; then
  _say "syncing .venv from uv.lock (with the lint, type and test tools)"
  (cd "$ROOT" && "$UV" sync --frozen --quiet --compile-bytecode)
else  # the tap, what it needs to run, and the emulator; tools a BOOTSTRAP_DEV=1 sync installed stay
  _say "syncing .venv from uv.lock (the tap and what it needs to run, and the emulator)"
  (cd "$ROOT" && "$UV" sync --frozen --quiet --compile-bytecode --no-dev --group emulator --inexact)
fi
if ! _tool list 2>/dev/null | grep -qx "meltano v$MELTANO_VERSION"; then
  _say "installing Meltano $MELTANO_VERSION into $TOOLS"
  _tool install --quiet --force --compile-bytecode "meltano==$MELTANO_VERSION"
fi
PATH="$TOOLS/bin:$ROOT/.venv/bin:$PATH"
export PATH
