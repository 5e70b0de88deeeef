/**
 * QEMU's q35 machine as SeaBIOS and Linux see it: the MCH host bridge with its PCIe ECAM window
 * (PCIEXBAR), the ICH9 LPC bridge placing the ACPI PM block (PMBASE, ACPI_CNTL) and routing PCI
 * INTx through PIRQ[A-H] to GSI 16-23, the ICH9 SMBus function, and {@link
 * org.jvirt.vmm.devices.q35.Q35Chipset} putting them on bus 0 (00:00.0, 00:1f.0, 00:1f.3; 00:1f.2
 * is the SATA controller's place). No SMM: the reference is QEMU's {@code -machine q35,smm=off}.
 */
package org.jvirt.vmm.devices.q35;
