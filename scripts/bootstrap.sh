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
# apt-get, waiting while another installer holds apt's lock (up to XIABO_APT_WAIT seconds),
# then saying plainly what is wrong instead of apt's raw lock error
apt_wait() {
  local waited=0 limit="${XIABO_APT_WAIT:-600}" err
  [ "${XIABO_APT_POLL:-10}" -gt 0 ] 2>/dev/null || XIABO_APT_POLL=1
  err=$(mktemp)
  while ! apt-get "$@" 2>"$err" >/dev/null; do
    if grep -qiE "could not get lock|unable to acquire the dpkg|is another process using it" "$err"; then
      if [ "$waited" -ge "$limit" ]; then
        echo "xiabo: 另一个安装程序（apt/dpkg）占用了软件包管理器 ${limit} 秒还没结束。" >&2
        echo "       等它结束后再运行一次；或者用 ps aux | grep -E 'apt|dpkg' 看看是哪个程序。" >&2
        echo "xiabo: another installer (apt/dpkg) has held the package manager for ${limit} s;" >&2
        echo "       run this again when it has finished (ps aux | grep -E 'apt|dpkg' shows it)." >&2
        rm -f "$err"
        return 1
      fi
      [ "$waited" = 0 ] && echo "xiabo: 另一个安装程序正在运行，等它结束后继续（最多 ${limit} 秒）…… / waiting for another installer to finish" >&2
      sleep "${XIABO_APT_POLL:-10}"
      waited=$((waited + ${XIABO_APT_POLL:-10}))
    else
      cat "$err" >&2
      rm -f "$err"
      return 1
    fi
  done
  rm -f "$err"
}

if [ "${#need_pkgs[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "xiabo: installing system packages: ${need_pkgs[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt_wait update -qq
    apt_wait install -y -qq --no-install-recommends "${need_pkgs[@]}"
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
