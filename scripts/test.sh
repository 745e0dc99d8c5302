#!/usr/bin/env bash
# The whole test suite: install everything a fresh machine lacks, then run pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh full
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
