#!/usr/bin/env bash
# The main job: set up, then show jvirt at work on libvirt XML (and, once the VMM and driver
# land, define, boot and shut down a demo guest).
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
"$top/scripts/setup.sh"
cd "$top"
echo "== jvirt-xml: round trip and schema validation of the example domains"
bin/jvirt-xml roundtrip examples/domains/*.xml
bin/jvirt-xml validate examples/domains/*.xml
