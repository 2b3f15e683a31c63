#!/bin/bash
# Local stand-ins for kioskd's hardware, for the tests and the demo. Everything lives under DIR;
# the machine's own CUPS, SANE configuration and audio are never used or changed.
#
#   scripts/standins.sh start DIR    start them (stops leftovers in DIR first), write DIR/env.sh
#   scripts/standins.sh stop DIR     stop what start started (safe to repeat)
#   scripts/standins.sh status DIR   show what is running; exit 0 only if all of it is
#
# What start brings up:
#   DIR/cups   a private cupsd on the Unix socket DIR/cups/cups.sock with one raw queue,
#              "receipt", whose "capture" backend writes job N to DIR/cups/out/job-N.bin. While
#              DIR/cups/out/media-empty (or media-jam, door-open) exists the backend reports that
#              reason (REASON-error) and fails;
#              the queue retries the job every second, so it prints once the file is removed
#              (what a USB receipt printer out of paper looks like to a CUPS client). A second
#              queue, "receipt-faults", writes to DIR/cups/out-faults (its own media-empty flag).
#   DIR/sane   SANE_CONFIG_DIR with the "test" and "pnm" backends only.
#   DIR/usb    the emulated USB ESC/POS ticket printer (usb-ticket-printer-emulator.py): write
#              words like "paper-out" to DIR/usb/state, read what was printed in
#              DIR/usb/received.bin.
#   DIR/audio  empty folder for WAV output.
#   DIR/env.sh exports for a shell: CUPS_SERVER, SANE_CONFIG_DIR, UMOCKDEV_DIR,
#              KIOSK_UMOCKDEV_PRELOAD, KIOSK_STANDINS_DIR, KIOSK_AUDIO_DIR, KIOSK_USB_EMULATOR_DIR,
#              KIOSK_CUPS_OUT_DIR. LD_PRELOAD is deliberately not among them: only the process
#              that talks to the USB printer should run with
#              LD_PRELOAD=$KIOSK_UMOCKDEV_PRELOAD (it must be set when that process starts).
#
# The background processes are started with setsid, so they outlive this script and a Ctrl-C
# in the calling terminal; their pids are in DIR/pids/ and `stop` ends exactly those.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
emulator="$here/usb-ticket-printer-emulator.py"
queue=receipt

usage() {
    echo "usage: $0 start|stop|status DIR" >&2
    exit 2
}

