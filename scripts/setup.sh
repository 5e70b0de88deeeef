#!/usr/bin/env bash
# Installs what jvirt's build and tests need on Debian 12, then builds every module.
# Idempotent: packages already present are not touched; run as root (or with sudo available).
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)

# Build: JDK 17, Maven, gcc/binutils (test guests). Tests and references: libvirt0 (libvirt's
# RelaxNG schemas in /usr/share/libvirt/schemas), libvirt-clients (real virsh, for comparisons),
# qemu-system-x86 (reference VMM), qemu-utils (qemu-img: the qcow2 reference), busybox-static, lz4, cpio (the Linux test image),
# linux-libc-dev (<linux/kvm.h>, for the struct layout test), nasm (assembles test386.asm, the emulator CPU test ROM, at test time),
# libvirt-daemon (the real libvirtd: the reference peer of jvirtd's and the remote client's tests, run
# with its test driver only) and python3-libvirt (libvirt-python, a real client of jvirtd in the tests),
# gnutls-bin (certtool: the TLS tests make their CA and certificates with it, as libvirt's docs do).
packages=(openjdk-17-jdk-headless maven gcc binutils make libc6-dev linux-libc-dev
          libvirt0 libvirt-clients qemu-system-x86 qemu-utils busybox-static lz4 cpio nasm
          libvirt-daemon python3-libvirt gnutls-bin)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cd "$top"
echo "setup: building jvirt (mvn install, tests skipped)" >&2
mvn -B -q install -DskipTests
