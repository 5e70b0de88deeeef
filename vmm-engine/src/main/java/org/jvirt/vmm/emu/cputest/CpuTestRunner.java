package org.jvirt.vmm.emu.cputest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.jvirt.vmm.emu.cpu.CpuProfile;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.RealModeSystemUnit;
import org.jvirt.vmm.emu.cpu.SegmentRegister;
import org.jvirt.vmm.emu.cpu.X86Cpu;

/**
 * Runs SingleStepTests MOO files (real mode) on {@link X86Cpu}: loads INIT, executes until the
 * trailing HLT has run, compares FINA registers (unlisted ones must be unchanged) and RAM, with
 * the per-opcode undefined-flags mask of metadata.json applied to FLAGS and to the FLAGS image
 * an exception pushed. Opcodes the metadata marks undefined, fpu or extension are skipped, as
 * are tests in the revocation list.
 */
public final class CpuTestRunner {
    /** The outcome of one file. */
    public record FileResult(String file, int passed, int failed, int skipped, String skipReason) {
        public double passRate() { return passed + failed == 0 ? 1.0 : (double) passed / (passed + failed); }
    }

    private static final Set<String> SKIPPED_STATUS = Set.of("undefined", "fpu", "extension", "prefix");
    private static final long BUDGET = 100_000;

    private final Map<String, Object> opcodes;
    private final Set<String> revoked;
    private final WrappingBus bus = new WrappingBus(24);
    /** One CPU per profile, reused across tests (its decode cache sees every RAM rewrite through the bus). */
    private final java.util.EnumMap<CpuProfile, X86Cpu> cpus = new java.util.EnumMap<>(CpuProfile.class);
    /** Adds the INIT/FINA state of failing tests to their description. */
    boolean verbose;

    @SuppressWarnings("unchecked")
    public CpuTestRunner(Path metadataJson, Path revocationList) throws IOException {
        Map<String, Object> meta = (Map<String, Object>) TinyJson.parse(Files.readString(metadataJson, StandardCharsets.UTF_8));
        opcodes = (Map<String, Object>) meta.get("opcodes");
        revoked = new HashSet<>();
        if (revocationList != null && Files.exists(revocationList)) {
            for (String line : Files.readAllLines(revocationList)) {
                String h = line.trim().toLowerCase();
                if (!h.isEmpty() && !h.startsWith("#")) revoked.add(h);
            }
        }
    }

    /** The metadata entry for a file name such as "F6.6.MOO.gz", or null. */
    @SuppressWarnings("unchecked")
    Map<String, Object> metadataFor(String fileName) {
        String base = fileName.replaceFirst("\\.MOO(\\.gz)?$", "");
        String[] parts = base.split("\\.");
        Object e = opcodes.get(parts[0].toUpperCase());
        if (!(e instanceof Map)) return null;
        Map<String, Object> m = (Map<String, Object>) e;
        if (parts.length > 1 && m.get("reg") instanceof Map<?, ?> regs) {
            Object r = regs.get(parts[1]);
            return r instanceof Map ? (Map<String, Object>) r : null;
        }
        return m;
    }

    /** Runs every test of one file; failure descriptions go to onFailure. */
    public FileResult runFile(Path file, Consumer<String> onFailure) throws IOException {
        String name = file.getFileName().toString();
        Map<String, Object> meta = metadataFor(name);
        String status = meta == null ? null : (String) meta.get("status");
        if (status != null && SKIPPED_STATUS.contains(status)) return new FileResult(name, 0, 0, 0, "status " + status);
        int flagsMask = meta != null && meta.get("flags-mask") instanceof Double d ? d.intValue() : 0xffff;
        MooFile moo = MooFile.read(file);
        CpuProfile profile = profileFor(moo.cpuId);
        int passed = 0, failed = 0, skipped = 0;
        for (MooTest t : moo.tests) {
            if (revoked.contains(t.hashHex())) { skipped++; continue; }
            String diff = runTest(t, profile, flagsMask);
            if (diff == null) {
                passed++;
            } else {
                failed++;
                onFailure.accept(String.format("%s #%d %s [%s]: %s", name, t.index, t.name, t.bytesHex(), diff)
                        + (verbose ? describe(t) : ""));
            }
        }
        return new FileResult(name, passed, failed, skipped, null);
    }

    private static String describe(MooTest t) {
        StringBuilder b = new StringBuilder("\n  init:");
        for (int i = 0; i < 14; i++) b.append(String.format(" %s=%04x", MooTest.REG_NAMES[i], t.initRegs[i]));
        b.append("\n  final:");
        for (int i = 0; i < 14; i++) {
            if ((t.finalMask & (1 << i)) != 0) b.append(String.format(" %s=%04x", MooTest.REG_NAMES[i], t.finalRegs[i]));
        }
        b.append("\n  ram in:");
        for (int i = 0; i < t.initRamAddr.length; i++) b.append(String.format(" %06x=%02x", t.initRamAddr[i], t.initRamValue[i] & 0xff));
        b.append("\n  ram out:");
        for (int i = 0; i < t.finalRamAddr.length; i++) b.append(String.format(" %06x=%02x", t.finalRamAddr[i], t.finalRamValue[i] & 0xff));
        if (t.exceptionVector >= 0) b.append(String.format("\n  exception %d, flags at %06x", t.exceptionVector, t.exceptionFlagAddress));
        return b.toString();
    }

