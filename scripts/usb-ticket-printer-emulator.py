#!/usr/bin/python3
"""An emulated USB ESC/POS ticket printer for kioskd's tests and demo, built on umockdev.

    usb-ticket-printer-emulator.py --state-dir DIR [--vendor 04b8 --product 0e02] [options]
        Long-lived background service. When the device is ready it writes DIR/umockdev-dir
        (the testbed root, i.e. the UMOCKDEV_DIR a client needs) and DIR/emulator.pid, then
        serves until SIGTERM/SIGINT/SIGHUP.

    usb-ticket-printer-emulator.py --state-dir DIR [options] -- CMD ARGS...
        Same device, but runs CMD as a child with LD_PRELOAD/UMOCKDEV_DIR set, then exits
        with CMD's status. Handy for one-off checks; the background mode is what the
        stand-ins use.

A libusb client sees the device when it runs with
    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libumockdev-preload.so.0 UMOCKDEV_DIR=$(cat DIR/umockdev-dir)
in its environment from its start. It does NOT have to be a child of this process: the preload
library finds the emulated /sys and /dev through UMOCKDEV_DIR and sends every usbdevfs ioctl
on the device node over a Unix socket (UMOCKDEV_DIR/ioctl/dev/bus/usb/BBB/DDD) to this process.

Files in DIR (the --state-dir):
    umockdev-dir   testbed root directory (written last: its presence means "ready")
    emulator.pid   pid of this process
    received.bin   every byte the printer took from bulk OUT 0x01, raw, appended as it arrives
    state          simulated printer condition, re-read on every transfer and every 0.1 s
    tickets/       what came out of the printer, one PNG per piece of paper, numbered 1, 2, ...
                   across restarts: NNNNNN.png for a ticket that was cut (6 digits), and
                   NNNNNN-torn.png for an unfinished page whose data was thrown away by a buffer
                   clear (it came out uncut). 1-bit grayscale, black dots black on white; width =
                   the widest raster on the page (576 dots if it had none), narrower rasters
                   left-aligned. A PNG is written under a hidden temp name, then renamed.
    tickets/tickets.jsonl  one JSON line per PNG, appended after the PNG is in place:
                   {"seq": N, "file": "NNNNNN.png", "width": W, "height": H, "time": UNIX}
                   plus "torn": true for a torn page.

DIR/state holds words separated by spaces, commas or newlines ('#' starts a comment). An empty
or missing file, or the word "online", means online with paper present. Words:
    offline              printer offline, no particular cause
    paper-low            paper roll near its end (still printing)
    paper-out            no paper: printing stopped, printer offline
    paper-out-after=BYTES  paper runs out in the middle of a job: from the moment the word
                         appears (or its BYTES changes), print data is counted as it is printed;
                         after BYTES bytes the printer is exactly as with paper-out until the
                         word leaves the file (the technician refilled). To arm it again with
                         the same BYTES, write a state without it first and wait 0.1 s.
    cover-open           cover open: printer offline
    cutter-error         autocutter error (recoverable with DLE ENQ on a real printer)
    unrecoverable-error  e.g. a head or circuit fault
    recoverable-error    auto-recoverable error, e.g. print head too hot
    unresponsive         DLE EOT is ignored: status reads time out
    buffer-full          bulk OUT transfers do not complete (the host's writes time out)
    unplugged            the device is removed from the bus (an "add" comes back, with a new
                         device number, when the word goes away); checked every 0.1 s
Write the file atomically (write a temp file, then rename) so a reader never sees it half-written.

Status replies follow ESC/POS DLE EOT n (0x10 0x04 n, n = 1..4): one byte of the form 0xx1xx10.
    n=1 printer:     bit 3 offline
    n=2 offline:     bit 2 cover open, bit 5 stopped by paper end, bit 6 error
    n=3 error:       bit 3 autocutter, bit 5 unrecoverable, bit 6 auto-recoverable
    n=4 paper roll:  bits 2+3 near end, bits 5+6 roll end (a missing roll also trips the
                     near-end sensor, so paper-out answers 0x7e)

How the bytes are handled (like a real printer, minus print speed):
  * Receiving. Real-time commands are taken out of the stream and executed at once, also while
    the printer is offline; everything else is print data. Commands are parsed by their ESC/POS
    length, so image and 2D-code payloads are never searched for DLE EOT/ENQ:
        DLE EOT n (10 04 n)  status, answered with one byte on bulk IN (see above)
        DLE ENQ n (10 05 n)  n=2: recover from an error and clear the buffers, but (as on real
                             printers) only while cutter-error or recoverable-error is set;
                             otherwise, and for n=0/1, logged and ignored
        DLE DC4 8 (10 14 08 01 03 14 01 06 02 08)  clear buffers: no reply. The 10-byte
                             sequence is recognised ANYWHERE in the stream, also inside an image
                             whose rest never came (a write that timed out), and puts the
                             parser back in step. Other DLE DC4 fn are skipped.
  * Holding. While the state has an offline cause (offline, paper-out, cover-open, the three
    errors, paper-out-after once exhausted), print data is held in a 4096-byte receive buffer,
    not printed, and the host's writes still complete. When the buffer is full the printer
    takes no more: a bulk OUT transfer is taken in part (libusb reports the bytes that got in
    when the write times out) and the rest waits, like buffer-full. Real-time commands behind
    held print data in the same transfer also wait. Back online, the held bytes are printed
    first, in order.
  * Clearing (DLE DC4 8, or DLE ENQ 2 in an error) drops the held bytes and the unfinished
    page; if that page had rows it is written as NNNNNN-torn.png. Clears are counted in the log.
  * Printing: ESC @ starts a new page (an uncut page is dropped, with a log line); GS v 0 m xL
    xH yL yH d... appends (xL+xH*256)*8 dots x (yL+yH*256) rows, MSB leftmost, 1 black (m=1/49
    doubles the width, 2/50 the height, 3/51 both); LF feeds one line, ESC d n n lines (a line
    is 24 dots, or n after ESC 3 n; ESC 2 restores 24); ESC J n feeds n dots; GS V m (m=0, 1,
    48, 49) cuts; GS V m n (m=65, 66, 97, 98) feeds n dots and cuts. A cut writes the page if it
    has rows (feeds count). Other commands (ESC a, ESC !, GS !, GS ( k QR codes, ESC *,
    GS ( L, ...) are skipped by their length and draw nothing; text is counted, not drawn.
"""

import argparse
import collections
import errno
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
import zlib

import gi

gi.require_version('UMockdev', '1.0')
from gi.repository import GLib, UMockdev  # noqa: E402  (gi.require_version must come first)

# ---------------------------------------------------------------------------------------------
# usbdevfs ABI (linux/usbdevice_fs.h), x86-64. Numbers are built the way the kernel header
# builds them so each one can be checked against the header; they were also printed from a C
# program that includes <linux/usbdevice_fs.h>.
_IOC_NONE, _IOC_WRITE, _IOC_READ = 0, 1, 2


def _ioc(direction, nr, size):
    return (direction << 30) | (size << 16) | (ord('U') << 8) | nr


