#!/usr/bin/env bash
# jvirsh and the Java API against libvirt, measured in the same run.
#  1. wall time of `jvirsh -c test:///default list --all` (with and without the class-data
#     sharing archive) vs `virsh -c test:///default list --all`: median of RUNS runs
#     (hyperfine when installed, else a timing loop);
#  2. Java API throughput, define + create + destroy + undefine cycles/s over DOMAINS domains:
#     jvirt's API on jvirt's test:///default vs libvirt-java 0.5.3 on libvirt's test:///default
#     (bench/jvirsh/ApiThroughput.java, one JVM, median of ROUNDS rounds after a warm-up).
# Needs: mvn install done (the driver's tests fetch libvirt-java), virsh (libvirt-clients),
# libvirt0. Usage: bench/jvirsh-bench.sh [RUNS] [DOMAINS] [ROUNDS]
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
runs=${1:-30}
domains=${2:-2000}
rounds=${3:-5}
command -v virsh >/dev/null || { echo "virsh not found: apt-get install libvirt-clients" >&2; exit 1; }
jvirsh="$top/bin/jvirsh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# median wall time in ms of a command line, RUNS runs after 3 warm-up runs
median_ms() {
  if command -v hyperfine >/dev/null; then
    hyperfine -N -w 3 -r "$runs" --export-json "$work/h.json" "$1" >/dev/null 2>&1
    python3 -c "import json; print('%.1f' % (json.load(open('$work/h.json'))['results'][0]['median'] * 1000))"
  else
    for _ in 1 2 3; do $1 >/dev/null 2>&1; done
    for _ in $(seq "$runs"); do
      t0=$(date +%s%N); $1 >/dev/null 2>&1; t1=$(date +%s%N)
      echo $(( (t1 - t0) / 1000 ))
    done | sort -n | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f\n", m / 1000}'
  fi
}

"$jvirsh" -c test:///default list --all >/dev/null   # makes the CDS archive when missing
cds=$(median_ms "$jvirsh -c test:///default list --all")
nocds=$(median_ms "env JVIRSH_CDS=0 $jvirsh -c test:///default list --all")
ref=$(median_ms "virsh -c test:///default list --all")
echo "list --all wall time, median of $runs ($(command -v hyperfine >/dev/null && echo hyperfine || echo loop)):"
echo "  jvirsh (CDS)     $cds ms"
echo "  jvirsh (no CDS)  $nocds ms"
echo "  virsh            $ref ms"
python3 -c "print('  ratio jvirsh(CDS)/virsh %.1f, CDS gain %.0f %%' % ($cds / $ref, 100 * (1 - $cds / $nocds)))"

libvirt_jar="$HOME/.m2/repository/org/libvirt/libvirt/0.5.3/libvirt-0.5.3.jar"
[[ -f "$libvirt_jar" ]] || { echo "libvirt-java missing: run 'mvn -q test -pl driver' first" >&2; exit 1; }
cp=""
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
