#!/usr/bin/env python3
"""Save, restore and snapshot benchmarks (issue 8; not CI): jvirt against QEMU on KVM, in one run, on
the `ticker` test guest (1 vCPU, prints "tick N" every 100 ms), for several guest RAM sizes.

  save     jvirt: pause + MachineStateFile.save in a fresh VMM process (bench/state/StateBench.java);
           QEMU: QMP `stop` + `migrate "exec:cat > FILE"` (what libvirt's virsh save does, with
           libvirt's unlimited migration bandwidth) until the MIGRATION event says completed
  restore  measured inside the VMM, from the load request until the vCPUs run again:
           jvirt: MachineStateFile.restore + Machine.resume in a fresh VMM process set up paused, as
           jvirt-vmm --restore does; QEMU: started with `-incoming defer`, `migrate-incoming
           "exec:cat FILE"`, MIGRATION completed, `cont` (what libvirt's virsh restore does).
           Beside it the process start: exec until the VMM takes the request (jvirt: the JVM, the
           machine set up paused; QEMU: its QMP monitor answering). Both guests must tick on
           from the saved tick.
  snapshot full-system internal snapshot of the running guest with a 64 MiB qcow2 disk:
           jvirt: driver API on jvirt:///embed (snapshotCreateXML / revertToSnapshot: the revert
           stops the VMM and starts a new one from the state file, its JVM start included);
           QEMU: HMP savevm / loadvm over QMP (human-monitor-command) in the running process.
           The ticks must jump back to the snapshot point and go on.

Prints markdown tables with the ratios (jvirt time / QEMU time). Needs /dev/kvm, qemu-system-x86_64,
qemu-img, the built tree (mvn -o -q -pl driver,vmm-engine -am package -DskipTests) and the
test-fixtures guests. Temporary files under $TMPDIR (state files are sparse, up to the largest size).
Usage: bench/state-bench.py [--runs N] [--sizes 256,1024,4096] [--snapshot-sizes 256,1024]
"""
import os, re, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "state"))
from qmp import Qemu, ticker_args  # noqa: E402

ELF = os.path.join(ROOT, "test-fixtures", "target", "guests", "ticker.elf")
TICK = re.compile(r"tick (\d+)\n")
# bin/jvirt-vmm's JVM options, so that the fresh VMM processes start as jvirt-vmm does
JVM = ["java", "-XX:InlineSmallCode=8000", "-XX:FreqInlineSize=500"]


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


RUNS = int(arg("--runs", "3"))
SIZES = [int(x) for x in arg("--sizes", "256,1024,4096").split(",")]
SNAP_SIZES = [int(x) for x in arg("--snapshot-sizes", "256,1024").split(",") if x]


def ticks(path):
    if not os.path.exists(path):
        return []
    with open(path, errors="replace") as f:
        return [int(n) for n in TICK.findall(f.read().replace("\r\n", "\n"))]


def await_tick(path, n, timeout=60):
    deadline = time.monotonic() + timeout
    while not ticks(path) or ticks(path)[-1] < n:
        if time.monotonic() > deadline:
            raise RuntimeError("no tick %d in %s" % (n, path))
        time.sleep(0.01)


def cpu_ms(pid):
    """CPU time of a process's threads so far (schedstat, ns): unlike wall time it does not count waiting for a busy CPU."""
    total = 0
    for t in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, t)) as f:
                total += int(f.read().split()[0])
        except OSError:
            pass  # the thread ended meanwhile
    return total / 1e6


