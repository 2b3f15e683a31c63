#!/bin/bash
# Runs CMD with the umockdev preload, so that libusb in CMD (and in every process CMD starts)
# sees the emulated USB ticket printer of the stand-ins:
#   scripts/run-with-standins.sh scripts/with-usb-emulator.sh CMD ARGS...
# The preload has to be in place when a process starts; it cannot be added later.
set -euo pipefail
: "${KIOSK_UMOCKDEV_PRELOAD:?not set: run this under scripts/run-with-standins.sh}"
export LD_PRELOAD="$KIOSK_UMOCKDEV_PRELOAD${LD_PRELOAD:+:$LD_PRELOAD}"
exec "$@"
