#!/bin/bash
# `make bench`: release build, then kiosk-bench against the stand-ins; figures go to bench/results.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build -c release
exec scripts/run-with-standins.sh scripts/with-usb-emulator.sh .build/release/kiosk-bench --output bench/results.json "$@"
