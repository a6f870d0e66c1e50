#!/usr/bin/env bash
# Run the Rasa NLU server in the foreground: scripts/rasa_server.sh [PORT]
# Token from GONGYOU_RASA_TOKEN (the app uses the same variable).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
venv=$(scripts/rasa_venv.sh)
model=$(scripts/train.sh)
port="${1:-5005}"
export RASA_TELEMETRY_ENABLED=false
exec "$venv/bin/rasa" run --enable-api --auth-token "${GONGYOU_RASA_TOKEN:-gongyou-dev-rasa-token}" \
  -m "$model" -i 127.0.0.1 -p "$port"
