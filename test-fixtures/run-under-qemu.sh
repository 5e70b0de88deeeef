#!/bin/sh
# Runs one test guest under QEMU and prints its serial output (COM1) on stdout.
#
#   run-under-qemu.sh [--accel kvm|tcg] NAME [extra qemu args...]
#
# The reference command line for jvirt's own tests. Exit status is QEMU's:
# 1 = guest passed (debug-exit 0), 3 = guest failed (debug-exit 1),
# 0 = ACPI power-off (the poweroff guest), 124 = timeout (JVIRT_QEMU_TIMEOUT s, default 120).
# Accelerator: --accel, else $JVIRT_ACCEL, else kvm if /dev/kvm is usable, else tcg.
# Firmware: qboot (/usr/share/qemu/qboot.rom) when present, because under this machine's
# KVM the CPL0 firmware is emulated and SeaBIOS alone takes 3-7 s; JVIRT_QEMU_BIOS=seabios
# uses QEMU's default SeaBIOS instead. The guests pass with both.
# virtio-blk: a fresh disk image is made with mkdisk (or pass DISK=/path/to.img to
# keep it); its sector 1 is checked after the run and the result printed to stderr.
# disk-ticker: a fresh 1 MiB disk of zeros (or DISK=); pass -append ticks=N to make it stop.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
guests=$here/target/guests

accel=${JVIRT_ACCEL:-}
if [ "${1:-}" = "--accel" ]; then accel=$2; shift 2; fi
if [ -z "$accel" ]; then
    if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then accel=kvm; else accel=tcg; fi
fi
[ $# -ge 1 ] || { echo "usage: $0 [--accel kvm|tcg] NAME [qemu args...]" >&2; exit 2; }
name=$1; shift
elf=$guests/$name.elf
[ -f "$elf" ] || { echo "no $elf: build with 'mvn -pl test-fixtures package' or make -C $here/guests" >&2; exit 2; }

set -- -M pc -accel "$accel" -m 256 -nodefaults -no-user-config -display none \
    -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$elf" "$@"
case $name in
    smp) set -- -smp 2 "$@" ;;
esac
qboot=/usr/share/qemu/qboot.rom
if [ "${JVIRT_QEMU_BIOS:-qboot}" = qboot ] && [ -f "$qboot" ]; then
    set -- -bios "$qboot" "$@"
fi
case $name in
    reset) ;;                      # the guest reboots once: no -no-reboot
    *) set -- -no-reboot "$@" ;;
esac
disk=
case $name in
    virtio-blk|disk-ticker)
        disk=${DISK:-$(mktemp /tmp/jvirt-vblk.XXXXXX)}
        # virtio-blk: the agreed disk; disk-ticker: 1 MiB of zeros
        if [ -z "${DISK:-}" ]; then
            if [ "$name" = virtio-blk ]; then "$guests/mkdisk" "$disk"; else truncate -s 1M "$disk"; fi
        fi
        set -- "$@" -drive "file=$disk,format=raw,if=none,id=d0" -device virtio-blk-pci,drive=d0,disable-legacy=on ;;
esac

rc=0
timeout "${JVIRT_QEMU_TIMEOUT:-120}" qemu-system-x86_64 "$@" </dev/null || rc=$?
if [ -n "$disk" ]; then
    [ "$name" != virtio-blk ] || "$guests/mkdisk" --check "$disk" >&2 || true
    [ -n "${DISK:-}" ] || rm -f "$disk"
fi
exit $rc
