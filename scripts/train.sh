#!/usr/bin/env bash
# Train the NLU model if nlu/ changed; print the model's path on stdout.
# Models are cached outside the clone, named by the hash of everything that shapes them.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
venv=$(scripts/rasa_venv.sh)
cache="${GONGYOU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gongyou}"
hash=$(cat nlu/config.yml nlu/requirements-rasa.txt $(find nlu/data nlu/dict -type f \( -name '*.yml' -o -name '*.txt' \) | LC_ALL=C sort) | sha256sum | cut -c1-12)
model="$cache/models/nlu-$hash.tar.gz"
if [ -f "$model" ]; then echo "$model"; exit 0; fi
mkdir -p "$cache/models"
exec 9>"$cache/models/.train.lock"; flock 9
if [ -f "$model" ]; then echo "$model"; exit 0; fi
echo "Training the NLU model (nlu/ changed; hash $hash)..." >&2
out=$(mktemp -d)
start=$(date +%s)
RASA_TELEMETRY_ENABLED=false RASA_CACHE_DIRECTORY="$cache/rasa-train-cache" "$venv/bin/rasa" train nlu --config nlu/config.yml --nlu nlu/data \
  --out "$out" --fixed-model-name "nlu-$hash" >"$out/train.log" 2>&1 || { tail -40 "$out/train.log" >&2; exit 1; }
grep -i "misaligned" "$out/train.log" | head -5 >&2 || true
mv "$out/nlu-$hash.tar.gz" "$model"
seconds=$(( $(date +%s) - start ))
printf '{"training_seconds": %d, "cores": %d, "trained_at": "%s"}\n' "$seconds" "$(nproc)" "$(date -u +%FT%TZ)" \
  > "${model%.tar.gz}.json"
echo "Trained in $seconds s: $model" >&2
rm -rf "$out"
echo "$model"
