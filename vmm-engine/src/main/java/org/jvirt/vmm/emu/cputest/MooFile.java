package org.jvirt.vmm.emu.cputest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a MOO v1 test file (SingleStepTests; plain or gzip): chunks of [4-byte id][u32 length]
 * [payload], little-endian; unknown chunk ids are skipped by their length.
 */
public final class MooFile {
    public String cpuId = "";
    public int opcode;
    public String mnemonic = "";
    public int cpuMode;
    public final List<MooTest> tests = new ArrayList<>();

    public static MooFile read(Path file) throws IOException {
        byte[] data;
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            data = out.toByteArray();
        }
        return parse(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN));
    }

    static MooFile parse(ByteBuffer b) throws IOException {
        MooFile f = new MooFile();
        while (b.remaining() >= 8) {
            String id = id(b);
            int len = b.getInt();
            if (len < 0 || len > b.remaining()) throw new IOException("truncated chunk " + id);
            ByteBuffer p = slice(b, len);
            switch (id) {
                case "MOO " -> {
                    p.position(8);
                    f.cpuId = id(p);
                }
                case "META" -> {
                    p.position(3);
                    f.opcode = p.getInt();
                    byte[] m = new byte[8];
                    p.get(m);
                    f.mnemonic = new String(m, StandardCharsets.US_ASCII).trim();
                    p.getInt();
                    p.getLong();
                    f.cpuMode = p.get() & 0xff;
                }
                case "TEST" -> f.tests.add(test(p));
                default -> { }
            }
        }
        return f;
    }

    private static String id(ByteBuffer b) {
        byte[] a = new byte[4];
        b.get(a);
        return new String(a, StandardCharsets.US_ASCII);
    }

    private static ByteBuffer slice(ByteBuffer b, int len) {
        ByteBuffer p = b.slice(b.position(), len).order(ByteOrder.LITTLE_ENDIAN);
        b.position(b.position() + len);
        return p;
    }

    private static MooTest test(ByteBuffer p) {
        MooTest t = new MooTest();
        t.index = p.getInt();
        while (p.remaining() >= 8) {
            String id = id(p);
            int len = p.getInt();
            ByteBuffer c = slice(p, len);
            switch (id) {
                case "NAME" -> { byte[] s = new byte[c.getInt()]; c.get(s); t.name = new String(s, StandardCharsets.US_ASCII); }
                case "BYTS" -> { t.bytes = new byte[c.getInt()]; c.get(t.bytes); }
                case "INIT", "FINA" -> state(c, t, id.equals("INIT"));
                case "EXCP" -> { t.exceptionVector = c.get() & 0xff; t.exceptionFlagAddress = c.getInt() & 0xffffffffL; }
                case "HASH" -> { t.hash = new byte[Math.min(20, len)]; c.get(t.hash); }
                default -> { }
            }
        }
        return t;
    }

    private static void state(ByteBuffer c, MooTest t, boolean init) {
        while (c.remaining() >= 8) {
            String id = id(c);
            int len = c.getInt();
            ByteBuffer s = slice(c, len);
            switch (id) {
                case "REGS" -> {
                    int mask = s.getShort() & 0xffff;
                    int[] regs = init ? t.initRegs : t.finalRegs;
                    for (int i = 0; i < 16; i++) {
                        if ((mask & (1 << i)) != 0) {
                            int v = s.getShort() & 0xffff;
                            if (i < regs.length) regs[i] = v;
                        }
                    }
                    if (init) t.initMask = mask; else t.finalMask = mask;
                }
                case "RAM " -> {
                    int n = s.getInt();
                    int[] addr = new int[n];
                    byte[] val = new byte[n];
                    for (int i = 0; i < n; i++) { addr[i] = s.getInt(); val[i] = s.get(); }
                    if (init) { t.initRamAddr = addr; t.initRamValue = val; } else { t.finalRamAddr = addr; t.finalRamValue = val; }
                }
                default -> { }
            }
        }
    }
}
