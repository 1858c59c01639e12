#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the report rendering tests, once.
# Idempotent: does nothing when /usr/bin/chromium is already there. Needs root and apt.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-chromium: /usr/bin/chromium is missing and installing it needs root (apt-get install -y chromium)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium fonts-dejavu-core
test -x /usr/bin/chromium
