#!/usr/bin/env python3
"""CPU-backend benchmarks (not CI): jvirt's emulator (jvirt-vmm --accel emu) against QEMU's TCG
(-accel tcg) on the same images, in one run.

  (a) guest instructions per second on a fixed CPL3 loop: insn-loop guest, 4 instructions per
      iteration; rate = 4 * (N2 - N1) / (wall(N2) - wall(N1)), so boot and exit cancel out
  (b) mixed integer workload: int-mix guest, the same difference method on `rounds`; reported as
      wall seconds per round (both backends run the same instructions; the checksums must agree)
  (c) Linux: wall time from process start to JVIRT-GUEST-READY on COM1 (Debian kernel as PVH
      vmlinux, busybox initrd, 512 MiB, one vCPU); also the process's CPU seconds up to then

Prints a markdown table with the ratios. Needs a built tree (scripts/setup.sh), the guests and
the Linux image (test-fixtures/target), qemu-system-x86_64.
Usage: bench/emu-bench.py [--runs N] [--loops N1,N2] [--rounds R1,R2] [--no-linux] [--no-qemu] [--classes DIR]
  --classes DIR  run jvirt's side from another build's vmm-engine classes directory (with this tree's
                 target/lib), e.g. a copy of an older commit's, for alternating old/new comparisons
  --no-qemu      jvirt's side only (prints its numbers without ratios)
"""
import os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUESTS = os.path.join(ROOT, "test-fixtures", "target", "guests")
LINUX = os.path.join(ROOT, "test-fixtures", "target", "linux")
QBOOT = "/usr/share/qemu/qboot.rom"


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


RUNS = int(arg("--runs", "3"))
LOOPS = [int(x) for x in arg("--loops", "10000000,60000000").split(",")]
ROUNDS = [int(x) for x in arg("--rounds", "2,12").split(",")]


CLASSES = arg("--classes", None)


def jvirt(kernel, append, initrd=None, mem="256M"):
    if CLASSES:  # the same JIT options as bin/jvirt-vmm
        lib = os.path.join(ROOT, "vmm-engine", "target", "lib", "*")
        vmm = ["java", "-XX:InlineSmallCode=8000", "-XX:FreqInlineSize=500", "-XX:CompileCommand=quiet",
               "-XX:CompileCommand=dontinline,org.jvirt.vmm.emu.cpu.CompiledBlock::step", "-cp", CLASSES + ":" + lib,
               "org.jvirt.vmm.cli.JvirtVmmMain"]
    else:
        vmm = [os.path.join(ROOT, "bin", "jvirt-vmm")]
    cmd = vmm + ["--accel", "emu", "--kernel", kernel, "--memory", mem, "--append", append]
    return cmd + (["--initrd", initrd] if initrd else [])


