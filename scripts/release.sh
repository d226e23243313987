#!/usr/bin/env bash
# Build a release: the sdist and the wheel of the version in tap_wolkvox/__init__.py, into dist/
# (or the folder given). The version must have its section in CHANGELOG.md. Nothing is tagged or
# uploaded: the wheel installs as it is (pip install dist/tap_wolkvox-<version>-py3-none-any.whl).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist}"
version="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' tap_wolkvox/__init__.py)"
if ! grep -q "^## $version\b" CHANGELOG.md; then
  echo "release: CHANGELOG.md has no '## $version' section; add one first" >&2
  exit 1
fi
BOOTSTRAP_QUIET=1
source scripts/bootstrap.sh
rm -f "$out"/tap_wolkvox-"$version"[.-]*
"$UV" build --quiet --out-dir "$out"
echo "tap-wolkvox $version:"
(cd "$out" && sha256sum tap_wolkvox-"$version".tar.gz tap_wolkvox-"$version"-py3-none-any.whl)
