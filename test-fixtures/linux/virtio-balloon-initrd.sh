#!/bin/sh
# Makes OUT/initrd-balloon.img (default OUT ../target/linux) from build.sh's initrd.img: the same
# busybox /init and virtio modules, plus the kernel package's virtio_balloon module; with
# jvirt.balloon=1 on the command line the /init prints "init: BALLOON-READY MemTotal N" and
# waits (up to two minutes) for MemTotal to change and hold still for a second (the host set a
# balloon target; Linux's driver takes inflated pages out of MemTotal when DEFLATE_ON_OOM is not
# negotiated), prints "init: BALLOON MemTotal N (down D kB)", then waits for it to come back up
# ("init: BALLOON back MemTotal N") before JVIRT-GUEST-READY.
# How, and what it needs: module-initrd.sh.
set -eu
out=${1:-$(cd "$(dirname "$0")" && pwd)/../target/linux}
name=balloon
modules="virtio_balloon"
marker=BALLOON-READY
check=$(cat <<'CHECK'
if grep -q jvirt.balloon=1 /proc/cmdline; then
    memtotal() { sed -n 's/^MemTotal: *\([0-9]*\) kB$/\1/p' /proc/meminfo; }
    t0=$(memtotal)
    echo "init: BALLOON-READY MemTotal $t0"
    n=0; t=$t0
    while [ $n -lt 120 ]; do
        sleep 1; n=$((n + 1)); t1=$(memtotal)
        [ "$t1" != "$t0" ] && [ "$t1" = "$t" ] && break
        t=$t1
    done
    echo "init: BALLOON MemTotal $t (down $((t0 - t)) kB)"
    n=0
    while [ $n -lt 120 ] && [ "$(memtotal)" != "$t0" ]; do sleep 1; n=$((n + 1)); done
    echo "init: BALLOON back MemTotal $(memtotal)"
fi
CHECK
)
. "$(dirname "$0")/module-initrd.sh"
