#!/bin/sh
# Prepares the Linux guest of the console display tests, cached in OUT (default ../target/linux-generic):
#   OUT/vmlinuz             the Debian *generic* kernel (bzImage) from linux-image-amd64: unlike the
#                           cloud kernel of build.sh it has the DRM drivers (virtio_gpu, bochs) as
#                           modules and vgacon + fbcon built in; booted from display-disk.raw
#   OUT/vmlinux             its uncompressed ELF (the PVH note: boots with -kernel directly). The direct
#                           boots use it: the emulator spends ~40 s unpacking the XZ bzImage
#   OUT/initrd-display.img  newc cpio + gzip: busybox-static, the modules below, and an /init that
#                           loads the DRM driver named by jvirt.drm=virtio_gpu|bochs on the command line
#                           (none without it: vgacon stays), clears tty1, writes a fixed screen of text
#                           (see the init), waits 2 s for the driver to flush it, prints
#                           JVIRT-DISPLAY-READY on COM1 and then sleeps forever; with jvirt.ata=1 instead
#                           it loads Linux's ATA drivers (ahci, ata_piix, sd_mod, sr_mod), reports each
#                           disk and CD-ROM, writes and reads back a sector, prints JVIRT-ATA-READY, powers off
#   OUT/display-disk.raw    64 MiB MBR disk the way images.sh makes boot-disk.raw (syslinux on a FAT
#                           partition) with this kernel and initrd-display.img, booted without jvirt.drm:
#                           for vgacon on the VGA text mode the firmware (SeaBIOS + VGA BIOS) set up
# The modules are the ones of the package (uncompressed .ko in Debian 12; .ko.xz/.ko.zst are
# decompressed): virtio_pci, the DRM drivers and the ATA drivers with their dependencies, found through each
# module's .modinfo "depends=" field (the package has no modules.dep: depmod runs at install time),
# one load order per driver in /lib/modules/DRIVER.order.
# Idempotent: does nothing when OUT/.complete names the same kernel package and this script's
# same content. Needs apt access to a Debian mirror (apt-get download), dpkg-deb, cpio, gzip,
# busybox-static, binutils (objcopy), xz-utils; the disk also syslinux, syslinux-common, mtools,
# dosfstools, fdisk (scripts/setup.sh installs them all). When the kernel cannot be had it writes
# the reason to OUT/UNAVAILABLE and exits 0 (the display tests skip with it); when only the disk
# tools are missing, the reason goes to OUT/DISK-UNAVAILABLE (the vgacon cases skip).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../target/linux-generic}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out/UNAVAILABLE"

unavailable() {
    echo "build-generic.sh: WARNING: no generic Linux guest: $*; the Linux display tests will skip" >&2
    echo "$*" > "$out/UNAVAILABLE"
    exit 0
}
cached() {
    [ -f "$out/.complete" ] && [ -f "$out/vmlinuz" ] && [ -f "$out/vmlinux" ] && [ -f "$out/initrd-display.img" ] &&
        { [ -f "$out/display-disk.raw" ] || [ -f "$out/DISK-UNAVAILABLE" ]; }
}
for tool in apt-cache apt-get dpkg-deb cpio gzip xz busybox objcopy; do
    command -v "$tool" >/dev/null 2>&1 || unavailable "the tool '$tool' is not installed (needs Debian's apt, dpkg, cpio, gzip, xz-utils, busybox-static, binutils)"
done

resolve_pkg() {
    apt-cache depends linux-image-amd64 2>/dev/null |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9].*-amd64$/ { print $2; exit }'
}
pkg=$(resolve_pkg || true)
if [ -z "$pkg" ]; then
    apt-get update -qq >/dev/null 2>&1 || true
    pkg=$(resolve_pkg || true)
fi
if [ -z "$pkg" ]; then
    cached && { echo "build-generic.sh: apt unavailable, keeping the cached $(cat "$out/.complete")" >&2; exit 0; }
    unavailable "apt cannot resolve linux-image-amd64 (no Debian apt sources, 'apt-get update' failed or needs root)"
fi

stamp="$pkg $(cksum < "$0" | cut -d' ' -f1)"
if cached && [ "$(cat "$out/.complete")" = "$stamp" ]; then
    exit 0
fi
rm -f "$out/.complete" "$out/DISK-UNAVAILABLE"
work=$out/work
rm -rf "$work"
mkdir -p "$work/deb" "$work/pkg"

