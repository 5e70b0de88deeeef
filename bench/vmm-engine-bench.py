#!/usr/bin/env python3
"""vmm-engine benchmarks (not CI): jvirt-vmm vs QEMU on the same test-fixtures guests.

  (a) process start -> first serial byte, and -> process exit   (serial guest)
  (b) port-I/O exits per second                                   (pio-loop guest: 100000 OUTs
      from CPL3; exits/s = 100000 / (wall(pio-loop) - wall(serial)))
  (c) host RSS of the VMM process for a 256 MiB guest              (ticker guest, sampled after 3 s)

Prints a markdown table. Needs: a built tree (mvn package), the guests
(make -C test-fixtures/guests), /dev/kvm, qemu-system-x86_64.
Usage: bench/vmm-engine-bench.py [--runs N]
"""
import os, statistics, subprocess, sys, time, select, signal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUESTS = os.path.join(ROOT, "test-fixtures", "target", "guests")
RUNS = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5


def jvirt(elf, mem="64M"):
    return [os.path.join(ROOT, "bin", "jvirt-vmm"), "--kernel", elf, "--memory", mem]


QBOOT = "/usr/share/qemu/qboot.rom"


def qemu(elf, mem="64M"):
    """test-fixtures/run-under-qemu.sh's command line: qboot when installed (SeaBIOS runs emulated
    at CPL0 on these hosts and adds seconds), -no-reboot."""
    bios = ["-bios", QBOOT] if os.path.exists(QBOOT) and os.environ.get("JVIRT_QEMU_BIOS", "qboot") == "qboot" else []
    return ["qemu-system-x86_64"] + bios + ["-no-reboot", "-M", "pc", "-accel", "kvm", "-m", mem.rstrip("M"),
            "-smp", "1", "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", elf]


def timed_run(cmd):
    """Returns (seconds to first stdout byte, seconds to exit, exit status)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    first = None
    while True:
        r, _, _ = select.select([p.stdout], [], [], 120)
        if not r:
            p.kill()
            raise RuntimeError("timeout: " + " ".join(cmd))
        chunk = os.read(p.stdout.fileno(), 65536)
        if chunk and first is None:
            first = time.monotonic() - t0
        if not chunk:
            break
    status = p.wait()
    return first, time.monotonic() - t0, status


def rss_kib(cmd, settle=3.0):
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    time.sleep(settle)
    rss = None
    with open(f"/proc/{p.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    p.send_signal(signal.SIGKILL)
    p.wait()
    return rss


def median(xs):
    return statistics.median(xs)


LOAD0 = "%.2f" % os.getloadavg()[0]


def main():
    serial = os.path.join(GUESTS, "serial.elf")
    pio = os.path.join(GUESTS, "pio-loop.elf")
    ticker = os.path.join(GUESTS, "ticker.elf")
    rows = []
    res = {}
    for name, mk in (("jvirt", jvirt), ("qemu", qemu)):
        firsts, exits, pios = [], [], []
        for _ in range(RUNS):  # interleave nothing heavy: one VMM at a time
            f, e, s = timed_run(mk(serial))
            assert s == 1, f"{name} serial guest exit status {s}"
            firsts.append(f); exits.append(e)
            _, ep, s = timed_run(mk(pio))
            assert s == 1, f"{name} pio-loop exit status {s}"
            pios.append(ep)
        res[name] = dict(first=median(firsts), exit=median(exits),
                         pio_rate=100000 / (median(pios) - median(exits)),
                         rss=rss_kib(mk(ticker, "256M")))
    j, q = res["jvirt"], res["qemu"]
    print(f"runs per figure: {RUNS} (medians); host: {os.uname().release}, {os.cpu_count()} CPUs, "
          f"load average before: {LOAD0}; QEMU firmware: {'qboot' if '-bios' in qemu('x') else 'SeaBIOS'}\n")
    print("| measure | jvirt-vmm | QEMU | jvirt/QEMU |")
    print("|---|---|---|---|")
    print(f"| start -> first serial byte (serial guest) | {j['first']*1000:.0f} ms | {q['first']*1000:.0f} ms | {j['first']/q['first']:.2f} |")
    print(f"| start -> exit (serial guest) | {j['exit']*1000:.0f} ms | {q['exit']*1000:.0f} ms | {j['exit']/q['exit']:.2f} |")
    print(f"| port-I/O exits/s from CPL3 (pio-loop guest) | {j['pio_rate']:.0f} | {q['pio_rate']:.0f} | {j['pio_rate']/q['pio_rate']:.2f} |")
    print(f"| VMM RSS, 256 MiB guest (ticker guest, 3 s) | {j['rss']/1024:.0f} MiB | {q['rss']/1024:.0f} MiB | {j['rss']/q['rss']:.2f} |")


if __name__ == "__main__":
    main()
