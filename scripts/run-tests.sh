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
# Only the libusb binding tests open the emulated USB printer from the test process itself, so
# only they run under the umockdev preload (daemons the tests start get it from KioskHarness).
# Its read()/write() wrappers hold one process-wide lock across the real system call: a SANE test
# backend reader thread blocked writing into its full pipe then holds it while the scanning thread
# waits for the lock to read that pipe, and the whole test process hangs (seen, gdb: 30 minutes).
# The crash tests (200 kill -9 rounds each, minutes of daemons starting and dying) run on their own
# after the rest, so their load does not distort the timing-sensitive speech tests.
# The speech playback tests press a barge-in key 0.6 s into an utterance and start new speech
# 0.3 s into one. Among 50 suites on a two-thread cooperative pool, tests that wait synchronously
# (tmux, READY=1, child processes) held both threads for seconds and the key came after the whole
# 10.7 s utterance (CI, 2026-12-05). They run on their own, where the pool is theirs.
scripts/run-with-standins.sh swift test --skip-build --skip TicketCrashTests --skip ApplicationCrashTests --skip LibUSBBindingTests --skip SpeechPlaybackTests
scripts/run-with-standins.sh swift test --skip-build --filter SpeechPlaybackTests
scripts/run-with-standins.sh scripts/with-usb-emulator.sh swift test --skip-build --filter LibUSBBindingTests
exec scripts/run-with-standins.sh swift test --skip-build --filter "TicketCrashTests|ApplicationCrashTests"
