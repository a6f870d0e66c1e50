#!/usr/bin/env bash
# Print the path of a Chromium for the console's browser tests, installing Debian's package if none
# is found (the tests drive it with Playwright through executable_path; no browser download).
set -euo pipefail
install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >&2
}
# Screenshots of a Chinese UI need a Chinese font.
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing a Chinese font for the browser screenshots (first time only)..." >&2
  install fonts-wqy-microhei || echo "could not install a Chinese font: screenshots will show boxes" >&2
fi
for candidate in "${GONGYOU_CHROMIUM:-}" chromium chromium-browser google-chrome; do
  [ -n "$candidate" ] || continue
  if path=$(command -v "$candidate" 2>/dev/null); then echo "$path"; exit 0; fi
done
if command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests (first time only)..." >&2
  install chromium fonts-wqy-microhei
  command -v chromium && exit 0
fi
echo "no Chromium found: install Debian's chromium package or set GONGYOU_CHROMIUM" >&2
exit 1