    static CpuProfile profileFor(String cpuId) {
        return switch (cpuId.trim()) {
            case "C286", "286" -> CpuProfile.I80286;
            default -> CpuProfile.X86_64;
        };
    }

    private static final int[] SEG_OF = {-1, -1, -1, -1, CpuState.CS, CpuState.SS, CpuState.DS, CpuState.ES};
    private static final int[] GPR_OF = {CpuState.RAX, CpuState.RBX, CpuState.RCX, CpuState.RDX};

    /** Runs one test; null when it passes, else what differs. */
    String runTest(MooTest t, CpuProfile profile, int flagsMask) {
        bus.clear();
        X86Cpu cpu = cpus.computeIfAbsent(profile, p -> {
            X86Cpu c = new X86Cpu(new CpuState(), bus, p);
            c.setSystemUnit(new RealModeSystemUnit(c.state(), c.linearMemory(), p));
            return c;
        });
        CpuState st = cpu.state();
        st.reset();
        int[] in = t.initRegs;
        for (int i = 0; i < 4; i++) st.gpr[GPR_OF[i]] = in[i];
        st.gpr[CpuState.RSP] = in[MooTest.SP];
        st.gpr[CpuState.RBP] = in[MooTest.BP];
        st.gpr[CpuState.RSI] = in[MooTest.SI];
        st.gpr[CpuState.RDI] = in[MooTest.DI];
        for (int i = 4; i < 8; i++) {
            SegmentRegister s = st.seg[SEG_OF[i]];
            s.reset(in[i], (long) in[i] << 4, i == MooTest.CS);
        }
        st.rip = in[MooTest.IP];
        st.setRflags(in[MooTest.FLAGS] & 0x0fff);
        for (int i = 0; i < t.initRamAddr.length; i++) bus.poke(t.initRamAddr[i], t.initRamValue[i]);

        X86Cpu.RunExit exit = cpu.run(BUDGET);
        StringBuilder diff = new StringBuilder();
        if (exit != X86Cpu.RunExit.HALTED) diff.append("run ended with ").append(exit).append("; ");
        int[] actual = {
            (int) st.gpr[CpuState.RAX] & 0xffff, (int) st.gpr[CpuState.RBX] & 0xffff, (int) st.gpr[CpuState.RCX] & 0xffff,
            (int) st.gpr[CpuState.RDX] & 0xffff, st.seg[CpuState.CS].selector, st.seg[CpuState.SS].selector,
            st.seg[CpuState.DS].selector, st.seg[CpuState.ES].selector, (int) st.gpr[CpuState.RSP] & 0xffff,
            (int) st.gpr[CpuState.RBP] & 0xffff, (int) st.gpr[CpuState.RSI] & 0xffff, (int) st.gpr[CpuState.RDI] & 0xffff,
            (int) st.rip & 0xffff, (int) st.rflags() & 0xffff};
        for (int i = 0; i < 14; i++) {
            int expect = (t.finalMask & (1 << i)) != 0 ? t.finalRegs[i] : in[i];
            int a = actual[i], e = expect;
            if (i == MooTest.FLAGS) { a &= flagsMask; e &= flagsMask; }
            if (a != e) diff.append(String.format("%s=%04x expected %04x; ", MooTest.REG_NAMES[i], actual[i], expect));
        }
        long flagAt = flagImageAddress(t, in);
        for (int i = 0; i < t.finalRamAddr.length; i++) {
            long addr = t.finalRamAddr[i];
            int a = bus.peek(addr), e = t.finalRamValue[i] & 0xff;
            if (flagAt >= 0) {
                if (addr == flagAt) { a &= flagsMask & 0xff; e &= flagsMask & 0xff; }
                else if (addr == flagAt + 1) { a &= flagsMask >> 8; e &= flagsMask >> 8; }
            }
            if (a != e) diff.append(String.format("[%06x]=%02x expected %02x; ", addr, bus.peek(addr), e));
        }
        return diff.length() == 0 ? null : diff.toString();
    }

    /**
     * Where the FLAGS image an exception pushed lies. The EXCP chunk gives it, but in the 80286
     * files it points one byte below the word (the word is at final SS:SP+4, after IP and CS);
     * when the final stack says so, that word is used, else the EXCP address as given.
     */
    private static long flagImageAddress(MooTest t, int[] init) {
        if (t.exceptionFlagAddress < 0) return -1;
        int ss = (t.finalMask & (1 << MooTest.SS)) != 0 ? t.finalRegs[MooTest.SS] : init[MooTest.SS];
        int sp = (t.finalMask & (1 << MooTest.SP)) != 0 ? t.finalRegs[MooTest.SP] : init[MooTest.SP];
        long derived = (((long) ss << 4) + ((sp + 4) & 0xffff)) & 0xffffff;
        return derived == t.exceptionFlagAddress + 1 ? derived : t.exceptionFlagAddress;
    }

    /** Sums results: {passed, failed}. */
    public static int[] totals(List<FileResult> results) {
        int p = 0, f = 0;
        for (FileResult r : results) { p += r.passed(); f += r.failed(); }
        return new int[]{p, f};
    }
}
