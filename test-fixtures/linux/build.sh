#!/bin/sh
# Prepares a Linux guest for jvirt's boot tests, cached in OUT (default ../target/linux):
#   OUT/vmlinuz     the Debian cloud kernel (bzImage) from linux-image-cloud-amd64
#   OUT/vmlinux     its uncompressed ELF (has the PVH note, so it boots with -kernel directly)
#   OUT/initrd.img  newc cpio + gzip: busybox-static and an /init that mounts proc/sys/dev,
#                   loads the virtio modules (if modules), prints JVIRT-GUEST-READY, powers off
#   OUT/initrd-shell.img  the same, but after JVIRT-GUEST-READY it runs a busybox shell on the
#                   console (the console's controlling tty) and powers off when the shell exits
#   The /init also reads jvirt.* words of the kernel command line (see the init below): a
#   network set-up (jvirt.ip=ADDR/PREFIX or jvirt.dhcp=1 on eth0) and checks run before the marker.
# Idempotent: does nothing when OUT/.complete names the same kernel package and this script's
# same content (a changed script rebuilds the initrd, and images.sh the images made from it). Needs apt
# access to a Debian mirror (apt-get download), dpkg-deb, lz4, cpio, gzip, busybox-static.
# When one of those is missing (not a Debian host, no network, apt lists not readable) it
# writes the reason to OUT/UNAVAILABLE and exits 0: the Linux tests then skip with that
# reason instead of failing the build. A kernel that is not what this script expects (no
# LZ4 payload, not an ELF, a missing virtio module) is an error (exit 1).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../target/linux}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out/UNAVAILABLE"

unavailable() {
    echo "build.sh: WARNING: no Linux guest: $*; the Linux boot tests will skip" >&2
    echo "$*" > "$out/UNAVAILABLE"
    exit 0
}
cached() {
    [ -f "$out/.complete" ] && [ -f "$out/vmlinux" ] && [ -f "$out/vmlinuz" ] && [ -f "$out/initrd.img" ] && [ -f "$out/initrd-shell.img" ]
}
for tool in apt-cache apt-get dpkg-deb lz4 cpio gzip busybox objcopy; do
    command -v "$tool" >/dev/null 2>&1 || unavailable "the tool '$tool' is not installed (needs Debian's apt, dpkg, lz4, cpio, gzip, busybox-static, binutils)"
done

resolve_pkg() {
    apt-cache depends linux-image-cloud-amd64 2>/dev/null |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9].*-cloud-amd64$/ { print $2; exit }'
}
pkg=$(resolve_pkg || true)
if [ -z "$pkg" ]; then
    apt-get update -qq >/dev/null 2>&1 || true
    pkg=$(resolve_pkg || true)
fi
if [ -z "$pkg" ]; then
    # offline with a complete earlier build: keep using it
    cached && { echo "build.sh: apt unavailable, keeping the cached $(cat "$out/.complete")" >&2; exit 0; }
    unavailable "apt cannot resolve linux-image-cloud-amd64 (no Debian apt sources, 'apt-get update' failed or needs root)"
fi

stamp="$pkg $(cksum < "$0" | cut -d' ' -f1)"
if cached && [ "$(cat "$out/.complete")" = "$stamp" ]; then
    exit 0
fi
rm -f "$out/.complete"
work=$out/work
rm -rf "$work"
mkdir -p "$work/deb" "$work/pkg"

