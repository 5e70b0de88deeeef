#!/usr/bin/env python3
"""Live migration (not CI): jvirt-vmm to jvirt-vmm against QEMU to QEMU, the same ticker guest on
KVM, in one run, over loopback TCP. For each RAM size, the guest idle (the ticker rewrites 64 KiB)
and dirtying memory (it rewrites DIRTY MiB in a loop, at each of the RATES in MiB/s of guest time,
a rate of 0 meaning as fast as its vCPU goes):
  jvirt: a source jvirt-vmm; a destination `jvirt-vmm --incoming tcp:127.0.0.1:PORT`; the control
         command jvirt-migrate on the source; its answer gives the downtime (host time from the
         source's pause to the destination's "running") and the total time.
  QEMU:  a source qemu-system-x86_64; a destination with `-incoming tcp:127.0.0.1:PORT`; QMP
         `migrate` with max-bandwidth unlimited and downtime-limit 300 ms (libvirt's settings);
         the downtime measured on the host as jvirt's is (the source's STOP event to the
         destination's RESUME event, QMP timestamps), query-migrate's own "downtime" (which ends
         before the destination runs) beside it, and its "total-time".
Both guests must tick on at the destination. Prints a markdown table with the ratios.
Usage: bench/migration-bench.py [--sizes 256,1024] [--dirty 64] [--rates 256,0] [--runs 3] [--trace DIR] [--jvirt-only] [--compressed]
Needs a built tree (scripts/setup.sh), /dev/kvm, qemu-system-x86_64.
"""
import json, os, re, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench", "state"))
from qmp import Qemu, ticker_args  # noqa: E402

ELF = os.path.join(ROOT, "test-fixtures", "target", "guests", "ticker.elf")
TICK = re.compile(r"tick (\d+)")


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


SIZES = [int(x) for x in arg("--sizes", "256,1024").split(",")]
DIRTY = int(arg("--dirty", "64"))
RATES = [int(x) for x in arg("--rates", "256,0").split(",")]
RUNS = int(arg("--runs", "3"))
# --compressed: jvirt's page deltas (jvirt-migrate compress) against QEMU's xbzrle, both with a 64 MiB cache
COMPRESSED = "--compressed" in sys.argv
# --trace DIR: jvirt's VMMs run with JVIRT_MIGRATION_TRACE=1, their stderr appended to DIR/{src,dst}.trace
TRACE_DIR = arg("--trace", None)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def last_tick(path):
    if not os.path.exists(path):
        return -1
    with open(path, errors="replace") as f:
        t = TICK.findall(f.read())
    return int(t[-1]) if t else -1


def await_tick(path, n, timeout=120):
    end = time.monotonic() + timeout
    while last_tick(path) < n:
        if time.monotonic() > end:
            raise RuntimeError("no tick %d in %s" % (n, path))
        time.sleep(0.02)


class Control:
    """jvirt-vmm's control socket speaks QMP's shape: greeting, qmp_capabilities, execute."""

    def __init__(self, path, proc):
        end = time.monotonic() + 60
        while not os.path.exists(path):
            if proc.poll() is not None or time.monotonic() > end:
                raise RuntimeError("jvirt-vmm did not start")
            time.sleep(0.02)
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.buf = b""
        self._read()
        self.cmd("qmp_capabilities")

    def _read(self):
        while b"\n" not in self.buf:
            self.buf += self.s.recv(65536)
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name, **args):
        self.s.sendall(json.dumps({"execute": name, "arguments": args} if args else {"execute": name}).encode() + b"\n")
        while True:
            r = self._read()
            if "return" in r:
                return r["return"]
            if "error" in r:
                raise RuntimeError(r["error"])


def vmm(work, tag, mib, append, extra):
    serial = os.path.join(work, tag + ".serial")
    ctl = os.path.join(work, tag + ".sock")
    err = open(os.path.join(TRACE_DIR, tag + ".trace"), "ab") if TRACE_DIR else subprocess.DEVNULL
    p = subprocess.Popen([os.path.join(ROOT, "bin", "jvirt-vmm"), "--accel", "kvm", "--memory", "%dM" % mib, "--kernel", ELF,
                          "--append", append, "--serial", "file:" + serial, "--control", ctl] + extra,
                         stdout=subprocess.DEVNULL, stderr=err, env=dict(os.environ, JVIRT_MIGRATION_TRACE="1") if TRACE_DIR else None)
    return p, serial, ctl


def guest_args(dirty_mib, rate):
    return "dirty=%d rate=%d" % (dirty_mib, rate)


