/**
 * QEMU's firmware descriptors (docs/interop/firmware.json, Debian's {@code /usr/share/qemu/firmware})
 * and libvirt's choice among them for {@code <os firmware='efi'|'bios'>}: the files, the search
 * order, and the match of a descriptor against a domain.
 */
package org.jvirt.driver.jvirt.firmware;
