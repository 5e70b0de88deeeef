#!/usr/bin/env bash
# jvirt's block backends (raw, qcow2) against QEMU's block layer (`qemu-img bench`) on the same
# requests: sequential writes of SIZE bytes into a fresh image (qcow2: every cluster allocated,
# refcounts and L2 entries written), then sequential reads of it, queue depth 1, page cache on,
# a flush at the end of the writes. jvirt's random 4 KiB reads and writes of the written image are
# shown too (qemu-img bench has no random mode). Not CI.
# Needs: a built vmm-engine (mvn -pl vmm-engine -am package -DskipTests), qemu-img (qemu-utils).
# Usage: bench/block-bench.sh [DISK_MiB] [SIZE_BYTES] [RUNS]
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
mib=${1:-256}
size=${2:-65536}
runs=${3:-3}
command -v qemu-img >/dev/null || { echo "qemu-img not found: apt-get install qemu-utils" >&2; exit 1; }
classes="$top/vmm-engine/target/classes"
[ -d "$classes/org/jvirt/vmm/block" ] || { echo "build vmm-engine first: mvn -pl vmm-engine -am package -DskipTests" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
count=$(( mib * 1048576 / size ))
jbench() { java -cp "$classes" "$top/bench/block/BlockBench.java" "$@"; }
# qemu-img bench prints "Run completed in X seconds."; ops/s from that
qbench() {
  local secs
  secs=$(qemu-img bench -q -d 1 -t writeback -i threads "$@" 2>&1 | sed -n 's/.*Run completed in \([0-9.]*\) seconds.*/\1/p')
  [ -n "$secs" ] || secs=$(qemu-img bench -d 1 -t writeback -i threads "$@" 2>&1 | sed -n 's/.*Run completed in \([0-9.]*\) seconds.*/\1/p')
  python3 -c "print('%.0f %.1f' % ($count / $secs, $count * $size / $secs / 1048576))"
}
median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

printf '| format | requests | jvirt ops/s | jvirt MiB/s | qemu-img bench ops/s | qemu-img bench MiB/s |\n|---|---|---|---|---|---|\n'
for fmt in raw qcow2; do
  for op in write read; do
    j=$(for _ in $(seq "$runs"); do
          if [ "$op" = write ]; then rm -f "$work/j.$fmt"; qemu-img create -q -f "$fmt" "$work/j.$fmt" "${mib}M"; fi
          jbench "$work/j.$fmt" "$fmt" "$op" seq "$size" "$count"
        done | median)
    q=$(for _ in $(seq "$runs"); do
          if [ "$op" = write ]; then rm -f "$work/q.$fmt"; qemu-img create -q -f "$fmt" "$work/q.$fmt" "${mib}M"; fi
          if [ "$op" = write ]; then qbench -w -f "$fmt" -c "$count" -s "$size" "$work/q.$fmt"; else qbench -f "$fmt" -c "$count" -s "$size" "$work/q.$fmt"; fi
        done | median)
    echo "| $fmt | sequential $op ${size} B x $count | ${j% *} | ${j#* } | ${q% *} | ${q#* } |"
  done
  for op in read write; do
    j=$(for _ in $(seq "$runs"); do jbench "$work/j.$fmt" "$fmt" "$op" rand 4096 20000; done | median)
    echo "| $fmt | random $op 4096 B x 20000 | ${j% *} | ${j#* } | - | - |"
  done
done
