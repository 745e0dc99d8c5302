#!/usr/bin/env bash
# The main job on the bundled example: install what is needed, print the roadmap, write plan.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh python
.venv/bin/xiabo plan examples/kuaishou.yaml --save-json plan.json "$@"
