#!/bin/sh
# Makes OUT/initrd-vinput.img (default OUT ../target/linux) from build.sh's initrd.img: the same
# busybox /init and virtio modules, plus the kernel package's virtio_input and evdev modules; with
# jvirt.vinput=1 on the command line the /init prints /proc/bus/input/devices, then reads four
# events from the event device named "QEMU Virtio Keyboard" (after printing "init: VINPUT-READ")
# and prints each one's type, code and value (the timestamps left out), before JVIRT-GUEST-READY.
# Needs build.sh's output (OUT/.complete names the kernel package) and apt access to download
# that package again (build.sh keeps no modules); otherwise it writes the reason to
# OUT/UNAVAILABLE-vinput and exits 0, and the test that uses it skips. Idempotent.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../target/linux}
out=$(cd "$out" && pwd)
rm -f "$out/UNAVAILABLE-vinput"
unavailable() {
    echo "virtio-input-initrd.sh: WARNING: $*" >&2
    echo "$*" > "$out/UNAVAILABLE-vinput"
    exit 0
}
[ -f "$out/.complete" ] && [ -f "$out/initrd.img" ] || unavailable "no initrd.img from build.sh in $out"
pkg=$(cut -d' ' -f1 "$out/.complete")
stamp="$pkg $(cksum < "$out/initrd.img" | cut -d' ' -f1) $(cksum < "$0" | cut -d' ' -f1)"
if [ -f "$out/initrd-vinput.img" ] && [ -f "$out/.complete-vinput" ] && [ "$(cat "$out/.complete-vinput")" = "$stamp" ]; then
    exit 0
fi
rm -f "$out/.complete-vinput"
work=$out/work-vinput
rm -rf "$work"
mkdir -p "$work/deb" "$work/pkg" "$work/root"
(cd "$work/deb" && apt-get download -o APT::Sandbox::User=root "$pkg" >/dev/null 2>&1) ||
    { rm -rf "$work"; unavailable "'apt-get download $pkg' failed (no network access to a Debian mirror?)"; }
dpkg-deb --fsys-tarfile "$work"/deb/*.deb | (cd "$work/pkg" && tar -x --wildcards '*/virtio_input.ko*' '*/evdev.ko*')
root=$work/root
(cd "$root" && gzip -dc "$out/initrd.img" | cpio -id --quiet)
for m in virtio_input evdev; do
    f=$(find "$work/pkg" -name "$m.ko*" | head -n 1)
    [ -n "$f" ] || { echo "virtio-input-initrd.sh: no $m module in $pkg" >&2; exit 1; }
    case $f in
        *.xz) xz -dc "$f" ;;
        *.zst) zstd -qdc "$f" ;;
        *) cat "$f" ;;
    esac > "$root/lib/modules/$m.ko"
    deps=$(objcopy -O binary --only-section=.modinfo "$root/lib/modules/$m.ko" /dev/stdout | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' ')
    for d in $deps; do
        grep -qxF "$d" "$root/lib/modules/load-order" || { echo "virtio-input-initrd.sh: $m needs $d, not in the initrd" >&2; exit 1; }
    done
    echo "$m" >> "$root/lib/modules/load-order"
done
cat > "$work/check" <<'CHECK'
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
# the check goes just before the marker
awk -v check="$work/check" '
    /^echo JVIRT-GUEST-READY$/ && !done { while ((getline l < check) > 0) print l; done = 1 }
    { print }' "$root/init" > "$work/init.new"
mv "$work/init.new" "$root/init"
chmod 755 "$root/init"
grep -q VINPUT-READ "$root/init" || { echo "virtio-input-initrd.sh: could not extend /init" >&2; exit 1; }
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9n) > "$out/initrd-vinput.img"
rm -rf "$work"
echo "$stamp" > "$out/.complete-vinput"
echo "virtio-input-initrd.sh: $out/initrd-vinput.img ready ($pkg)" >&2
