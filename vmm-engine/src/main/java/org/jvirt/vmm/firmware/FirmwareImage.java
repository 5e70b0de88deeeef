package org.jvirt.vmm.firmware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A BIOS image as QEMU's -bios takes it: its last byte sits at 4 GiB - 1, so its size must be a
 * multiple of 64 KiB, at least 64 KiB (the low alias) and at most 16 MiB (QEMU's pc limit keeps
 * it clear of the IOAPIC and LAPIC pages).
 */
public record FirmwareImage(Path path, byte[] bytes) {
    public static final int MIN_SIZE = 64 << 10, MAX_SIZE = 16 << 20, UNIT = 64 << 10;
    /** How much of the image's top the PC also shows below 1 MiB (0xE0000-0xFFFFF), QEMU's isa-bios. */
    public static final int LOW_ALIAS_MAX = 128 << 10;
    public static final long LOW_ALIAS_END = 0x100000;

    public FirmwareImage {
        if (bytes.length < MIN_SIZE || bytes.length > MAX_SIZE || bytes.length % UNIT != 0) {
            throw new IllegalArgumentException("firmware " + path + " is " + bytes.length
                    + " bytes: a BIOS image must be a multiple of 64 KiB between 64 KiB and 16 MiB");
        }
    }

    /** Reads the image; a one-line IOException or IllegalArgumentException names the file. */
    public static FirmwareImage read(Path path) throws IOException {
        long size = Files.size(path);
        if (size > MAX_SIZE) throw new IllegalArgumentException("firmware " + path + " is larger than 16 MiB");
        return new FirmwareImage(path, Files.readAllBytes(path));
    }

    /** Guest-physical address of the image's first byte (it ends at 4 GiB). */
    public long base() { return (1L << 32) - bytes.length; }

    /** Size of the low alias: the image's last 128 KiB (all of a smaller image). */
    public int lowAliasSize() { return Math.min(bytes.length, LOW_ALIAS_MAX); }

    /** Guest-physical start of the low alias (0xE0000 for an image of 128 KiB or more). */
    public long lowAliasBase() { return LOW_ALIAS_END - lowAliasSize(); }
}
