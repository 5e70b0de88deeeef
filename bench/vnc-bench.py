#!/usr/bin/env python3
"""VNC benchmark (not CI): jvirt-vmm's VNC server (--accel emu --vga std --vnc) against QEMU's
(qemu-system-x86_64 -accel tcg -vga std -vnc, qboot) with the same guests and the same client.

The client is this script's own minimal RFB 3.8 client (security None, shared): it asks for the
whole screen, then after each update at once for an incremental one, and counts updates and
bytes (Raw: 4 bytes a pixel in the servers' 32-bit format; ZRLE: the zlib bytes as sent;
zrle+copyrect: ZRLE with CopyRect offered too, whose rectangles count as updated pixels).
  stream  the vga-flip guest (test-fixtures/guests/vga-flip.c) scrolls a 640x480x32 view through
          a taller picture a line at a time as fast as it can: every update the server can make
          carries the whole screen. Frames/s and MB/s over SECONDS (after WARMUP s).
  idle    the vga guest with vga=1 (a still picture) and one client waiting with an incremental
          request: the VMM's CPU (utime+stime from /proc/PID/stat) over SECONDS, and that of the
          threads serving the display (jvirt: its vnc-* threads; QEMU: its main-loop thread and
          vnc_worker). Both guests spin (pause loop) on their vCPU, which is in the process figure.
Prints markdown tables with the ratios jvirt/QEMU.

Usage: python3 bench/vnc-bench.py [--seconds 10] [--warmup 3] [--encodings raw,zrle,zrle+copyrect] [--verbose]
Needs a built tree (mvn -q package -DskipTests; test-fixtures built), qemu-system-x86_64,
/usr/share/qemu/qboot.rom. Cleans up its VMMs on exit.
"""
import argparse
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUESTS = os.path.join(ROOT, "test-fixtures", "target", "guests")
QBOOT = "/usr/share/qemu/qboot.rom"
TICK = os.sysconf("SC_CLK_TCK")
ENCODINGS = {"raw": [0], "zrle": [16], "zrle+copyrect": [16, 1]}


def free_port():
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            if s.getsockname()[1] > 5900:
                return s.getsockname()[1]


def start(vmm, guest, append, port, tmp):
    serial = os.path.join(tmp, f"{vmm}-{guest}.serial")
    elf = os.path.join(GUESTS, guest + ".elf")
    if vmm == "jvirt":
        cmd = [os.path.join(ROOT, "bin", "jvirt-vmm"), "--kernel", elf, "--append", append, "--vga", "std", "--accel", "emu",
               "--vnc", f"tcp:127.0.0.1:{port}", "--serial", "file:" + serial, "--memory", "256M"]
    else:
        cmd = ["qemu-system-x86_64", "-M", "pc", "-accel", "tcg", "-m", "256", "-nodefaults", "-no-user-config", "-display", "none",
               "-vga", "std", "-bios", QBOOT, "-kernel", elf, "-append", append, "-vnc", f"127.0.0.1:{port - 5900}",
               "-serial", "file:" + serial]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, f"{vmm}-{guest}.log"), "w"))
    want = "vga-flip: flipping" if guest == "vga-flip" else "vga: drawn"
    end = time.time() + 60
    while time.time() < end:
        if os.path.exists(serial) and want in open(serial, errors="replace").read():
            return p
        if p.poll() is not None:
            break
        time.sleep(0.05)
    p.kill()
    sys.exit(f"vnc-bench: {vmm} never showed '{want}'")


class Client:
    def __init__(self, port, encodings):
        for attempt in range(50):
            try:
                self.s = socket.create_connection(("127.0.0.1", port))
                break
            except ConnectionRefusedError:
                if attempt == 49:
                    raise
                time.sleep(0.1)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.bytes = 0
        assert self.read(12).startswith(b"RFB 003.")
        self.s.sendall(b"RFB 003.008\n")
        assert self.read(2) == b"\x01\x01"
        self.s.sendall(b"\x01")
        assert struct.unpack(">I", self.read(4))[0] == 0
        self.s.sendall(b"\x01")
        self.w, self.h = struct.unpack(">HH", self.read(4))
        self.read(16)
        self.read(struct.unpack(">I", self.read(4))[0])
        self.s.sendall(struct.pack(">BxH", 2, len(encodings)) + b"".join(struct.pack(">i", e) for e in encodings))

    def read(self, n):
        while len(self.buf) < n:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise EOFError("server closed")
            self.buf += chunk
        out = bytes(self.buf[:n])
        del self.buf[:n]
        self.bytes += n
        return out

    def request(self, incremental):
        self.s.sendall(struct.pack(">BBHHHH", 3, 1 if incremental else 0, 0, 0, self.w, self.h))

    def update(self):
        """Reads one FramebufferUpdate (skipping other messages); returns its pixel count."""
        while True:
            t = self.read(1)[0]
            if t == 0:
                break
            if t == 2:
                continue
            raise IOError(f"server message {t}")
        n = struct.unpack(">xH", self.read(3))[0]
        pixels = 0
        for _ in range(n):
            x, y, w, h, enc = struct.unpack(">HHHHi", self.read(12))
            if enc == 0:
                self.read(w * h * 4)
            elif enc == 16:
                self.read(struct.unpack(">I", self.read(4))[0])
            elif enc == 1:
                self.read(4)  # CopyRect: the source position
            elif enc == -223:
                self.w, self.h = w, h
                continue
            elif enc < 0:
                continue
            else:
                raise IOError(f"encoding {enc}")
            pixels += w * h
        return pixels


