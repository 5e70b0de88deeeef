/**
 * QEMU's firmware configuration device (fw_cfg) as docs/specs/fw_cfg.rst describes its
 * traditional I/O interface: a 16-bit selector at port 0x510 and a byte-wide data port at 0x511.
 * The DMA interface (0x514) is not offered: the ID item says so, and SeaBIOS then reads
 * through the data port.
 */
package org.jvirt.vmm.devices.fwcfg;
