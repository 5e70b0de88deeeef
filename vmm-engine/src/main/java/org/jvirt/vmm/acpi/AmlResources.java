package org.jvirt.vmm.acpi;

/**
 * Resource descriptors for _CRS buffers (ACPI 6.x section 6.4), and the ResourceTemplate that
 * wraps them with an end tag. Build-time only.
 */
public final class AmlResources {
    private AmlResources() { }

    private static final int TYPE_MEMORY = 0, TYPE_IO = 1, TYPE_BUS = 2;
    /** Producer (a bridge window), MinFixed, MaxFixed, positive decode. */
    private static final int GENERAL_WINDOW = 0x0C;

    /** ResourceTemplate() { descriptors }: a Buffer ending in an End Tag with checksum 0. */
    public static byte[] template(byte[]... descriptors) {
        return Aml.buffer(Aml.concat(Aml.concat(descriptors), new byte[] {0x79, 0x00}));
    }

    /** IO(Decode16, min, max, align, length): a fixed-size port range. */
    public static byte[] io(int min, int max, int align, int length) {
        return Aml.concat(new byte[] {0x47, 0x01}, Aml.le(min, 2), Aml.le(max, 2), new byte[] {(byte) align, (byte) length});
    }

    /** IRQNoFlags() { irq }: an edge-triggered, active-high ISA interrupt. */
    public static byte[] irqNoFlags(int irq) {
        return Aml.concat(new byte[] {0x22}, Aml.le(1L << irq, 2));
    }

    /** WordBusNumber window [min, max]. */
    public static byte[] wordBusNumber(int min, int max) {
        return word(TYPE_BUS, 0, min, max);
    }

    /** WordIO window [min, max] over the entire ISA/non-ISA range. */
    public static byte[] wordIo(int min, int max) {
        return word(TYPE_IO, 0x03, min, max);
    }

    /** DWordMemory window [min, max], read-write, non-cacheable. */
    public static byte[] dwordMemory(long min, long max) {
        return Aml.concat(new byte[] {(byte) 0x87}, Aml.le(23, 2),
                new byte[] {TYPE_MEMORY, GENERAL_WINDOW, 0x01},
                Aml.le(0, 4), Aml.le(min, 4), Aml.le(max, 4), Aml.le(0, 4), Aml.le(max - min + 1, 4));
    }

    /** QWordMemory window [min, max], read-write, non-cacheable. */
    public static byte[] qwordMemory(long min, long max) {
        return Aml.concat(new byte[] {(byte) 0x8A}, Aml.le(43, 2),
                new byte[] {TYPE_MEMORY, GENERAL_WINDOW, 0x01},
                Aml.le(0, 8), Aml.le(min, 8), Aml.le(max, 8), Aml.le(0, 8), Aml.le(max - min + 1, 8));
    }

    private static byte[] word(int type, int typeFlags, int min, int max) {
        return Aml.concat(new byte[] {(byte) 0x88}, Aml.le(13, 2),
                new byte[] {(byte) type, GENERAL_WINDOW, (byte) typeFlags},
                Aml.le(0, 2), Aml.le(min, 2), Aml.le(max, 2), Aml.le(0, 2), Aml.le(max - min + 1, 2));
    }
}
