#!/usr/bin/env bash
# The hardening cases of issue 7 in one repeatable run: hostile names, bad values, damaged
# stores, killed clients (kill -9 at seeded random points), concurrency, isolation, input files
# and internal errors. Usage: scripts/hardening-check.sh [SEED [ITERATIONS]]
#   SEED        seed of the killed-client test (default: random, printed by the test)
#   ITERATIONS  clients killed (default 20; CI runs 4)
# The same SEED kills at the same points again. KVM cases skip without /dev/kvm.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
seed=${1:-}
iterations=${2:-20}
tests=(
    DomainNamesTest JvirtDomainNamesVirshTest                 # hostile names
    DomainValidatorTest GoldenTranscriptReplayTest            # bad values (goldens validation/, names/)
    XmlFilesTest ErrorsAndHostileInputTest                    # input files
    DamagedStoreTest KilledClientKvmTest PidFileLockTest      # damaged store, killed clients
    DomainLocksTest JvirtConcurrencyKvmTest                   # per-domain locks, 8 parallel destroys
    PrivateDirsTest JvirtPrivacyKvmTest SocketAccessTest UmaskTest JvirtVmmUmaskKvmTest  # isolation
    InternalErrorTest JvirtVmmInternalErrorTest JvirtXmlInternalErrorTest              # no stack traces
    UnsupportedConfigTest VirtInstallFixturesTest             # unsupported configuration, all at once
)
props=(-Djvirt.killtest.iterations="$iterations")
[[ -n "$seed" ]] && props+=(-Djvirt.killtest.seed="$seed")
IFS=,; list="${tests[*]}"; unset IFS
exec mvn -B -o -q -pl domain-xml,vmm-engine,driver,virsh-compat -am test -Dtest="$list" \
    -Dsurefire.failIfNoSpecifiedTests=false "${props[@]}"
