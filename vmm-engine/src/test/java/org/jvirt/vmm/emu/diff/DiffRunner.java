package org.jvirt.vmm.emu.diff;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs cases on KVM (the reference: the host CPU at CPL3) and on the emulator, compares
 * registers, flags (without those the sequence leaves architecturally undefined) and the
 * written pages, and shrinks a mismatching case to a minimal reproducer.
 */
final class DiffRunner {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    /** #XM: the only exception a sequence may end with (an unmasked SIMD exception), if both backends take it. */
    private static final int SIMD_EXCEPTION = 19;
    private final DiffMachine reference, emulator;

    DiffRunner(DiffMachine reference, DiffMachine emulator) {
        this.reference = reference;
        this.emulator = emulator;
    }

    /** The differences of one case, or null when both backends agree. */
    String compare(DiffCase c) throws InterruptedException, TimeoutException {
        int undefined = c.undefinedFlagsAtEnd();
        if (undefined < 0) throw new IllegalArgumentException("case reads an undefined flag");
        Outcome k = reference.run(c, LIMIT), e = emulator.run(c, LIMIT);
        if (Boolean.getBoolean("jvirt.diff.verbose")) {
            System.out.println(report(c, "  kvm " + k.how() + " rip " + Long.toHexString(k.rip()) + " rax " + Long.toHexString(k.gprs()[0])
                    + "\n  emu " + e.how() + " rip " + Long.toHexString(e.rip()) + " rax " + Long.toHexString(e.gprs()[0]) + "\n"));
        }
        return differences(k, e, undefined, c.undefinedFlagsAnywhere());
    }

    static String differences(Outcome k, Outcome e, int undefinedFlags, int undefinedAnywhere) {
        StringBuilder d = new StringBuilder();
        // the generator never means to fault: a reference that did not reach the terminator is a finding too
        if (k.timedOut() || (k.vector() >= 0 && k.vector() != SIMD_EXCEPTION) || k.vector() != e.vector() || e.timedOut()) {
            d.append(String.format("  end:    kvm %s, emu %s%n", k.how(), e.how()));
        }
        for (int i = 0; i < 16; i++) {
            if (k.gprs()[i] != e.gprs()[i]) d.append(String.format("  %-6s  kvm %016x  emu %016x%n", Regs.name64(i), k.gprs()[i], e.gprs()[i]));
        }
        if (k.rip() != e.rip()) d.append(String.format("  rip     kvm %016x  emu %016x%n", k.rip(), e.rip()));
        if (k.vector() >= 0) undefinedFlags = undefinedAnywhere; // stopped by an exception somewhere in the sequence
        long mask = Flags.COMPARED & ~undefinedFlags;
        if (((k.rflags() ^ e.rflags()) & mask) != 0) {
            d.append(String.format("  rflags  kvm %08x  emu %08x  differ in %s (undefined, not compared: %s)%n", k.rflags(), e.rflags(),
                    Flags.names((int) ((k.rflags() ^ e.rflags()) & mask)), Flags.names(undefinedFlags)));
        }
        for (int i = 0; i < 16; i++) {
            if (k.xmm()[2 * i] != e.xmm()[2 * i] || k.xmm()[2 * i + 1] != e.xmm()[2 * i + 1]) {
                d.append(String.format("  xmm%-3d  kvm %016x_%016x  emu %016x_%016x%n", i, k.xmm()[2 * i + 1], k.xmm()[2 * i],
                        e.xmm()[2 * i + 1], e.xmm()[2 * i]));
            }
        }
        if (k.mxcsr() != e.mxcsr()) d.append(String.format("  mxcsr   kvm %08x  emu %08x%n", k.mxcsr(), e.mxcsr()));
        if (!java.util.Arrays.equals(k.x87(), e.x87())) {
            d.append(String.format("  x87 fsw/ftw  kvm %02x%02x/%02x  emu %02x%02x/%02x%n", k.x87()[1], k.x87()[0], k.x87()[2], e.x87()[1], e.x87()[0], e.x87()[2]));
            for (int i = 0; i < 8; i++) {
                byte[] a = java.util.Arrays.copyOfRange(k.x87(), 3 + 10 * i, 13 + 10 * i), b = java.util.Arrays.copyOfRange(e.x87(), 3 + 10 * i, 13 + 10 * i);
                if (!java.util.Arrays.equals(a, b)) d.append(String.format("  st%d/mm%d  kvm %s  emu %s%n", i, i, hex(a), hex(b)));
            }
        }
        memory(d, "data", DiffLayout.DATA, k.data(), e.data());
        memory(d, "stack", DiffLayout.STACK, k.stack(), e.stack());
        memory(d, "ring-0 stack", DiffLayout.KSTACK, frameFlagsMasked(k, undefinedAnywhere), frameFlagsMasked(e, undefinedAnywhere));
        return d.length() == 0 ? null : d.toString();
    }

