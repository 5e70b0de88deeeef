#!/bin/sh
# Makes OUT/initrd-vinput.img (default OUT ../target/linux) from build.sh's initrd.img: the same
# busybox /init and virtio modules, plus the kernel package's virtio_input and evdev modules; with
# jvirt.vinput=1 on the command line the /init prints /proc/bus/input/devices, then reads four
# events from the event device named "QEMU Virtio Keyboard" (after printing "init: VINPUT-READ")
# and prints each one's type, code and value (the timestamps left out), before JVIRT-GUEST-READY.
# How, and what it needs: module-initrd.sh.
set -eu
out=${1:-$(cd "$(dirname "$0")" && pwd)/../target/linux}
name=vinput
modules="virtio_input evdev"
marker=VINPUT-READ
check=$(cat <<'CHECK'
if grep -q jvirt.vinput=1 /proc/cmdline; then
    sed 's/^/init: /' /proc/bus/input/devices
    kbd=
    for e in /sys/class/input/event*; do
        [ "$(cat "$e/device/name")" = "QEMU Virtio Keyboard" ] && kbd=/dev/input/${e##*/}
    done
    echo "init: VINPUT-READ $kbd"
    dd if="$kbd" bs=24 count=4 2>/dev/null | od -An -tx2 -w24 -v | cut -c41- | sed 's/^/init: event/'
fi
CHECK
)
. "$(dirname "$0")/module-initrd.sh"
