#!/usr/bin/env bash
# Installs what jvirt's build and tests need on Debian 12, then builds every module.
# Idempotent: packages already present are not touched; run as root (or with sudo available).
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)

# Build: JDK 17, Maven, gcc/binutils (test guests). Tests and references: libvirt0 (libvirt's
# RelaxNG schemas in /usr/share/libvirt/schemas), libvirt-clients (real virsh, for comparisons),
# qemu-system-x86 (reference VMM), qemu-utils (qemu-img: the qcow2 reference), busybox-static, lz4, cpio (the Linux test image),
# xz-utils (test-fixtures/linux/build-generic.sh: unpacks the generic kernel's XZ vmlinux and any .ko.xz modules),
# linux-libc-dev (<linux/kvm.h>, for the struct layout test), nasm (assembles test386.asm, the emulator CPU test ROM, at test time),
# libvirt-daemon (the real libvirtd: the reference peer of jvirtd's and the remote client's tests, run
# with its test driver only) and python3-libvirt (libvirt-python, a real client of jvirtd in the tests),
# gnutls-bin (certtool: the TLS tests make their CA and certificates with it, as libvirt's docs do),
# openssh-server, openssh-client and netcat-openbsd (the ssh transport's test runs its own sshd on
# 127.0.0.1; nc -U is the far side's end, as libvirt's ssh transport uses it),
# seabios and ovmf (the firmware QEMU and jvirt boot), syslinux, syslinux-common, isolinux, mtools,
# dosfstools, fdisk, grub-efi-amd64-bin, grub-common and xorriso (test-fixtures/linux/images.sh makes
# the bootable disk and ISO of the Linux guest with them, without root or loop mounts), virtinst (the real
# virt-install, a client of jvirtd in the tests), dnsmasq-base, iptables and nftables (what libvirt's
# network driver runs for a virtual network's DHCP/DNS and NAT; jvirt runs them too), passt (user-mode
# networking for session URIs, as libvirt 9), iperf3 (the network benchmark), iproute2 and iputils-ping
# (the virtio-net tests make network namespaces, taps and bridges and ping the guests); vncsnapshot,
# gvncviewer, virt-viewer, xvfb, xauth and x11-apps (xwd) are the real VNC clients the display tests
# connect, headless, to jvirt's and QEMU's VNC servers.
packages=(openjdk-17-jdk-headless maven gcc binutils make libc6-dev linux-libc-dev
          libvirt0 libvirt-clients qemu-system-x86 qemu-utils busybox-static lz4 xz-utils cpio nasm
          libvirt-daemon python3-libvirt gnutls-bin openssh-server openssh-client netcat-openbsd
          seabios ovmf syslinux syslinux-common isolinux mtools dosfstools fdisk grub-efi-amd64-bin grub-common xorriso
          virtinst dnsmasq-base iptables nftables passt iperf3 iproute2 iputils-ping
          vncsnapshot gvncviewer virt-viewer xvfb xauth x11-apps)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  # Services the packages bring (sshd, libvirtd) are not started: the tests run their own. Without
  # a policy-rc.d (containers have one; CI and hosts may not), one that says no is in place for
  # the install only (invoke-rc.d and deb-systemd-invoke ask it).
  policy=/usr/sbin/policy-rc.d
  made_policy=""
  if [ ! -e "$policy" ]; then
    made_policy=1
    printf '#!/bin/sh\n# jvirt setup.sh: no service starts during its install\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    trap '$sudo rm -f "$policy"' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ -n "$made_policy" ]; then $sudo rm -f "$policy"; trap - EXIT; fi
fi

cd "$top"
echo "setup: building jvirt (mvn install, tests skipped)" >&2
mvn -B -q install -DskipTests
