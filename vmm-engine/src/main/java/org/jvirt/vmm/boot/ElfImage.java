package org.jvirt.vmm.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a little-endian x86 ELF (32- or 64-bit) that a loader needs: PT_LOAD segments by
 * physical address and the Xen PVH entry note. Every header field is range-checked against the
 * file before use; a malformed image gives a BootException, never an index error.
 */
public record ElfImage(byte[] data, List<Segment> segments, long pvhEntry) {

    /** A PT_LOAD segment: fileSize bytes from fileOffset go to paddr, then zeros up to memSize. */
    public record Segment(long fileOffset, long paddr, long fileSize, long memSize) { }

    static final int PT_LOAD = 1, PT_NOTE = 4;
    static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;
    static final int EM_386 = 3, EM_X86_64 = 62;
    /** No PVH entry note. */
    public static final long NO_ENTRY = -1;

    public static boolean isElf(byte[] d) {
        return d.length >= 4 && d[0] == 0x7f && d[1] == 'E' && d[2] == 'L' && d[3] == 'F';
    }

    public static ElfImage parse(byte[] d) {
        if (!isElf(d) || d.length < 52) throw new BootException("not an ELF image");
        int cls = d[4];
        if (cls != 1 && cls != 2) throw new BootException("unknown ELF class " + cls);
        if (d[5] != 1) throw new BootException("ELF image is not little-endian");
        boolean is64 = cls == 2;
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        if (is64 && d.length < 64) throw new BootException("truncated ELF header");
        int machine = b.getShort(18) & 0xffff;
        if (machine != EM_386 && machine != EM_X86_64) throw new BootException("ELF machine " + machine + " is not x86");
        long phoff = is64 ? b.getLong(32) : b.getInt(28) & 0xffffffffL;
        int phentsize = b.getShort(is64 ? 54 : 42) & 0xffff;
        int phnum = b.getShort(is64 ? 56 : 44) & 0xffff;
        if (phentsize < (is64 ? 56 : 32)) throw new BootException("bad ELF program header size " + phentsize);
        if (phoff < 0 || phoff + (long) phentsize * phnum > d.length) throw new BootException("ELF program headers lie outside the file");

        List<Segment> segs = new ArrayList<>();
        long entry = NO_ENTRY;
        for (int i = 0; i < phnum; i++) {
            int p = (int) (phoff + (long) i * phentsize);
            int type = b.getInt(p);
            long off, paddr, filesz, memsz;
            if (is64) {
                off = b.getLong(p + 8); paddr = b.getLong(p + 24); filesz = b.getLong(p + 32); memsz = b.getLong(p + 40);
            } else {
                off = u32(b, p + 4); paddr = u32(b, p + 12); filesz = u32(b, p + 16); memsz = u32(b, p + 20);
            }
            if (type != PT_LOAD && type != PT_NOTE) continue;
            if (off < 0 || filesz < 0 || off > d.length || filesz > d.length - off)
                throw new BootException(String.format("ELF segment %d (file 0x%x+0x%x) lies outside the file", i, off, filesz));
            if (type == PT_LOAD) {
                if (memsz < filesz) throw new BootException("ELF segment " + i + " has memsz < filesz");
                if (memsz > 0) segs.add(new Segment(off, paddr, filesz, memsz));
            } else {
                long e = findPvhEntry(b, (int) off, (int) filesz);
                if (e != NO_ENTRY) entry = e;
            }
        }
        if (segs.isEmpty()) throw new BootException("ELF image has no loadable segment");
        return new ElfImage(d, List.copyOf(segs), entry);
    }

    private static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xffffffffL;
    }

    /** Walks the notes of [off, off+len) for name "Xen", type XEN_ELFNOTE_PHYS32_ENTRY. */
    private static long findPvhEntry(ByteBuffer b, int off, int len) {
        int p = off, end = off + len;
        while (end - p >= 12) {
            long namesz = u32(b, p), descsz = u32(b, p + 4);
            int type = b.getInt(p + 8);
            long nameAt = p + 12L;
            long descAt = nameAt + align4(namesz);
            long next = descAt + align4(descsz);
            if (next > end || next <= p) throw new BootException("malformed ELF note at file offset 0x" + Integer.toHexString(p));
            if (type == XEN_ELFNOTE_PHYS32_ENTRY && namesz == 4 && b.get((int) nameAt) == 'X' && b.get((int) nameAt + 1) == 'e'
                    && b.get((int) nameAt + 2) == 'n' && b.get((int) nameAt + 3) == 0) {
                if (descsz == 4) return u32(b, (int) descAt);
                if (descsz == 8) return b.getLong((int) descAt);
                throw new BootException("PVH entry note has descriptor size " + descsz);
            }
            p = (int) next;
        }
        return NO_ENTRY;
    }

    private static long align4(long n) {
        return (n + 3) & ~3L;
    }

    /** Highest physical address any segment uses (exclusive). */
    public long end() {
        long e = 0;
        for (Segment s : segments) e = Math.max(e, s.paddr() + s.memSize());
        return e;
    }
}
