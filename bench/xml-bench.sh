#!/usr/bin/env bash
# Domain XML parse + serialize throughput: jvirt's domain-xml vs real libvirt doing the same work
# in the same run (one `virsh -c test:///default` session that defines and dumps the same files).
# Files: the domain files of ../shared/fixtures/libvirt-xml that libvirt's test driver accepts.
# Needs: mvn install done, libvirt-clients (virsh). Usage: bench/xml-bench.sh [ROUNDS]
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
corpus="$top/../shared/fixtures/libvirt-xml"
rounds=${1:-20}
command -v virsh >/dev/null || { echo "virsh not found: apt-get install libvirt-clients" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
awk -F'\t' 'NR>1 && $2=="domain" && $7=="accepted" {print "'"$corpus"'/" $1}' "$corpus/MANIFEST.tsv" > "$work/files"
n=$(wc -l < "$work/files")
jar=$(ls "$top"/domain-xml/target/jvirt-domain-xml-*.jar | head -n1)
cp="$jar:$top/domain-xml/target/lib/*"
javac -d "$work" -cp "$cp" "$top/bench/xml/XmlBench.java"
jv=$(java -cp "$work:$cp" XmlBench "$work/files" "$rounds")
echo "$jv"

# libvirt: each file gets a fresh name (test driver keeps every define), define then dumpxml.
: > "$work/cmds"
i=0
while read -r f; do
  i=$((i+1))
  sed -E "0,/<name>[^<]*<\/name>/s//<name>bench$i<\/name>/" "$f" | sed -E '/<uuid>/d' > "$work/d$i.xml"
  echo "define $work/d$i.xml" >> "$work/cmds"
  echo "dumpxml bench$i" >> "$work/cmds"
done < "$work/files"
: > "$work/empty"
t0=$(date +%s.%N); virsh -q -c test:///default < "$work/empty" > /dev/null; t1=$(date +%s.%N)
virsh -c test:///default < "$work/cmds" > "$work/virsh.out" 2>"$work/virsh.err" || true
t2=$(date +%s.%N)
ok=$(grep -c '^Domain .* defined from' "$work/virsh.out" || true)
lv=$(python3 -c "b=$t1-$t0; s=$t2-$t1-b; print(f'{s:.3f} {$ok/s:.0f}')")
echo "libvirt: $ok of $n documents defined+dumped in ${lv% *} s (session start-up subtracted) = ${lv#* } docs/s"
python3 - "$jv" "${lv#* }" <<'PY'
import re, sys
j = float(re.search(r"= (\d+) docs/s", sys.argv[1]).group(1)); l = float(sys.argv[2])
print(f"ratio jvirt/libvirt: {j/l:.2f}x")
PY
