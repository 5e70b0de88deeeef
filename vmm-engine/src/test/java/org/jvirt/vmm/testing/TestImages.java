package org.jvirt.vmm.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds small synthetic boot images (ELF with a PVH note, bzImage headers) for tests. */
public final class TestImages {
    private TestImages() { }

    public static final long LOAD = 0x100000;

    /**
     * A 32-bit PVH guest: checks the start-info magic at [EBX], prints "ok\n" on COM1 and writes
     * 5 to the debug-exit port (7 if the magic is wrong), then halts.
     */
    public static final byte[] PVH_OK_CODE = bytes(
            0x81, 0x3B, 0x78, 0xC5, 0x6E, 0x33,   // cmp dword [ebx], 0x336ec578
            0x75, 0x14,                           // jne fail
            0x66, 0xBA, 0xF8, 0x03,               // mov dx, 0x3f8
            0xB0, 'o', 0xEE, 0xB0, 'k', 0xEE, 0xB0, '\n', 0xEE,
            0xB0, 0x05, 0xE6, 0xF4,               // mov al, 5; out 0xf4, al
            0xF4, 0xEB, 0xFD,                     // hlt; jmp hlt
            0xB0, 0x07, 0xE6, 0xF4, 0xF4, 0xEB, 0xFD); // fail: exit 7

    public static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    /** An ELF (64-bit if elf64) with code as one PT_LOAD at paddr, bss extra zero bytes, and a PVH note for entry. */
    public static byte[] pvhElf(boolean elf64, byte[] code, long paddr, long bss, long entry) {
        byte[] note = xenNote(entry);
        int ehsize = elf64 ? 64 : 52, phentsize = elf64 ? 56 : 32;
        int phoff = ehsize, noteOff = phoff + 2 * phentsize, codeOff = noteOff + note.length;
        ByteBuffer b = ByteBuffer.allocate(codeOff + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{0x7f, 'E', 'L', 'F', (byte) (elf64 ? 2 : 1), 1, 1, 0});
        b.position(16);
        b.putShort((short) 2); // ET_EXEC
        b.putShort((short) (elf64 ? 62 : 3));
        b.putInt(1);
        if (elf64) {
            b.putLong(entry); b.putLong(phoff); b.putLong(0); b.putInt(0);
            b.putShort((short) ehsize); b.putShort((short) phentsize); b.putShort((short) 2);
            b.putShort((short) 0); b.putShort((short) 0); b.putShort((short) 0);
            phdr64(b, 4, noteOff, 0, note.length, note.length);
            phdr64(b, 1, codeOff, paddr, code.length, code.length + bss);
        } else {
            b.putInt((int) entry); b.putInt(phoff); b.putInt(0); b.putInt(0);
            b.putShort((short) ehsize); b.putShort((short) phentsize); b.putShort((short) 2);
            b.putShort((short) 0); b.putShort((short) 0); b.putShort((short) 0);
            phdr32(b, 4, noteOff, 0, note.length, note.length);
            phdr32(b, 1, codeOff, paddr, code.length, code.length + bss);
        }
        b.position(noteOff);
        b.put(note);
        b.put(code);
        return b.array();
    }

    private static void phdr64(ByteBuffer b, int type, long off, long paddr, long filesz, long memsz) {
        b.putInt(type); b.putInt(5); b.putLong(off); b.putLong(paddr); b.putLong(paddr);
        b.putLong(filesz); b.putLong(memsz); b.putLong(4);
    }

    private static void phdr32(ByteBuffer b, int type, long off, long paddr, long filesz, long memsz) {
        b.putInt(type); b.putInt((int) off); b.putInt((int) paddr); b.putInt((int) paddr);
        b.putInt((int) filesz); b.putInt((int) memsz); b.putInt(5); b.putInt(4);
    }

    /** An unrelated note followed by the Xen PHYS32_ENTRY note (name "Xen\0", 4-byte descriptor). */
    static byte[] xenNote(long entry) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4).putInt(4).putInt(3).put(new byte[]{'G', 'N', 'U', 0}).putInt(0x12345678);   // GNU build-id-like note
        b.putInt(4).putInt(4).putInt(18).put(new byte[]{'X', 'e', 'n', 0}).putInt((int) entry); // XEN_ELFNOTE_PHYS32_ENTRY
        o.write(b.array(), 0, b.position());
        return o.toByteArray();
    }
}
