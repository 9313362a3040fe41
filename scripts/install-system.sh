#!/usr/bin/env bash
# Install the Debian packages the tests drive for real: Chromium (browser tests, through
# Playwright, which downloads nothing), PostgreSQL (the classroom store's server path) and
# nginx (the reverse proxy of the multi-process set-up). Idempotent; needs root or sudo.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
want=()
command -v chromium >/dev/null 2>&1 || want+=(chromium chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || want+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || want+=(nginx-light)
if [ ${#want[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
  echo "installed: ${want[*]}"
fi
# Debian starts nginx on port 80 after installing it; the project runs its own instances.
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true; fi
$SUDO /usr/sbin/nginx -s stop >/dev/null 2>&1 || true
echo "chromium: $(chromium --version 2>/dev/null || echo missing)"
echo "postgresql: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | head -1 || echo missing)"
echo "nginx: $(/usr/sbin/nginx -v 2>&1 || echo missing)"
