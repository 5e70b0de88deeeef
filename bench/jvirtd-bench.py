#!/usr/bin/env python3
"""jvirtd against the real libvirtd (not CI), both serving libvirt's mock driver (test:///default)
on loopback TCP, in one run:

  (a) the real virsh: wall time per command (process start to exit, median of --runs) for
      `list --all` and `dominfo test`
  (b) libvirt-java 0.5.3 (the native client library): calls per second over one connection
  (c) 100 concurrent clients (libvirt-python threads, one connection each): calls per second
      and the median / 99th percentile latency of domain info calls
  (d) the daemons' resident memory (VmRSS) idle and with those 100 clients connected

Prints a markdown table with the ratios. Needs a built tree (scripts/setup.sh), libvirt-daemon,
python3-libvirt. Usage: bench/jvirtd-bench.py [--runs N]
"""
import os, statistics, subprocess, sys, tempfile, threading, time, socket

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 40
sys.path.insert(0, "/usr/lib/python3/dist-packages")
import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc):
    for _ in range(600):
        if proc.poll() is not None:
            sys.exit(f"daemon exited: {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"no daemon on {port}")


def start_libvirtd(tmp):
    port = free_port()
    os.makedirs(f"{tmp}/lv/run"); os.makedirs(f"{tmp}/lv/drivers")
    with open(f"{tmp}/lv/libvirtd.conf", "w") as f:
        f.write(f'listen_tls = 0\nlisten_tcp = 1\ntcp_port = "{port}"\nlisten_addr = "127.0.0.1"\nauth_tcp = "none"\n'
                f'unix_sock_dir = "{tmp}/lv/run"\nlog_outputs = "3:file:{tmp}/lv/log"\nmax_clients = 5000\n')
    env = dict(os.environ, LIBVIRT_DRIVER_DIR=f"{tmp}/lv/drivers")
    p = subprocess.Popen(["/usr/sbin/libvirtd", "--listen", "-f", f"{tmp}/lv/libvirtd.conf", "--pid-file", f"{tmp}/lv/pid"],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, p)
    return p, port


def start_jvirtd(tmp):
    port = free_port()
    os.makedirs(f"{tmp}/jv/etc")
    with open(f"{tmp}/jv/etc/jvirtd.conf", "w") as f:
        f.write(f'listen_tcp = 1\ntcp_port = "{port}"\nauth_tcp = "none"\nlisten_tls = 0\n')
    p = subprocess.Popen([f"{ROOT}/bin/jvirtd", "--root", f"{tmp}/jv", "--listen"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    wait_port(port, p)
    return p, port


def virsh_ms(uri, cmd):
    ts = []
    for i in range(RUNS + 5):
        t = time.perf_counter()
        subprocess.run(["virsh", "-c", uri] + cmd.split(), capture_output=True, check=True)
        if i >= 5:
            ts.append((time.perf_counter() - t) * 1000)
    return statistics.median(ts)


def java_rates(uri):
    # the bench class (daemon's test classes), libvirt-java from the local Maven repository, JNA from target/lib
    m2 = os.path.expanduser("~/.m2/repository/org/libvirt/libvirt")
    jar = [os.path.join(m2, v, f"libvirt-{v}.jar") for v in os.listdir(m2)][0]
    cp = f"{ROOT}/daemon/target/test-classes:{jar}:{ROOT}/daemon/target/lib/*"
    out = subprocess.run(["java", "-cp", cp, "org.jvirt.daemon.bench.LibvirtJavaBench", uri, "3"],
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[1]), float(out[3])


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])


def hundred_clients(uri, pid):
    conns = [libvirt.open(uri) for _ in range(100)]
    time.sleep(1)
    rss = rss_kib(pid)
    lat = []
    lock = threading.Lock()

    def work(c):
        mine = []
        for _ in range(30):
            t = time.perf_counter()
            c.lookupByName("test").info()
            mine.append(time.perf_counter() - t)
        with lock:
            lat.extend(mine)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=work, args=(c,)) for c in conns]
    for t in threads: t.start()
    for t in threads: t.join()
    elapsed = time.perf_counter() - t0
    for c in conns: c.close()
    lat.sort()
    return len(lat) / elapsed, lat[len(lat) // 2] * 1000, lat[int(len(lat) * 0.99)] * 1000, rss


def main():
    tmp = tempfile.mkdtemp(prefix="jvirtd-bench-")
    lv, lport = start_libvirtd(tmp)
    jv, jport = start_jvirtd(tmp)
    rows = []
    try:
        uris = {"jvirtd": f"test+tcp://127.0.0.1:{jport}/default", "libvirtd": f"test+tcp://127.0.0.1:{lport}/default"}
        pids = {"jvirtd": jv.pid, "libvirtd": lv.pid}
        virsh_ms(uris["jvirtd"], "list --all")  # the JIT's first calls are not the daemon's steady state
        res = {}
        for who, uri in uris.items():
            r = {}
            r["virsh list ms"] = virsh_ms(uri, "list --all")
            r["virsh dominfo ms"] = virsh_ms(uri, "dominfo test")
            r["java list/s"], r["java dominfo/s"] = java_rates(uri)
            r["idle RSS MiB"] = rss_kib(pids[who]) / 1024
            r["100 clients calls/s"], r["100 clients p50 ms"], r["100 clients p99 ms"], rss = hundred_clients(uri, pids[who])
            r["RSS with 100 clients MiB"] = rss / 1024
            res[who] = r
        print(f"| | jvirtd | libvirtd | ratio jvirtd/libvirtd |\n|---|---|---|---|")
        for k in res["jvirtd"]:
            a, b = res["jvirtd"][k], res["libvirtd"][k]
            print(f"| {k} | {a:.1f} | {b:.1f} | {a / b:.2f} |")
    finally:
        jv.terminate(); lv.terminate()
        jv.wait(); lv.wait()


if __name__ == "__main__":
    main()
