#!/bin/bash
# `make demo`: runs kioskd with kiosk-profiles/demo.yaml in this terminal, its devices being the
# local stand-ins. The terminal is the citizen's screen and keypad: digits choose, # (or Enter)
# confirms, * repeats, b (or Backspace) goes back, + and - change the volume, h is help, l switches
# language. Speech is written as WAV files to /tmp/kioskd-demo/audio (speech-log.jsonl says what was
# said); the daemon's log goes to /tmp/kioskd-demo/kioskd.log so it does not write over the screen.
# Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build --product kioskd
swift build --product kioskctl
# libsane runs in it, beside kioskd.
swift build --product kiosk-scan-helper
swift build --product portal-sim
demo=/tmp/kioskd-demo
# Each run starts with an empty speech folder: file numbers restart with every kioskd.
rm -rf "$demo/audio"
mkdir -p "$demo/audio"
log="$demo/kioskd.log"
: > "$log"
# The key that seals applications at rest (the profile's privacy.encryption_key_file): made once,
# readable by its owner only, as a real kiosk's would be.
if [ ! -s "$demo/outbox.key" ]; then
    (umask 077 && head -c 32 /dev/urandom >"$demo/outbox.key")
fi
# The national portal adapter's stand-in on the demo profile's address (docs/portal-sim.md);
# statuses move on every 60 s so a look-up shows progress during a demo.
.build/debug/portal-sim --port 8089 --database "$demo/portal-sim.sqlite" --status-step-seconds 60 \
    2>>"$demo/portal-sim.log" &
portal=$!
trap 'kill "$portal" 2>/dev/null || true' EXIT
echo "kioskd demo: log in $log, speech in $demo/audio, portal-sim on http://127.0.0.1:8089 (log $demo/portal-sim.log); in another terminal: .build/debug/kioskctl status --socket $demo/control.sock"
status=0
scripts/run-with-standins.sh scripts/with-usb-emulator.sh .build/debug/kioskd --profile kiosk-profiles/demo.yaml \
    --control-socket "$demo/control.sock" --state-directory "$demo/state" 2>>"$log" || status=$?
echo "kioskd exited with status $status. Devices it found:"
grep -E "device (found|unavailable)" "$log" | sed 's/^/  /' || true
exit "$status"
