#!/usr/bin/env python3
"""virtio-net benchmarks (not CI): jvirt's virtio-net (jvirt-vmm --accel emu --nic tap,...) against
QEMU's (qemu-system-x86_64 -accel tcg, -netdev tap,vhost=off: its default tap with the vnet header,
-device virtio-net-pci) on the same Debian kernel + busybox initrd, in one run, as root.

The benchmark makes a network namespace of its own (jvirt-nb-PID) and enters it; the VMM creates
its tap (nb0) there, the host side is 10.77.0.1/24 on that tap, the guest 10.77.0.2/24 (jvirt.ip=).
Nothing touches the host's own interfaces. The guest runs test-fixtures' initrd-shell.img: after
JVIRT-GUEST-READY a busybox shell on COM1, which this script drives through the serial console
(a unix socket: jvirt-vmm --serial unix:PATH, QEMU -chardev socket). For each VMM, one boot:
  latency     host `ping -i 0.1` to the guest: WARMUP pings dropped, then PINGS counted (min, avg, p99)
  guest->host `dd if=/dev/zero bs=64k count=N | nc 10.77.0.1 PORT` in the guest; the host's sink
              times first byte to EOF and counts the bytes
  host->guest `nc 10.77.0.1 PORT >/dev/null` in the guest; the host's source sends N MiB, shuts its
              side down and times accept to the guest's close (so all bytes were read in the guest)
Each transfer: one warm-up transfer (WARM MiB for the nc sender, 4 x WARM for the others) sizes the
measured ones to about SECONDS s each on that VMM (at least 4 MiB for the nc sender, 16 MiB for the
others), then the median of RUNS. Also the VMM
process's CPU time per MiB moved (utime+stime from /proc/PID/stat over the transfer; on an
emulator this is mostly the guest's own CPU work, emulated), and that of the threads that move the
frames (jvirt: jvirt-net0-io and jvirt-net0-rx; QEMU: its main loop thread, which also runs its timers
and chardevs), from /proc/PID/task/*/stat; the log names each transfer's busiest threads.
Cases: jvirt offload=on, jvirt offload=off, QEMU TCG (vnet_hdr, its offloads on). Prints markdown
tables with the ratios jvirt/QEMU.

Usage (as root, from anywhere): python3 bench/net-bench.py [--runs 3] [--seconds 5] [--pings 50]
        [--warmup 10] [--warm 2] [--mib N] [--only jvirt-on,jvirt-off,qemu] [--memory 512M] [--verbose]
  --mib N  measured transfer size in MiB (default: sized from the first case's warm-up)
Needs a built tree (mvn -q package -DskipTests), test-fixtures/target/linux (scripts/setup.sh),
qemu-system-x86_64, ip (iproute2), ping (iputils-ping). Cleans up (VMMs, namespace) on exit and Ctrl-C.
"""
import ctypes, os, re, signal, socket, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINUX = os.path.join(ROOT, "test-fixtures", "target", "linux")
QBOOT = "/usr/share/qemu/qboot.rom"
HOST_IP, GUEST_IP, PREFIX, TAP = "10.77.0.1", "10.77.0.2", 24, "nb0"
SINK_PORT, SOURCE_PORT, HTTPD_PORT = 5201, 5202, 8080
MIB = 1 << 20


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


RUNS = int(arg("--runs", "3"))
SECONDS = float(arg("--seconds", "5"))
PINGS = int(arg("--pings", "50"))
WARMUP_PINGS = int(arg("--warmup", "10"))
WARM_MIB = int(arg("--warm", "2"))
FIXED_MIB = int(arg("--mib", "0")) or None
ONLY = arg("--only", "jvirt-on,jvirt-off,qemu").split(",")
MEMORY = arg("--memory", "512M")
VERBOSE = "--verbose" in sys.argv
APPEND = "console=ttyS0 panic=-1 nokaslr jvirt.ip=%s/%d" % (GUEST_IP, PREFIX)

CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def cpu_seconds(pid):
    """utime + stime of a process (all its threads), in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def thread_cpu(pid):
    """{tid: (thread name, utime + stime in s)} of a process's threads."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                s = f.read()
        except OSError:
            continue
        fields = s.rsplit(")", 1)[1].split()
        out[tid] = (s[s.index("(") + 1:s.rindex(")")], (int(fields[11]) + int(fields[12])) / CLK_TCK)
    return out


def busiest(before, after, n=5):
    """The n threads that used the most CPU between two thread_cpu snapshots, as 'name 1.23 s' text."""
    d = sorted(((v[1] - before.get(t, (None, 0.0))[1], v[0]) for t, v in after.items()), reverse=True)[:n]
    return ", ".join("%s %.2f s" % (name, cpu) for cpu, name in d if cpu > 0)


def device_cpu(before, after):
    """CPU s of the threads that move frames: jvirt's jvirt-netN-io / -rx; QEMU's main loop thread
    (its tap and virtio-net work without vhost, beside its timers and chardevs), named as the process."""
    return sum(v[1] - before.get(t, (None, 0.0))[1] for t, v in after.items()
               if v[0].startswith("jvirt-net") or v[0] == "qemu-system-x86")


def enter_netns(name):
    """setns(2) this process (one thread so far) into /run/netns/NAME: its children and sockets live there."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
            raise OSError(ctypes.get_errno(), "setns " + name)
    finally:
        os.close(fd)


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class Console:
    """The guest's COM1 on a unix socket: a reader thread keeps everything; commands typed into the shell."""

    def __init__(self, path, proc, timeout=60):
        end = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError("the VMM ended (status %s) before its console socket came" % proc.returncode)
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > end:
                    raise RuntimeError("no console socket " + path)
                time.sleep(0.1)
        self.proc = proc
        self.buf = ""
        self.cond = threading.Condition()
        self.seq = 0
        self.state = {}  # what the guest has set up (httpd, files)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                b = self.sock.recv(4096)
            except OSError:
                b = b""
            with self.cond:
                if not b:
                    self.buf += "\n[console closed]\n"
                    self.cond.notify_all()
                    return
                self.buf += b.decode("utf-8", "replace")
                self.cond.notify_all()
            if VERBOSE:
                sys.stderr.write(b.decode("utf-8", "replace"))

    def wait_for(self, text, timeout, start=0):
        """Position just after the first `text` at or after start; raises after timeout or when the VMM ends."""
        end = time.monotonic() + timeout
        with self.cond:
            while True:
                i = self.buf.find(text, start)
                if i >= 0:
                    return i + len(text)
                if self.proc.poll() is not None or "[console closed]" in self.buf[start:]:
                    raise RuntimeError("the VMM ended before '%s':\n%s" % (text, self.buf[-2000:]))
                left = end - time.monotonic()
                if left <= 0:
                    raise RuntimeError("no '%s' within %d s:\n%s" % (text, timeout, self.buf[-2000:]))
                self.cond.wait(min(left, 1.0))

    def type(self, line):
        # The UART takes what its FIFO holds; small pieces keep either VMM from dropping input.
        data = (line + "\n").encode()
        for i in range(0, len(data), 8):
            self.sock.sendall(data[i:i + 8])
            time.sleep(0.01)

    def command(self, line, timeout):
        """Types line; returns when the shell has run it (a marker echoed only by the command, not the tty)."""
        self.seq += 1
        with self.cond:
            start = len(self.buf)
        self.type('%s; echo "NB""-END-%d"' % (line, self.seq))
        return self.wait_for("NB-END-%d" % self.seq, timeout, start)

    def close(self):
        self.sock.close()


def jvirt_cmd(serial, offload):
    return [os.path.join(ROOT, "bin", "jvirt-vmm"), "--accel", "emu", "--kernel", os.path.join(LINUX, "vmlinux"),
            "--initrd", os.path.join(LINUX, "initrd-shell.img"), "--memory", MEMORY, "--append", APPEND,
            "--nic", "tap,ifname=%s,offload=%s" % (TAP, offload), "--serial", "unix:" + serial]