USBDEVFS_CONTROL = _ioc(_IOC_READ | _IOC_WRITE, 0, 24)   # 0xc0185500
USBDEVFS_SETINTERFACE = _ioc(_IOC_READ, 4, 8)             # 0x80085504
USBDEVFS_SETCONFIGURATION = _ioc(_IOC_READ, 5, 4)         # 0x80045505
USBDEVFS_GETDRIVER = _ioc(_IOC_WRITE, 8, 260)             # 0x41045508
USBDEVFS_SUBMITURB = _ioc(_IOC_READ, 10, 56)              # 0x8038550a
USBDEVFS_DISCARDURB = _ioc(_IOC_NONE, 11, 0)              # 0x0000550b
USBDEVFS_REAPURB = _ioc(_IOC_WRITE, 12, 8)                # 0x4008550c
USBDEVFS_REAPURBNDELAY = _ioc(_IOC_WRITE, 13, 8)          # 0x4008550d
USBDEVFS_CLAIMINTERFACE = _ioc(_IOC_READ, 15, 4)          # 0x8004550f
USBDEVFS_RELEASEINTERFACE = _ioc(_IOC_READ, 16, 4)        # 0x80045510
USBDEVFS_CONNECTINFO = _ioc(_IOC_WRITE, 17, 8)            # 0x40085511
USBDEVFS_IOCTL = _ioc(_IOC_READ | _IOC_WRITE, 18, 16)     # 0xc0105512
USBDEVFS_RESET = _ioc(_IOC_NONE, 20, 0)                   # 0x00005514
USBDEVFS_CLEAR_HALT = _ioc(_IOC_READ, 21, 4)              # 0x80045515
USBDEVFS_DISCONNECT = _ioc(_IOC_NONE, 22, 0)              # 0x00005516 (inside USBDEVFS_IOCTL)
USBDEVFS_CONNECT = _ioc(_IOC_NONE, 23, 0)                 # 0x00005517 (inside USBDEVFS_IOCTL)
USBDEVFS_GET_CAPABILITIES = _ioc(_IOC_READ, 26, 4)        # 0x8004551a
USBDEVFS_DISCONNECT_CLAIM = _ioc(_IOC_READ, 27, 264)      # 0x8108551b
USBDEVFS_GET_SPEED = _ioc(_IOC_NONE, 31, 0)               # 0x0000551f

IOCTL_NAMES = {value: name for name, value in globals().items() if name.startswith('USBDEVFS_')}

# struct usbdevfs_urb: type u8 @0, endpoint u8 @1, status int @4, flags @8, buffer ptr @16,
# buffer_length int @24, actual_length int @28 ... 56 bytes in all.
URB_SIZE, URB_STATUS, URB_BUFFER, URB_LENGTH, URB_ACTUAL = 56, 4, 16, 24, 28
URB_TYPE_CONTROL, URB_TYPE_BULK = 2, 3
# struct usbdevfs_ctrltransfer: bRequestType, bRequest, wValue, wIndex, wLength, timeout, data @16
CTRL_SIZE, CTRL_DATA = 24, 16

# What we tell libusb the (emulated) kernel can do: ZERO_PACKET | NO_PACKET_SIZE_LIM |
# BULK_SCATTER_GATHER | REAP_AFTER_DISCONNECT. NO_PACKET_SIZE_LIM makes libusb send a bulk
# transfer of any size as one URB. MMAP (0x20) is left out on purpose: the emulated node is a
# plain file and cannot back libusb_dev_mem_alloc().
CAPABILITIES = 0x01 | 0x04 | 0x08 | 0x10
USB_SPEED_FULL = 2          # enum usb_device_speed; the sysfs "speed" attribute says 12 (Mbit/s)
USB_DEVICE_MAJOR = 189

EP_OUT, EP_IN = 0x01, 0x82
# A client that has sent nothing for this long while another process wants its claimed interface
# is taken to be gone (see TicketPrinter._claim).
STALE_CLAIM_SECONDS = 2.5

# ---------------------------------------------------------------------------------------------
# ESC/POS status model

STATE_WORDS = {'online', 'offline', 'paper-low', 'paper-out', 'cover-open', 'cutter-error',
               'unrecoverable-error', 'recoverable-error', 'unresponsive', 'buffer-full',
               'unplugged'}
OFFLINE_CAUSES = {'offline', 'paper-out', 'cover-open', 'cutter-error', 'unrecoverable-error',
                  'recoverable-error'}
ERRORS = {'cutter-error', 'unrecoverable-error', 'recoverable-error'}


def status_byte(n, state):
    """The one-byte answer to DLE EOT n for the set of state words."""
    value = 0x12                                     # fixed bits: 0xx1xx10
    if n == 1:                                       # printer status
        if state & OFFLINE_CAUSES:
            value |= 0x08
    elif n == 2:                                     # offline cause
        if 'cover-open' in state:
            value |= 0x04
        if 'paper-out' in state:
            value |= 0x20
        if state & ERRORS:
            value |= 0x40
    elif n == 3:                                     # error cause
        if 'cutter-error' in state:
            value |= 0x08
        if 'unrecoverable-error' in state:
            value |= 0x20
        if 'recoverable-error' in state:
            value |= 0x40
    elif n == 4:                                     # paper roll sensors
        if state & {'paper-low', 'paper-out'}:
            value |= 0x0C
        if 'paper-out' in state:
            value |= 0x60
    return value


# ---------------------------------------------------------------------------------------------
# ESC/POS command lengths, shared by the receiver (which only has to find real-time commands)
# and the printer (which draws rasters). Both walk the same print data with the same table, so
# they agree on where each command starts.

RECEIVE_BUFFER = 4096       # bytes of print data a printer that is offline keeps
LINE_DOTS = 24              # default line feed (LF, ESC d n)
PAPER_DOTS = 576            # width of a page without any raster (80 mm paper, 72 mm printable)
CLEAR_BUFFERS = bytes.fromhex('10140801031401060208')   # DLE DC4 fn=8 d1..d7
REALTIME = {'DLE EOT', 'DLE ENQ', 'DLE DC4'}

# Commands of a fixed total length: ESC x / GS x / FS x -> bytes including ESC/GS/FS and x.
ESC_FIXED = {' ': 3, '!': 3, '$': 4, '%': 3, '-': 3, '2': 2, '3': 3, '<': 2, '=': 3, '?': 3,
             '@': 2, 'E': 3, 'G': 3, 'J': 3, 'K': 3, 'L': 2, 'M': 3, 'R': 3, 'S': 2, 'T': 3,
             'U': 3, 'V': 3, 'W': 10, '\\': 4, 'a': 3, 'c': 4, 'd': 3, 'e': 3, 'f': 4, 'i': 2,
             'm': 2, 'p': 5, 'r': 3, 't': 3, 'u': 3, 'v': 2, '{': 3, '\x0c': 2}
GS_FIXED = {'!': 3, '$': 4, '/': 3, ':': 2, 'B': 3, 'E': 3, 'H': 3, 'I': 3, 'L': 4, 'P': 4,
            'T': 3, 'W': 4, 'Z': 3, '\\': 4, '^': 5, 'a': 3, 'b': 3, 'c': 2, 'f': 3, 'g': 6,
            'h': 3, 'j': 3, 'r': 3, 'w': 3, 'z': 3}
FS_FIXED = {'!': 3, '&': 2, '-': 3, '.': 2, '?': 4, 'C': 3, 'S': 4, 'W': 3, 'p': 4}
CUT_WITH_FEED = (65, 66, 97, 98, 103, 104)     # GS V m n: 4 bytes; other m: GS V m, 3 bytes


def _until_nul(buf, i, start, most):
    """Total length of a command whose data runs from buf[start] to a NUL (at most `most`
    bytes before it), or None while that NUL may still come."""
    end = buf.find(b'\0', start, start + most + 1)
    if end >= 0:
        return end + 1 - i
    if len(buf) > start + most:
        return start - i                       # no NUL where one must be: just the fixed part
    return None


