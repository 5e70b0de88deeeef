/**
 * The IDE of the {@code pc} machine: {@link org.jvirt.vmm.devices.ide.IdeChannel} decodes a legacy
 * channel's ports (primary 0x1F0-0x1F7 + 0x3F6 on IRQ 14, secondary 0x170-0x177 + 0x376 on IRQ 15)
 * into the ATA command engine {@link org.jvirt.vmm.devices.ide.IdeDevice}, of which
 * {@link org.jvirt.vmm.devices.ide.AtaDisk} (a hard disk on a block backend) and
 * {@link org.jvirt.vmm.devices.ide.AtapiCdrom} (an ATAPI CD/DVD-ROM with removable media) are the
 * two kinds. References: ATA/ATAPI-7, MMC-5, SPC-3; the probing of SeaBIOS's src/hw/ata.c and
 * Linux's libata SFF code. The PIIX3 IDE PCI function's bus master (BAR4,
 * {@link org.jvirt.vmm.devices.ide.BusMasterDma}) moves READ/WRITE DMA and ATAPI DMA data; an AHCI port ({@link org.jvirt.vmm.devices.ahci}) drives the same engines through
 * {@link org.jvirt.vmm.devices.ide.AtaLink}, with READ/WRITE DMA and ATAPI DMA offered there.
 */
package org.jvirt.vmm.devices.ide;
