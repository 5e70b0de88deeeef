#!/usr/bin/env bash
# Save and restore wall time of the ticker guest at 256 MiB, 1 GiB and 4 GiB of guest RAM, measured
# inside one VMM process (bench/state/RestoreBench.java): restore maps the state file's RAM
# copy-on-write, so its time should not grow with RAM. Needs /dev/kvm, a built vmm-engine
# (mvn -pl vmm-engine -am package -DskipTests) and the test-fixtures guests. Not CI.
# Usage: bench/restore-bench.sh [RUNS] [MiB...]   (state files go to $TMPDIR, up to the largest RAM size, sparse)
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
runs=${1:-9}; shift || true
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(256 1024 4096)
classes="$top/vmm-engine/target/classes" lib="$top/vmm-engine/target/lib"
elf="$top/test-fixtures/target/guests/ticker.elf"
[ -d "$lib" ] && [ -d "$classes/org/jvirt/vmm/machine" ] || { echo "build vmm-engine first: mvn -pl vmm-engine -am package -DskipTests" >&2; exit 1; }
[ -f "$elf" ] || { echo "build the test-fixtures guests first ($elf)" >&2; exit 1; }
[ -w /dev/kvm ] || { echo "needs /dev/kvm" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
exec java -cp "$classes:$lib/*" "$top/bench/state/RestoreBench.java" "$elf" "$work" "$runs" "${sizes[@]}"
