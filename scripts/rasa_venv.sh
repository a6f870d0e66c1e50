#!/usr/bin/env bash
# Ensure the cached Rasa virtualenv exists and print its path on stdout.
# The venv lives outside the clone, keyed by the hash of nlu/requirements-rasa.txt,
# so CI runs and `make run` reuse it until the requirements change.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
req="$here/nlu/requirements-rasa.txt"
cache="${GONGYOU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gongyou}"
hash=$(sha256sum "$req" | cut -c1-12)
venv="$cache/rasa-venv-$hash"
mkdir -p "$cache"
exec 9>"$venv.lock"
flock 9   # two `make` runs never build the same venv at once
if [ -f "$venv/.complete" ] && [ -x "$venv/bin/rasa" ]; then echo "$venv"; exit 0; fi

py=$("$here/scripts/find_python310.sh")
echo "Creating the Rasa venv at $venv with $py (first time only, a few minutes, ~2.7 GB)..." >&2
rm -rf "$venv"
"$py" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade "pip<25" "setuptools<70" wheel >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
"$venv/bin/python" -c 'import rasa, jieba' >&2
touch "$venv/.complete"
echo "$venv"
