#!/bin/bash
# Runs one command with kioskd's local stand-ins (scripts/standins.sh) around it:
#   scripts/run-with-standins.sh CMD ARGS...
# e.g. scripts/run-with-standins.sh swift test
#
# Starts the stand-ins in a fresh folder (mktemp -d /tmp/kiosk-standins.XXXXXX), runs CMD with
# the variables of DIR/env.sh exported (CUPS_SERVER, SANE_CONFIG_DIR, UMOCKDEV_DIR,
# KIOSK_UMOCKDEV_PRELOAD, KIOSK_STANDINS_DIR, ...), stops the stand-ins however CMD ends
# (exit, Ctrl-C, SIGTERM/SIGHUP to this script) and exits with CMD's status.
#
# LD_PRELOAD is NOT set for CMD: the umockdev preload redirects all of /sys and parts of /dev,
# so only the process that drives the USB ticket printer should get it, at its start:
#   LD_PRELOAD="$KIOSK_UMOCKDEV_PRELOAD" kioskd ...
#
# The folder is deleted afterwards when CMD succeeded; when it failed it is kept (for the
# cupsd and emulator logs) and its path printed. KIOSK_KEEP_STANDINS=1 always keeps it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
if [ $# -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

dir=$(mktemp -d /tmp/kiosk-standins.XXXXXX)
child=
status=0

# shellcheck disable=SC2317  # only ever called by the EXIT trap
cleanup() {
    local code=$?
    trap - EXIT INT TERM HUP
    # CMD may have been stopped by a signal to us only (SIGTERM from a CI timeout): don't
    # leave it running against stand-ins that are about to disappear.
    if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
        kill -TERM "$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    "$here/standins.sh" stop "$dir" 2>/dev/null || echo "run-with-standins: could not stop the stand-ins in $dir" >&2
    if [ "$code" -eq 0 ] && [ "${KIOSK_KEEP_STANDINS:-0}" != 1 ]; then
        rm -rf "$dir"
    else
        echo "run-with-standins: stand-ins folder kept: $dir" >&2
    fi
    exit "$code"
}
trap cleanup EXIT

if ! "$here/standins.sh" start "$dir" 2>"$dir/start.log"; then
    cat "$dir/start.log" >&2
    exit 1
fi

# shellcheck source=/dev/null
source "$dir/env.sh"

# CMD runs in the background so this script stays responsive to signals (a foreground child
# would delay our traps until it exits). Two bash defaults for background jobs are undone:
# `<&0` keeps the terminal as stdin (bash would give it /dev/null), and env --default-signal
# restores SIGINT/SIGQUIT (bash ignores them in background jobs, so Ctrl-C would not reach
# CMD). CMD stays in our process group: a Ctrl-C in the terminal reaches it directly, and
# SIGTERM/SIGHUP sent to this script alone are passed on.
env --default-signal=INT,QUIT "$@" <&0 &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' TERM
trap 'kill -HUP "$child" 2>/dev/null || true' HUP
trap ':' INT    # the terminal already sent SIGINT to CMD; wait for it to finish

# `wait` returns early (status > 128) when a trapped signal arrives; keep waiting for CMD.
while :; do
    status=0
    wait "$child" || status=$?
    kill -0 "$child" 2>/dev/null || break
done
child=
exit "$status"
