package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F38;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F3A;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_66;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F3;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_NONE;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.jvirt.vmm.emu.cpu.CpuState;
import org.junit.jupiter.api.Test;

/**
 * Compares the unit against this machine's own CPU: src/test/resources/fpu/sse_reference.c is
 * compiled with gcc and run; it executes ~190 SSE instruction forms (integer, float in all four
 * rounding modes and with FTZ|DAZ, compares, conversions, string compares) on deterministic
 * inputs with specials (NaNs, infinities, denormals, overflow values) and prints inputs, results,
 * MXCSR and RFLAGS; every line is replayed through {@link X87Sse}. Skipped without gcc or SSE4.2.
 */
class FpuReferenceTest {
    private static final Map<String, int[]> ENC = new HashMap<>();
    /** Forms whose memory variant differs (MOVSS/MOVSD zero the rest) or does not exist. */
    private static final java.util.Set<String> REGISTER_ONLY = java.util.Set.of("movss", "movsd", "movhlps", "movlhps");

    private static void enc(int map, int prefix, int op, String... names) {
        for (String n : names) ENC.put(n, new int[]{map, prefix, op});
    }

    static {
        String[] p66 = {"paddb:fc", "paddw:fd", "paddd:fe", "paddq:d4", "psubb:f8", "psubw:f9", "psubd:fa", "psubq:fb",
                "paddsb:ec", "paddsw:ed", "paddusb:dc", "paddusw:dd", "psubsb:e8", "psubsw:e9", "psubusb:d8", "psubusw:d9",
                "pcmpeqb:74", "pcmpeqw:75", "pcmpeqd:76", "pcmpgtb:64", "pcmpgtw:65", "pcmpgtd:66", "pminub:da",
                "pmaxub:de", "pminsw:ea", "pmaxsw:ee", "pand:db", "pandn:df", "por:eb", "pxor:ef", "pmullw:d5",
                "pmulhw:e5", "pmulhuw:e4", "pmuludq:f4", "pmaddwd:f5", "psadbw:f6", "pavgb:e0", "pavgw:e3",
                "psllw:f1", "pslld:f2", "psllq:f3", "psrlw:d1", "psrld:d2", "psrlq:d3", "psraw:e1", "psrad:e2",
                "punpcklbw:60", "punpcklwd:61", "punpckldq:62", "punpcklqdq:6c", "punpckhbw:68", "punpckhwd:69",
                "punpckhdq:6a", "punpckhqdq:6d", "packsswb:63", "pshufw:70", "packssdw:6b", "packuswb:67", "pshufd:70",
                "shufpd:c6", "unpcklpd:14", "unpckhpd:15", "andnpd:55", "xorpd:57", "addpd:58", "subpd:5c",
                "mulpd:59", "divpd:5e", "sqrtpd:51", "minpd:5d", "maxpd:5f", "hsubpd:7d", "addsubpd:d0", "cmppd:c2",
                "cvtps2dq:5b", "cvttpd2dq:e6", "cvtpd2ps:5a", "comisd:2f", "ucomisd:2e"};
        for (String s : p66) enc(MAP_0F, PREFIX_66, Integer.parseInt(s.substring(s.indexOf(':') + 1), 16), s.substring(0, s.indexOf(':')));
        String[] p38 = {"pcmpeqq:29", "pcmpgtq:37", "pminsb:38", "pmaxsb:3c", "pminuw:3a", "pmaxuw:3e", "pminsd:39",
                "pmaxsd:3d", "pminud:3b", "pmaxud:3f", "pmulld:40", "pmuldq:28", "pmulhrsw:0b", "pmaddubsw:04",
                "packusdw:2b", "pshufb:00", "phaddw:01", "phaddd:02", "phaddsw:03", "phsubw:05", "phsubd:06",
                "phsubsw:07", "psignb:08", "psignw:09", "psignd:0a", "pabsb:1c", "pabsw:1d", "pabsd:1e",
                "pmovsxbw:20", "pmovsxbd:21", "pmovsxbq:22", "pmovsxwd:23", "pmovsxwq:24", "pmovsxdq:25",
                "pmovzxbw:30", "pmovzxbd:31", "pmovzxbq:32", "pmovzxwd:33", "pmovzxwq:34", "pmovzxdq:35",
                "phminposuw:41", "ptest:17"};
        for (String s : p38) enc(MAP_0F38, PREFIX_66, Integer.parseInt(s.substring(s.indexOf(':') + 1), 16), s.substring(0, s.indexOf(':')));
        String[] p3a = {"palignr:0f", "pblendw:0e", "blendps:0c", "blendpd:0d", "roundps:08", "roundpd:09",
                "roundss:0a", "roundsd:0b", "dpps:40", "dppd:41", "mpsadbw:42", "pclmulqdq:44", "pcmpistri:63", "pcmpestri:61"};
        for (String s : p3a) enc(MAP_0F3A, PREFIX_66, Integer.parseInt(s.substring(s.indexOf(':') + 1), 16), s.substring(0, s.indexOf(':')));
        String[] none = {"shufps:c6", "unpcklps:14", "unpckhps:15", "andps:54", "orps:56", "movhlps:12", "movlhps:16",
                "addps:58", "subps:5c", "mulps:59", "divps:5e", "sqrtps:51", "minps:5d", "maxps:5f", "cmpps:c2",
                "cvtdq2ps:5b", "cvtps2pd:5a", "comiss:2f", "ucomiss:2e"};
        for (String s : none) enc(MAP_0F, PREFIX_NONE, Integer.parseInt(s.substring(s.indexOf(':') + 1), 16), s.substring(0, s.indexOf(':')));
        String[] f3 = {"pshufhw:70", "movss:10", "movsldup:12", "movshdup:16", "movq:7e", "addss:58", "mulss:59",
                "divss:5e", "sqrtss:51", "minss:5d", "cmpss:c2", "cvttps2dq:5b", "cvtdq2pd:e6", "cvtss2sd:5a",
                "cvtss2si:2d", "cvttss2si:2c", "cvtsi2ssl:2a", "cvtsi2ssq:2a"};
        for (String s : f3) enc(MAP_0F, PREFIX_F3, Integer.parseInt(s.substring(s.indexOf(':') + 1), 16), s.substring(0, s.indexOf(':')));
        String[] f2 = {"pshuflw:70", "movsd:10", "movddup:12", "addsd:58", "subsd:5c", "divsd:5e", "sqrtsd:51",
                "maxsd:5f", "haddps:7c", "addsubps:d0", "cmpsd:c2", "cvtpd2dq:e6", "cvtsd2ss:5a", "cvtsd2si:2d",
                "cvttsd2si:2c", "cvtsi2sdl:2a", "cvtsi2sdq:2a"};
        for (String s : f2) enc(MAP_0F, PREFIX_F2, Integer.parseInt(s.substring(s.indexOf(':') + 1), 16), s.substring(0, s.indexOf(':')));
    }

