#!/bin/bash
# Installs the Debian packages kioskd needs to build and test, only those that are missing.
#   scripts/install-deps.sh
# Runs apt-get only when something is missing (one `apt-get update`, then one install), so on a
# machine that has everything it is a single dpkg-query and returns at once.
set -euo pipefail

# The one list. Build: C libraries the Swift module maps link against (no cups.pc on Debian 12,
# hence libcups2-dev without pkg-config support). Tests and demo: the local stand-ins (private
# cupsd, the SANE test/pnm backends, umockdev for USB, espeak-ng/sox for audio) and the tools
# that check their output (pdftotext, zbarimg, pngtopnm, qrencode, pgrep). Tickets and receipts are
# drawn with Cairo + Pango in Noto Sans (Vietnamese glyphs) with QR codes from libqrencode; scanned
# pages become JPEG with libjpeg-turbo; kioskctl's diagnostics archive is gzipped with zlib. promtool (package prometheus; its server is not started
# here) checks that the metrics endpoint speaks the Prometheus text format; sqlite3 writes a ledger
# as an older kioskd left it, to test the upgrade.
PACKAGES=(
    libcups2-dev libsane-dev libusb-1.0-0-dev libespeak-ng-dev libpcaudio-dev libevdev-dev pkg-config libsqlite3-dev
    libcairo2-dev libpango1.0-dev libqrencode-dev libzbar-dev libturbojpeg0-dev zlib1g-dev fonts-noto-core
    cups cups-client cups-bsd sane-utils
    umockdev libumockdev-dev gir1.2-umockdev-1.0 python3-gi
    espeak-ng sox tmux poppler-utils zbar-tools netpbm qrencode procps systemd prometheus sqlite3
)

# dpkg-query prints a line only for packages it knows; "ii" = wanted install, installed.
# Packages it has never heard of are reported on stderr and simply count as missing.
declare -A installed=()
while read -r name status; do
    [ "$status" = ii ] && installed[$name]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${PACKAGES[@]}" 2>/dev/null || true)

missing=()
for package in "${PACKAGES[@]}"; do
    [ -n "${installed[$package]:-}" ] || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    as_root=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Recommends are left out: for this list they are only avahi-daemon, colord, ghostscript,
# psmisc and libusb docs, none of which the build or the stand-ins use.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null
echo "install-deps: done"
