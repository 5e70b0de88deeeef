package org.jvirt.vmm.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A Linux bzImage's setup header (Documentation/arch/x86/boot.rst): where the protected-mode
 * kernel starts in the file and the fields a 64-bit boot loader checks and fills in.
 */
public record BzImage(byte[] data, int setupSects, int version, int loadflags, long code32Start,
                      long initrdAddrMax, int xloadflags, long cmdlineSize, long prefAddress, long initSize,
                      int headerEnd) {

    /** Setup header offsets in the image and in boot_params (the zero page), where they are the same. */
    public static final int SETUP_SECTS = 0x1f1, BOOT_FLAG = 0x1fe, JUMP = 0x200, HEADER = 0x202, VERSION = 0x206,
            TYPE_OF_LOADER = 0x210, LOADFLAGS = 0x211, CODE32_START = 0x214, RAMDISK_IMAGE = 0x218,
            RAMDISK_SIZE = 0x21c, HEAP_END_PTR = 0x224, CMD_LINE_PTR = 0x228, INITRD_ADDR_MAX = 0x22c,
            KERNEL_ALIGNMENT = 0x230, RELOCATABLE_KERNEL = 0x234, XLOADFLAGS = 0x236, CMDLINE_SIZE = 0x238,
            PREF_ADDRESS = 0x258, INIT_SIZE = 0x260;
    public static final int HDRS_MAGIC = 0x53726448; // "HdrS"
    public static final int LOADED_HIGH = 0x01, CAN_USE_HEAP = 0x80, KEEP_SEGMENTS = 0x40;
    public static final int XLF_KERNEL_64 = 0x01;
    /** Oldest protocol with xloadflags (the 64-bit entry flag): 2.12. */
    public static final int MIN_VERSION = 0x020c;

    public static boolean isBzImage(byte[] d) {
        if (d.length < 0x270) return false;
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        return (b.getShort(BOOT_FLAG) & 0xffff) == 0xAA55 && b.getInt(HEADER) == HDRS_MAGIC;
    }

    public static BzImage parse(byte[] d) {
        if (!isBzImage(d)) throw new BootException("not a bzImage (no 0xAA55 boot flag and HdrS header)");
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        int version = b.getShort(VERSION) & 0xffff;
        if (version < MIN_VERSION)
            throw new BootException(String.format("boot protocol %d.%02d is too old; 64-bit boot needs 2.12 or later",
                    version >> 8, version & 0xff));
        int loadflags = d[LOADFLAGS] & 0xff;
        if ((loadflags & LOADED_HIGH) == 0) throw new BootException("bzImage is not loaded high (zImage is not supported)");
        int xloadflags = b.getShort(XLOADFLAGS) & 0xffff;
        if ((xloadflags & XLF_KERNEL_64) == 0) throw new BootException("kernel has no 64-bit entry point (XLF_KERNEL_64)");
        int setupSects = d[SETUP_SECTS] & 0xff;
        if (setupSects == 0) setupSects = 4;
        long kernelOffset = (setupSects + 1L) * 512;
        if (kernelOffset >= d.length) throw new BootException("bzImage is truncated: no protected-mode kernel after the setup code");
        int headerEnd = JUMP + 2 + (d[JUMP + 1] & 0xff); // the setup header ends where its leading jump lands
        headerEnd = Math.min(Math.max(headerEnd, INIT_SIZE + 4), Math.min(d.length, 0x290));
        return new BzImage(d, setupSects, version, loadflags, b.getInt(CODE32_START) & 0xffffffffL,
                b.getInt(INITRD_ADDR_MAX) & 0xffffffffL, xloadflags, b.getInt(CMDLINE_SIZE) & 0xffffffffL,
                b.getLong(PREF_ADDRESS), b.getInt(INIT_SIZE) & 0xffffffffL, headerEnd);
    }

    /** File offset of the protected-mode kernel. */
    public int kernelOffset() { return (setupSects + 1) * 512; }

    public int kernelSize() { return data.length - kernelOffset(); }
}
