#!/usr/bin/env bash
# jvirsh against libvirt's virsh, measured in the same run (results: docs/benchmarks.md).
#
#   bench/jvirsh-bench.sh [RUNS] [OTHER_JVIRSH]    start-up (default 12 runs)
#   bench/jvirsh-bench.sh --api [DOMAINS] [ROUNDS] Java API throughput (default 2000 domains, 5 rounds)
#
# Start-up (issue 7 item 9): wall time of `jvirsh -c test:///default list --all` and of
# `virsh -c test:///default list --all`: one warm-up run of each first (it builds jvirsh's
# class-data-sharing archive when there is none), then RUNS runs of each, alternating
# (jvirsh, virsh, java Hello, jvirsh, ...) so that both see the same machine load; prints the
# median, minimum and maximum of each and the ratio of the medians (target: at most 3).
# `java Hello` (a bare Java "hello", default JVM options) is printed for reference. Wall time is
# perf_counter around each run from one Python process (the same spawn cost for every command);
# CPU is the run's user+sys time, which depends less on the machine's load than wall time.
# JVIRSH=path/to/bin/jvirsh measures another tree's jvirsh instead; OTHER_JVIRSH adds that
# launcher (e.g. an older build's bin/jvirsh) to the rotation, for a before/after in one run.
#
# API throughput: define + create + destroy + undefine cycles/s over DOMAINS domains, jvirt's
# API on jvirt's test:///default vs libvirt-java 0.5.3 on libvirt's test:///default
# (bench/jvirsh/ApiThroughput.java, one JVM, median of ROUNDS rounds after a warm-up).
#
# Needs: a built tree (mvn -q package -DskipTests), virsh (libvirt-clients); for --api also
# libvirt0 and libvirt-java in ~/.m2 (the driver's tests fetch it).
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
command -v virsh >/dev/null || { echo "virsh not found: apt-get install libvirt-clients" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

startup() {
    local runs=${1:-12} other=${2:-}
    local jvirsh=("${JVIRSH:-$top/bin/jvirsh}" -c test:///default list --all)
    local before=("${other:-true}" -c test:///default list --all)
    local virsh=(virsh -c test:///default list --all)
    printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' > "$work/Hello.java"
    javac -d "$work" "$work/Hello.java"
    local hello=(java -cp "$work" Hello)

    # warm-up: builds jvirsh's archive; both must print the same table and succeed
    "${jvirsh[@]}" > "$work/jvirsh.out"
    "${virsh[@]}" > "$work/virsh.out"
    "${hello[@]}" > /dev/null
    if [[ -n "$other" ]]; then "${before[@]}" > /dev/null; fi
    cmp -s "$work/jvirsh.out" "$work/virsh.out" || { echo "jvirsh and virsh print different lists:" >&2; diff "$work/virsh.out" "$work/jvirsh.out" >&2; exit 1; }

    python3 - "$runs" "${jvirsh[@]}" -- "${virsh[@]}" -- "${hello[@]}" -- ${other:+"${before[@]}"} <<'EOF'
import os, resource, statistics, subprocess, sys, time
runs = int(sys.argv[1])
cmds, cur = [], []
for a in sys.argv[2:] + ["--"]:
    if a == "--":
        if cur: cmds.append(cur)
        cur = []
    else:
        cur.append(a)
names = ["jvirsh", "virsh", "java Hello (bare JVM)"] + (["other: " + cmds[3][0][-30:]] if len(cmds) > 3 else [])
wall = {n: [] for n in names}
cpu = {n: [] for n in names}
load0 = os.getloadavg()[0]
for _ in range(runs):
    for n, c in zip(names, cmds):   # alternating: each sees the same machine
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        t1 = time.perf_counter()
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall[n].append((t1 - t0) * 1000)
        cpu[n].append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
print("list --all on test:///default: %d alternating runs of each after one warm-up run" % runs)
print("%d CPUs, load average (1 min) %.2f before, %.2f after; %s" % (os.cpu_count(), load0, os.getloadavg()[0], java))
print("%-38s %9s %8s %8s %10s" % ("ms", "median", "min", "max", "CPU median"))
for n in names:
    v = wall[n]
    print("%-38s %9.1f %8.1f %8.1f %10.1f" % (n, statistics.median(v), min(v), max(v), statistics.median(cpu[n])))
m = {n: statistics.median(wall[n]) for n in names}
print("ratio jvirsh/virsh (medians of wall time): %.2f (target: at most 3)" % (m["jvirsh"] / m["virsh"]))
if len(names) > 3:
    print("ratio other/virsh (medians of wall time): %.2f" % (m[names[3]] / m["virsh"]))
EOF
}

api() {
    local domains=${1:-2000} rounds=${2:-5}
    local libvirt_jar="$HOME/.m2/repository/org/libvirt/libvirt/0.5.3/libvirt-0.5.3.jar"
    [[ -f "$libvirt_jar" ]] || { echo "libvirt-java missing: run 'mvn -q test -pl driver' first" >&2; exit 1; }
    local cp="" m f
    for m in driver domain-xml vmm-protocol vmm-engine; do
        for f in "$top/$m/target/jvirt-$m-"*.jar; do case "$f" in *-tests.jar|*-sources.jar) ;; *) cp="$cp$f:" ;; esac; done
    done
    for f in "$top/virsh-compat/target/lib/"*.jar; do case "${f##*/}" in jvirt-*) ;; *) cp="$cp$f:" ;; esac; done
    cp="$cp$libvirt_jar"
    echo "API define+create+destroy+undefine, cycles/s, $domains domains, median of $rounds rounds:"
    java -cp "$cp" "$top/bench/jvirsh/ApiThroughput.java" "$domains" "$rounds" 2>/dev/null | tee "$work/api"
    python3 -c "
v = dict(l.rsplit(' ', 1) for l in open('$work/api').read().split('\n') if l)
print('  ratio jvirt/libvirt-java %.2f' % (float(v['jvirt']) / float(v['libvirt-java'])))"
}

if [[ "${1:-}" == --api ]]; then
    shift
    api "$@"
else
    startup "$@"
fi