def qemu(kernel, append, initrd=None, mem="256M"):
    bios = ["-bios", QBOOT] if os.path.exists(QBOOT) else []
    cmd = ["qemu-system-x86_64"] + bios + ["-M", "pc", "-accel", "tcg", "-m", mem, "-nodefaults", "-no-user-config",
           "-display", "none", "-serial", "stdio", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-kernel", kernel, "-append", append]
    return cmd + (["-initrd", initrd] if initrd else [])


# CPU seconds (user + system) of each run stopped at its marker: steadier than wall time on a loaded
# machine, though it also counts the JVM's JIT and GC threads.
CPU_SECONDS = []


def timed(cmd, marker=None, timeout=600):
    """Wall seconds from exec to exit (or to the first line holding marker), and the output."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         errors="replace")
    out = []
    try:
        for line in p.stdout:
            out.append(line)
            if marker and marker in line:
                t = time.monotonic() - t0
                p.kill()
                _, _, usage = os.wait4(p.pid, 0)
                CPU_SECONDS.append(usage.ru_utime + usage.ru_stime)
                return t, "".join(out)
            if time.monotonic() - t0 > timeout:
                p.kill()
                break
        p.wait(timeout=timeout)
    finally:
        if p.poll() is None:
            p.kill()
    if marker:
        raise RuntimeError("no '%s' from %s:\n%s" % (marker, cmd[0], "".join(out[-20:])))
    return time.monotonic() - t0, "".join(out)


def median_time(make, marker=None):
    times, outs = [], []
    for _ in range(RUNS):
        t, out = timed(make(), marker)
        times.append(t)
        outs.append(out)
    return statistics.median(times), outs[-1]


def last_line_with(out, prefix):
    return next((l.strip() for l in out.splitlines() if l.startswith(prefix)), "(none)")


def main():
    loop = os.path.join(GUESTS, "insn-loop.elf")
    mix = os.path.join(GUESTS, "int-mix.elf")
    rows = []
    results = {}
    backends = (("jvirt emu", jvirt),) if "--no-qemu" in sys.argv else (("jvirt emu", jvirt), ("QEMU TCG", qemu))
    for name, make in backends:
        t1, _ = median_time(lambda: make(loop, "loops=%d" % LOOPS[0]))
        t2, out = median_time(lambda: make(loop, "loops=%d" % LOOPS[1]))
        mips = 4 * (LOOPS[1] - LOOPS[0]) / max(t2 - t1, 1e-6) / 1e6
        r1, _ = median_time(lambda: make(mix, "rounds=%d" % ROUNDS[0]))
        r2, mout = median_time(lambda: make(mix, "rounds=%d" % ROUNDS[1]))
        per_round = (r2 - r1) / (ROUNDS[1] - ROUNDS[0])
        results[name] = dict(mips=mips, per_round=per_round, loop=last_line_with(out, "insn-loop:"),
                             mix=last_line_with(mout, "int-mix:"))
        if "--no-linux" not in sys.argv:
            lt, _ = median_time(lambda: make(os.path.join(LINUX, "vmlinux"), "console=ttyS0 panic=-1 nokaslr",
                                             os.path.join(LINUX, "initrd.img"), "512M"), "JVIRT-GUEST-READY")
            results[name]["linux"] = lt
            results[name]["linux_cpu"] = statistics.median(CPU_SECONDS[-RUNS:])
    j = results["jvirt emu"]
    if "QEMU TCG" not in results:
        print("jvirt emu%s: loop %.1f M guest instructions/s, int-mix %.3f s per round%s" % (
            " (" + CLASSES + ")" if CLASSES else "", j["mips"], j["per_round"],
            ", Linux %.1f s, %.1f CPU s" % (j["linux"], j["linux_cpu"]) if "linux" in j else ""))
        print("  %s | %s; load average %.1f" % (j["loop"], j["mix"], os.getloadavg()[0]))
        return
    q = results["QEMU TCG"]
    print("| | jvirt emu | QEMU TCG | ratio jvirt/QEMU |")
    print("|---|---|---|---|")
    print("| loop: M guest instructions/s | %.1f | %.1f | %.3f |" % (j["mips"], q["mips"], j["mips"] / q["mips"]))
    print("| int-mix: s per round | %.3f | %.3f | %.2fx the time |" % (j["per_round"], q["per_round"],
                                                                     j["per_round"] / q["per_round"]))
    if "linux" in j:
        print("| Linux to JVIRT-GUEST-READY: s | %.1f | %.1f | %.1fx the time |" % (j["linux"], q["linux"],
                                                                                  j["linux"] / q["linux"]))
        print("| Linux: CPU s (user+sys) | %.1f | %.1f | %.1fx |" % (j["linux_cpu"], q["linux_cpu"],
                                                                  j["linux_cpu"] / q["linux_cpu"]))
    print()
    print("outputs agree: loop %s, int-mix %s" % (j["loop"] == q["loop"], j["mix"] == q["mix"]))
    print("  jvirt: %s | %s" % (j["loop"], j["mix"]))
    print("  QEMU:  %s | %s" % (q["loop"], q["mix"]))
    print("(medians of %d runs; loops %s, rounds %s; load average at the end %.1f)" % (RUNS, LOOPS, ROUNDS,
                                                                                    os.getloadavg()[0]))


if __name__ == "__main__":
    main()
