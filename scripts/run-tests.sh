#!/bin/bash
# `make test`: builds everything (tests included), then runs the whole suite with the stand-ins
# running (private cupsd, SANE test backend, emulated USB ticket printer, WAV folder).
# The build runs outside the stand-ins and the USB preload: neither has anything to do with compiling.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build --build-tests
exec scripts/run-with-standins.sh scripts/with-usb-emulator.sh swift test --skip-build "$@"