def command_at(buf, i):
    """The ESC/POS command at buf[i]: (size, payload, name, arg), or None if buf ends too soon
    to tell its length.

    size bytes are the command itself, then `payload` bytes of data follow (image data, 2D
    code data, ...), which may arrive later. name is what the printer acts on ('raster',
    'LF', 'ESC d', 'ESC J', 'ESC @', 'ESC 3', 'ESC 2', 'cut', 'text', the REALTIME names, or a
    label such as 'GS ( k' for data that is skipped), None for bytes that do nothing.
    """
    left = len(buf) - i
    first = buf[i]
    if first not in (0x0A, 0x10, 0x1B, 0x1C, 0x1D):
        end = i + 1                            # a run of text and ignored control bytes
        while end < len(buf) and buf[end] not in (0x0A, 0x10, 0x1B, 0x1C, 0x1D):
            end += 1
        return end - i, 0, 'text', None
    if first == 0x0A:
        return 1, 0, 'LF', None
    if left < 2:
        return None
    second = buf[i + 1]
    key = chr(second)
    if first == 0x10:                                            # DLE: real-time commands
        if second not in (0x04, 0x05, 0x14):
            return 1, 0, None, None
        if left < 3:
            return None
        n = buf[i + 2]
        if second == 0x04:
            return 3, 0, 'DLE EOT', n
        if second == 0x05:
            return 3, 0, 'DLE ENQ', n
        size = {1: 5, 2: 5, 7: 4, 8: 10}.get(n, 3)                # DLE DC4 fn ...
        if left < size:
            return None
        return size, 0, 'DLE DC4', bytes(buf[i:i + size])
    if first == 0x1B:                                            # ESC
        if key in ESC_FIXED:
            size = ESC_FIXED[key]
            if left < size:
                return None
            name = {'@': 'ESC @', 'J': 'ESC J', 'd': 'ESC d', '3': 'ESC 3', '2': 'ESC 2'}.get(key)
            return size, 0, name, buf[i + 2] if size > 2 else None
        if key == '*':                                           # ESC * m nL nH data
            if left < 5:
                return None
            columns = buf[i + 3] | buf[i + 4] << 8
            return 5, columns * (3 if buf[i + 2] in (32, 33) else 1), 'ESC *', None
        if key == '(':                                           # ESC ( fn pL pH data
            if left < 5:
                return None
            return 5, buf[i + 3] | buf[i + 4] << 8, 'ESC (', None
        if key == 'D':                                           # ESC D n1 ... nk NUL
            size = _until_nul(buf, i, i + 2, 32)
            return None if size is None else (size, 0, None, None)
        if key == '&':                                           # ESC & y c1 c2 [x d1..d(y*x)]...
            if left < 5:
                return None
            y, count = buf[i + 2], buf[i + 4] - buf[i + 3] + 1
            pos, last = i + 5, 0
            for k in range(max(count, 0)):
                if pos >= len(buf):
                    return None
                last = y * buf[pos]
                if k < count - 1:
                    pos += 1 + last
            if count <= 0:
                return 5, 0, 'ESC &', None
            return pos + 1 - i, last, 'ESC &', None
        return 2, 0, None, None                                  # unknown ESC x
    if first == 0x1D:                                            # GS
        if key in GS_FIXED:
            size = GS_FIXED[key]
            return None if left < size else (size, 0, None, None)
        if key == 'v':                                           # GS v 0 m xL xH yL yH data
            if left < 3:
                return None
            if buf[i + 2] != 0x30:
                return 2, 0, None, None
            if left < 8:
                return None
            width, height = buf[i + 4] | buf[i + 5] << 8, buf[i + 6] | buf[i + 7] << 8
            return 8, width * height, 'raster', (buf[i + 3], width, height)
        if key == 'V':                                           # GS V m [n]
            if left < 3:
                return None
            m = buf[i + 2]
            if m not in CUT_WITH_FEED:
                return 3, 0, 'cut', (m, 0)
            if left < 4:
                return None
            return 4, 0, 'cut', (m, buf[i + 3])
        if key == '(':                                           # GS ( fn pL pH data
            if left < 5:
                return None
            return 5, buf[i + 3] | buf[i + 4] << 8, 'GS ( ' + chr(buf[i + 2]), None
        if key == '8':                                           # GS 8 L p1 p2 p3 p4 data
            if left < 3:
                return None
            if buf[i + 2] != ord('L'):
                return 2, 0, None, None
            if left < 7:
                return None
            return 7, int.from_bytes(buf[i + 3:i + 7], 'little'), 'GS 8 L', None
        if key == '*':                                           # GS * x y data (x*y*8 bytes)
            if left < 4:
                return None
            return 4, buf[i + 2] * buf[i + 3] * 8, 'GS *', None
        if key == 'Q':                                           # GS Q 0 m xL xH yL yH data
            if left < 8:
                return None
            return 8, (buf[i + 4] | buf[i + 5] << 8) * (buf[i + 6] | buf[i + 7] << 8), 'GS Q', None
        if key == 'k':                                           # GS k m ... (barcode)
            if left < 3:
                return None
            if buf[i + 2] <= 6:                                  # data ends with NUL
                size = _until_nul(buf, i, i + 3, 255)
                return None if size is None else (size, 0, 'GS k', None)
            if left < 4:
                return None
            return 4, buf[i + 3], 'GS k', None
        if key == 'C':                                           # GS C 0|1|2 ... (counters)
            if left < 3:
                return None
            size = {0x30: 5, 0x31: 9, 0x32: 5, 0: 5, 1: 9, 2: 5}.get(buf[i + 2], 3)
            return None if left < size else (size, 0, None, None)
        return 2, 0, None, None                                  # unknown GS x
    # FS
    if key in FS_FIXED:
        size = FS_FIXED[key]
        return None if left < size else (size, 0, None, None)
    if key == '(':                                               # FS ( fn pL pH data
        if left < 5:
            return None
        return 5, buf[i + 3] | buf[i + 4] << 8, 'FS (', None
    if key == '2':                                               # FS 2 c1 c2 d1..d72
        return (None if left < 4 else (4, 72, 'FS 2', None))
    if key == 'g':                                               # FS g 1|2 m a1..a4 nL nH [data]
        if left < 10:
            return None
        return 10, (buf[i + 8] | buf[i + 9] << 8) if buf[i + 2] in (1, 0x31) else 0, 'FS g', None
    if key == 'q':                                               # FS q n [xL xH yL yH d...]...
        if left < 3:
            return None
        pos, last = i + 3, 0
        for k in range(buf[i + 2]):
            if pos + 4 > len(buf):
                return None
            last = (buf[pos] | buf[pos + 1] << 8) * (buf[pos + 2] | buf[pos + 3] << 8) * 8
            if k < buf[i + 2] - 1:
                pos += 4 + last
            else:
                pos += 4
        if pos > len(buf):
            return None
        return pos - i, last, 'FS q', None
    return 2, 0, None, None                                      # unknown FS x


def _next_clear(buf, start, end):
    """First position in buf[start:end] where DLE DC4 8 starts, or where its first bytes end
    the buffer; end if there is none."""
    j = buf.find(b'\x10', start, end)
    while j >= 0:
        if CLEAR_BUFFERS.startswith(buf[j:j + len(CLEAR_BUFFERS)]):
            return j
        j = buf.find(b'\x10', j + 1, end)
    return end


class EscPosScanner:
    """The receiving side: splits the byte stream the host sends into real-time commands,
    which are executed at once, and print data, which goes on to be printed or held.

    Image and 2D-code payloads are skipped by length (see command_at), so picture bytes that
    happen to read 0x10 0x04 0x01 are not taken for a status request (that would leave a stray
    byte in the reply queue and make the host's next status read wrong). The one exception is
    DLE DC4 8 (clear buffers): its 10 bytes are looked for everywhere, because after a write
    that timed out the rest of an image never comes, and the clear is how the host gets the
    printer back in step. A command split across bulk transfers is handled: an incomplete
    header is kept in self.pending until the rest arrives.
    """

    def __init__(self):
        self.pending = b''   # received bytes not classified yet (the start of a command)
        self.skip = 0        # bytes from self.pending/the next data on that are print data

    def scan(self, data, take, realtime):
        """Takes bytes from data in order and returns how many it took.

        take(chunk) is offered print data and returns how many bytes of it it accepted; fewer
        than offered (the receive buffer is full) stops the scan there. realtime(name, arg)
        executes a real-time command. Bytes of an incomplete command are taken and kept.
        """
        buf = self.pending + bytes(data)
        base = len(self.pending)
        self.pending = b''
        i, n = 0, len(buf)
        while i < n:
            if buf[i] == 0x10 and CLEAR_BUFFERS.startswith(buf[i:i + len(CLEAR_BUFFERS)]):
                if n - i < len(CLEAR_BUFFERS):             # maybe a clear: wait for the rest
                    self.pending = buf[i:]
                    return len(data)
                self.skip = 0                              # whatever was under way is gone
                realtime('DLE DC4', CLEAR_BUFFERS)
                i += len(CLEAR_BUFFERS)
                continue
            if self.skip:                                  # payload: print data
                size = _next_clear(buf, i + 1, min(n, i + self.skip)) - i
                taken = take(buf[i:i + size])
                self.skip -= taken
                i += taken
                if taken < size:
                    break
                continue
            command = command_at(buf, i)
            if command is None:
                self.pending = buf[i:]
                return len(data)
            size, payload, name, arg = command
            if name in REALTIME:
                realtime(name, arg)
                i += size
                continue
            j = _next_clear(buf, i + 1, i + size)          # a clear inside a command wins
            if j < i + size:
                if n - j < len(CLEAR_BUFFERS):
                    self.pending = buf[i:]
                    return len(data)
                size, payload = j - i, 0
            taken = take(buf[i:i + size])
            i += taken
            self.skip = size - taken + payload
            if taken < size:
                break
        else:
            return len(data)
        # Stopped at buf[i]: the receive buffer is full.
        if i >= base:
            return i - base
        self.pending = buf[i:base]                         # already received, not yet placed
        return 0


