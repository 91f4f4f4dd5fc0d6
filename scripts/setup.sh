#!/usr/bin/env bash
# One-command set-up for a fresh machine: the Debian/Ubuntu packages the tests use (when apt-get
# is available), the npm dependencies (including the Node 22 the project runs on), and the build.
#   npm run setup        (or: bash scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGES="chromium libimobiledevice-utils usbmuxd openssl python3 poppler-utils ca-certificates"
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing Debian packages for the tests: $PACKAGES"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $PACKAGES
else
  echo "setup: apt-get not found; for the tests install with your package manager: $PACKAGES"
  echo "       (the app and the CLI run without them)"
fi
npm ci
npm run build
echo "setup: done. Run the app with 'npm start', the tests with 'npm test', the CLI with 'npx stagebench --help'."
