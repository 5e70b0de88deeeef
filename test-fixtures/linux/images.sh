#!/bin/sh
# Makes bootable media of the Linux guest that build.sh prepared (OUT/vmlinuz, OUT/initrd.img),
# for the firmware boot tests (issue 12), from Debian packages and without root or loop mounts:
#   OUT/boot-disk.raw    64 MiB, an MBR with syslinux's boot code and one active FAT partition of
#                        type 0xEF (an EFI system partition on an MBR disk, as the UEFI spec
#                        allows): syslinux for BIOS firmware, GRUB's EFI image as
#                        /EFI/BOOT/BOOTX64.EFI for UEFI firmware; both boot the same kernel and
#                        initrd on the serial console
#   OUT/boot-disk.qcow2  the same disk as qcow2 (qemu-img, a tool of the tests)
#   OUT/boot.iso         a hybrid ISO 9660 image: El Torito for BIOS (isolinux) and for UEFI (a
#                        FAT image holding the same GRUB EFI image), and isohybrid MBR/GPT so it
#                        also boots as a disk
# Each boots to JVIRT-GUEST-READY and powers off. Idempotent: does nothing when OUT/.images
# names the same kernel build. Needs syslinux, syslinux-common, isolinux, mtools, dosfstools,
# fdisk (sfdisk), grub-efi-amd64-bin + grub-common (grub-mkstandalone), xorriso, qemu-utils
# (scripts/setup.sh installs them); when one is missing it writes the reason to
# OUT/IMAGES-UNAVAILABLE and exits 0, so that the tests skip with it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../target/linux}
out=$(cd "$out" && pwd)
rm -f "$out/IMAGES-UNAVAILABLE"

unavailable() {
    echo "images.sh: WARNING: no boot media: $*; the firmware boot tests will skip" >&2
    echo "$*" > "$out/IMAGES-UNAVAILABLE"
    exit 0
}
[ -f "$out/.complete" ] && [ -f "$out/vmlinuz" ] && [ -f "$out/initrd.img" ] || unavailable "no Linux guest (build.sh: $(cat "$out/UNAVAILABLE" 2>/dev/null || echo 'not run'))"
for tool in sfdisk mkfs.vfat mcopy mmd syslinux grub-mkstandalone xorriso qemu-img; do
    command -v "$tool" >/dev/null 2>&1 || unavailable "the tool '$tool' is not installed (scripts/setup.sh installs syslinux, isolinux, mtools, dosfstools, fdisk, grub-efi-amd64-bin, xorriso, qemu-utils)"
done
MBR=/usr/lib/syslinux/mbr/mbr.bin
ISOLINUX=/usr/lib/ISOLINUX/isolinux.bin
ISOHYBRID_MBR=/usr/lib/ISOLINUX/isohdpfx.bin
LDLINUX=/usr/lib/syslinux/modules/bios/ldlinux.c32
for f in $MBR $ISOLINUX $ISOHYBRID_MBR $LDLINUX /usr/lib/grub/x86_64-efi/linux.mod; do
    [ -f "$f" ] || unavailable "$f is missing (packages syslinux-common, isolinux, grub-efi-amd64-bin)"
done

stamp="$(cat "$out/.complete") images-v2"
if [ -f "$out/.images" ] && [ "$(cat "$out/.images")" = "$stamp" ] &&
   [ -f "$out/boot-disk.raw" ] && [ -f "$out/boot-disk.qcow2" ] && [ -f "$out/boot.iso" ]; then
    exit 0
fi
rm -f "$out/.images"
work=$out/images-work
rm -rf "$work"
mkdir -p "$work/iso/isolinux"
# The kernel command line of the direct-kernel tests (LinuxImages.CMDLINE), and jvirt.dhcp=auto:
# a guest booted from these images with a NIC asks for a DHCP lease (as a cloud image would).
cmdline="console=ttyS0 earlyprintk=serial,ttyS0 panic=-1 nokaslr jvirt.dhcp=auto"
export MTOOLS_SKIP_CHECK=1

# GRUB for UEFI: one standalone EFI binary with its config inside; it finds the medium holding
# /vmlinuz (the FAT partition or the ISO) and boots it on the serial console.
cat > "$work/grub.cfg" <<EOF
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
search --no-floppy --file --set=root /vmlinuz
linux /vmlinuz $cmdline
initrd /initrd.img
boot
EOF
grub-mkstandalone -O x86_64-efi -o "$work/BOOTX64.EFI" \
    --install-modules="linux normal search search_fs_file serial terminal part_msdos part_gpt fat iso9660 configfile" \
    --modules="part_msdos part_gpt fat iso9660" --locales= --fonts= --themes= \
    "boot/grub/grub.cfg=$work/grub.cfg"

# syslinux/isolinux for BIOS: straight to the kernel, on the serial console.
syslinux_cfg() {
    printf 'SERIAL 0 115200\nPROMPT 0\nTIMEOUT 0\nDEFAULT linux\nLABEL linux\n  KERNEL /vmlinuz\n  APPEND initrd=/initrd.img %s\n' "$cmdline"
}

# The disk: MBR + partition 1 at 1 MiB (type 0xEF, active), FAT, syslinux in its boot sector.
disk=$work/boot-disk.raw
truncate -s 64M "$disk"
printf 'label: dos\nstart=2048, type=ef, bootable\n' | sfdisk -q "$disk"
offset=$((2048 * 512))
mkfs.vfat -n JVIRTBOOT --offset 2048 "$disk" $(( (64 * 1024 - 1024) )) >/dev/null
dd if=$MBR of="$disk" bs=440 count=1 conv=notrunc status=none
syslinux --offset $offset --install "$disk"
syslinux_cfg > "$work/syslinux.cfg"
mcopy -i "$disk@@$offset" "$work/syslinux.cfg" ::/syslinux.cfg
mcopy -i "$disk@@$offset" "$out/vmlinuz" ::/vmlinuz
mcopy -i "$disk@@$offset" "$out/initrd.img" ::/initrd.img
mmd -i "$disk@@$offset" ::/EFI ::/EFI/BOOT
mcopy -i "$disk@@$offset" "$work/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
qemu-img convert -f raw -O qcow2 "$disk" "$work/boot-disk.qcow2"

# The ISO: isolinux (BIOS El Torito), efiboot.img (UEFI El Torito: a FAT image with the same
# GRUB), hybrid MBR/GPT. GRUB finds /vmlinuz on the ISO 9660 file system itself.
cp $ISOLINUX $LDLINUX "$work/iso/isolinux/"
syslinux_cfg > "$work/iso/isolinux/isolinux.cfg"
cp "$out/vmlinuz" "$out/initrd.img" "$work/iso/"
efi=$work/iso/efiboot.img
truncate -s 4M "$efi"
mkfs.vfat -n JVIRTEFI "$efi" >/dev/null
mmd -i "$efi" ::/EFI ::/EFI/BOOT
mcopy -i "$efi" "$work/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
xorriso -as mkisofs -quiet -o "$work/boot.iso" -V JVIRT-BOOT -isohybrid-mbr $ISOHYBRID_MBR \
    -c isolinux/boot.cat -b isolinux/isolinux.bin -no-emul-boot -boot-load-size 4 -boot-info-table \
    -eltorito-alt-boot -e efiboot.img -no-emul-boot -isohybrid-gpt-basdat "$work/iso"

mv "$disk" "$work/boot-disk.qcow2" "$work/boot.iso" "$out/"
rm -rf "$work"
echo "$stamp" > "$out/.images"
echo "images.sh: made boot-disk.raw, boot-disk.qcow2, boot.iso in $out" >&2