# Double-width raster: each byte of dots becomes two.
DOUBLE_WIDTH = [int(''.join(c * 2 for c in format(b, '08b')), 2).to_bytes(2, 'big')
                for b in range(256)]
INVERT = bytes(255 - b for b in range(256))


class TicketDecoder:
    """The printing side: draws the print data into pages and hands each cut page to
    cut(rows, width, torn). A row is bytes of dots, 1 = black, MSB leftmost; b'' is white.
    Bytes may come in any pieces."""

    def __init__(self, cut):
        self.cut = cut
        self.warned = set()
        self.spacing = LINE_DOTS
        self.reset()

    def reset(self):
        """Forgets the unfinished page and any command under way. Returns (rows, width) of the
        page, or None if it had no rows."""
        page = (self.page, self.width or PAPER_DOTS) if getattr(self, 'page', None) else None
        self.pending = b''       # start of a command that has not fully arrived
        self.skip = 0            # payload bytes still to pass over
        self.raster = None       # (bytes per row, scale x, scale y) of the raster coming in
        self.rows_left = 0
        self.row = bytearray()
        self.page = []
        self.width = 0           # dots
        self.text = 0            # text bytes on the page (not drawn)
        return page

    def _note(self, what):
        if what not in self.warned:
            self.warned.add(what)
            log('printing: %s' % what)

    def feed(self, data):
        buf = self.pending + bytes(data) if self.pending else bytes(data)
        self.pending = b''
        i, n = 0, len(buf)
        while i < n:
            if self.rows_left:
                width = self.raster[0]
                if not self.row and n - i >= width:        # whole rows straight from buf
                    while self.rows_left and n - i >= width:
                        self._add_row(buf[i:i + width])
                        i += width
                    continue
                part = buf[i:i + width - len(self.row)]
                self.row += part
                i += len(part)
                if len(self.row) == width:
                    self._add_row(bytes(self.row))
                    self.row.clear()
                continue
            if self.skip:
                step = min(self.skip, n - i)
                i += step
                self.skip -= step
                continue
            command = command_at(buf, i)
            if command is None:
                self.pending = buf[i:]
                break
            size, payload, name, arg = command
            self._execute(name, arg, payload, buf[i:i + size])
            i += size

    def _add_row(self, row):
        _width, double_width, double_height = self.raster
        if double_width:
            row = b''.join(DOUBLE_WIDTH[b] for b in row)
        self.page.append(row)
        if double_height:
            self.page.append(row)
        self.rows_left -= 1

    def _feed(self, dots):
        self.page.extend([b''] * dots)

    def _execute(self, name, arg, payload, command):
        if name == 'raster':
            m, width, height = arg
            if m not in (0, 1, 2, 3, 48, 49, 50, 51):
                self._note('GS v 0 with m=%d drawn as m=0' % m)
                m = 0
            if width and height:
                self.raster = (width, m & 1, m & 2)
                self.rows_left = height
                self.width = max(self.width, width * 8 * (2 if m & 1 else 1))
            return
        if payload:
            self.skip = payload
        if name == 'text':
            self.text += sum(1 for b in command if b >= 0x20)
        elif name == 'LF':
            self._feed(self.spacing)
        elif name == 'ESC d':
            self._feed(arg * self.spacing)
        elif name == 'ESC J':
            self._feed(arg)
        elif name == 'ESC 3':
            self.spacing = arg
        elif name == 'ESC 2':
            self.spacing = LINE_DOTS
        elif name == 'ESC @':
            if self.page:
                log('printing: ESC @ dropped an uncut page of %d rows' % len(self.page))
            self.reset()
            self.spacing = LINE_DOTS
        elif name == 'cut':
            m, dots = arg
            if m not in (0, 1, 48, 49) + CUT_WITH_FEED:
                self._note('GS V m=%d ignored' % m)
                return
            if m in (65, 66, 97, 98):
                self._feed(dots)
            if self.page:
                if self.text:
                    log('printing: %d text bytes on this ticket were not drawn' % self.text)
                self.cut(self.page, self.width or PAPER_DOTS, False)
            else:
                log('printing: cut with nothing on the page')
            self.page, self.width, self.text = [], 0, 0
        elif name is not None:
            self._note('%s: skipped, not drawn' % name)


