/**
 * The SMBIOS tables QEMU 7.2's pc and q35 machines hand their firmware through fw_cfg
 * ("etc/smbios/smbios-tables" and "etc/smbios/smbios-anchor", QEMU's hw/smbios/smbios.c and
 * hw/i386/fw_cfg.c): the structures QEMU builds by default for the machine's RAM, vCPU topology
 * and name, plus the fields of QEMU-style {@code -smbios type=N,...} options ({@link SmbiosFields}).
 * SeaBIOS and OVMF copy them into guest memory (SeaBIOS adding its own type 0 when there is none).
 */
package org.jvirt.vmm.devices.fwcfg.smbios;
