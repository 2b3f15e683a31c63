#!/usr/bin/python3
# An emulated USB keypad (a Linux evdev input device) on umockdev, for tests: it answers libevdev's
# EVIOCG* ioctls like a 12-key keypad with volume, help and language keys, and replays key presses
# from an evemu events file to whoever opens the device node. The program under test runs as this
# script's child, in this script's testbed:
#
#   umockdev-wrapper /usr/bin/python3 evdev-keypad-emulator.py --node /dev/input/event7 \
#       --events keys.evemu -- kioskd --profile profile.yaml
#
# Event times in the evemu file count from when the program opens the device. SIGTERM and SIGINT
# are passed on to the program; this script exits with the program's status.
# Needs Debian's umockdev, gir1.2-umockdev-1.0 and python3-gi (system python).
import argparse
import signal
import struct
import subprocess
import sys

import gi
gi.require_version('UMockdev', '1.0')
from gi.repository import UMockdev

# The keys of a kiosk keypad (linux/input-event-codes.h): KEY_KP0…KEY_KP9, KEY_KPENTER,
# KEY_KPASTERISK, KEY_BACKSPACE, KEY_HELP, KEY_VOLUMEUP, KEY_VOLUMEDOWN, KEY_LANGUAGE.
KEYPAD_KEYS = [82, 79, 80, 81, 75, 76, 77, 71, 72, 73, 96, 55, 14, 138, 115, 114, 368]
EV_SYN, EV_KEY = 0, 1
IOC_TYPE_EVDEV = 0x45  # 'E'


def bitmask(codes, size):
    mask = bytearray(size)
    for code in codes:
        if code // 8 < size:
            mask[code // 8] |= 1 << (code % 8)
    return bytes(mask)


def answer(request, size):
    """What the kernel's evdev driver would copy out for `request`, or None if it is not supported."""
    number = request & 0xff
    if number == 0x01:                      # EVIOCGVERSION
        return struct.pack('i', 0x010001), 0
    if number == 0x02:                      # EVIOCGID: bus USB, vendor, product, version
        return struct.pack('HHHH', 0x03, 0x1a2c, 0x0b2a, 0x0110), 0
    if number == 0x03:                      # EVIOCGREP: delay, period
        return struct.pack('II', 250, 33), 0
    if number == 0x06:                      # EVIOCGNAME
        name = b'Kiosk USB 12-key keypad\0'
        return name, len(name)
    if number in (0x07, 0x08):              # EVIOCGPHYS, EVIOCGUNIQ
        return b'\0', 1
    if number == 0x09:                      # EVIOCGPROP
        return b'', size
    if 0x18 <= number <= 0x1b:              # EVIOCGKEY/LED/SND/SW: nothing held down or lit
        return b'', size
    if number == 0x20:                      # EVIOCGBIT(0): event types
        return bitmask([EV_SYN, EV_KEY], size), size
    if number == 0x20 + EV_KEY:             # EVIOCGBIT(EV_KEY): key codes
        return bitmask(KEYPAD_KEYS, size), size
    if 0x20 < number < 0x40:                # EVIOCGBIT of types it does not have
        return b'', size
    return None


def handle(_handler, client):
    request, argument = client.get_request(), client.get_arg()
    if (request >> 8) & 0xff != IOC_TYPE_EVDEV:
        client.complete(-1, 25)             # ENOTTY
        return True
    if request & 0xff == 0x90:              # EVIOCGRAB
        client.complete(0, 0)
        return True
    size = (request >> 16) & 0x3fff
    reply = answer(request, size)
    if reply is None:
        client.complete(-1, 22)             # EINVAL
        return True
    data, result = reply
    data = data[:size]
    argument.resolve(0, size).update(0, data + bytes(size - len(data)))
    client.complete(result, 0)
    return True


def main():
    # A parent's thread may have started us with these blocked (seen from a Swift test runner):
    # then SIGTERM would never reach us or, through us, the program under test.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGHUP})
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--node', default='/dev/input/event7')
    parser.add_argument('--events', required=True, help='evemu events file of key presses')
    parser.add_argument('command', nargs=argparse.REMAINDER)
    options = parser.parse_args()
    command = options.command[1:] if options.command[:1] == ['--'] else options.command
    if not command:
        parser.error('a command to run is required after --')

    event_number = options.node.rsplit('event', 1)[-1]
    testbed = UMockdev.Testbed.new()
    testbed.add_from_string(f"""P: /devices/virtual/input/input{event_number}/event{event_number}
N: {options.node[len('/dev/'):]}
E: DEVNAME={options.node}
E: SUBSYSTEM=input
E: MAJOR=13
E: MINOR={64 + int(event_number)}
E: ID_INPUT=1
E: ID_INPUT_KEY=1
E: ID_INPUT_KEYBOARD=1
A: dev=13:{64 + int(event_number)}
""")
    handler = UMockdev.IoctlBase()
    handler.connect('handle-ioctl', handle)
    testbed.attach_ioctl(options.node, handler)
    testbed.load_evemu_events(options.node, options.events)

    child = subprocess.Popen(command)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, lambda received, _frame: child.send_signal(received))
    sys.exit(child.wait())


if __name__ == '__main__':
    main()
