package org.jvirt.vmm.boot;

import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.memory.GuestMemory;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Helpers both loaders share: checked copies, the boot GDT, the command line, initrd placement. */
final class LowMemory {
    private LowMemory() { }

    static final long GDT_NULL = 0, CODE32 = 0x00cf9b000000ffffL, CODE64 = 0x00af9b000000ffffL,
            DATA = 0x00cf93000000ffffL, TSS = 0x00008b0000000067L;

    static void copy(GuestMemory mem, long gpa, byte[] src, int off, int len, String what) {
        if (!mem.isValidRange(gpa, len))
            throw new BootException(String.format("%s at 0x%x+0x%x does not fit in guest RAM", what, gpa, len));
        mem.write(gpa, src, off, len);
    }

    static void zero(GuestMemory mem, long gpa, long len, String what) {
        if (!mem.isValidRange(gpa, len))
            throw new BootException(String.format("%s at 0x%x+0x%x does not fit in guest RAM", what, gpa, len));
        mem.zero(gpa, len);
    }

    /** Writes the GDT (null, code, data, TSS descriptors); returns its limit. */
    static int writeGdt(GuestMemory mem, boolean long64) {
        long[] gdt = {GDT_NULL, long64 ? CODE64 : CODE32, DATA, TSS};
        for (int i = 0; i < gdt.length; i++) mem.writeLong(BootLayout.GDT + 8L * i, gdt[i]);
        return gdt.length * 8 - 1;
    }

    /** Writes the zero-terminated command line at BootLayout.CMDLINE; returns its length without the NUL. */
    static int writeCmdline(GuestMemory mem, String cmdline, int maxWithNul) {
        byte[] b = cmdline.getBytes(StandardCharsets.US_ASCII);
        if (b.length + 1 > maxWithNul)
            throw new BootException("command line is " + b.length + " bytes, the kernel accepts at most " + (maxWithNul - 1));
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        copy(mem, BootLayout.CMDLINE, z, 0, z.length, "command line");
        return b.length;
    }

    /**
     * Address for an initrd of size bytes: page-aligned, as high as possible in the low RAM entry
     * that contains kernelEnd, at most maxEnd, above kernelEnd.
     */
    static long placeInitrd(List<E820Entry> map, long size, long kernelEnd, long maxEnd) {
        for (E820Entry e : map) {
            if (e.type() != E820Entry.RAM || e.end() <= kernelEnd) continue;
            long top = Math.min(e.end(), maxEnd);
            long at = (top - size) & ~0xfffL;
            long floor = Math.max(e.address(), (kernelEnd + 0xfff) & ~0xfffL);
            if (top > floor && at >= floor) return at;
        }
        throw new BootException("initrd of " + size + " bytes does not fit in guest RAM above the kernel");
    }

    static BootCpuState protectedMode(long entry, long rbx, int gdtLimit) {
        return new BootCpuState(BootCpuState.Mode.PROTECTED_32, entry, BootLayout.BOOT_STACK, rbx, 0,
                BootLayout.GDT, gdtLimit, 0);
    }
}
