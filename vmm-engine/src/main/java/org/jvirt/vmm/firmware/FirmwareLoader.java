package org.jvirt.vmm.firmware;

import org.jvirt.vmm.boot.BootLoader;
import org.jvirt.vmm.boot.BootParams;
import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.memory.GuestMemory;

/**
 * Firmware "loading": at power-on and on every reset the image's last 128 KiB are copied into
 * RAM at 0xE0000-0xFFFFF, and the boot processor starts at the reset vector (0xFFFFFFF0, in the
 * ROM at the top of 4 GiB, which jumps into the low copy).
 *
 * <p>On a real i440FX that low range shows the ROM until the firmware sets the PAM registers
 * (0x59-0x5F of the host bridge) to RAM and copies itself there (SeaBIOS's make_bios_writable).
 * Here the range is always RAM, already holding the ROM's bytes, so reads see the same bytes
 * whichever way the PAM registers route them; what differs: writes before the firmware
 * enables shadow RAM, or after it makes it read-only again, are not dropped.
 */
public final class FirmwareLoader implements BootLoader {
    private final byte[] image;

    public FirmwareLoader(FirmwareImage image) {
        this(image.bytes());
    }

    /** The image whose top ends at 4 GiB: a BIOS image, or flash unit 0 (QEMU's pc aliases its top the same way). */
    public FirmwareLoader(byte[] image) {
        this.image = image;
    }

    @Override
    public BootCpuState load(GuestMemory memory, BootParams params) {
        int n = Math.min(image.length, FirmwareImage.LOW_ALIAS_MAX);
        memory.write(FirmwareImage.LOW_ALIAS_END - n, image, image.length - n, n);
        return BootCpuState.resetVector();
    }
}
