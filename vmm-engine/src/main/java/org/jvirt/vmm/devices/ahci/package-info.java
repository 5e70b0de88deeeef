/**
 * SATA through an AHCI host bus adapter: {@link org.jvirt.vmm.devices.ahci.AhciController} is
 * QEMU's ich9-ahci (PCI 8086:2922, class 01:06:01, ABAR in BAR5, six ports, MSI), whose ports
 * ({@link org.jvirt.vmm.devices.ahci.AhciPort}) fetch command lists and tables from guest memory
 * and feed their Register H2D FISes into the ATA/ATAPI engines of
 * {@link org.jvirt.vmm.devices.ide} through {@link org.jvirt.vmm.devices.ide.AtaLink}; data moves
 * through the commands' PRDTs ({@link org.jvirt.vmm.devices.ahci.Prdt}). Commands run on the
 * controller's {@link org.jvirt.vmm.devices.ahci.AhciIoThread}, never on a vCPU thread.
 * References: AHCI 1.3, SATA 1.0 (FIS layouts); QEMU's hw/ide/ahci.c for what a guest sees of
 * QEMU's HBA, SeaBIOS's src/hw/ahci.c for what firmware asks of it.
 */
package org.jvirt.vmm.devices.ahci;
