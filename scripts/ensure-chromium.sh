#!/usr/bin/env bash
# Makes sure a Chrome or Chromium exists for the end-to-end tests, installing Debian's chromium
# when we are root on a machine with apt-get. Playwright's own browser download cannot work here.
set -euo pipefail

if [[ -n "${CHROME_PATH:-}" ]]; then
  if [[ -x "$CHROME_PATH" ]]; then
    echo "ensure-chromium: using CHROME_PATH=$CHROME_PATH"
    exit 0
  fi
  echo "ensure-chromium: CHROME_PATH is set to '$CHROME_PATH', but that is not an executable file." >&2
  exit 1
fi

for candidate in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome \
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" \
  "/Applications/Chromium.app/Contents/MacOS/Chromium"; do
  if [[ -x "$candidate" ]]; then
    echo "ensure-chromium: using $candidate"
    exit 0
  fi
done

if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "ensure-chromium: no Chromium found; installing Debian's chromium package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y chromium
  if [[ -x /usr/bin/chromium ]]; then
    echo "ensure-chromium: installed /usr/bin/chromium"
    exit 0
  fi
  echo "ensure-chromium: apt-get installed chromium, but /usr/bin/chromium is missing." >&2
  exit 1
fi

cat >&2 <<'MESSAGE'
ensure-chromium: the end-to-end tests need Chrome or Chromium, and none was found.
Either
  - install the Debian/Ubuntu package:  sudo apt-get update && sudo apt-get install chromium
  - or set CHROME_PATH to a Chrome/Chromium binary, e.g.
      export CHROME_PATH="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
(`npx playwright install` does not work on this project's machines: it downloads its own browser.)
MESSAGE
exit 1