def cpu(pid, threads=None):
    """utime+stime in seconds of the process, or of its threads whose name passes threads(tid, comm)."""
    if threads is None:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / TICK
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            comm = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
            if threads(int(tid), comm):
                f = open(f"/proc/{pid}/task/{tid}/stat").read().rsplit(")", 1)[1].split()
                total += (int(f[11]) + int(f[12])) / TICK
        except FileNotFoundError:
            pass
    return total


def display_threads(vmm, pid):
    if vmm == "jvirt":
        return lambda tid, comm: comm.startswith("vnc-")
    return lambda tid, comm: tid == pid or comm.startswith("vnc_worker")


def stream(vmm, encoding, args, tmp):
    port = free_port()
    p = start(vmm, "vga-flip", "", port, tmp)
    try:
        c = Client(port, ENCODINGS[encoding])
        c.request(False)
        c.update()
        end = time.time() + args.warmup
        while time.time() < end:
            c.request(True)
            c.update()
        frames, full, b0, c0, t0 = 0, 0, c.bytes, cpu(p.pid), time.time()
        while time.time() - t0 < args.seconds:
            c.request(True)
            px = c.update()
            frames += 1
            full += px / (c.w * c.h)
        dt = time.time() - t0
        return {"fps": frames / dt, "screens": full / dt, "mbs": (c.bytes - b0) / dt / 1e6, "cpu": (cpu(p.pid) - c0) / dt}
    finally:
        p.kill()
        p.wait()


def idle(vmm, args, tmp):
    port = free_port()
    p = start(vmm, "vga", "vga=1", port, tmp)
    try:
        c = Client(port, [0])
        c.request(False)
        c.update()
        time.sleep(args.warmup)
        c.request(True)  # waits: nothing changes
        sel = display_threads(vmm, p.pid)
        c0, d0, t0 = cpu(p.pid), cpu(p.pid, sel), time.time()
        time.sleep(args.seconds)
        dt = time.time() - t0
        return {"cpu": (cpu(p.pid) - c0) / dt, "display": (cpu(p.pid, sel) - d0) / dt, "bytes": c.bytes}
    finally:
        p.kill()
        p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=3)
    ap.add_argument("--encodings", default="raw,zrle")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    for f in ("vga.elf", "vga-flip.elf"):
        if not os.path.exists(os.path.join(GUESTS, f)):
            sys.exit(f"vnc-bench: no {f} in {GUESTS}: build test-fixtures")
    with tempfile.TemporaryDirectory(prefix="vnc-bench-") as tmp:
        print(f"Full-screen-changing stream (vga-flip, 640x480x32), one client, {args.seconds:g} s after {args.warmup:g} s:\n")
        print("| encoding | VMM | updates/s | screens/s | MB/s | VMM CPU (cores) |")
        print("|---|---|---|---|---|---|")
        for enc in args.encodings.split(","):
            r = {vmm: stream(vmm, enc, args, tmp) for vmm in ("jvirt", "qemu")}
            for vmm in ("jvirt", "qemu"):
                x = r[vmm]
                print(f"| {enc} | {vmm} | {x['fps']:.1f} | {x['screens']:.1f} | {x['mbs']:.1f} | {x['cpu']:.2f} |")
            q, j = r["qemu"], r["jvirt"]
            print(f"| {enc} | jvirt/QEMU | {j['fps'] / q['fps']:.2f} | {j['screens'] / max(q['screens'], 1e-9):.2f} | {j['mbs'] / max(q['mbs'], 1e-9):.2f} | {j['cpu'] / q['cpu']:.2f} |")
        print(f"\nIdle display (vga=1, still), one client waiting, {args.seconds:g} s:\n")
        print("| VMM | process CPU (cores) | display threads CPU (cores) | bytes sent |")
        print("|---|---|---|---|")
        r = {vmm: idle(vmm, args, tmp) for vmm in ("jvirt", "qemu")}
        for vmm in ("jvirt", "qemu"):
            x = r[vmm]
            print(f"| {vmm} | {x['cpu']:.3f} | {x['display']:.4f} | {x['bytes']} |")
        if args.verbose:
            for f in sorted(os.listdir(tmp)):
                if f.endswith(".log"):
                    print(f"--- {f}\n" + open(os.path.join(tmp, f)).read())


if __name__ == "__main__":
    main()