def qemu_cmd(serial):
    bios = ["-bios", QBOOT] if os.path.exists(QBOOT) else []
    return ["qemu-system-x86_64"] + bios + [
        "-name", "nb,debug-threads=on", "-M", "pc", "-accel", "tcg", "-m", MEMORY.rstrip("M"), "-smp", "1", "-nodefaults", "-no-user-config",
        "-display", "none", "-no-reboot",
        "-chardev", "socket,id=con0,path=%s,server=on,wait=off" % serial, "-serial", "chardev:con0",
        "-netdev", "tap,id=n0,ifname=%s,script=no,downscript=no,vhost=off" % TAP,
        "-device", "virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56",
        "-kernel", os.path.join(LINUX, "vmlinux"), "-initrd", os.path.join(LINUX, "initrd-shell.img"),
        "-append", APPEND]


def listener(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST_IP, port))
    s.listen(1)
    s.settimeout(600)
    return s


def guest_to_host(con, vmm_pid, mib, timeout):
    """The guest sends mib MiB of zeros; (seconds from first byte to EOF, bytes, VMM CPU s over it)."""
    result = {}

    def sink(srv):
        c, _ = srv.accept()
        with c:
            first = c.recv(1 << 20)
            t0, cpu0 = time.monotonic(), cpu_seconds(vmm_pid)
            n = len(first)
            while True:
                b = c.recv(1 << 20)
                if not b:
                    break
                n += len(b)
            result.update(t=time.monotonic() - t0, cpu=cpu_seconds(vmm_pid) - cpu0, bytes=n)

    with listener(SINK_PORT) as srv:
        th = threading.Thread(target=sink, args=(srv,), daemon=True)
        th.start()
        con.command("dd if=/dev/zero bs=65536 count=%d 2>/dev/null | nc %s %d" % (mib * 16, HOST_IP, SINK_PORT), timeout)
        th.join(30)
    if result.get("bytes") != mib * MIB:
        raise RuntimeError("guest->host: %s bytes arrived, %d sent" % (result.get("bytes"), mib * MIB))
    return result["t"], result["bytes"], result["cpu"]


def host_to_guest(con, vmm_pid, mib, timeout):
    """The host sends mib MiB; (seconds from accept to the guest's close, bytes, VMM CPU s over it)."""
    result = {}
    chunk = b"\0" * MIB

    def source(srv):
        c, _ = srv.accept()
        with c:
            t0, cpu0 = time.monotonic(), cpu_seconds(vmm_pid)
            for _ in range(mib):
                c.sendall(chunk)
            c.shutdown(socket.SHUT_WR)
            while c.recv(4096):  # the guest's nc ends (and closes) at our EOF, after reading everything
                pass
            result.update(t=time.monotonic() - t0, cpu=cpu_seconds(vmm_pid) - cpu0, bytes=mib * MIB)

    with listener(SOURCE_PORT) as srv:
        th = threading.Thread(target=source, args=(srv,), daemon=True)
        th.start()
        # stdin stays the console (nothing typed meanwhile): with </dev/null busybox nc would shut its side at once
        con.command("nc %s %d >/dev/null" % (HOST_IP, SOURCE_PORT), timeout)
        th.join(30)
    if "t" not in result:
        raise RuntimeError("host->guest: the transfer did not finish")
    return result["t"], result["bytes"], result["cpu"]