def cpu_ms_with_ended_threads(pid):
    """utime + stime of /proc/PID/stat: counts threads that have ended (QEMU's migration thread ends
    when the save completes, taking its schedstat with it), in clock ticks (10 ms resolution)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")


def kv(line):
    return dict(p.split("=", 1) for p in line.split()[1:])


def label(mib):
    return "%d GiB" % (mib // 1024) if mib >= 1024 else "%d MiB" % mib


def ms(x):
    return "%.1f ms" % x if x >= 10 else "%.2f ms" % x


class Jvirt:
    def __init__(self, work):
        mods = ["vmm-engine", "vmm-protocol", "driver", "domain-xml"]
        for m in mods:
            if not os.path.isdir(os.path.join(ROOT, m, "target", "classes", "org")):
                sys.exit("build first: mvn -o -q -pl driver,vmm-engine -am package -DskipTests (%s)" % m)
        classes = os.path.join(work, "bench-classes")
        self.cp = ":".join([classes] + [os.path.join(ROOT, m, "target", "classes") for m in mods]
                           + [os.path.join(ROOT, "driver", "target", "lib", "*")])
        # compiled once: the fresh processes below start as jvirt-vmm does, without the source launcher
        subprocess.run(["javac", "-d", classes, "-cp", self.cp, os.path.join(HERE, "state", "StateBench.java")], check=True)

    def java(self, *args, **kw):
        return subprocess.run(JVM + ["-cp", self.cp, "StateBench"] + [str(a) for a in args], check=True, text=True,
                              stdout=subprocess.PIPE, **kw).stdout

    def warm(self, work, runs, sizes):
        return {int(kv(l)["mib"]): kv(l) for l in self.java("warm", ELF, work, runs, *sizes).splitlines() if l.startswith("warm ")}

    def save(self, file, mib):
        return kv(self.java("save", ELF, file, mib).strip().splitlines()[-1])

    def restore(self, file, mib, last):
        t0 = time.monotonic()
        p = subprocess.Popen(JVM + ["-cp", self.cp, "StateBench", "restore", ELF, file, str(mib), str(last)],
                             stdout=subprocess.PIPE, text=True)
        if p.stdout.readline().strip() != "ready":
            raise RuntimeError("jvirt restore run failed")
        start = (time.monotonic() - t0) * 1000
        out = p.stdout.read()
        if p.wait() != 0:
            raise RuntimeError("jvirt restore run failed")
        r = kv(out.strip().splitlines()[-1])
        r["process_start_ms"] = start
        return r

    def snapshots(self, work, mib, runs):
        root = os.path.join(work, "embed-%d" % mib)
        os.makedirs(root)
        disk, serial = os.path.join(root, "disk.qcow2"), os.path.join(root, "serial.log")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk, "64M"], check=True)
        xml = os.path.join(root, "tick.xml")
        with open(xml, "w") as f:
            f.write("<domain type='kvm'>\n  <name>tick</name>\n  <memory unit='MiB'>%d</memory>\n  <vcpu>1</vcpu>\n"
                    "  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>%s</kernel>\n  </os>\n"
                    "  <devices>\n    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n"
                    "      <source file='%s'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n"
                    "    <serial type='file'>\n      <source path='%s'/>\n      <target port='0'/>\n    </serial>\n"
                    "  </devices>\n</domain>\n" % (mib, ELF, disk, serial))
        out = subprocess.run(JVM + ["-Djvirt.vmm=" + os.path.join(ROOT, "bin", "jvirt-vmm"), "-cp", self.cp, "StateBench",
                                    "snapshot", root, xml, serial, str(runs)], check=True, text=True, stdout=subprocess.PIPE).stdout
        return [kv(l) for l in out.splitlines() if l.startswith("snapshot ")]


def qemu_save(work, mib, file):
    serial = os.path.join(work, "qemu-save.log")
    if os.path.exists(serial):
        os.unlink(serial)
    q = Qemu(ticker_args(ELF, mib, serial), work)
    try:
        await_tick(serial, 3)
        q.cmd("migrate-set-capabilities", capabilities=[{"capability": "events", "state": True}])
        q.cmd("migrate-set-parameters", **{"max-bandwidth": 2 ** 63 - 1})  # as libvirt sets it for a save
        c0, t0 = cpu_ms_with_ended_threads(q.proc.pid), time.monotonic()
        q.cmd("stop")
        q.cmd("migrate", uri="exec:cat > " + file)
        e = q.wait_event("MIGRATION", lambda e: e["data"]["status"] in ("completed", "failed"))
        t, cpu = (time.monotonic() - t0) * 1000, cpu_ms_with_ended_threads(q.proc.pid) - c0
        if e["data"]["status"] != "completed":
            raise RuntimeError("QEMU migration to file failed")
        # jvirt's save syncs its file (and the directory) before it renames it into place; QEMU's
        # `exec:cat` does not: the same sync after it, for a like-for-like figure beside the bare one
        fd = os.open(file, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        dfd = os.open(os.path.dirname(file), os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        return t, (time.monotonic() - t0) * 1000, ticks(serial)[-1], cpu
    finally:
        q.close()


def qemu_restore(work, mib, file, last):
    serial = os.path.join(work, "qemu-restore.log")
    if os.path.exists(serial):
        os.unlink(serial)
    q = Qemu(ticker_args(ELF, mib, serial, ["-incoming", "defer"]), work)
    try:
        start = (q.t_ready - q.t_exec) * 1000
        q.cmd("migrate-set-capabilities", capabilities=[{"capability": "events", "state": True}])
        c0, t0 = cpu_ms(q.proc.pid), time.monotonic()
        q.cmd("migrate-incoming", uri="exec:cat " + file)
        e = q.wait_event("MIGRATION", lambda e: e["data"]["status"] in ("completed", "failed"))
        if e["data"]["status"] != "completed":
            raise RuntimeError("QEMU incoming migration failed")
        q.cmd("cont")  # the source was stopped for the save: QEMU comes back paused, as libvirt finds it
        t, cpu = (time.monotonic() - t0) * 1000, cpu_ms(q.proc.pid) - c0
        if q.cmd("query-status")["status"] != "running":
            raise RuntimeError("QEMU not running after restore")
        await_tick(serial, last + 2)
        if ticks(serial)[0] not in (last + 1, last + 2):  # +2: the save cut a line in the middle
            raise RuntimeError("QEMU resumed at tick %d, saved after %d" % (ticks(serial)[0], last))
        return t, start, cpu
    finally:
        q.close()


def qemu_snapshots(work, mib, runs):
    disk, serial = os.path.join(work, "qemu-snap-%d.qcow2" % mib), os.path.join(work, "qemu-snap-%d.log" % mib)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk, "64M"], check=True)
    q = Qemu(ticker_args(ELF, mib, serial, ["-drive", "file=%s,format=qcow2,if=none,id=d0" % disk,
                                            "-device", "virtio-blk-pci,drive=d0"]), work)
    out = []
    try:
        await_tick(serial, 3)
        for r in range(runs):
            before = ticks(serial)[-1]
            t0 = time.monotonic()
            q.hmp("savevm s%d" % r)
            create = (time.monotonic() - t0) * 1000
            after = ticks(serial)[-1]
            await_tick(serial, after + 3)
            mark = len(ticks(serial))
            t0 = time.monotonic()
            q.hmp("loadvm s%d" % r)  # HMP loadvm stops, loads and restarts a VM that was running
            revert = (time.monotonic() - t0) * 1000
            deadline = time.monotonic() + 30
            while len(ticks(serial)) < mark + 4:
                if time.monotonic() > deadline:
                    raise RuntimeError("QEMU does not tick after loadvm")
                time.sleep(0.01)
            # a tick of the old run may have reached the file before the stop; then the snapshot's run goes on
            resumed = min(ticks(serial)[mark:])
            if not before + 1 <= resumed <= after + 1:
                raise RuntimeError("QEMU loadvm resumed at tick %d, snapshot between %d and %d" % (resumed, before, after))
            out.append({"create_ms": create, "revert_ms": revert})
    finally:
        q.close()
    os.unlink(disk)
    return out


def med(values):
    return statistics.median(values)


def main():
    for tool in ("qemu-system-x86_64", "qemu-img", "javac"):
        if not shutil.which(tool):
            sys.exit("needs " + tool)
    if not os.access("/dev/kvm", os.W_OK):
        sys.exit("needs /dev/kvm")
    if not os.path.exists(ELF):
        sys.exit("build the test-fixtures guests first (%s)" % ELF)
    work = tempfile.mkdtemp(prefix="jvirt-state-bench-")
    try:
        run(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work):
    print("load before: " + open("/proc/loadavg").read().strip())
    j = Jvirt(work)
    warm = j.warm(work, 15, SIZES)
    rows, cpu_rows = [], []
    for mib in SIZES:
        jf, qf = os.path.join(work, "jvirt-%d.state" % mib), os.path.join(work, "qemu-%d.state" % mib)
        js, qs, qsync, jsc, qsc = [], [], [], [], []
        for _ in range(RUNS):
            s = j.save(jf, mib)
            js.append(float(s["save_ms"]))
            jsc.append(float(s["save_cpu_ms"]))
            jlast = int(s["last_tick"])
            t, ts, qlast, cpu = qemu_save(work, mib, qf)
            qs.append(t)
            qsync.append(ts)
            qsc.append(cpu)
        jr, jstart, qr, qstart, jrc, qrc = [], [], [], [], [], []
        for _ in range(RUNS):
            r = j.restore(jf, mib, jlast)
            jr.append(float(r["restore_ms"]))
            jrc.append(float(r["restore_cpu_ms"]))
            jstart.append(r["process_start_ms"])
            t, start, cpu = qemu_restore(work, mib, qf, qlast)
            qr.append(t)
            qstart.append(start)
            qrc.append(cpu)
        rows.append((mib, js, qs, jr, qr, jstart, qstart, os.path.getsize(qf), float(s["alloc_mib"]), qsync))
        cpu_rows.append((mib, jsc, qsc, jrc, qrc))
        os.unlink(jf)
        os.unlink(qf)
    print("\nSave and restore (median of %d; ratio = jvirt / QEMU; both guests ticked on from the saved tick):\n" % RUNS)
    print("| guest RAM | jvirt save | QEMU save | ratio | QEMU save + fsync | ratio | jvirt restore | QEMU restore | ratio | jvirt process start | QEMU process start |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for mib, js, qs, jr, qr, jstart, qstart, _, _, qsync in rows:
        print("| %s | %s | %s | %.2f | %s | %.2f | %s | %s | %.2f | %s | %s |" % (
            label(mib), ms(med(js)), ms(med(qs)), med(js) / med(qs), ms(med(qsync)), med(js) / med(qsync),
            ms(med(jr)), ms(med(qr)), med(jr) / med(qr), ms(med(jstart)), ms(med(qstart))))
    print("\nCPU time of the VMM process's threads in the same runs (median; /proc/PID/task/*/schedstat, for QEMU's"
          " save /proc/PID/stat at 10 ms resolution as its migration thread ends with the save; not counting the time"
          " spent waiting for a CPU on a busy machine; QEMU's figures leave out its `cat` child):\n")
    print("| guest RAM | jvirt save CPU | QEMU save CPU | ratio | jvirt restore CPU | QEMU restore CPU | ratio |")
    print("|---|---|---|---|---|---|---|")
    for mib, jsc, qsc, jrc, qrc in cpu_rows:
        print("| %s | %s | %s | %.2f | %s | %s | %.2f |" % (label(mib), ms(med(jsc)), ms(med(qsc)), med(jsc) / med(qsc),
                                                          ms(med(jrc)), ms(med(qrc)), med(jrc) / med(qrc)))
    print("\nThe same in one warm jvirt process (15 restores after a warm-up guest), and all runs:\n")
    print("| guest RAM | jvirt warm save | jvirt warm restore median (min-max) | jvirt save runs | QEMU save runs | jvirt restore runs | QEMU restore runs | state file allocated jvirt / QEMU |")
    print("|---|---|---|---|---|---|---|---|")
    for mib, js, qs, jr, qr, _, _, qsize, jalloc, _ in rows:
        w = warm[mib]
        print("| %s | %s ms | %s ms (%s-%s) | %s | %s | %s | %s | %.1f MiB / %.1f MiB |" % (
            label(mib), w["save_ms"], w["restore_ms"], w["restore_min_ms"], w["restore_max_ms"],
            " ".join("%.0f" % x for x in js), " ".join("%.0f" % x for x in qs), " ".join("%.1f" % x for x in jr),
            " ".join("%.1f" % x for x in qr), jalloc, qsize / 1048576.0))
    if SNAP_SIZES:
        print("\nSnapshots of the running guest with a qcow2 disk (median of %d; ratio = jvirt / QEMU):\n" % RUNS)
        print("| guest RAM | jvirt create | QEMU savevm | ratio | jvirt revert | QEMU loadvm | ratio |")
        print("|---|---|---|---|---|---|---|")
        for mib in SNAP_SIZES:
            js, qs = j.snapshots(work, mib, RUNS), qemu_snapshots(work, mib, RUNS)
            jc, jv = med([float(x["create_ms"]) for x in js]), med([float(x["revert_ms"]) for x in js])
            qc, qv = med([x["create_ms"] for x in qs]), med([x["revert_ms"] for x in qs])
            print("| %s | %s | %s | %.2f | %s | %s | %.2f |" % (label(mib), ms(jc), ms(qc), jc / qc, ms(jv), ms(qv), jv / qv))
    print("\nload after: " + open("/proc/loadavg").read().strip())


if __name__ == "__main__":
    main()
