#!/usr/bin/env python3
"""Firmware boot (not CI, issue 12 Deliver 7): wall time from the VMM's start to the firmware's
first output on COM1 and to the guest's JVIRT-GUEST-READY, jvirt against QEMU on the same media
with the same firmware and the same kind of accelerator, in one run:
  jvirt: bin/jvirt-vmm --accel emu --firmware /usr/share/seabios/bios-256k.bin --disk MEDIUM
  QEMU:  qemu-system-x86_64 -accel tcg -machine pc -bios (the same) -nographic -nodefaults
         -drive file=MEDIUM,if=virtio (the same virtio-blk disk jvirt gives)
MEDIUM is test-fixtures/target/linux/boot-disk.raw (syslinux, the Debian kernel, busybox initrd;
test-fixtures/linux/images.sh). With --no-disk both boot with no disk and "first output" is
SeaBIOS's banner, "ready" its "No bootable device." With --cdrom both boot the hybrid ISO
(test-fixtures/target/linux/boot.iso, ISOLINUX) from an IDE CD-ROM, the secondary master
(jvirt: --disk ISO,if=ide,media=cdrom,index=2 --boot order=d; QEMU: -cdrom ISO -boot order=d). Each side runs its process directly (no
libvirt on QEMU's side, no driver on jvirt's): the VMMs' own times.
Usage: bench/boot-bench.py [--runs 3] [--no-disk | --cdrom] [--timeout 300]
Needs a built tree (scripts/setup.sh), seabios, qemu-system-x86_64.
"""
import os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIOS = "/usr/share/seabios/bios-256k.bin"
DISK = os.path.join(ROOT, "test-fixtures", "target", "linux", "boot-disk.raw")
ISO = os.path.join(ROOT, "test-fixtures", "target", "linux", "boot.iso")


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


RUNS = int(arg("--runs", "3"))
TIMEOUT = float(arg("--timeout", "300"))
NO_DISK = "--no-disk" in sys.argv
CDROM = "--cdrom" in sys.argv
READY = b"No bootable device." if NO_DISK else b"JVIRT-GUEST-READY"


def jvirt_cmd():
    disk = [] if NO_DISK else ["--disk", DISK + ",ro"]
    if CDROM:
        disk = ["--disk", ISO + ",if=ide,media=cdrom,index=2", "--boot", "order=d"]
    return [os.path.join(ROOT, "bin", "jvirt-vmm"), "--accel", "emu", "--memory", "512M", "--firmware", BIOS] + disk


def qemu_cmd():
    disk = [] if NO_DISK else ["-drive", "file=%s,format=raw,if=virtio,readonly=on" % DISK]
    if CDROM:
        disk = ["-cdrom", ISO, "-boot", "order=d"]
    return ["qemu-system-x86_64", "-accel", "tcg", "-machine", "pc", "-m", "512", "-bios", BIOS, "-nographic",
            "-nodefaults", "-serial", "stdio", "-no-reboot"] + disk


def once(cmd):
    """(seconds to the first byte on COM1, seconds to READY)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    first, seen = None, b""
    try:
        os.set_blocking(p.stdout.fileno(), False)
        while time.monotonic() - t0 < TIMEOUT:
            chunk = p.stdout.read(65536)
            if chunk:
                if first is None:
                    first = time.monotonic() - t0
                seen += chunk
                if READY in seen:
                    return first, time.monotonic() - t0
            elif p.poll() is not None:
                break
            else:
                time.sleep(0.002)
        raise RuntimeError("%s: no %r within %.0f s; output tail: %r" % (cmd[0], READY, TIMEOUT, seen[-500:]))
    finally:
        p.kill()
        p.wait()


def main():
    j = [once(jvirt_cmd()) for _ in range(RUNS)]
    q = [once(qemu_cmd()) for _ in range(RUNS)]
    what = "no disk (to \"No bootable device.\")" if NO_DISK else "boot.iso on an IDE CD-ROM" if CDROM else "boot-disk.raw on virtio-blk"
    print("| SeaBIOS, %s | jvirt (emulator) s | QEMU (TCG) s | ratio |" % what)
    print("|---|---|---|---|")
    for i, label in ((0, "start to first COM1 output"), (1, "start to " + READY.decode())):
        jm, qm = statistics.median(x[i] for x in j), statistics.median(x[i] for x in q)
        print("| %s | %.2f | %.2f | %.1fx |" % (label, jm, qm, jm / qm))


if __name__ == "__main__":
    main()
