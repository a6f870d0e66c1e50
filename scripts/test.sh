#!/usr/bin/env bash
# The test command's body: prepare the cached Rasa model, then run pytest (which starts one
# Rasa server for the session and makes a fresh PostgreSQL database).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/train.sh >/dev/null
GONGYOU_CHROMIUM=$(scripts/chromium.sh)  # the console's browser tests
export GONGYOU_CHROMIUM
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then echo "pytest collected no tests: that is a failure" >&2; exit 1; fi
exit "$status"
