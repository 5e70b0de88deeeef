#!/bin/sh
# Makes OUT/initrd-balloon.img (default OUT ../target/linux) from build.sh's initrd.img: the same
# busybox /init and virtio modules, plus the kernel package's virtio_balloon module; with
# jvirt.balloon=1 on the command line the /init prints "init: BALLOON-READY MemTotal N" and
# waits (up to two minutes) for MemTotal to change and hold still for a second (the host set a
# balloon target; Linux's driver takes inflated pages out of MemTotal when DEFLATE_ON_OOM is not
# negotiated), prints "init: BALLOON MemTotal N (down D kB)", then waits for it to come back up
# ("init: BALLOON back MemTotal N") before JVIRT-GUEST-READY.
# Needs build.sh's output (OUT/.complete names the kernel package) and apt access to download
# that package again (build.sh keeps no modules); otherwise it writes the reason to
# OUT/UNAVAILABLE-balloon and exits 0, and the test that uses it skips. Idempotent.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../target/linux}
out=$(cd "$out" && pwd)
rm -f "$out/UNAVAILABLE-balloon"
unavailable() {
    echo "virtio-balloon-initrd.sh: WARNING: $*" >&2
    echo "$*" > "$out/UNAVAILABLE-balloon"
    exit 0
}
[ -f "$out/.complete" ] && [ -f "$out/initrd.img" ] || unavailable "no initrd.img from build.sh in $out"
pkg=$(cut -d' ' -f1 "$out/.complete")
stamp="$pkg $(cksum < "$out/initrd.img" | cut -d' ' -f1) $(cksum < "$0" | cut -d' ' -f1)"
if [ -f "$out/initrd-balloon.img" ] && [ -f "$out/.complete-balloon" ] && [ "$(cat "$out/.complete-balloon")" = "$stamp" ]; then
    exit 0
fi
rm -f "$out/.complete-balloon"
work=$out/work-balloon
rm -rf "$work"
mkdir -p "$work/deb" "$work/pkg" "$work/root"
(cd "$work/deb" && apt-get download -o APT::Sandbox::User=root "$pkg" >/dev/null 2>&1) ||
    { rm -rf "$work"; unavailable "'apt-get download $pkg' failed (no network access to a Debian mirror?)"; }
dpkg-deb --fsys-tarfile "$work"/deb/*.deb | (cd "$work/pkg" && tar -x --wildcards '*/virtio_balloon.ko*')
root=$work/root
(cd "$root" && gzip -dc "$out/initrd.img" | cpio -id --quiet)
for m in virtio_balloon; do
    f=$(find "$work/pkg" -name "$m.ko*" | head -n 1)
    [ -n "$f" ] || { echo "virtio-balloon-initrd.sh: no $m module in $pkg" >&2; exit 1; }
    case $f in
        *.xz) xz -dc "$f" ;;
        *.zst) zstd -qdc "$f" ;;
        *) cat "$f" ;;
    esac > "$root/lib/modules/$m.ko"
    deps=$(objcopy -O binary --only-section=.modinfo "$root/lib/modules/$m.ko" /dev/stdout | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' ')
    for d in $deps; do
        grep -qxF "$d" "$root/lib/modules/load-order" || { echo "virtio-balloon-initrd.sh: $m needs $d, not in the initrd" >&2; exit 1; }
    done
    echo "$m" >> "$root/lib/modules/load-order"
done
cat > "$work/check" <<'CHECK'
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
# the check goes just before the marker
awk -v check="$work/check" '
    /^echo JVIRT-GUEST-READY$/ && !done { while ((getline l < check) > 0) print l; done = 1 }
    { print }' "$root/init" > "$work/init.new"
mv "$work/init.new" "$root/init"
chmod 755 "$root/init"
grep -q BALLOON-READY "$root/init" || { echo "virtio-balloon-initrd.sh: could not extend /init" >&2; exit 1; }
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9n) > "$out/initrd-balloon.img"
rm -rf "$work"
echo "$stamp" > "$out/.complete-balloon"
echo "virtio-balloon-initrd.sh: $out/initrd-balloon.img ready ($pkg)" >&2