    @Test
    void matchesThisMachinesCpu() throws Exception {
        List<String> lines = runReference();
        Map<String, Integer> failuresByOp = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        int checked = 0, memoryChecked = 0;
        for (String line : lines) {
            String[] f = line.trim().split(" ");
            String mn = f[1];
            int[] e = ENC.get(mn);
            if (e == null) throw new AssertionError("no encoding for " + mn);
            Rig rig = new Rig();
            String got, want;
            switch (f[0]) {
                case "x" -> {
                    rig.r.mxcsr = hexI(f[3]);
                    rig.xmm(0, hex(f[4]), hex(f[5]));
                    rig.xmm(1, hex(f[6]), hex(f[7]));
                    boolean fromGpr = mn.startsWith("cvtsi2s");
                    if (fromGpr) rig.cpu.gpr[1] = hex(f[6]);
                    rig.rr(e[0], e[2], e[1], 0, 1, hexI(f[2]), mn.endsWith("q") && fromGpr);
                    got = String.format("%x %x %x", rig.lo(0), rig.hi(0), rig.r.mxcsr);
                    want = f[8] + " " + f[9] + " " + f[10];
                    if (got.equals(want) && !REGISTER_ONLY.contains(mn)) { // the same with the source in memory
                        Rig mr = new Rig();
                        mr.r.mxcsr = hexI(f[3]);
                        mr.xmm(0, hex(f[4]), hex(f[5]));
                        mr.mem.write64(0x2000, hex(f[6]), false);
                        mr.mem.write64(0x2008, hex(f[7]), false);
                        mr.rm(e[0], e[2], e[1], 0, 0x2000, hexI(f[2]), mn.endsWith("q") && fromGpr);
                        got = String.format("%x %x %x", mr.lo(0), mr.hi(0), mr.r.mxcsr);
                        memoryChecked++;
                    }
                }
                case "g" -> {
                    rig.r.mxcsr = hexI(f[3]);
                    rig.xmm(0, hex(f[4]), 0);
                    rig.xmm(1, hex(f[5]), 0);
                    if (mn.contains("2si")) {
                        boolean wide = f[2].equals("64");
                        rig.xmm(1, hex(f[4]), 0);
                        rig.rr(e[0], e[2], e[1], 0, 1, 0, wide);
                        long v = rig.cpu.gpr[0];
                        long w = hex(f[6]);
                        if (!wide) w &= 0xffffffffL;
                        got = String.format("%x %x", v, rig.r.mxcsr);
                        want = String.format("%x %s", w, f[7]);
                    } else {
                        rig.rr(e[0], e[2], e[1], 0, 1);
                        got = String.format("%x %x", rig.r.mxcsr, rig.cpu.rflags() & 0x8d5);
                        want = f[7] + " " + f[8];
                    }
                }
                case "m" -> { // MMX: the 66 form's opcode without the prefix
                    int d = 0, src = 1;
                    rig.r.writeMmx(d, hex(f[3]));
                    rig.r.writeMmx(src, hex(f[4]));
                    int op = mn.equals("pshufw") ? 0x70 : e[2];
                    rig.rr(e[0], op, PREFIX_NONE, d, src, hexI(f[2]), false);
                    got = String.format("%x %x %x", rig.r.mant[0], rig.r.tagValid, rig.r.sexp[0]);
                    want = f[5] + " ff ffff";
                }
                default -> { // s: string compare index form
                    rig.xmm(0, hex(f[3]), hex(f[4]));
                    rig.xmm(1, hex(f[5]), hex(f[6]));
                    rig.cpu.gpr[CpuState.RAX] = hex(f[7]);
                    rig.cpu.gpr[CpuState.RDX] = hex(f[8]);
                    rig.rr(e[0], e[2], e[1], 0, 1, hexI(f[2]), true);
                    got = String.format("%x %x", rig.cpu.gpr[CpuState.RCX], rig.cpu.rflags() & 0x8d5);
                    want = f[9] + " " + f[10];
                }
            }
            checked++;
            if (!got.equals(want)) {
                int n = failuresByOp.merge(mn + (f[0].equals("g") ? "/" + f[2] : ""), 1, Integer::sum);
                if (n <= 2 && examples.size() < 60) examples.add(line + "  => got " + got);
            }
        }
        System.out.println("FpuReferenceTest: " + checked + " executions compared (" + memoryChecked + " again with a memory source), "
                + failuresByOp.size() + " ops with mismatches");
        assertTrue(failuresByOp.isEmpty(), "mismatches per op " + failuresByOp + "\n" + String.join("\n", examples));
    }

    private static long hex(String s) { return Long.parseUnsignedLong(s, 16); }

    private static int hexI(String s) { return (int) Long.parseLong(s, 16); }

    private static List<String> runReference() throws Exception {
        String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        assumeTrue(cpuinfo.contains(" sse4_2") && cpuinfo.contains(" pclmulqdq"), "no SSE4.2 or PCLMULQDQ on this machine");
        return ReferenceProgram.run("sse_reference");
    }
}
