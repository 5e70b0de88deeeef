#!/usr/bin/env bash
# The main job: set up, check the example XML, then define, boot, watch and shut down a demo
# guest (examples/domains/demo-guest.xml) with jvirsh on a throw-away jvirt:///embed URI.
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
"$top/scripts/setup.sh"
cd "$top"
echo "== jvirt-xml: round trip and schema validation of the example domains"
bin/jvirt-xml roundtrip examples/domains/*.xml
bin/jvirt-xml validate examples/domains/*.xml

echo
virt=kvm
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
  # libvirt's rule: type='kvm' never falls back; the demo asks for the emulator itself
  echo "demo: /dev/kvm is not usable here: the guest runs on jvirt's emulator (<domain type='qemu'>)" >&2
  virt=qemu
fi
echo "== jvirsh: define, start, watch the console, shut down (guest: test-fixtures ticker, type='$virt')"
root=$(mktemp -d /tmp/jvirt-demo.XXXXXX)
uri="jvirt:///embed?root=$root"
xml="$root/demo-guest.xml"
# the example names its kernel /path/to/jvirt/...: point it at this checkout
sed -e "s|/path/to/jvirt|$top|" -e "s|<domain type='kvm'>|<domain type='$virt'>|" examples/domains/demo-guest.xml > "$xml"
jvirsh() { echo "\$ jvirsh $*" >&2; bin/jvirsh -c "$uri" "$@"; }
cleanup() { bin/jvirsh -c "$uri" destroy demo >/dev/null 2>&1 || true; rm -rf "$root"; }
trap cleanup EXIT
jvirsh define "$xml"
jvirsh start demo
jvirsh list --all
jvirsh dominfo demo
echo "\$ jvirsh console demo   (3 seconds, then ^])" >&2
{ sleep 3; printf '\035'; } | bin/jvirsh -c "$uri" console demo
jvirsh shutdown demo
for _ in 1 2 3 4 5; do
  sleep 1
  [ "$(bin/jvirsh -c "$uri" domstate demo)" = "shut off" ] && break
done
if [ "$(bin/jvirsh -c "$uri" domstate demo)" != "shut off" ]; then
  echo "demo: the guest did not power off on the ACPI power button within 5 s; destroying it" >&2
  jvirsh destroy demo
fi
jvirsh domstate demo --reason
jvirsh undefine demo
