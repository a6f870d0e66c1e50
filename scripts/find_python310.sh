#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter for the Rasa venv, or explain what to install.
# Order: $RASA_PYTHON, python3.10 on PATH, pyenv's 3.10.x, then python3.9/3.8 as a last resort.
set -euo pipefail

works() { "$1" -c 'import sys, venv; assert (3, 8) <= sys.version_info[:2] <= (3, 10)' >/dev/null 2>&1; }

if [ -n "${RASA_PYTHON:-}" ]; then
  if works "$RASA_PYTHON"; then echo "$RASA_PYTHON"; exit 0; fi
  echo "RASA_PYTHON=$RASA_PYTHON is not a working Python 3.8–3.10 with venv" >&2; exit 1
fi
for cand in python3.10 python3.9 python3.8; do
  if p=$(command -v "$cand" 2>/dev/null) && works "$p"; then echo "$p"; exit 0; fi
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for d in $(ls -d "$root"/versions/3.10.* "$root"/versions/3.9.* 2>/dev/null | sort -rV); do
    for exe in "$d"/bin/python3.10 "$d"/bin/python3.9; do
      if [ -x "$exe" ] && works "$exe"; then echo "$exe"; exit 0; fi
    done
  done
fi
cat >&2 <<'MSG'
No Python 3.10 found: Rasa 3.6 runs only on Python 3.8–3.10.
Install one of:
  - Debian/Ubuntu:  apt-get install python3.10 python3.10-venv   (deadsnakes PPA on Ubuntu)
  - pyenv:          pyenv install 3.10
  - or point RASA_PYTHON at an existing interpreter: RASA_PYTHON=/path/to/python3.10 make run
MSG
exit 1
