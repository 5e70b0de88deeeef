/**
 * Firmware boot (a PC BIOS such as SeaBIOS instead of a kernel): the image read from its file
 * ({@link org.jvirt.vmm.firmware.FirmwareImage}), mapped read-only below 4 GiB
 * ({@link org.jvirt.vmm.firmware.FirmwareRom}) and shadowed at 0xE0000-0xFFFFF, with the boot
 * processor at the reset vector ({@link org.jvirt.vmm.firmware.FirmwareLoader}).
 */
package org.jvirt.vmm.firmware;
