#!/bin/bash
# `make demo`: runs kioskd with kiosk-profiles/demo.yaml in this terminal, its devices being the
# local stand-ins. Speech is written as WAV files to /tmp/kioskd-demo/audio. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build --product kioskd
mkdir -p /tmp/kioskd-demo/audio
exec scripts/run-with-standins.sh scripts/with-usb-emulator.sh .build/debug/kioskd --profile kiosk-profiles/demo.yaml
