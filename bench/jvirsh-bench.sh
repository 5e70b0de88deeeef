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
# `java Hello` (a bare Java "hello", default JVM options) is printed for reference.
# Wall time is taken with bash's EPOCHREALTIME around each command: no timing process.
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

    local load; read -r load _ < /proc/loadavg 2>/dev/null || load=?
    local i t0 t1
    : > "$work/jvirsh.ms"; : > "$work/virsh.ms"; : > "$work/hello.ms"; : > "$work/other.ms"
    for ((i = 0; i < runs; i++)); do
        if [[ -n "$other" ]]; then
            t0=$EPOCHREALTIME; "${before[@]}" >/dev/null 2>&1; t1=$EPOCHREALTIME
            echo "$t0 $t1" >> "$work/other.ms"
        fi
        t0=$EPOCHREALTIME; "${jvirsh[@]}" >/dev/null 2>&1; t1=$EPOCHREALTIME
        echo "$t0 $t1" >> "$work/jvirsh.ms"
        t0=$EPOCHREALTIME; "${virsh[@]}" >/dev/null 2>&1; t1=$EPOCHREALTIME
        echo "$t0 $t1" >> "$work/virsh.ms"
        t0=$EPOCHREALTIME; "${hello[@]}" >/dev/null 2>&1; t1=$EPOCHREALTIME
        echo "$t0 $t1" >> "$work/hello.ms"
    done
    local load2; read -r load2 _ < /proc/loadavg 2>/dev/null || load2=?
    echo "list --all on test:///default: $runs alternating runs of each after one warm-up run;"
    echo "wall ms; $(nproc) CPUs, load average (1 min) $load before, $load2 after; $(java -version 2>&1 | head -n 1)"
    python3 - "$work" "$other" <<'EOF'
import statistics, sys
work, other = sys.argv[1], sys.argv[2]
def ms(name):
    return [(float(b) - float(a)) * 1000 for a, b in (l.split() for l in open(f"{work}/{name}.ms"))]
rows = [("jvirsh", ms("jvirsh")), ("virsh", ms("virsh")), ("java Hello (bare JVM)", ms("hello"))]
if other:
    rows.append(("other: " + other[-30:], ms("other")))
print("%-38s %8s %8s %8s" % ("", "median", "min", "max"))
for name, v in rows:
    print("%-38s %8.1f %8.1f %8.1f" % (name, statistics.median(v), min(v), max(v)))
ratio = statistics.median(rows[0][1]) / statistics.median(rows[1][1])
print("ratio jvirsh/virsh (medians): %.2f (target: at most 3)" % ratio)
if other:
    print("ratio other/virsh (medians): %.2f" % (statistics.median(rows[3][1]) / statistics.median(rows[1][1])))
EOF
}

api() {
    local domains=${1:-2000} rounds=${2:-5}
    local libvirt_jar="$HOME/.m2/repository/org/libvirt/libvirt/0.5.3/libvirt-0.5.3.jar"
    [[ -f "$libvirt_jar" ]] || { echo "libvirt-java missing: run 'mvn -q test -pl driver' first" >&2; exit 1; }
    local cp="" m f
    for m in driver domain-xml vmm-engine; do
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