[ $# -eq 2 ] || usage
action=$1
dir=$(realpath -m -- "$2")

say() { echo "standins: $*" >&2; }

# --- process bookkeeping --------------------------------------------------------------------

# Running and not a zombie. Our daemons are re-parented to PID 1 once this script exits, and
# an init that reaps slowly (seen: ~2 s) leaves them as zombies, which `kill -0` still finds.
running() {
    local state
    state=$(awk '$1 == "State:" { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

# A pid file is only trusted if that process's command line still mentions DIR: after a reboot
# or a crash the number may belong to someone else by now. (Right after `spawn`, before the
# exec, the child is a copy of this script, whose command line also holds DIR.)
pid_alive() {   # pid_alive PIDFILE -> prints the pid and succeeds if it is ours and running
    local file=$1 pid
    [ -s "$file" ] || return 1
    pid=$(<"$file")
    [[ $pid =~ ^[0-9]+$ ]] && running "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir" || return 1
    echo "$pid"
}

stop_one() {    # stop_one NAME: TERM, wait up to 5 s, then KILL
    local name=$1 file="$dir/pids/$1.pid" pid
    if pid=$(pid_alive "$file"); then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 100); do
            running "$pid" || break
            sleep 0.05
        done
        if running "$pid"; then
            say "$name (pid $pid) ignored SIGTERM, killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$file"
}

stop_all() {
    [ -d "$dir" ] || return 0
    stop_one usb-emulator
    stop_one cupsd
    rm -f "$dir/cups/cups.sock" "$dir/usb/umockdev-dir"
}

# Start a long-lived process in its own session, detached from our stdin/stdout.
spawn() {       # spawn NAME LOGFILE COMMAND...
    local name=$1 log=$2
    shift 2
    setsid "$@" </dev/null >"$log" 2>&1 &
    echo $! >"$dir/pids/$name.pid"
}

fail() {
    say "ERROR: $*"
    stop_all
    exit 1
}

show_log() {    # show_log FILE: the last lines of a log, for error messages
    [ -s "$1" ] && { echo "--- last lines of $1:"; tail -n 15 "$1"; } >&2
    return 0
}

# --- CUPS -----------------------------------------------------------------------------------

setup_cups() {
    local c="$dir/cups"
    mkdir -p "$c"/{conf,serverbin/backend,spool,cache,state,log,out,out-faults}
    # ServerBin: links to the system's filters and backends plus our capture backend. cupsd
    # (as root) refuses backends that are not root-owned or are group/world-writable.
    local entry
    for entry in /usr/lib/cups/*; do
        [ "${entry##*/}" = backend ] || ln -sfn "$entry" "$c/serverbin/"
    done
    for entry in /usr/lib/cups/backend/*; do
        ln -sfn "$entry" "$c/serverbin/backend/"
    done
    # Not a raw queue with a file: URI: that completes jobs and writes nothing in CUPS 2.4.
    cat >"$c/serverbin/backend/capture" <<'BACKEND'
#!/bin/sh
# CUPS backend "capture:/DIR": writes job N to DIR/job-N.bin (atomically, via a .tmp file).
# Stand-in for a receipt printer: while DIR/media-empty, DIR/media-jam or DIR/door-open exists it
# reports that printer-state reason (as REASON-error) to cupsd (a "STATE:" line on stderr) and
# fails the attempt; once the file is gone the reason is cleared.
# Arguments: job-id user title copies options [file]; without a file the job is on stdin.
[ $# -eq 0 ] && { echo 'direct capture "Unknown" "kioskd capture to files"'; exit 0; }
out="${DEVICE_URI#capture:}"
for reason in media-empty media-jam door-open; do
    if [ -e "$out/$reason" ]; then
        echo "STATE: +$reason-error" >&2
        echo "ERROR: $reason (remove $out/$reason)" >&2
        sleep 1     # the queue retries at once (retry-current-job): one attempt a second, not a busy loop
        exit 1
    fi
done
for reason in media-empty media-jam door-open; do echo "STATE: -$reason-error" >&2; done
umask 022   # job files readable by the test, whoever runs it (cupsd runs backends as lp)
if [ -n "${6:-}" ]; then cat -- "$6"; else cat; fi >"$out/job-$1.tmp" || exit 1
mv -f "$out/job-$1.tmp" "$out/job-$1.bin"
BACKEND
    chmod 755 "$c/serverbin/backend/capture" "$c/serverbin/backend" "$c/serverbin"

    # Only the Unix socket: no TCP port, so it cannot clash with the system cupsd on :631.
    cat >"$c/conf/cupsd.conf" <<CONF
Listen $c/cups.sock
LogLevel warn
WebInterface No
Browsing Off
BrowseLocalProtocols none
DefaultShared No
JobRetryInterval 1
MaxJobs 1000
PreserveJobHistory Yes
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  JobPrivateAccess all
  JobPrivateValues none
  SubscriptionPrivateAccess all
  SubscriptionPrivateValues none
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
CONF
    # Every path cupsd writes is inside DIR. Printcap must be set: its default is
    # /run/cups/printcap, which the system scheduler owns.
    {
        echo "ServerRoot $c/conf"
        echo "ServerBin $c/serverbin"
        echo "RequestRoot $c/spool"
        echo "CacheDir $c/cache"
        echo "StateDir $c/state"
        echo "TempDir $c/spool"
        echo "ErrorLog $c/log/error_log"
        echo "AccessLog $c/log/access_log"
        echo "PageLog $c/log/page_log"
        echo "Printcap $c/state/printcap"
        echo "Sandboxing Relaxed"
        if [ "$(id -u)" -eq 0 ]; then
            # cupsd refuses to run filters/backends as root; they run as lp, so lp must be
            # able to write where jobs go and reach DIR.
            echo "User lp"
            echo "Group lp"
        fi
    } >"$c/conf/cups-files.conf"
    chmod 755 "$dir" "$c"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R lp:lp "$c"/{spool,cache,state,log,out,out-faults}
        # mktemp -d makes 0700 folders, and DIR's parents must let lp through as well.
        setpriv --reuid=lp --regid=lp --clear-groups test -w "$c/out" ||
            fail "user lp (CUPS backends run as lp) cannot write $c/out; pick a DIR whose parent folders are world-searchable, e.g. under /tmp"
    fi
}

start_cups() {
    spawn cupsd "$dir/cups/log/cupsd.stdout" \
        /usr/sbin/cupsd -f -c "$dir/cups/conf/cupsd.conf" -s "$dir/cups/conf/cups-files.conf"
}

wait_cups() {
    local c="$dir/cups" sock="$dir/cups/cups.sock" out
    for _ in $(seq 100); do
        [ -S "$sock" ] && break
        running "$(<"$dir/pids/cupsd.pid")" || { show_log "$c/log/cupsd.stdout"; show_log "$c/log/error_log"; fail "cupsd exited during start-up"; }
        sleep 0.05
    done
    [ -S "$sock" ] || { show_log "$c/log/error_log"; fail "cupsd did not create $sock within 5 s"; }
    # Two queues: "receipt" for every test and the demo, and "receipt-faults" (its own folder,
    # DIR/cups/out-faults) for tests that run it out of paper without disturbing the others.
    local name target
    for name in "$queue" "$queue-faults"; do
        target="$c/out"
        [ "$name" = "$queue" ] || target="$c/out-faults"
        # lpadmin warns that raw queues are deprecated; keep its output for error messages only.
        if ! out=$(lpadmin -h "$sock" -p "$name" -E -v "capture:$target" -m raw \
                     -o printer-error-policy=retry-current-job 2>&1); then
            echo "$out" >&2
            show_log "$c/log/error_log"
            fail "lpadmin could not create the $name queue"
        fi
    done
    for _ in $(seq 50); do
        lpstat -h "$sock" -p "$queue" -p "$queue-faults" >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    show_log "$c/log/error_log"
    fail "queues $queue and $queue-faults do not show up in lpstat -h $sock"
}

# --- SANE -----------------------------------------------------------------------------------

setup_sane() {
    mkdir -p "$dir/sane"
    # No trailing ':' in SANE_CONFIG_DIR later, so the system's dll.conf (and its slow
    # network/USB backends) is not read at all.
    printf '%s\n' test pnm >"$dir/sane/dll.conf"
    if [ -r /etc/sane.d/test.conf ]; then
        cp /etc/sane.d/test.conf "$dir/sane/test.conf"
    else
        : >"$dir/sane/test.conf"
    fi
    local listing
    listing=$(SANE_CONFIG_DIR="$dir/sane" timeout 20 scanimage -L 2>&1) || true
    grep -q "test:0" <<<"$listing" || { echo "$listing" >&2; fail "scanimage -L with SANE_CONFIG_DIR=$dir/sane does not list test:0"; }
}

# --- USB ticket printer ---------------------------------------------------------------------

find_preload() {
    local path
    path=$(dpkg -L umockdev 2>/dev/null | grep '/libumockdev-preload\.so\.0$' | head -n 1) || true
    if [ -z "$path" ]; then
        path=$(ldconfig -p | awk '$1 == "libumockdev-preload.so.0" && /x86-64/ { print $NF; exit }')
    fi
    [ -n "$path" ] && [ -e "$path" ] || return 1
    echo "$path"
}

start_usb() {
    mkdir -p "$dir/usb"
    rm -f "$dir/usb/umockdev-dir"
    spawn usb-emulator "$dir/usb/emulator.log" \
        env -u PYTHONHOME -u PYTHONPATH KIOSK_UMOCKDEV_PRELOAD="$preload" \
        /usr/bin/python3 "$emulator" --state-dir "$dir/usb"
}

wait_usb() {
    for _ in $(seq 200); do
        [ -s "$dir/usb/umockdev-dir" ] && return 0
        running "$(<"$dir/pids/usb-emulator.pid")" || break
        sleep 0.025
    done
    show_log "$dir/usb/emulator.log"
    fail "the USB ticket printer emulator did not come up (no $dir/usb/umockdev-dir)"
}

# --- actions --------------------------------------------------------------------------------

write_env() {
    local umockdev_dir
    umockdev_dir=$(<"$dir/usb/umockdev-dir")
    {
        echo "# kioskd stand-ins in $dir (scripts/standins.sh). Source this file."
        printf 'export %s=%q\n' \
            CUPS_SERVER "$dir/cups/cups.sock" \
            SANE_CONFIG_DIR "$dir/sane" \
            UMOCKDEV_DIR "$umockdev_dir" \
            KIOSK_UMOCKDEV_PRELOAD "$preload" \
            KIOSK_STANDINS_DIR "$dir" \
            KIOSK_AUDIO_DIR "$dir/audio" \
            KIOSK_USB_EMULATOR_DIR "$dir/usb" \
            KIOSK_CUPS_OUT_DIR "$dir/cups/out" \
            KIOSK_CUPS_FAULTS_OUT_DIR "$dir/cups/out-faults"
    } >"$dir/env.sh.tmp"
    mv -f "$dir/env.sh.tmp" "$dir/env.sh"
}

do_start() {
    [ "$dir" != / ] || { say "ERROR: refusing to use / as DIR"; exit 1; }
    # Unix socket paths are limited to 108 bytes. DIR/cups/cups.sock is the one we place; the
    # emulator moves its testbed (DIR/usb/umockdev.XXXXXX/ioctl//dev/bus/usb/001/002) to /tmp
    # by itself when DIR is longer than about 50 characters.
    [ ${#dir} -le 60 ] || { say "ERROR: DIR path is too long for Unix sockets (max 60 characters): $dir"; exit 1; }
    local tool
    for tool in /usr/sbin/cupsd lpadmin lpstat scanimage /usr/bin/python3 setsid setpriv; do
        command -v "$tool" >/dev/null || { say "ERROR: $tool not found; run scripts/install-deps.sh"; exit 1; }
    done
    [ -r "$emulator" ] || { say "ERROR: $emulator is missing"; exit 1; }
    preload=$(find_preload) || { say "ERROR: libumockdev-preload.so.0 not found; run scripts/install-deps.sh"; exit 1; }

    # Leftovers of an earlier start in DIR are stopped and its outputs removed: tests count
    # job files, received bytes and WAVs, so every start begins empty.
    stop_all
    # Interrupted half-way: don't leave detached daemons behind.
    trap 'say "interrupted"; stop_all; exit 130' INT TERM HUP
    rm -rf "${dir:?}"/{cups,sane,usb,audio,pids} "$dir/env.sh"
    mkdir -p "$dir"/{pids,audio}

    # The two slow starters run side by side; SANE is checked while they come up.
    setup_cups
    start_cups
    start_usb
    setup_sane
    wait_cups
    wait_usb
    write_env
    trap - INT TERM HUP
    say "started in $dir (source $dir/env.sh)"
}

do_status() {
    local ok=0 pid
    if pid=$(pid_alive "$dir/pids/cupsd.pid") && lpstat -h "$dir/cups/cups.sock" -p "$queue" >/dev/null 2>&1; then
        echo "cupsd         running (pid $pid), queue $queue on $dir/cups/cups.sock"
    else
        echo "cupsd         NOT running"; ok=1
    fi
    if pid=$(pid_alive "$dir/pids/usb-emulator.pid") && [ -s "$dir/usb/umockdev-dir" ]; then
        echo "usb-emulator  running (pid $pid), UMOCKDEV_DIR=$(<"$dir/usb/umockdev-dir"), state: $(tr '\n' ' ' <"$dir/usb/state" 2>/dev/null)"
    else
        echo "usb-emulator  NOT running"; ok=1
    fi
    if [ -f "$dir/sane/dll.conf" ]; then echo "sane          $dir/sane"; else echo "sane          NOT set up"; ok=1; fi
    if [ -f "$dir/env.sh" ]; then echo "env           $dir/env.sh"; else echo "env           no env.sh"; ok=1; fi
    return $ok
}

case $action in
    start) do_start ;;
    stop)
        stop_all
        say "stopped ($dir)"
        ;;
    status) do_status ;;
    *) usage ;;
esac