def png_1bit(rows, width):
    """A 1-bit grayscale PNG of rows (bytes, 1 = black dot, MSB leftmost), white elsewhere."""
    stride = (width + 7) // 8
    raw = bytearray()
    for row in rows:
        raw.append(0)                                  # filter: none
        raw += row[:stride].translate(INVERT)          # PNG gray 1 = white
        raw += b'\xff' * (stride - min(len(row), stride))

    def chunk(kind, body):
        return (struct.pack('>I', len(body)) + kind + body
                + struct.pack('>I', zlib.crc32(kind + body) & 0xFFFFFFFF))
    return (b'\x89PNG\r\n\x1a\n'
            + chunk(b'IHDR', struct.pack('>IIBBBBB', width, len(rows), 1, 0, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(bytes(raw), 6))
            + chunk(b'IEND', b''))


# ---------------------------------------------------------------------------------------------
# The device

def log(message):
    print(time.strftime('%H:%M:%S'), 'usb-printer:', message, file=sys.stderr, flush=True)


def string_descriptor(text):
    encoded = text.encode('utf-16-le')
    return bytes([2 + len(encoded), 3]) + encoded


class Urb:
    """A submitted URB, kept until the host reaps it. For bulk OUT, payload is the data (read
    from the client at submission) and offset how much of it the printer has taken so far."""
    __slots__ = ('client', 'data', 'buffer', 'endpoint', 'length', 'payload', 'offset')

    def __init__(self, client, data, buffer, endpoint, length):
        self.client, self.data, self.buffer = client, data, buffer
        self.endpoint, self.length = endpoint, length
        self.payload, self.offset = b'', 0

    def finish(self, status, payload=b'', actual=None):
        """Fills in the result; it reaches the client's memory when the URB is reaped."""
        if payload:
            self.buffer.update(0, payload)
        self.data.update(URB_ACTUAL, struct.pack('i', len(payload) if actual is None else actual))
        self.data.update(URB_STATUS, struct.pack('i', status))


class TicketPrinter:
    """Device model plus the usbdevfs ioctl handler.

    umockdev calls handle_ioctl on its own worker thread; the poll timer runs on the main
    thread. Everything shared is guarded by self.lock, and no handler ever blocks: umockdev
    0.17.16 (Debian 12) has a race with its worker thread that was fixed only in 0.17.17.
    """

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.testbed = None
        self.bus = 1
        self.devnum = 2
        self.syspath = None
        self.node = None
        self.unplugged = False
        self.state_path = os.path.join(args.state_dir, 'state')
        self.received = open(os.path.join(args.state_dir, 'received.bin'), 'ab', buffering=0)
        self.scanner = EscPosScanner()             # receiving: real-time commands vs print data
        self.decoder = TicketDecoder(self._write_ticket)   # printing: pages -> PNG
        self.held = bytearray()                    # print data received while offline
        self.state = set()                         # state words in force (see _refresh_state)
        self.paper_after = None                    # BYTES of paper-out-after=BYTES, if set
        self.paper_printed = 0                     # print data printed since it was set
        self.full_logged = False                   # "receive buffer full" said once per episode
        self.clears = 0                            # buffer clears so far
        self.tickets_dir = os.path.join(args.state_dir, 'tickets')
        os.makedirs(self.tickets_dir, exist_ok=True)
        self.ticket_seq = max([int(m.group(1)) for m in map(
            re.compile(r'(\d{6})(-torn)?\.png$').match, os.listdir(self.tickets_dir)) if m],
            default=0)                             # numbering goes on across restarts
        self.replies = bytearray()                 # status bytes waiting for a bulk IN read
        self.pending_in = collections.deque()      # bulk IN URBs waiting for data
        self.pending_out = collections.deque()     # bulk OUT URBs not (fully) taken yet
        self.completed = {}                        # client -> deque of URBs ready to reap
        self.waiting_reaper = {}                   # client -> arg of a blocking REAPURB
        self.last_request = {}                     # client -> time.monotonic() of its last ioctl
        self.claims = {}                           # interface -> client that claimed it
        self.clients = set()                       # open device fds (umockdev IoctlClient)
        self.kernel_driver = args.kernel_driver    # driver bound to interface 0, or None
        self.warned = set()
        self.device_id = ('MFG:%s;CMD:ESC/POS;MDL:%s;CLS:PRINTER;'
                          % (args.manufacturer, args.product_name)).encode('ascii', 'replace')
        self.device_descriptor = bytes([
            18, 1, 0x00, 0x02,           # bLength, DEVICE, bcdUSB 2.00
            0, 0, 0, 64,                 # class/subclass/protocol per interface, ep0 64 bytes
            ]) + struct.pack('<HHH', args.vendor, args.product, 0x0100) + bytes([
            1, 2, 3, 1])                 # iManufacturer, iProduct, iSerialNumber, 1 config
        self.config_descriptor = bytes([
            9, 2, 32, 0, 1, 1, 0, 0xC0, 50,   # 1 interface, self-powered, 100 mA
            9, 4, 0, 0, 2, 7, 1, 2, 0,        # interface 0: 2 endpoints, printer 7/1/2 (bidi)
            7, 5, EP_OUT, 2, 64, 0, 0,        # bulk OUT 0x01, 64 bytes
            7, 5, EP_IN, 2, 64, 0, 0])        # bulk IN 0x82, 64 bytes
        self.strings = {1: args.manufacturer, 2: args.product_name, 3: args.serial}

    # -- state file -------------------------------------------------------------------------

    def read_state(self):
        """The words of the state file: (set of words without "online", BYTES of
        paper-out-after=BYTES or None). Callers hold self.lock."""
        try:
            with open(self.state_path, encoding='utf-8') as f:
                text = f.read()
        except FileNotFoundError:
            return set(), None
        words = set()
        for line in text.splitlines():
            words.update(line.split('#', 1)[0].replace(',', ' ').split())
        after = None
        for word in [w for w in words if w.startswith('paper-out-after=')]:
            words.discard(word)
            value = word.split('=', 1)[1]
            if value.isdigit():
                after = int(value)
            elif word not in self.warned:
                self.warned.add(word)
                log('ignoring %s: BYTES must be a whole number' % word)
        unknown = words - STATE_WORDS
        if unknown and frozenset(unknown) not in self.warned:
            self.warned.add(frozenset(unknown))
            log('ignoring unknown state words %s (known: %s paper-out-after=BYTES)'
                % (' '.join(sorted(unknown)), ' '.join(sorted(STATE_WORDS))))
        return words & STATE_WORDS - {'online'}, after

    def _refresh_state(self):
        """Re-reads the state file into self.state, the words in force: paper-out-after adds
        paper-out once its bytes are printed. Callers hold self.lock."""
        words, after = self.read_state()
        if after != self.paper_after:
            if after is not None:
                log('paper-out-after=%d: the paper runs out after %d more bytes are printed'
                    % (after, after))
            else:
                log('paper-out-after gone: paper refilled')
            self.paper_after, self.paper_printed = after, 0
        if after is not None and self.paper_printed >= after:
            words.add('paper-out')
        self.state = words
        return words

    # -- testbed ----------------------------------------------------------------------------

    def describe(self):
        """umockdev-record style description of the device at the current bus address."""
        a = self.args
        self.syspath = '/sys/devices/pci0000:00/0000:00:14.0/usb%d/%d-1' % (self.bus, self.bus)
        self.node = '/dev/bus/usb/%03d/%03d' % (self.bus, self.devnum)
        minor = (self.bus - 1) * 128 + self.devnum - 1
        descriptors = (self.device_descriptor + self.config_descriptor).hex().upper()
        return '\n'.join([
            'P: ' + self.syspath[len('/sys'):],
            'N: ' + self.node[len('/dev/'):],
            'E: DEVNAME=' + self.node,
            'E: DEVTYPE=usb_device',
            'E: DRIVER=usb',
            'E: SUBSYSTEM=usb',
            'E: BUSNUM=%03d' % self.bus,
            'E: DEVNUM=%03d' % self.devnum,
            'E: PRODUCT=%x/%x/100' % (a.vendor, a.product),
            'E: ID_VENDOR_ID=%04x' % a.vendor,
            'E: ID_MODEL_ID=%04x' % a.product,
            'A: busnum=%d' % self.bus,
            'A: devnum=%d' % self.devnum,
            'A: dev=%d:%d' % (USB_DEVICE_MAJOR, minor),
            'A: idVendor=%04x' % a.vendor,
            'A: idProduct=%04x' % a.product,
            'A: bcdDevice=0100',
            'A: bDeviceClass=00',
            'A: bNumInterfaces= 1',
            'A: bConfigurationValue=1',
            'A: bNumConfigurations=1',
            'A: bMaxPower=100mA',
            'A: speed=12',
            'A: manufacturer=' + a.manufacturer,
            'A: product=' + a.product_name,
            'A: serial=' + a.serial,
            'H: descriptors=' + descriptors,
            '', ''])

    def plug(self, first=False):
        """Adds the device (sysfs, /dev node, ioctl socket). Main thread only."""
        if not first:
            self.devnum += 1                       # the kernel gives a replugged device a new number
        description = self.describe()
        self.testbed.add_from_string(description)
        self.testbed.attach_ioctl(self.node, self.handler)
        if not UMockdev.in_mock_environment():
            # add_from_string announces the device itself (a uevent that reaches libusb's
            # hotplug monitor in other processes) only when this process runs under the
            # preload, as it normally does; see run_under_preload.
            self.testbed.uevent(self.syspath, 'add')
        log('plugged in as %s (%s)' % (self.node, self.syspath))

    def unplug(self):
        """Removes the device; open handles get ENODEV from now on. Main thread only."""
        self.testbed.uevent(self.syspath, 'remove')   # needs the sysfs dir, so before removal
        self.testbed.remove_device(self.syspath)
        log('unplugged %s' % self.node)

    def start(self):
        self.handler = UMockdev.IoctlBase()
        self.handler.connect('handle-ioctl', self.handle_ioctl)
        self.handler.connect('client-connected', self.client_connected)  # worker thread
        self.testbed = UMockdev.Testbed.new()
        self.plug(first=True)
        return self.testbed.get_root_dir()

    def poll(self):
        """Main-thread timer: plug/unplug and releasing held-back writes follow the state file."""
        with self.lock:
            state = self._refresh_state()
            self._prune_closed_clients()
            self._pump()
            if ('unplugged' in state) != self.unplugged:
                self.unplugged = 'unplugged' in state
                if self.unplugged:
                    self._fail_all_pending(-errno.ENODEV)
                    self.claims.clear()
                    self.replies.clear()
                    self.unplug()
                else:
                    self.kernel_driver = self.args.kernel_driver
                    self.plug()
        return True

    # -- URB bookkeeping (callers hold self.lock) --------------------------------------------

    def _complete(self, urb, status, payload=b'', actual=None):
        urb.finish(status, payload, actual)
        reaper = self.waiting_reaper.pop(urb.client, None)
        if reaper is not None:                     # a blocking REAPURB is waiting for this one
            reaper.resolve(0, 8).set_ptr(0, urb.data)
            urb.client.complete(0, 0)
        else:
            self.completed.setdefault(urb.client, collections.deque()).append(urb)

    def _serve_replies(self):
        if self.replies and self.pending_in:
            self._prune_closed_clients()
        while self.replies and self.pending_in:
            urb = self.pending_in.popleft()
            payload = bytes(self.replies[:urb.length])
            del self.replies[:len(payload)]
            self._complete(urb, 0, payload)

    def _fail_all_pending(self, status):
        for queue in (self.pending_in, self.pending_out):
            while queue:
                urb = queue.popleft()
                self._complete(urb, status, actual=urb.offset)
        for client, reaper in list(self.waiting_reaper.items()):
            del self.waiting_reaper[client]
            client.complete(-1, errno.ENODEV)

    def _prune_closed_clients(self):
        """Forgets clients whose fd is closed: their claims, URBs and queued completions.

        Closing a usbfs fd releases its claims in the kernel. umockdev 0.17.16 does not emit
        client-vanished (nor notify::connected) when a client closes the device, but
        get_connected() turns False, so this is checked where it matters: before a claim
        (a new process must not find the interface still "claimed" by a dead one), before
        status replies are handed out (a killed client's pending read must not swallow
        them) and on the poll timer.
        """
        for client in [c for c in self.clients if not c.get_connected()]:
            self._forget_client(client)

    def _forget_client(self, client):
        """Drops a gone client's claims, URBs and queued completions, as closing its fd would."""
        self.clients.discard(client)
        self.last_request.pop(client, None)
        for queue in (self.pending_in, self.pending_out):
            for urb in [u for u in queue if u.client is client]:
                queue.remove(urb)
        self.completed.pop(client, None)
        self.waiting_reaper.pop(client, None)
        for interface in [i for i, c in self.claims.items() if c is client]:
            del self.claims[interface]

    # -- umockdev signal handlers (worker thread) --------------------------------------------

    def client_connected(self, _handler, client):
        with self.lock:
            self.clients.add(client)

    def handle_ioctl(self, _handler, client):
        request = client.get_request()
        try:
            with self.lock:
                self.last_request[client] = time.monotonic()
                result = self._dispatch(client, request, client.get_arg())
        except Exception as exc:                   # never leave the client hanging
            log('ioctl %s failed in the emulator: %r' % (IOCTL_NAMES.get(request, hex(request)), exc))
            result = (-1, errno.EIO)
        if result is not None:                     # None: completed later (blocking REAPURB)
            client.complete(*result)
        return True

    def _dispatch(self, client, request, arg):
        gone = self.unplugged or client.get_devnode() != self.node
        if request in (USBDEVFS_REAPURB, USBDEVFS_REAPURBNDELAY):
            done = self.completed.get(client)
            if done:
                arg.resolve(0, 8).set_ptr(0, done.popleft().data)
                return 0, 0
            if gone:
                return -1, errno.ENODEV
            if request == USBDEVFS_REAPURB and any(
                    u.client is client for u in (*self.pending_in, *self.pending_out)):
                self.waiting_reaper[client] = arg
                return None
            return -1, errno.EAGAIN
        if gone:
            return -1, errno.ENODEV
        if request == USBDEVFS_SUBMITURB:
            return self._submit(client, arg.resolve(0, URB_SIZE))
        if request == USBDEVFS_DISCARDURB:
            address = struct.unpack('Q', bytes(arg.retrieve()))[0]
            for queue in (self.pending_in, self.pending_out):
                for urb in queue:
                    if urb.client is client and urb.data.client_addr == address:
                        queue.remove(urb)
                        if urb.offset:
                            log('host gave up on a bulk OUT transfer after %d of %d bytes'
                                % (urb.offset, urb.length))
                        # Reaped later as "cancelled"; libusb counts the bytes that got in.
                        self._complete(urb, -errno.ENOENT, actual=urb.offset)
                        return 0, 0
            return -1, errno.EINVAL                # already completed: libusb then reaps it
        if request == USBDEVFS_GET_CAPABILITIES:
            arg.resolve(0, 4).update(0, struct.pack('I', CAPABILITIES))
            return 0, 0
        if request in (USBDEVFS_CLAIMINTERFACE, USBDEVFS_RELEASEINTERFACE):
            interface = struct.unpack('I', bytes(arg.resolve(0, 4).retrieve()))[0]
            if interface != 0:
                return -1, errno.ENOENT if request == USBDEVFS_CLAIMINTERFACE else errno.EINVAL
            if request == USBDEVFS_RELEASEINTERFACE:
                if self.claims.get(0) is not client:
                    return -1, errno.EINVAL
                del self.claims[0]
                return 0, 0
            return self._claim(client)
        if request == USBDEVFS_GETDRIVER:
            data = arg.resolve(0, 260)
            interface = struct.unpack_from('I', bytes(data.retrieve()))[0]
            driver = 'usbfs' if 0 in self.claims else self.kernel_driver
            if interface != 0 or driver is None:
                return -1, errno.ENODATA           # libusb: "no kernel driver active"
            data.update(4, driver.encode() + b'\0')
            return 0, 0
        if request == USBDEVFS_IOCTL:              # struct usbdevfs_ioctl {ifno, ioctl_code, data}
            interface, code = struct.unpack_from('iI', bytes(arg.resolve(0, 16).retrieve()))
            if interface != 0:
                return -1, errno.EINVAL
            if code == USBDEVFS_DISCONNECT:        # libusb_detach_kernel_driver
                if self.kernel_driver is None or 0 in self.claims:
                    return -1, errno.ENODATA
                log('kernel driver %s detached from interface 0' % self.kernel_driver)
                self.kernel_driver = None
                return 0, 0
            if code == USBDEVFS_CONNECT:           # libusb_attach_kernel_driver
                if 0 in self.claims:
                    return -1, errno.EBUSY
                if self.args.kernel_driver is None:
                    return 0, 0                    # nothing would bind: libusb says NOT_FOUND
                self.kernel_driver = self.args.kernel_driver
                return 1, 0
            return -1, errno.ENOTTY
        if request == USBDEVFS_DISCONNECT_CLAIM:   # claim with auto-detach
            data = bytes(arg.resolve(0, 264).retrieve())
            interface, flags = struct.unpack_from('II', data)
            if interface != 0:
                return -1, errno.EINVAL
            driver = data[8:].split(b'\0', 1)[0].decode(errors='replace')
            current = self.kernel_driver
            if current is not None:
                keep = ((flags & 1 and current == driver)            # IF_DRIVER
                        or (flags & 2 and current != driver))         # EXCEPT_DRIVER
                if not keep:
                    log('kernel driver %s detached from interface 0' % current)
                    self.kernel_driver = None
            return self._claim(client)
        if request == USBDEVFS_SETINTERFACE:
            interface, alt = struct.unpack('II', bytes(arg.resolve(0, 8).retrieve()))
            return (0, 0) if (interface, alt) == (0, 0) else (-1, errno.EINVAL)
        if request == USBDEVFS_SETCONFIGURATION:
            config = struct.unpack('i', bytes(arg.resolve(0, 4).retrieve()))[0]
            if config not in (-1, 0, 1):
                return -1, errno.EINVAL
            if config != 1 and self.claims:
                return -1, errno.EBUSY
            return 0, 0
        if request == USBDEVFS_CLEAR_HALT:
            endpoint = struct.unpack('I', bytes(arg.resolve(0, 4).retrieve()))[0]
            return (0, 0) if endpoint in (EP_OUT, EP_IN, 0, 0x80) else (-1, errno.ENOENT)
        if request == USBDEVFS_RESET:
            self.replies.clear()
            return 0, 0
        if request == USBDEVFS_CONNECTINFO:        # {unsigned int devnum; unsigned char slow}
            arg.resolve(0, 8).update(0, struct.pack('IB3x', self.devnum, 0))
            return 0, 0
        if request == USBDEVFS_GET_SPEED:
            return USB_SPEED_FULL, 0
        if request == USBDEVFS_CONTROL:
            ctrl = arg.resolve(0, CTRL_SIZE)
            setup = bytes(ctrl.retrieve())[:8]
            length = struct.unpack_from('<H', setup, 6)[0]
            answer = self._control(setup)
            if answer is None:
                return -1, errno.EPIPE
            if setup[0] & 0x80 and length:
                answer = answer[:length]
                if answer:
                    ctrl.resolve(CTRL_DATA, length).update(0, answer)
                return len(answer), 0
            return length, 0
        if request not in self.warned:
            self.warned.add(request)
            log('unsupported ioctl 0x%08x: ENOTTY' % request)
        return -1, errno.ENOTTY

    def _claim(self, client):
        self._prune_closed_clients()
        owner = self.claims.get(0)
        if owner is client:
            return 0, 0
        if owner is not None and owner not in self.waiting_reaper and \
                time.monotonic() - self.last_request.get(owner, 0) > STALE_CLAIM_SECONDS:
            # umockdev 0.17.16 can keep a killed client "connected" (get_connected() stays True),
            # so its claim would outlive it, which the kernel never allows. A client that has sent
            # nothing for STALE_CLAIM_SECONDS while another process wants the interface is taken
            # to be gone. kioskd asks for the status at least every 2 s while it holds a printer.
            log('claim held by a client silent for %.1f s: taken as gone, claim released'
                % (time.monotonic() - self.last_request.get(owner, 0)))
            self._forget_client(owner)
            owner = None
        if owner is not None and owner in self.waiting_reaper:
            # The kernel releases a claim the moment a dying process's usbfs fd closes. umockdev
            # only learns a client is gone when it next reads that client's socket, which it does
            # not do while the client waits in a blocking REAPURB: a client killed mid-transfer
            # (kill -9 in the crash tests) would hold the interface for ever. Answering that wait
            # lets umockdev read the socket's EOF; the prune on the claimer's retry then frees the
            # claim. A live owner would see its transfer fail with ENODEV: two live processes
            # fighting over one printer is a fault in any case.
            del self.waiting_reaper[owner]
            owner.complete(-1, errno.ENODEV)
            log('claim wanted while its owner waits in REAPURB: owner told ENODEV (gone if it died)')
        if owner is not None or self.kernel_driver is not None:
            return -1, errno.EBUSY                 # like the kernel while usblp is bound
        self.claims[0] = client
        return 0, 0

    def _submit(self, client, data):
        state = self._refresh_state()
        if 'unplugged' in state:                   # don't wait for the poll to pull the plug
            return -1, errno.ENODEV
        raw = bytes(data.retrieve())
        urb_type, endpoint = raw[0], raw[1]
        length = struct.unpack_from('i', raw, URB_LENGTH)[0]
        buffer = data.resolve(URB_BUFFER, length) if length > 0 else None
        urb = Urb(client, data, buffer, endpoint, length)
        if urb_type == URB_TYPE_CONTROL:
            setup = bytes(buffer.retrieve())[:8] if length >= 8 else b''
            answer = self._control(setup) if len(setup) == 8 else None
            if answer is None:
                self._complete(urb, -errno.EPIPE)  # a STALL on endpoint 0
            elif setup[0] & 0x80:
                wanted = struct.unpack_from('<H', setup, 6)[0]
                answer = answer[:min(wanted, length - 8)]
                if answer:
                    buffer.update(8, answer)
                self._complete(urb, 0, actual=len(answer))
            else:
                self._complete(urb, 0, actual=length - 8)
            return 0, 0
        if urb_type != URB_TYPE_BULK or endpoint not in (EP_OUT, EP_IN):
            return -1, errno.EINVAL
        owner = self.claims.get(0)
        if owner is not client and (owner is not None or self.kernel_driver is not None):
            # The kernel claims an unclaimed interface implicitly for a bulk transfer, which
            # fails while another fd or a kernel driver holds it.
            return -1, errno.EBUSY
        if endpoint == EP_IN:
            self.pending_in.append(urb)
            self._pump()
            return 0, 0
        # The printer takes bulk OUT data in order, as far as it can (see _pump). While
        # buffer-full is set it takes nothing: the transfer waits in pending_out until the word
        # goes away (see poll), and one the host gives up on (DISCARDURB) never reaches
        # received.bin.
        urb.payload = bytes(buffer.retrieve()) if buffer is not None else b''
        self.pending_out.append(urb)
        self._pump()
        return 0, 0

    # -- the printer (callers hold self.lock) ------------------------------------------------

    def _pump(self):
        """Prints held data if the printer is online, takes waiting bulk OUT data as far as
        it can, answers status reads."""
        state = self.state
        if self.held and not state & OFFLINE_CAUSES:
            log('online again: printing %d held bytes' % len(self.held))
            done = self._print(bytes(self.held))
            del self.held[:done]
        if not state & {'buffer-full', 'unplugged'}:
            while self.pending_out:
                urb = self.pending_out[0]
                rest = urb.payload[urb.offset:]
                taken = self.scanner.scan(rest, self._take, self._realtime)
                if taken:
                    self.received.write(rest[:taken])
                    urb.offset += taken
                if urb.offset < len(urb.payload):
                    break                          # the receive buffer is full
                self.pending_out.popleft()
                self._complete(urb, 0, actual=urb.length)
        self._serve_replies()

    def _take(self, data):
        """The receive buffer is offered print data; returns how many bytes it took."""
        taken = 0
        if not self.held and not self.state & OFFLINE_CAUSES:
            taken = self._print(data)
        if taken < len(data):
            if not self.held:
                log('printer offline (%s): holding print data'
                    % ' '.join(sorted(self.state & OFFLINE_CAUSES)))
            room = max(0, RECEIVE_BUFFER - len(self.held))
            more = min(room, len(data) - taken)
            self.held += data[taken:taken + more]
            taken += more
            if taken < len(data) and not self.full_logged:
                self.full_logged = True
                log('receive buffer full (%d bytes held): bulk OUT data waits' % len(self.held))
        if len(self.held) < RECEIVE_BUFFER:
            self.full_logged = False
        return taken

    def _print(self, data):
        """Prints data, or its first part if the paper runs out (paper-out-after); returns
        how many bytes were printed."""
        if self.paper_after is not None:
            data = data[:max(0, self.paper_after - self.paper_printed)]
        self.paper_printed += len(data)
        if data:
            self.decoder.feed(data)
        if (self.paper_after is not None and self.paper_printed >= self.paper_after
                and 'paper-out' not in self.state):
            log('paper ran out (paper-out-after=%d)' % self.paper_after)
            self.state = self.state | {'paper-out'}
        return len(data)

    def _realtime(self, name, arg):
        """Executes a real-time command the moment it is received."""
        state = self.state
        if name == 'DLE EOT':
            if not 1 <= arg <= 4:
                log('DLE EOT %d: not supported, no reply' % arg)
            elif 'unresponsive' not in state:
                reply = status_byte(arg, state)
                self.replies.append(reply)
                log('DLE EOT %d -> 0x%02x (state: %s)'
                    % (arg, reply, ' '.join(sorted(state)) or 'online'))
        elif name == 'DLE ENQ':
            if arg == 2 and state & {'cutter-error', 'recoverable-error'}:
                self._clear_buffers('DLE ENQ 2')
            else:
                log('DLE ENQ %d ignored (DLE ENQ 2 clears only in a cutter-error or '
                    'recoverable-error; state: %s)' % (arg, ' '.join(sorted(state)) or 'online'))
        elif arg == CLEAR_BUFFERS:
            self._clear_buffers('DLE DC4 8')
        else:
            log('real-time command %s ignored' % arg.hex(' '))

    def _clear_buffers(self, why):
        """Drops the held print data and the unfinished page (written as a torn ticket)."""
        self.clears += 1
        dropped = len(self.held)
        self.held.clear()
        self.full_logged = False
        page = self.decoder.reset()
        torn = 'unfinished page of %d rows torn off' % len(page[0]) if page else 'no unfinished page'
        log('buffers cleared by %s (clear #%d): %d held bytes dropped, %s'
            % (why, self.clears, dropped, torn))
        if page:
            self._write_ticket(page[0], page[1], torn=True)

    def _write_ticket(self, rows, width, torn):
        """DIR/tickets/NNNNNN[-torn].png and its tickets.jsonl line."""
        self.ticket_seq += 1
        name = '%06d%s.png' % (self.ticket_seq, '-torn' if torn else '')
        record = {'seq': self.ticket_seq, 'file': name, 'width': width, 'height': len(rows),
                  'time': time.time()}
        if torn:
            record['torn'] = True
        path = os.path.join(self.tickets_dir, name)
        temp = os.path.join(self.tickets_dir, '.%s.tmp' % name)
        try:
            with open(temp, 'wb') as f:
                f.write(png_1bit(rows, width))
            os.replace(temp, path)
            with open(os.path.join(self.tickets_dir, 'tickets.jsonl'), 'a',
                      encoding='utf-8') as f:
                f.write(json.dumps(record) + '\n')
        except OSError as exc:
            log('could not write %s: %s' % (path, exc))
            return
        log('printed %s: %d x %d dots%s' % (name, width, len(rows), ' (torn)' if torn else ''))

    def _control(self, setup):
        """Answers a control request: bytes for IN (b'' for none), None to stall."""
        request_type, request, value, index, _length = struct.unpack('<BBHHH', setup)
        if request_type == 0x80 and request == 6:                 # GET_DESCRIPTOR
            kind, number = value >> 8, value & 0xFF
            if kind == 1:
                return self.device_descriptor
            if kind == 2 and number == 0:
                return self.config_descriptor
            if kind == 3:
                if number == 0:
                    return bytes([4, 3, 0x09, 0x04])              # language: en-US
                if number in self.strings:
                    return string_descriptor(self.strings[number])
            return None
        if request_type == 0x80 and request == 0:                 # GET_STATUS (device)
            return b'\x01\x00'                                    # self-powered
        if request_type in (0x81, 0x82) and request == 0:         # GET_STATUS iface/endpoint
            return b'\x00\x00'
        if request_type == 0x80 and request == 8:                 # GET_CONFIGURATION
            return b'\x01'
        if request_type == 0x81 and request == 10:                # GET_INTERFACE
            return b'\x00'
        if request_type in (0x00, 0x01, 0x02) and request in (1, 3, 9, 11):
            return b''                                            # CLEAR/SET_FEATURE, SET_CONFIG/IFACE
        if request_type == 0xA1 and request == 0:                 # printer class GET_DEVICE_ID
            return struct.pack('>H', len(self.device_id) + 2) + self.device_id
        if request_type == 0xA1 and request == 1:                 # printer class GET_PORT_STATUS
            state = self._refresh_state()
            port = 0x18                                           # selected, no error
            if 'paper-out' in state:
                port |= 0x20
            if state & OFFLINE_CAUSES:
                port &= ~0x08
            return bytes([port])
        if request_type == 0x21 and request == 2:                 # printer class SOFT_RESET
            self.replies.clear()
            return b''
        return None


# ---------------------------------------------------------------------------------------------

def find_preload():
    """Absolute path of libumockdev-preload.so.0."""
    path = os.environ.get('KIOSK_UMOCKDEV_PRELOAD')
    if path and os.path.exists(path):
        return path
    try:
        listing = subprocess.run(['ldconfig', '-p'], capture_output=True, text=True).stdout
    except OSError:
        listing = ''
    for line in listing.splitlines():
        if line.strip().startswith('libumockdev-preload.so.0 ') and 'x86-64' in line:
            return line.rsplit('=>', 1)[1].strip()
    for candidate in ('/usr/lib/x86_64-linux-gnu/libumockdev-preload.so.0',
                      '/lib/x86_64-linux-gnu/libumockdev-preload.so.0'):
        if os.path.exists(candidate):
            return candidate
    sys.exit('usb-printer: libumockdev-preload.so.0 not found (install umockdev)')


def write_atomically(path, text):
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    os.replace(tmp, path)


def parse_args(argv):
    command = []
    if '--' in argv:
        split = argv.index('--')
        argv, command = argv[:split], argv[split + 1:]
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--state-dir', required=True, help='folder for umockdev-dir, state, ...')
    parser.add_argument('--vendor', default='04b8', type=lambda s: int(s, 16), help='hex id')
    parser.add_argument('--product', default='0e02', type=lambda s: int(s, 16), help='hex id')
    parser.add_argument('--manufacturer', default='EPSON')
    parser.add_argument('--product-name', default='TM-T20 (kioskd emulator)')
    parser.add_argument('--serial', default='KIOSKEMU0001')
    parser.add_argument('--kernel-driver', default=None, metavar='NAME',
                        help='pretend NAME (e.g. usblp) is bound to interface 0 until the host '
                             'detaches it (default: no kernel driver)')
    args = parser.parse_args(argv)
    args.command = command
    return args


def run_under_preload(state_dir):
    """Re-executes this script with the umockdev preload library, unless already done.

    The emulator itself has to run under the preload for one thing only: uevents. To tell
    other processes (libusb's hotplug monitor) that the device came or went, umockdev looks
    the device up with libudev, which must see the testbed's /sys, not the real one. Without
    the preload every uevent fails with "uevent_sender_send: No such device".

    UMOCKDEV_DIR is set here, before the testbed exists, to a harmless placeholder (the state
    dir: no sys/ or dev/ inside). umockdev 0.17.16 (Debian 12) calls setenv("UMOCKDEV_DIR")
    after starting its worker thread, while the preload in that thread may call getenv();
    adding a new variable can reallocate the environment under the reader's feet (fixed in
    0.17.17). Replacing the value of an existing variable only swaps one pointer.
    """
    preload = find_preload()
    if preload in os.environ.get('LD_PRELOAD', '').split() and os.environ.get('UMOCKDEV_DIR'):
        return preload
    env = dict(os.environ, UMOCKDEV_DIR=state_dir,
               LD_PRELOAD=' '.join(filter(None, [preload, os.environ.get('LD_PRELOAD')])))
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)
    raise AssertionError("execve returned")