def http_guest_to_host(con, vmm_pid, mib, timeout):
    """busybox httpd in the guest serves a file of zeros (sendfile); the host GETs it until mib MiB came:
    (seconds from the first connect to the last EOF, bytes of content, VMM CPU s over it)."""
    size = min(mib, 64)
    if not con.state.get("httpd"):
        con.command("mkdir -p /tmp/www && httpd -p %d -h /tmp/www" % HTTPD_PORT, 60)
        con.state["httpd"] = True
    if size not in con.state.setdefault("files", set()):
        con.command("dd if=/dev/zero of=/tmp/www/f%d bs=1048576 count=%d 2>/dev/null" % (size, size), 600)
        con.state["files"].add(size)
    t0, cpu0, got = time.monotonic(), cpu_seconds(vmm_pid), 0
    for _ in range(-(-mib // size)):
        with socket.create_connection((GUEST_IP, HTTPD_PORT), timeout=timeout) as c:
            c.sendall(b"GET /f%d HTTP/1.0\r\n\r\n" % size)
            head = b""
            while b"\r\n\r\n" not in head:
                b = c.recv(1 << 16)
                if not b:
                    raise RuntimeError("httpd: no answer: %r" % head[:200])
                head += b
            if not head.startswith(b"HTTP/1.") or b" 200 " not in head.split(b"\r\n", 1)[0]:
                raise RuntimeError("httpd: %r" % head[:200])
            n = len(head) - head.index(b"\r\n\r\n") - 4
            while True:
                b = c.recv(1 << 20)
                if not b:
                    break
                n += len(b)
        if n != size * MIB:
            raise RuntimeError("guest->host (httpd): %d bytes of /f%d" % (n, size))
        got += n
    return time.monotonic() - t0, got, cpu_seconds(vmm_pid) - cpu0


def http_host_to_guest(con, vmm_pid, mib, timeout):
    """busybox wget in the guest (64 KiB reads) GETs mib MiB from the host's one-shot HTTP server:
    (seconds from accept to the guest's close, bytes, VMM CPU s over it)."""
    result = {}
    chunk = b"\0" * MIB

    def serve(srv):
        c, _ = srv.accept()
        with c:
            t0, cpu0 = time.monotonic(), cpu_seconds(vmm_pid)
            req = b""
            while b"\r\n\r\n" not in req:
                b = c.recv(4096)
                if not b:
                    return
                req += b
            c.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n" % (mib * MIB))
            for _ in range(mib):
                c.sendall(chunk)
            c.shutdown(socket.SHUT_WR)
            while c.recv(4096):
                pass
            result.update(t=time.monotonic() - t0, cpu=cpu_seconds(vmm_pid) - cpu0, bytes=mib * MIB)

    with listener(SOURCE_PORT) as srv:
        th = threading.Thread(target=serve, args=(srv,), daemon=True)
        th.start()
        end = con.command("wget -q -O /dev/null http://%s:%d/zero && echo \"wget\"\"-ok\"" % (HOST_IP, SOURCE_PORT), timeout)
        th.join(30)
    if "t" not in result or "wget-ok" not in con.buf[end - 200:end]:
        raise RuntimeError("host->guest (wget): the transfer did not finish:\n" + con.buf[-500:])
    return result["t"], result["bytes"], result["cpu"]


# (key, label, function): each direction twice, busybox nc (1 KiB reads and writes: the guest's CPU
# dominates) and HTTP (the guest's httpd sends with sendfile, its wget reads 64 KiB at a time)
TRANSFERS = [("nc_g2h", "guest -> host, nc", guest_to_host), ("nc_h2g", "host -> guest, nc", host_to_guest),
             ("http_g2h", "guest -> host, httpd (sendfile)", http_guest_to_host),
             ("http_h2g", "host -> guest, wget", http_host_to_guest)]


def ping_rtts():
    """RTTs in ms of PINGS pings after WARMUP_PINGS, every 0.1 s."""
    n = WARMUP_PINGS + PINGS
    p = subprocess.run(["ping", "-n", "-c", str(n), "-i", "0.1", "-W", "2", GUEST_IP], capture_output=True, text=True)
    seqs = {int(m.group(1)): float(m.group(2)) for m in re.finditer(r"icmp_seq=(\d+) .*time=([\d.]+) ms", p.stdout)}
    rtts = [seqs[s] for s in sorted(seqs) if s > WARMUP_PINGS]
    if len(rtts) < PINGS * 0.9:
        raise RuntimeError("ping: %d of %d answered:\n%s" % (len(rtts), PINGS, p.stdout[-1500:]))
    return rtts, PINGS - len(rtts)


def p99(xs):
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, int(round(0.99 * len(s) + 0.5)) - 1))]