echo "build-generic.sh: downloading $pkg" >&2
(cd "$work/deb" && apt-get download -o APT::Sandbox::User=root "$pkg" >/dev/null 2>&1) || {
    apt-get update -qq >/dev/null 2>&1 || true
    (cd "$work/deb" && apt-get download -o APT::Sandbox::User=root "$pkg" >/dev/null) || {
        rm -rf "$work"
        cached && { echo "build-generic.sh: cannot download $pkg, keeping the cached $(cat "$out/.complete")" >&2; exit 0; }
        unavailable "'apt-get download $pkg' failed (no network access to a Debian mirror?)"
    }
}
kver=${pkg#linux-image-}
# only what is used: the kernel and the module tree (the package is ~70 MB, mostly other modules)
dpkg-deb --fsys-tarfile "$work"/deb/*.deb | (cd "$work/pkg" && tar -x "./boot/vmlinuz-$kver" \
    "./lib/modules/$kver/modules.builtin" --wildcards "./lib/modules/$kver/kernel/drivers/*" "./lib/modules/$kver/kernel/block/*" "./lib/modules/$kver/kernel/lib/*" "./lib/modules/$kver/kernel/crypto/*")
cp "$work/pkg/boot/vmlinuz-$kver" "$out/vmlinuz"
# vmlinux: the payload after the first XZ stream magic (fd 37 7a 58 5a 00); the ELF check decides
off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$out/vmlinuz" | head -n 1 | cut -d: -f1)
[ -n "$off" ] || { echo "build-generic.sh: no XZ magic in vmlinuz (not an XZ kernel?)" >&2; exit 1; }
tail -c "+$((off + 1))" "$out/vmlinuz" | xz -dc --single-stream > "$work/vmlinux"
[ "$(head -c 4 "$work/vmlinux" | od -An -tx1 | tr -d ' \n')" = "7f454c46" ] ||
    { echo "build-generic.sh: XZ payload at $off is not an ELF" >&2; exit 1; }
mv "$work/vmlinux" "$out/vmlinux"

root=$work/initrd
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/lib/modules"
cp "$(command -v busybox)" "$root/bin/busybox"
moddir=$work/pkg/lib/modules/$kver
# a module's file: modinfo names use '_', some file names '-' (virtio-gpu.ko)
ko_path() {
    dashed=$(echo "$1" | tr _ -)
    find "$moddir/kernel" \( -name "$1.ko*" -o -name "$dashed.ko*" \) | head -n 1
}
ko_plain() {
    case $1 in
        *.xz) xz -dc "$1" ;;
        *.zst) zstd -qdc "$1" ;;
        *) cat "$1" ;;
    esac
}
# add_module ORDER NAME: NAME's dependencies first, then NAME, into the load order file ORDER, once
add_module() {
    grep -qxF "$2" "$1" && return 0
    f=$(ko_path "$2")
    if [ -z "$f" ]; then
        grep -q "/$(echo "$2" | tr _ -)\.ko\|/$2\.ko" "$moddir/modules.builtin" &&
            { echo "build-generic.sh: $2 is built in" >&2; return 0; }
        echo "build-generic.sh: $2 is neither a module nor built in" >&2
        exit 1
    fi
    [ -f "$root/lib/modules/$2.ko" ] || ko_plain "$f" > "$root/lib/modules/$2.ko"
    deps=$(objcopy -O binary --only-section=.modinfo "$root/lib/modules/$2.ko" /dev/stdout |
        tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' ')
    for d in $deps; do
        add_module "$1" "$d"
    done
    echo "$2" >> "$1"
}
for driver in virtio_gpu bochs; do
    order=$root/lib/modules/$driver.order
    : > "$order"
    [ "$driver" = virtio_gpu ] && add_module "$order" virtio_pci
    add_module "$order" "$driver"
    echo "build-generic.sh: $driver loads $(tr '\n' ' ' < "$order")" >&2
done
# Linux's own ATA drivers (the cloud kernel of build.sh has no ahci): the ICH9 AHCI, the PIIX IDE, disks, CD-ROMs
order=$root/lib/modules/ata.order
: > "$order"
for m in ahci ata_piix sd_mod sr_mod; do add_module "$order" "$m"; done
echo "build-generic.sh: ata loads $(tr '\n' ' ' < "$order")" >&2

# The screen: tty1 cleared, then fixed text in a few colours (attributes through ANSI escapes);
# no timestamps, no cursor (vt.global_cursor_default=0 and \e[?25l). The kernel says nothing
# there (quiet loglevel=0), COM1 gets the marker once the picture had 2 s to reach the device
# (virtio_gpu's fbdev flushes damage from a worker).
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
drm=
for w in $(cat /proc/cmdline); do
    case $w in
        jvirt.drm=*) drm=${w#jvirt.drm=} ;;
        jvirt.ata=1) ata=1 ;;
    esac
done
# jvirt.ata=1: the ATA drivers' view of each disk and CD-ROM (model, size, read-only, the first
# MiB's md5), one write-and-read-back on the disks past their first MiB, then power off
if [ -n "$ata" ]; then
    for m in $(cat /lib/modules/ata.order); do
        insmod /lib/modules/$m.ko || echo "init: insmod $m failed"
    done
    mkdir -p /tmp
    n=0
    while [ -z "$(ls /sys/block | grep -E '^(sd|sr)')" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    sleep 1
    for b in $(ls /sys/block | grep -E '^(sd|sr)' | sort); do
        echo "init: ata $b model '$(cat /sys/block/$b/device/model | sed 's/ *$//')' $(cat /sys/block/$b/size) sectors ro=$(cat /sys/block/$b/ro)" \
            "md5 $(dd if=/dev/$b bs=64k count=16 2>/dev/null | md5sum | cut -d' ' -f1)"
        case $b in sd*)
            printf 'jvirt ata %s %s\n' "$b" "$(seq 1 200 | tr '\n' ' ')" > /tmp/pattern
            dd if=/tmp/pattern of=/dev/$b bs=512 seek=2048 conv=fsync 2>/dev/null
            echo 3 > /proc/sys/vm/drop_caches
            echo "init: ata $b wrote $(dd if=/dev/$b bs=512 skip=2048 count=2 2>/dev/null | head -c $(wc -c < /tmp/pattern) | md5sum | cut -d' ' -f1)," \
                "expected $(md5sum < /tmp/pattern | cut -d' ' -f1)" ;;
        esac
    done
    echo JVIRT-ATA-READY
    poweroff -f
fi
if [ -n "$drm" ]; then
    for m in $(cat /lib/modules/$drm.order); do
        insmod /lib/modules/$m.ko || echo "init: insmod $m failed"
    done
    n=0
    while [ ! -e /sys/class/graphics/fb0 ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    echo "init: fb0 $(cat /sys/class/graphics/fb0/name 2>/dev/null) $(cat /sys/class/graphics/fb0/virtual_size 2>/dev/null)"
fi
{
    printf '\033[?25l\033[0m\033[H\033[2J'
    printf '\033[1;37;44m jvirt display test: the Linux console \033[0m\n\n'
    printf 'driver: %s\n' "${drm:-vgacon}"
    printf '\033[31mred \033[32mgreen \033[33myellow \033[34mblue \033[35mmagenta \033[36mcyan \033[37mwhite\033[0m\n'
    printf '\033[1;31mRED \033[1;32mGREEN \033[1;33mYELLOW \033[1;34mBLUE \033[1;35mMAGENTA \033[1;36mCYAN \033[1;37mWHITE\033[0m\n'
    printf '\033[30;47m black on white \033[0m \033[7m reverse \033[0m\n\n'
    printf 'ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789\n'
    printf '!"#$%%&()*+,-./:;<=>?@[\\]^_`{|}~\n'
    i=1
    while [ $i -le 8 ]; do printf 'line %d: the quick brown fox jumps over the lazy dog\n' $i; i=$((i + 1)); done
    printf '\033[20;10H\033[1;33;41m at row 20, column 10 \033[0m'
} > /dev/tty1
sleep 2
echo JVIRT-DISPLAY-READY
while :; do sleep 3600; done
INIT
chmod 755 "$root/init"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9n) > "$out/initrd-display.img"

# display-disk.raw: as images.sh's boot-disk.raw (BIOS part only), the display initrd, no jvirt.drm
disk_unavailable() {
    echo "build-generic.sh: WARNING: no display-disk.raw: $*; the vgacon display tests will skip" >&2
    echo "$*" > "$out/DISK-UNAVAILABLE"
}
MBR=/usr/lib/syslinux/mbr/mbr.bin
missing=
for tool in sfdisk mkfs.vfat mcopy syslinux; do
    command -v "$tool" >/dev/null 2>&1 || missing="the tool '$tool' is not installed"
done
[ -f $MBR ] || missing="$MBR is missing"
if [ -n "$missing" ]; then
    disk_unavailable "$missing (scripts/setup.sh installs syslinux, syslinux-common, mtools, dosfstools, fdisk)"
else
    export MTOOLS_SKIP_CHECK=1
    disk=$work/display-disk.raw
    truncate -s 64M "$disk"
    printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$disk"
    offset=$((2048 * 512))
    mkfs.vfat -n JVIRTDISP --offset 2048 "$disk" $(( (64 * 1024 - 1024) )) >/dev/null
    dd if=$MBR of="$disk" bs=440 count=1 conv=notrunc status=none
    syslinux --offset $offset --install "$disk"
    printf 'SERIAL 0 115200\nPROMPT 0\nTIMEOUT 0\nDEFAULT linux\nLABEL linux\n  KERNEL /vmlinuz\n  APPEND initrd=/initrd.img %s\n' \
        "console=ttyS0 quiet loglevel=0 consoleblank=0 vt.global_cursor_default=0 panic=-1 nokaslr" > "$work/syslinux.cfg"
    mcopy -i "$disk@@$offset" "$work/syslinux.cfg" ::/syslinux.cfg
    mcopy -i "$disk@@$offset" "$out/vmlinuz" ::/vmlinuz
    mcopy -i "$disk@@$offset" "$out/initrd-display.img" ::/initrd.img
    mv "$disk" "$out/display-disk.raw"
fi

rm -rf "$work"
echo "$stamp" > "$out/.complete"
echo "build-generic.sh: $out/vmlinuz, vmlinux, initrd-display.img$([ -f "$out/display-disk.raw" ] && echo ', display-disk.raw') ready ($pkg)" >&2
