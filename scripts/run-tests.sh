#!/bin/bash
# `make test`: builds everything (tests included), then runs the whole suite with the stand-ins
# running (private cupsd, SANE test backend, emulated USB ticket printer, WAV folder).
# The build runs outside the stand-ins and the USB preload: neither has anything to do with compiling.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build --build-tests
if [ $# -gt 0 ]; then
    exec scripts/run-with-standins.sh scripts/with-usb-emulator.sh swift test --skip-build "$@"
fi
# The ticket crash test (200 kill -9 rounds, some minutes of daemons starting and dying) runs on
# its own after the rest, so its load does not distort the timing-sensitive speech tests.
scripts/run-with-standins.sh scripts/with-usb-emulator.sh swift test --skip-build --skip TicketCrashTests --skip ApplicationCrashTests
exec scripts/run-with-standins.sh scripts/with-usb-emulator.sh swift test --skip-build --filter "TicketCrashTests|ApplicationCrashTests"