def main():
    args = parse_args(sys.argv[1:])
    args.state_dir = os.path.abspath(args.state_dir)
    os.makedirs(args.state_dir, exist_ok=True)
    run_under_preload(args.state_dir)
    state_file = os.path.join(args.state_dir, 'state')
    if not os.path.exists(state_file):
        write_atomically(state_file, 'online\n')
    for name in ('umockdev-dir', 'emulator.pid'):
        try:
            os.unlink(os.path.join(args.state_dir, name))
        except FileNotFoundError:
            pass

    # Put the testbed inside the state dir (GLib makes it under $TMPDIR) so everything stays
    # under one folder, unless that would make the ioctl socket path too long for sun_path
    # (108 bytes): the preload builds "<root>/ioctl//dev/bus/usb/001/002", 28 bytes plus root.
    saved_tmpdir = os.environ.get('TMPDIR')
    if len(args.state_dir) + len('/umockdev.XXXXXX') + 28 < 100:
        os.environ['TMPDIR'] = args.state_dir
    else:
        log('state dir path is long; the testbed goes to /tmp instead')
        os.environ['TMPDIR'] = '/tmp'

    printer = TicketPrinter(args)
    root = printer.start()

    def cleanup():
        for name in ('umockdev-dir', 'emulator.pid'):
            try:
                os.unlink(os.path.join(args.state_dir, name))
            except FileNotFoundError:
                pass
        shutil.rmtree(root, ignore_errors=True)

    loop = GLib.MainLoop()
    GLib.timeout_add(100, printer.poll)
    exit_status = 0

    if args.command:
        # Child mode: the preload must be in the child's environment from its start.
        env = dict(os.environ, UMOCKDEV_DIR=root)   # LD_PRELOAD is already set (see above)
        if saved_tmpdir is None:
            env.pop('TMPDIR', None)
        else:
            env['TMPDIR'] = saved_tmpdir
        child = subprocess.Popen(args.command, env=env)

        def child_exited(_pid, wait_status):
            nonlocal exit_status
            code = os.waitstatus_to_exitcode(wait_status)
            exit_status = code if code >= 0 else 128 - code
            loop.quit()
        GLib.child_watch_add(GLib.PRIORITY_DEFAULT, child.pid, child_exited)
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            GLib.unix_signal_add(GLib.PRIORITY_HIGH, signum,
                                 lambda s=signum: child.send_signal(s) or True)
    else:
        write_atomically(os.path.join(args.state_dir, 'emulator.pid'), '%d\n' % os.getpid())
        write_atomically(os.path.join(args.state_dir, 'umockdev-dir'), root + '\n')
        log('ready: %04x:%04x at %s, UMOCKDEV_DIR=%s'
            % (args.vendor, args.product, printer.node, root))
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            GLib.unix_signal_add(GLib.PRIORITY_HIGH, signum, loop.quit)

    loop.run()
    log('stopping')
    cleanup()
    sys.stderr.flush()
    # os._exit: skip interpreter teardown while umockdev's worker thread is still running.
    os._exit(exit_status)


if __name__ == '__main__':
    main()
