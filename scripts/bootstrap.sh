#!/usr/bin/env bash
# Prepare a fresh clone: system packages (when run as root and missing), then .venv with xiabo.
# Usage: scripts/bootstrap.sh [python|full]   (full adds the browser, PostgreSQL, fonts, poppler)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-python}"

need_pkgs=()
want() { dpkg -s "$1" >/dev/null 2>&1 || need_pkgs+=("$1"); }
if command -v dpkg >/dev/null 2>&1; then
  want python3-venv
  want fonts-noto-cjk
  if [ "$MODE" = full ]; then
    want poppler-utils
    want chromium
    command -v npm >/dev/null 2>&1 || want npm
    want postgresql
  fi
fi
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "xiabo: installing system packages: ${need_pkgs[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  else
    echo "xiabo: please install these system packages first: ${need_pkgs[*]}" >&2
  fi
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.xiabo-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  # (this machine's pip config names extra local indexes that may be absent: hide that noise)
  .venv/bin/python -m pip install -q -e ".[test]" 2> >(grep -v "^WARNING: Location" >&2)
  touch "$stamp"
fi
# the browser tests' accessibility checker (axe-core, from the npm registry, pinned by the lock)
if [ "$MODE" = full ] && command -v npm >/dev/null 2>&1 && \
   [ ! -f tests/web/axe/node_modules/axe-core/axe.min.js ]; then
  npm ci --prefix tests/web/axe --no-audit --no-fund --silent
fi