echo "build.sh: downloading $pkg" >&2
(cd "$work/deb" && apt-get download -o APT::Sandbox::User=root "$pkg" >/dev/null 2>&1) || {
    apt-get update -qq >/dev/null 2>&1 || true
    (cd "$work/deb" && apt-get download -o APT::Sandbox::User=root "$pkg" >/dev/null) || {
        rm -rf "$work"
        cached && { echo "build.sh: cannot download $pkg, keeping the cached $(cat "$out/.complete")" >&2; exit 0; }
        unavailable "'apt-get download $pkg' failed (no network access to a Debian mirror?)"
    }
}
dpkg-deb -x "$work"/deb/*.deb "$work/pkg"
kver=${pkg#linux-image-}
cp "$work/pkg/boot/vmlinuz-$kver" "$out/vmlinuz"

# vmlinux: the payload after the first LZ4 legacy frame magic (02 21 4c 18).
# lz4 stops with an error at the bytes that follow the frame; the ELF check decides.
off=$(LC_ALL=C grep -obUaP '\x02\x21\x4c\x18' "$out/vmlinuz" | head -n 1 | cut -d: -f1)
[ -n "$off" ] || { echo "build.sh: no LZ4 legacy magic in vmlinuz (not an LZ4 kernel?)" >&2; exit 1; }
tail -c "+$((off + 1))" "$out/vmlinuz" | lz4 -dc > "$work/vmlinux" 2>/dev/null || true
[ "$(head -c 4 "$work/vmlinux" | od -An -tx1 | tr -d ' \n')" = "7f454c46" ] ||
    { echo "build.sh: LZ4 payload at $off is not an ELF" >&2; exit 1; }
mv "$work/vmlinux" "$out/vmlinux"

# initrd
root=$work/initrd
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/lib/modules"
cp "$(command -v busybox)" "$root/bin/busybox"
moddir=$work/pkg/lib/modules/$kver
: > "$root/lib/modules/load-order"
# The package has no modules.dep (depmod runs at install time): dependencies come
# from each module's .modinfo "depends=" field instead.
ko_path() { find "$moddir/kernel" -name "$1.ko*" | head -n 1; }
ko_plain() {   # module file, decompressed, on stdout
    case $1 in
        *.xz) xz -dc "$1" ;;
        *.zst) zstd -qdc "$1" ;;
        *) cat "$1" ;;
    esac
}
# add_module NAME: its dependencies first, then NAME itself, once
add_module() {
    grep -qxF "$1" "$root/lib/modules/load-order" && return 0
    f=$(ko_path "$1")
    ko_plain "$f" > "$root/lib/modules/$1.ko"
    deps=$(objcopy -O binary --only-section=.modinfo "$root/lib/modules/$1.ko" /dev/stdout |
        tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' ')
    for d in $deps; do
        add_module "$d"
    done
    echo "$1" >> "$root/lib/modules/load-order"
    echo "build.sh: module $1" >&2
}
for m in virtio virtio_ring virtio_pci virtio_blk virtio_net virtio-rng; do
    if [ -n "$(ko_path "$m")" ]; then
        add_module "$m"
    elif grep -q "/$m\.ko" "$moddir/modules.builtin" 2>/dev/null; then
        echo "build.sh: $m is built in" >&2
    else
        echo "build.sh: $m is neither a module nor built in" >&2
        exit 1
    fi
done
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /lib/modules/load-order); do
    insmod /lib/modules/$m.ko || echo "init: insmod $m failed"
done
echo "init: block devices: $(ls /sys/block | tr '\n' ' ')"
# jvirt.* words of the command line: jvirt.rng=1 reports the hardware RNG; jvirt.ip=ADDR/PREFIX
# or jvirt.dhcp=1 configure eth0 (jvirt.gw=ADDR a default route; jvirt.dhcp=auto: DHCP only when
# there is an eth0, as the boot images ask); jvirt.ping=ADDR pings it;
# jvirt.fetch=HOST:PORT prints the first line a TCP service there sends (10 s at most);
# jvirt.httpd=PORT serves "jvirt-guest MAC" over HTTP on PORT and keeps the guest up 120 s after the marker.
for w in $(cat /proc/cmdline); do
    case $w in
        jvirt.rng=1) echo "init: hwrng: $(cat /sys/class/misc/hw_random/rng_current 2>/dev/null)," \
                "read $(head -c 64 /dev/hwrng 2>/dev/null | wc -c) bytes" ;;
        jvirt.ip=*) ip link set eth0 up && ip addr add "${w#jvirt.ip=}" dev eth0 &&
                echo "init: eth0 $(cat /sys/class/net/eth0/address) ${w#jvirt.ip=}" ;;
        jvirt.gw=*) ip route add default via "${w#jvirt.gw=}" ;;
        jvirt.dhcp=1|jvirt.dhcp=auto)
                if [ -e /sys/class/net/eth0 ] || [ $w = jvirt.dhcp=1 ]; then
                    ip link set eth0 up
                    udhcpc -i eth0 -n -q -t 10 -T 1 -s /bin/dhcp-event >/dev/null 2>&1 ||
                    echo "init: no DHCP lease on eth0"
                fi ;;
        jvirt.ping=*) ping -c 3 -W 2 "${w#jvirt.ping=}" >/dev/null 2>&1 &&
                echo "init: ping ${w#jvirt.ping=} ok" || echo "init: ping ${w#jvirt.ping=} failed" ;;
        jvirt.fetch=*) h=${w#jvirt.fetch=}
                echo "init: fetch $h: $(timeout 10 nc -w 5 "${h%:*}" "${h##*:}" </dev/null 2>/dev/null | head -n 1)" ;;
        jvirt.httpd=*) mkdir -p /www && echo "jvirt-guest $(cat /sys/class/net/eth0/address)" > /www/index.html &&
                httpd -p "${w#jvirt.httpd=}" -h /www && echo "init: httpd on port ${w#jvirt.httpd=}" && hold=120 ;;
    esac
done
echo JVIRT-GUEST-READY
[ -n "$hold" ] && sleep $hold
poweroff -f
INIT
chmod 755 "$root/init"
# udhcpc's event script: takes the lease's address and router
cat > "$root/bin/dhcp-event" <<'DHCP'
#!/bin/sh
case $1 in
    bound|renew)
        ip addr flush dev "$interface"
        ip addr add "$ip/${mask:-24}" dev "$interface"
        [ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
        echo "init: DHCP lease $ip/${mask:-24} on $interface" > /dev/console ;;
esac
DHCP
chmod 755 "$root/bin/dhcp-event"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9n) > "$out/initrd.img"

# The shell variant: the same /init up to the marker, then an interactive shell whose
# controlling terminal is the console (cttyhack), so `jvirsh console` gets a prompt.
sed -i 's|^poweroff -f$|setsid cttyhack sh\npoweroff -f|' "$root/init"
grep -q cttyhack "$root/init" || { echo "build.sh: could not make the shell /init" >&2; exit 1; }
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9n) > "$out/initrd-shell.img"

rm -rf "$work"
echo "$stamp" > "$out/.complete"
echo "build.sh: $out/vmlinuz, vmlinux, initrd.img, initrd-shell.img ready ($pkg)" >&2