    /**
     * The ring-0 stack with IF, IOPL and RF cleared in the RFLAGS image of an exception frame: KVM
     * on PVM runs guest user code with the host's IF=1 and IOPL=0, and its exception delivery
     * (done by the PVM host, not by the CPU) sets RF. Flags undefined anywhere in the sequence too.
     */
    private static byte[] frameFlagsMasked(Outcome o, int undefined) {
        byte[] b = o.kernelStack().clone();
        if (o.vector() < 0) return b;
        int at0 = DiffLayout.KSTACK_SIZE - 24;
        b[at0] &= (byte) ~undefined;
        b[at0 + 1] &= (byte) ~(undefined >> 8);
        int at = DiffLayout.KSTACK_SIZE - 24; // the frame from the top: SS, RSP, RFLAGS, CS, RIP [, error code]
        b[at + 1] &= (byte) ~0x32;
        b[at + 2] &= (byte) ~0x01;
        return b;
    }

    private static void memory(StringBuilder d, String what, long base, byte[] k, byte[] e) {
        int shown = 0;
        for (int i = 0; i < k.length; i += 8) {
            long a = le(k, i), b = le(e, i);
            if (a != b && shown++ < 8) d.append(String.format("  %s @%x  kvm %016x  emu %016x%n", what, base + i, a, b));
        }
        if (shown > 8) d.append(String.format("  %s: %d more differing quadwords%n", what, shown - 8));
    }

    private static long le(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | (b[at + i] & 0xFF);
        return v;
    }

    /**
     * Delta debugging over the units: drops ever smaller chunks while the case still mismatches
     * (and still reads no undefined flag), until no single unit can go.
     */
    DiffCase shrink(DiffCase c) throws InterruptedException, TimeoutException {
        List<Unit> units = new ArrayList<>(c.units());
        int chunk = Math.max(1, units.size() / 2);
        while (true) {
            boolean removed = false;
            for (int at = 0; at < units.size(); ) {
                List<Unit> fewer = new ArrayList<>(units.subList(0, at));
                fewer.addAll(units.subList(Math.min(units.size(), at + chunk), units.size()));
                DiffCase candidate = c.withUnits(fewer);
                if (fewer.size() < units.size() && candidate.undefinedFlagsAtEnd() >= 0 && compare(candidate) != null) {
                    units = fewer;
                    removed = true;
                } else {
                    at += chunk;
                }
            }
            if (chunk == 1 && !removed) return c.withUnits(units);
            if (!removed) chunk = Math.max(1, chunk / 2);
        }
    }

    /** A reproducer: seed, initial state, each unit with its address, bytes and text, a disassembly, the differences. */
    String report(DiffCase c, String differences) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("seed %d (reproduce: -Djvirt.diff.seed=%d), %d units%n", c.seed(), c.seed(), c.units().size()));
        b.append("initial state (CPL3, 64-bit, r15 -> scratch page 0x").append(Long.toHexString(DiffLayout.DATA))
                .append(", rsp -> stack page 0x").append(Long.toHexString(DiffLayout.STACK)).append("):\n");
        for (int i = 0; i < 16; i++) b.append(String.format("  %-4s %016x%s", Regs.name64(i), c.gprs()[i], i % 4 == 3 ? "\n" : ""));
        b.append(String.format("  rflags %08x  mxcsr %08x%n", c.rflags(), c.mxcsr()));
        for (int i = 0; i < 16; i++) b.append(String.format("  xmm%-2d %016x_%016x%s", i, c.xmm()[2 * i + 1], c.xmm()[2 * i], i % 2 == 1 ? "\n" : ""));
        for (int i = 0; i < 8; i++) b.append(String.format("  mm%d %016x%s", i, c.mm()[i], i % 4 == 3 ? "\n" : ""));
        b.append("sequence:\n");
        for (int i = 0; i < c.units().size(); i++) {
            Unit u = c.units().get(i);
            b.append(String.format("  %x: %-40s %s%n", c.rip(i), hex(u.bytes()), u.text()));
        }
        String dis = objdump(c.code());
        if (dis != null) b.append("objdump:\n").append(dis);
        b.append("differences:\n").append(differences);
        return b.toString();
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x ", x & 0xFF));
        return s.toString().trim();
    }

    /** objdump's disassembly of the code, or null when objdump is missing. */
    private static String objdump(byte[] code) {
        try {
            Path f = Files.createTempFile("jvirt-diff", ".bin");
            try {
                Files.write(f, code);
                Process p = new ProcessBuilder("objdump", "-D", "-b", "binary", "-m", "i386:x86-64", "-M", "intel",
                        "--adjust-vma=0x" + Long.toHexString(DiffLayout.CODE), f.toString()).redirectErrorStream(true).start();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                p.getInputStream().transferTo(out);
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
                StringBuilder b = new StringBuilder();
                for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                    if (line.matches("\\s+[0-9a-f]+:\t.*")) b.append("  ").append(line.trim()).append('\n');
                }
                return b.toString();
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
