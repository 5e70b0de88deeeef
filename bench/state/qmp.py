"""A minimal QMP client for the state benchmarks (bench/state-bench.py): QEMU is only the reference
there, never a jvirt dependency. One qemu-system-x86_64 process with its COM1 in a file and its QMP
monitor on a unix socket; commands return their reply, events are queued for wait_event."""
import json, os, socket, subprocess, time

QBOOT = "/usr/share/qemu/qboot.rom"


def ticker_args(elf, mib, serial, extra=()):
    """The reference command line of test-fixtures/run-under-qemu.sh for the ticker on KVM."""
    bios = ["-bios", QBOOT] if os.path.exists(QBOOT) else []
    return bios + ["-M", "pc", "-accel", "kvm", "-m", str(mib), "-smp", "1", "-nodefaults", "-no-user-config",
                   "-display", "none", "-no-reboot", "-serial", "file:" + serial, "-kernel", elf] + list(extra)


class Qemu:
    def __init__(self, args, workdir):
        self.sock_path = os.path.join(workdir, "qmp.sock")
        if os.path.exists(self.sock_path):
            os.unlink(self.sock_path)
        self.t_exec = time.monotonic()
        self.proc = subprocess.Popen(["qemu-system-x86_64"] + args + ["-qmp", "unix:%s,server=on,wait=off" % self.sock_path],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.events = []
        self.buf = b""
        deadline = time.monotonic() + 30
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(self.sock_path)
                break
            except OSError:
                self.sock.close()
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("QEMU did not start: " + self.proc.stderr.read().decode(errors="replace"))
                time.sleep(0.0005)
        self._read()  # greeting
        self.cmd("qmp_capabilities")
        # ready to take a request: QEMU's process start, as jvirt's is the JVM's start and machine set-up
        self.t_ready = time.monotonic()

    def _read(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("QMP connection closed: " + self.proc.stderr.read().decode(errors="replace"))
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            r = self._read()
            if "event" in r:
                self.events.append(r)
            elif "error" in r:
                raise RuntimeError("%s: %s" % (name, r["error"]["desc"]))
            else:
                return r["return"]

    def hmp(self, line):
        out = self.cmd("human-monitor-command", **{"command-line": line})
        if out.strip():
            raise RuntimeError("%s: %s" % (line, out.strip()))

    def wait_event(self, name, match=lambda e: True, timeout=300):
        deadline = time.monotonic() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e["event"] == name and match(e):
                    del self.events[:i + 1]
                    return e
            if time.monotonic() > deadline:
                raise RuntimeError("no %s event" % name)
            self.sock.settimeout(max(0.001, deadline - time.monotonic()))
            r = self._read()
            self.sock.settimeout(None)
            if "event" in r:
                self.events.append(r)

    def close(self):
        try:
            self.cmd("quit")
        except Exception:
            pass
        try:
            self.sock.close()
        finally:
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
