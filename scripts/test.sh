#!/usr/bin/env bash
# The test command (README, and .ci/run): set up what the tests need, then run every module's tests.
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
"$top/scripts/setup.sh"
cd "$top"
mvn -B install