def jvirt_once(work, mib, append):
    src, sserial, sctl = vmm(work, "src", mib, append, [])
    port = free_port()
    dst, dserial, dctl = vmm(work, "dst", mib, append, ["--incoming", "tcp:127.0.0.1:%d" % port])
    try:
        await_tick(sserial, 3)
        Control(dctl, dst)
        c = Control(sctl, src)
        r = c.cmd("jvirt-migrate", uri="tcp:127.0.0.1:%d" % port, **({"compress": True} if COMPRESSED else {}))
        c.cmd("quit")
        last = last_tick(sserial)
        await_tick(dserial, last + 2)
        return r["downtime"], r["total-time"]
    finally:
        for p in (src, dst):
            p.kill()
            p.wait()
        for f in os.listdir(work):  # files and the control sockets (isfile is false for a socket)
            if not os.path.isdir(os.path.join(work, f)):
                os.unlink(os.path.join(work, f))


def qemu_once(work, mib, guest):
    append = ["-append", guest]
    port = free_port()
    sw, dw = os.path.join(work, "qs"), os.path.join(work, "qd")
    os.makedirs(sw, exist_ok=True)
    os.makedirs(dw, exist_ok=True)
    src = Qemu(ticker_args(ELF, mib, os.path.join(sw, "serial")) + append, sw)
    dst = Qemu(ticker_args(ELF, mib, os.path.join(dw, "serial")) + append + ["-incoming", "tcp:127.0.0.1:%d" % port], dw)
    try:
        await_tick(os.path.join(sw, "serial"), 3)
        src.cmd("migrate-set-parameters", **{"max-bandwidth": 1 << 40, "downtime-limit": 300})
        if COMPRESSED:  # xbzrle on both sides, its cache as jvirt's (64 MiB, libvirt's compression.xbzrle.cache default)
            for q in (src, dst):
                q.cmd("migrate-set-capabilities", capabilities=[{"capability": "xbzrle", "state": True}])
            src.cmd("migrate-set-parameters", **{"xbzrle-cache-size": 64 << 20})
        src.cmd("migrate", uri="tcp:127.0.0.1:%d" % port)
        end = time.monotonic() + 300
        while True:
            info = src.cmd("query-migrate")
            if info.get("status") == "completed":
                break
            if info.get("status") == "failed" or time.monotonic() > end:
                raise RuntimeError("QEMU migration: %s" % info)
            time.sleep(0.01)
        # measured on the host as jvirt's is: the source's STOP to the destination's RESUME (QMP event
        # timestamps, one clock); query-migrate's own "downtime" ends before the destination runs
        stop = src.wait_event("STOP", timeout=10)
        resume = dst.wait_event("RESUME", timeout=30)
        ts = lambda e: e["timestamp"]["seconds"] * 1000.0 + e["timestamp"]["microseconds"] / 1000.0
        last = last_tick(os.path.join(sw, "serial"))
        await_tick(os.path.join(dw, "serial"), last + 2)
        return ts(resume) - ts(stop), info["total-time"], info["downtime"]
    finally:
        src.close()
        dst.close()


def main():
    work = tempfile.mkdtemp(prefix="jvirt-migration-bench-")
    print("| guest | jvirt downtime ms | QEMU downtime ms (host: STOP to RESUME) | ratio | QEMU's own downtime ms | jvirt total ms | QEMU total ms |")
    print("|---|---|---|---|---|---|---|")
    for mib in SIZES:
        cases = [("idle", guest_args(0, 0))] + [
            ("dirtying %d MiB at %s" % (DIRTY, "%d MiB/s" % r if r else "full speed"), guest_args(DIRTY, r)) for r in RATES]
        for kind, guest in cases:
            j = [jvirt_once(work, mib, guest) for _ in range(RUNS)]
            if "--jvirt-only" in sys.argv:  # for profiling with --trace: jvirt's figures alone
                print("| %d MiB, %s | jvirt downtimes %s ms | totals %s ms |" % (mib, kind, [x[0] for x in j], [x[1] for x in j]))
                sys.stdout.flush()
                continue
            q = [qemu_once(work, mib, guest) for _ in range(RUNS)]
            jd, jt = statistics.median(x[0] for x in j), statistics.median(x[1] for x in j)
            qd, qt = statistics.median(x[0] for x in q), statistics.median(x[1] for x in q)
            qown = statistics.median(x[2] for x in q)
            print("| %d MiB, %s | %d | %.1f | %.2f | %d | %d | %d |" % (mib, kind, jd, qd, jd / max(qd, 0.1), qown, jt, qt))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
