#!/usr/bin/env bash
# The system packages the test suite needs beyond npm: Debian's Chromium and the CJK
# fonts (e2e; without the fonts Chinese renders as empty boxes) and the psql client
# (the migrations test applies every file with plain psql). Installs them with apt
# when running as root and they are missing; otherwise says exactly what to install.
set -euo pipefail
chromium_bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$chromium_bin" ] || missing+=(chromium)
# No `grep -q` here: with pipefail, fc-list would die of SIGPIPE and the check would fail.
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)
command -v psql >/dev/null || missing+=(postgresql-client)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} with apt-get…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "The test suite needs these system packages: ${missing[*]}" >&2
echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
echo "(or set CHROMIUM_PATH to a Chromium binary)" >&2
exit 1
