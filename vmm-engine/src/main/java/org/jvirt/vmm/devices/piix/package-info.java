/**
 * The PIIX3/PIIX4 functions of QEMU's pc at 00:01 that UEFI firmware programs: the ISA bridge
 * (00:01.0, PIRQ routing registers) and the power-management function (00:01.3, whose PMBA and
 * PMREGMISC place the ACPI PM block that OVMF's timer and Linux's power-off use).
 */
package org.jvirt.vmm.devices.piix;