def bench_case(name, cmd, tmp):
    serial = os.path.join(tmp, name + ".console")
    out = open(os.path.join(tmp, name + ".out"), "w")
    log("== %s: %s" % (name, " ".join(cmd)))
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    PROCS.append(proc)
    con = None
    try:
        con = Console(serial, proc)
        # the tap appears once the VMM opened it: the host's side gets its address (jvirt also brings it up)
        end = time.monotonic() + 120
        while subprocess.run(["ip", "link", "show", TAP], capture_output=True).returncode != 0:
            if proc.poll() is not None or time.monotonic() > end:
                raise RuntimeError("no tap %s from %s" % (TAP, name))
            time.sleep(0.1)
        run("ip", "addr", "add", "%s/%d" % (HOST_IP, PREFIX), "dev", TAP)
        run("ip", "link", "set", TAP, "up")
        con.wait_for("JVIRT-GUEST-READY", 900)
        boot = time.monotonic() - t0
        con.command("echo ready", 120)
        log("%s: guest ready after %.1f s" % (name, boot))
        before = thread_cpu(proc.pid)
        rtts, lost = ping_rtts()
        log("%s: ping: busiest threads: %s" % (name, busiest(before, thread_cpu(proc.pid))))
        log("%s: ping RTTs (ms): %s" % (name, " ".join("%.2f" % x for x in rtts)))
        r = dict(boot=boot, rtt_min=min(rtts), rtt_avg=statistics.mean(rtts), rtt_p99=p99(rtts), rtt_lost=lost)
        log("%s: ping min/avg/p99 %.3f/%.3f/%.3f ms" % (name, r["rtt_min"], r["rtt_avg"], r["rtt_p99"]))
        for key, label, fn in TRANSFERS:
            # the warm-up and the smallest transfer: large enough for TCP's window to open up (a 4 MiB
            # wget ran at a third of a 80 MiB one's rate on jvirt), smaller for the slow nc sender
            warm, least = (WARM_MIB, 4) if key == "nc_g2h" else (4 * WARM_MIB, 16)
            t, n, _ = fn(con, proc.pid, warm, 600)
            # sized for about SECONDS s on this VMM (from the warm-up's rate), or --mib
            mib = FIXED_MIB or max(least, min(1024, int(round(n / MIB / t * SECONDS))))
            if key.startswith("http_g2h") and mib > 64:
                mib = mib // 64 * 64
            runs = []
            for i in range(RUNS):
                before = thread_cpu(proc.pid)
                t, n, cpu = fn(con, proc.pid, mib, 900)
                after = thread_cpu(proc.pid)
                if i == RUNS - 1:
                    r[key + "_threads"] = busiest(before, after)
                    log("%s: %s: busiest threads in the last run: %s" % (name, label, r[key + "_threads"]))
                runs.append((n / MIB / t, cpu / (n / MIB), device_cpu(before, after) / (n / MIB)))
                log("%s: %s: %d MiB in %.2f s: %.2f MiB/s, VMM CPU %.1f ms/MiB" % (name, label, n // MIB, t, n / MIB / t,
                                                                                   1000 * cpu / (n / MIB)))
            r[key] = statistics.median(x[0] for x in runs)
            r[key + "_cpu"] = 1000 * statistics.median(x[1] for x in runs)
            r[key + "_dev"] = 1000 * statistics.median(x[2] for x in runs)
            r[key + "_runs"] = [x[0] for x in runs]
            r[key + "_mib"] = mib
        con.type("poweroff -f")
        proc.wait(60)
        return r
    finally:
        if con:
            con.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        out.close()
        # the tap went with its last fd; wait for it so that the next VMM makes a fresh one
        end = time.monotonic() + 10
        while subprocess.run(["ip", "link", "show", TAP], capture_output=True).returncode == 0 and time.monotonic() < end:
            time.sleep(0.1)


PROCS = []


