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
demo=/tmp/kioskd-demo
# Each run starts with an empty speech folder: file numbers restart with every kioskd.
rm -rf "$demo/audio"
mkdir -p "$demo/audio"
log="$demo/kioskd.log"
: > "$log"
echo "kioskd demo: log in $log, speech in $demo/audio; in another terminal: .build/debug/kioskctl status --socket $demo/control.sock"
status=0
scripts/run-with-standins.sh scripts/with-usb-emulator.sh .build/debug/kioskd --profile kiosk-profiles/demo.yaml \
    --control-socket "$demo/control.sock" --state-directory "$demo/state" 2>>"$log" || status=$?
echo "kioskd exited with status $status. Devices it found:"
grep -E "device (found|unavailable)" "$log" | sed 's/^/  /' || true
exit "$status"
