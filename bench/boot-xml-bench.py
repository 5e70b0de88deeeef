#!/usr/bin/env python3
"""Firmware boot through the drivers (not CI, issue 12 Deliver 7): the same domain XML started by
the real virsh on jvirtd (jvirt's driver, jvirt-vmm on its emulator) and on the real libvirtd
(its qemu driver, QEMU's TCG), in one run, alternating. Wall time from `virsh start` to the
firmware's first output in the domain's serial file and to the guest's JVIRT-GUEST-READY.

The domain: <domain type='qemu'>, 512 MiB, 1 vCPU, machine pc, no <loader> (SeaBIOS, QEMU's
default bios-256k.bin on both), <boot dev='cdrom'/>, the build's boot.iso (ISOLINUX, the Debian
kernel, busybox initrd) on an IDE cdrom (hdc), a file serial port. libvirtd runs as user nobody
with its qemu driver only, in session mode under a private directory (its socket, config and
logs there), never touching /etc/libvirt or a system libvirtd; jvirtd runs with --root.
Usage: bench/boot-xml-bench.py [--runs 3] [--timeout 300] [--virt-type qemu|kvm]
(--virt-type kvm: KVM against KVM on a host with hardware virtualization)
Needs a built tree (scripts/setup.sh), libvirt-daemon-driver-qemu, qemu-system-x86_64, seabios.
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ISO = os.path.join(ROOT, "test-fixtures", "target", "linux", "boot.iso")
QEMU_DRIVER = "/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so"
NOBODY = 65534


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


RUNS = int(arg("--runs", "3"))
TIMEOUT = float(arg("--timeout", "300"))
VIRT_TYPE = arg("--virt-type", "qemu")


def domain_xml(name, serial):
    return f"""<domain type='{VIRT_TYPE}'>
  <name>{name}</name>
  <memory unit='MiB'>512</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <boot dev='cdrom'/>
  </os>
  <features><acpi/><apic/></features>
  <on_reboot>destroy</on_reboot>
  <devices>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <source file='{ISO}'/>
      <target dev='hdc' bus='ide'/>
      <readonly/>
    </disk>
    <serial type='file'><source path='{serial}'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
"""


def virsh(uri, *args, check=True):
    r = subprocess.run(["virsh", "-c", uri] + list(args), capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
    if check and r.returncode != 0:
        raise SystemExit(f"virsh {' '.join(args)} on {uri} failed: {r.stdout}{r.stderr}")
    return r


def start_libvirtd(work):
    d = os.path.join(work, "libvirtd")
    for sub in ("home", "run", "drivers", "serial"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    os.chmod(work, 0o755)
    os.chmod(d, 0o755)
    os.symlink(QEMU_DRIVER, os.path.join(d, "drivers", os.path.basename(QEMU_DRIVER)))
    conf = os.path.join(d, "home", "libvirtd.conf")
    with open(conf, "w") as f:
        f.write(f'unix_sock_dir = "{d}/run"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\n')
    for sub in ("home", "run", "serial"):
        for base, dirs, files in os.walk(os.path.join(d, sub)):
            for p in [base] + [os.path.join(base, x) for x in files]:
                os.chown(p, NOBODY, NOBODY)
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": d + "/home", "XDG_CONFIG_HOME": d + "/home/.config",
           "XDG_CACHE_HOME": d + "/home/.cache", "XDG_RUNTIME_DIR": d + "/run", "LIBVIRT_DRIVER_DIR": d + "/drivers"}
    p = subprocess.Popen(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "/usr/sbin/libvirtd", "-f", conf],
                         env=env, cwd=d + "/home", stdout=open(d + "/libvirtd.log", "w"), stderr=subprocess.STDOUT)
    sock = os.path.join(d, "run", "libvirt-sock")
    for _ in range(300):
        if os.path.exists(sock):
            return p, f"qemu+unix:///session?socket={sock}", os.path.join(d, "serial")
        time.sleep(0.1)
    raise SystemExit("libvirtd did not start: " + open(d + "/libvirtd.log").read())


def start_jvirtd(work):
    root = os.path.join(work, "jvirtd")
    os.makedirs(os.path.join(root, "serial"))
    subprocess.run([os.path.join(ROOT, "bin", "jvirtd"), "--root", root, "-d"], check=True)
    sock = os.path.join(root, "run", "libvirt", "libvirt-sock")
    return f"qemu+unix:///system?socket={sock}", root, os.path.join(root, "serial")


def once(uri, name, serial_dir, run):
    serial = os.path.join(serial_dir, f"{name}-{run}.log")
    xml = os.path.join(serial_dir, f"{name}-{run}.xml")
    with open(xml, "w") as f:
        f.write(domain_xml(name, serial))
    virsh(uri, "define", xml)
    t0 = time.monotonic()
    virsh(uri, "start", name)
    first = ready = None
    while time.monotonic() - t0 < TIMEOUT:
        data = open(serial, "rb").read() if os.path.exists(serial) else b""
        if data and first is None:
            first = time.monotonic() - t0
        if b"JVIRT-GUEST-READY" in data:
            ready = time.monotonic() - t0
            break
        time.sleep(0.01)
    virsh(uri, "destroy", name, check=False)
    virsh(uri, "undefine", name)
    if ready is None:
        raise SystemExit(f"{uri}: no JVIRT-GUEST-READY in {TIMEOUT} s; serial: {open(serial, 'rb').read()[-2000:]!r}")
    return first, ready


def main():
    if os.geteuid() != 0:
        raise SystemExit("run as root (libvirtd is started as nobody)")
    work = tempfile.mkdtemp(prefix="jvirt-boot-xml-bench-")
    libvirtd, lv_uri, lv_serial = start_libvirtd(work)
    jv_uri, jv_root, jv_serial = start_jvirtd(work)
    results = {"jvirt": [], "libvirt": []}
    try:
        for run in range(RUNS):
            results["jvirt"].append(once(jv_uri, "bootj", jv_serial, run))
            results["libvirt"].append(once(lv_uri, "bootl", lv_serial, run))
    finally:
        libvirtd.terminate()
        libvirtd.wait()
        pid = os.path.join(jv_root, "run", "jvirtd.pid")
        if os.path.exists(pid):
            subprocess.run(["kill", open(pid).read().strip()])
    med = {k: (statistics.median(a for a, _ in v), statistics.median(b for _, b in v)) for k, v in results.items()}
    print("| | jvirt (jvirtd, emulator) | libvirt (libvirtd, QEMU TCG) | ratio jvirt/libvirt |")
    print("|---|---|---|---|")
    print("| start to first serial output, s | %.2f | %.2f | %.1fx |" % (med["jvirt"][0], med["libvirt"][0], med["jvirt"][0] / med["libvirt"][0]))
    print("| start to JVIRT-GUEST-READY, s | %.2f | %.2f | %.1fx |" % (med["jvirt"][1], med["libvirt"][1], med["jvirt"][1] / med["libvirt"][1]))
    print(f"(medians of {RUNS} runs, alternating; every run: jvirt {results['jvirt']}, libvirt {results['libvirt']};"
          f" load average at the end {os.getloadavg()[0]:.1f})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