def table(results):
    names = [n for n in ("jvirt-on", "jvirt-off", "qemu") if n in results]
    title = {"jvirt-on": "jvirt emu, offload=on", "jvirt-off": "jvirt emu, offload=off", "qemu": "QEMU TCG (vnet_hdr)"}
    rows = [("ping RTT min, ms", "rtt_min", "%.3f"), ("ping RTT avg, ms", "rtt_avg", "%.3f"),
            ("ping RTT p99, ms", "rtt_p99", "%.3f")]
    rows += [(label + ", MiB/s", key, "%.2f") for key, label, _ in TRANSFERS]
    rows += [(label + ": VMM CPU ms per MiB", key + "_cpu", "%.1f") for key, label, _ in TRANSFERS]
    rows += [(label + ": device threads' CPU ms per MiB", key + "_dev", "%.1f") for key, label, _ in TRANSFERS]
    rows += [("boot to JVIRT-GUEST-READY, s", "boot", "%.1f")]
    q = results.get("qemu")
    jv = [n for n in names if n != "qemu"]
    head = "| measure | " + " | ".join(title[n] for n in names)
    if q:
        head += "".join(" | %s / QEMU" % title[n].split(",")[1].strip() for n in jv)
    print(head + " |")
    print("|---" * (1 + len(names) + (len(jv) if q else 0)) + "|")
    for label, key, fmt in rows:
        line = "| %s | " % label + " | ".join(fmt % results[n][key] for n in names)
        if q:
            line += "".join(" | %.2f" % (results[n][key] / q[key]) for n in jv)
        print(line + " |")
    print()
    for n in names:
        r = results[n]
        print("%s: %d pings lost; runs in MiB/s: %s" % (title[n], r["rtt_lost"], "; ".join(
            "%s %s (%d MiB each)" % (label, " ".join("%.2f" % x for x in r[key + "_runs"]), r[key + "_mib"])
            for key, label, _ in TRANSFERS)))
    for n in names:
        print("%s: busiest VMM threads in the last run of each transfer: %s" % (title[n], "; ".join(
            "%s: %s" % (label, results[n][key + "_threads"]) for key, label, _ in TRANSFERS)))
    print("(medians of %d transfers after a warm-up of %d MiB (nc guest->host) or %d MiB; %d pings after %d warm-up, 0.1 s apart; "
          "load average at the end %.1f)" % (RUNS, WARM_MIB, 4 * WARM_MIB, PINGS, WARMUP_PINGS, os.getloadavg()[0]))


def main():
    if os.geteuid() != 0:
        sys.exit("net-bench: needs root (network namespace, tap devices)")
    for f in ("vmlinux", "initrd-shell.img"):
        if not os.path.exists(os.path.join(LINUX, f)):
            sys.exit("net-bench: no %s in %s (run scripts/setup.sh)" % (f, LINUX))
    if not os.path.isdir(os.path.join(ROOT, "vmm-engine", "target", "lib")):
        sys.exit("net-bench: the tree is not built (mvn -q package -DskipTests)")
    ns = "jvirt-nb-%d" % os.getpid()

    def terminate(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, terminate)
    subprocess.run(["ip", "netns", "add", ns], check=True)
    tmp = tempfile.mkdtemp(prefix="jvirt-netbench-")
    results = {}
    try:
        enter_netns(ns)
        run("ip", "link", "set", "lo", "up")
        for name in ONLY:
            if name == "qemu":
                results[name] = bench_case(name, qemu_cmd(os.path.join(tmp, "qemu.console")), tmp)
            elif name in ("jvirt-on", "jvirt-off"):
                results[name] = bench_case(name, jvirt_cmd(os.path.join(tmp, name + ".console"), name[6:]), tmp)
            else:
                sys.exit("net-bench: unknown case " + name)
    except KeyboardInterrupt:
        log("net-bench: interrupted")
    finally:
        for p in PROCS:
            if p.poll() is None:
                p.kill()
                p.wait()
        subprocess.run(["ip", "netns", "del", ns])
        log("net-bench: VMM output and consoles in " + tmp)
    if results:
        table(results)


if __name__ == "__main__":
    main()
