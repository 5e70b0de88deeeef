#!/bin/sh
# Sourced by the scripts that make a test initrd from build.sh's initrd.img plus modules of the
# same kernel package (virtio-balloon-initrd.sh, virtio-input-initrd.sh). They set, then source this:
#   name     the initrd's tag: OUT/initrd-NAME.img, OUT/.complete-NAME, OUT/UNAVAILABLE-NAME
#   modules  the modules to add, in load order (their dependencies must be in the initrd already)
#   marker   a word of the check that shows it is in /init
#   check    shell lines /init runs just before its JVIRT-GUEST-READY marker
#   out      the output directory (build.sh's, where initrd.img is)
# Needs build.sh's output (OUT/.complete names the kernel package) and apt access to download
# that package again (build.sh keeps no modules); otherwise it writes the reason to
# OUT/UNAVAILABLE-NAME and exits 0, and the test that uses it skips. Idempotent: the initrd is
# made again only when initrd.img, the calling script or this file changed.
set -eu
script=$(basename "$0")
out=$(cd "$out" && pwd)
rm -f "$out/UNAVAILABLE-$name"
unavailable() {
    echo "$script: WARNING: $*" >&2
    echo "$*" > "$out/UNAVAILABLE-$name"
    exit 0
}
[ -f "$out/.complete" ] && [ -f "$out/initrd.img" ] || unavailable "no initrd.img from build.sh in $out"
pkg=$(cut -d' ' -f1 "$out/.complete")
lib=$(dirname "$0")/module-initrd.sh
stamp="$pkg $(cksum < "$out/initrd.img" | cut -d' ' -f1) $(cksum < "$0" | cut -d' ' -f1) $(cksum < "$lib" | cut -d' ' -f1)"
if [ -f "$out/initrd-$name.img" ] && [ -f "$out/.complete-$name" ] && [ "$(cat "$out/.complete-$name")" = "$stamp" ]; then
    exit 0
fi
rm -f "$out/.complete-$name"
work=$out/work-$name
rm -rf "$work"
mkdir -p "$work/deb" "$work/pkg" "$work/root"
(cd "$work/deb" && apt-get download -o APT::Sandbox::User=root "$pkg" >/dev/null 2>&1) ||
    { rm -rf "$work"; unavailable "'apt-get download $pkg' failed (no network access to a Debian mirror?)"; }
patterns=
for m in $modules; do patterns="$patterns */$m.ko*"; done
# shellcheck disable=SC2086 # one pattern a module
dpkg-deb --fsys-tarfile "$work"/deb/*.deb | (cd "$work/pkg" && set -f && tar -x --wildcards $patterns)
root=$work/root
(cd "$root" && gzip -dc "$out/initrd.img" | cpio -id --quiet)
for m in $modules; do
    f=$(find "$work/pkg" -name "$m.ko*" | head -n 1)
    [ -n "$f" ] || { echo "$script: no $m module in $pkg" >&2; exit 1; }
    case $f in
        *.xz) xz -dc "$f" ;;
        *.zst) zstd -qdc "$f" ;;
        *) cat "$f" ;;
    esac > "$root/lib/modules/$m.ko"
    deps=$(objcopy -O binary --only-section=.modinfo "$root/lib/modules/$m.ko" /dev/stdout | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' ')
    for d in $deps; do
        grep -qxF "$d" "$root/lib/modules/load-order" || { echo "$script: $m needs $d, not in the initrd" >&2; exit 1; }
    done
    echo "$m" >> "$root/lib/modules/load-order"
done
printf '%s\n' "$check" > "$work/check"
# the check goes just before the marker
awk -v check="$work/check" '
    /^echo JVIRT-GUEST-READY$/ && !done { while ((getline l < check) > 0) print l; done = 1 }
    { print }' "$root/init" > "$work/init.new"
mv "$work/init.new" "$root/init"
chmod 755 "$root/init"
grep -q "$marker" "$root/init" || { echo "$script: could not extend /init" >&2; exit 1; }
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9n) > "$out/initrd-$name.img"
rm -rf "$work"
echo "$stamp" > "$out/.complete-$name"
echo "$script: $out/initrd-$name.img ready ($pkg)" >&2
