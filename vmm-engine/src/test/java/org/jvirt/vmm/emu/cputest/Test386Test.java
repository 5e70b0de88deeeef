package org.jvirt.vmm.emu.cputest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.jvirt.vmm.emu.cpu.CpuProfile;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.PhysicalBus;
import org.jvirt.vmm.emu.cpu.X86Cpu;
import org.jvirt.vmm.emu.cpu.paging.PageWalker;
import org.jvirt.vmm.emu.cpu.system.X86SystemUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, gate b: test386.asm (github.com/barotto/test386.asm, GPL-3.0-or-later; its sources
 * are test data under the shared fixtures and never enter this repository) assembled at test
 * time with nasm into target/, with an ASCII output port enabled in a copy of its
 * configuration. The 64 KiB ROM is mapped at 0xF0000 and aliased at 0xFFFF0000; the CPU runs
 * from reset with the full system unit and the MMU until it halts. Passing means the last POST
 * code is 0xFF and the text printed during POST 0xEE equals the upstream reference. The same
 * holds for the optional 128 KiB build (ROM128, mapped at 0xE0000 and 0xFFFE0000), which adds
 * task-switch tests.
 */
class Test386Test {
    static final int POST_PORT = 0x190, TEXT_PORT = 0xe9;
    static final long MAX_INSTRUCTIONS = 2_000_000_000L;

    static Path fixtures() {
        return Path.of(System.getProperty("jvirt.shared", "../shared"), "fixtures", "cpu-tests", "test386");
    }

    static byte[] assemble() throws IOException, InterruptedException { return assemble(false); }

    /**
     * Copies upstream/ into target/, enables OUT_PORT (and ROM128 for the 128 KiB build with the
     * extra task-switch tests) and assembles; null when nasm is missing.
     */
    static byte[] assemble(boolean rom128) throws IOException, InterruptedException {
        Path upstream = fixtures().resolve("upstream");
        assumeTrue(Files.isDirectory(upstream), "test386 sources not found at " + upstream);
        Path work = Path.of("target", rom128 ? "test386-rom128" : "test386");
        if (Files.exists(work)) {
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) Files.delete(p);
            }
        }
        try (Stream<Path> s = Files.walk(upstream)) {
            for (Path p : s.toList()) {
                Path dst = work.resolve(upstream.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(dst);
                else Files.copy(p, dst, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path config = work.resolve("src/configuration.asm");
        String text = Files.readString(config);
        String enabled = text.replaceFirst("(?m)^OUT_PORT equ 0\\s*$", "OUT_PORT equ 0x" + Integer.toHexString(TEXT_PORT));
        assertNotEquals(text, enabled, "configuration.asm no longer has 'OUT_PORT equ 0'");
        if (rom128) {
            String big = enabled.replaceFirst("(?m)^ROM128 equ 0\\s*$", "ROM128 equ 1");
            assertNotEquals(enabled, big, "configuration.asm no longer has 'ROM128 equ 0'");
            enabled = big;
        }
        Files.writeString(config, enabled);
        Process nasm;
        try {
            nasm = new ProcessBuilder("nasm", "-i./src/", "-f", "bin", "src/test386.asm", "-w-all", "-l", "test386.lst",
                    "-o", "test386.bin").directory(work.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "nasm not installed");
            return null;
        }
        String log = new String(nasm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, nasm.waitFor(60, TimeUnit.SECONDS), "nasm timed out");
        assertEquals(0, nasm.exitValue(), "nasm failed:\n" + log);
        byte[] rom = Files.readAllBytes(work.resolve("test386.bin"));
        assertEquals(rom128 ? 131072 : 65536, rom.length, "test386.bin size");
        return rom;
    }

    /** 1 MiB of RAM with the ROM (read-only) ending at 1 MiB and aliased below 4 GiB; two output ports. */
    static final class Machine implements PhysicalBus {
        final byte[] ram = new byte[1 << 20];
        final byte[] rom;
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final ByteArrayOutputStream post = new ByteArrayOutputStream();

        Machine(byte[] rom) { this.rom = rom; }

        private int romIndex(long pa) {
            long low = 0x100000 - rom.length, high = 0x100000000L - rom.length;
            if (pa >= low && pa < 0x100000) return (int) (pa - low);
            if (pa >= high && pa < 0x100000000L) return (int) (pa - high);
            return -1;
        }

        @Override public int read8(long pa) {
            int r = romIndex(pa);
            if (r >= 0) return rom[r] & 0xff;
            return pa >= 0 && pa < ram.length ? ram[(int) pa] & 0xff : 0xff;
        }

        @Override public int read16(long pa) { return read8(pa) | read8(pa + 1) << 8; }
        @Override public int read32(long pa) { return read16(pa) | read16(pa + 2) << 16; }
        @Override public long read64(long pa) { return (read32(pa) & 0xffffffffL) | (long) read32(pa + 4) << 32; }

        @Override public void write8(long pa, int v) {
            if (romIndex(pa) < 0 && pa >= 0 && pa < ram.length) ram[(int) pa] = (byte) v;
        }

        @Override public void write16(long pa, int v) { write8(pa, v); write8(pa + 1, v >> 8); }
        @Override public void write32(long pa, int v) { write16(pa, v); write16(pa + 2, v >> 16); }
        @Override public void write64(long pa, long v) { write32(pa, (int) v); write32(pa + 4, (int) (v >>> 32)); }

        @Override public int in(int port, int size) { return size == 1 ? 0xff : size == 2 ? 0xffff : -1; }

        @Override public void out(int port, int size, int value) {
            if (port == POST_PORT) post.write(value & 0xff);
            else if (port == TEXT_PORT) text.write(value & 0xff);
        }

        int lastPost() {
            byte[] p = post.toByteArray();
            return p.length == 0 ? -1 : p[p.length - 1] & 0xff;
        }
    }

    static String reference() throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(fixtures().resolve("test386-EE-reference.txt.gz")))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void test386PassesEveryPostAndPrintsTheReferenceText() throws Exception {
        runToPostFf(assemble(false));
    }

    /** The 128 KiB build adds hardware task switches (16- and 32-bit TSSs) to POST 0x22. */
    @Test
    void test386With128KRomPassesToo() throws Exception {
        runToPostFf(assemble(true));
    }

    static void runToPostFf(byte[] rom) throws Exception {
        Machine m = new Machine(rom);
        CpuState state = new CpuState();
        state.reset();
        X86Cpu cpu = new X86Cpu(state, m, CpuProfile.X86_64);
        PageWalker paging = new PageWalker(state, m);
        cpu.setTranslator(paging);
        long[] tsc = {0};
        cpu.setSystemUnit(new X86SystemUnit(state, cpu.linearMemory(), paging, () -> tsc[0]++));
        long start = System.nanoTime();
        X86Cpu.RunExit exit = X86Cpu.RunExit.BUDGET;
        while (cpu.instructionsRetired() < MAX_INSTRUCTIONS) {
            exit = cpu.run(10_000_000);
            if (exit != X86Cpu.RunExit.BUDGET) break;
        }
        long executed = cpu.instructionsRetired();
        System.out.printf("test386: %d instructions in %.2f s, exit %s, POST %s%n", executed,
                (System.nanoTime() - start) / 1e9, exit, hex(m.post.toByteArray()));
        String where = String.format("exit %s after ~%d instructions at %04x:%x, POST codes %s", exit, executed,
                state.seg[CpuState.CS].selector, state.rip, hex(m.post.toByteArray()));
        assertEquals(X86Cpu.RunExit.HALTED, exit, where);
        assertEquals(0xff, m.lastPost(), "last POST code names the failing test; " + where);
        compareText(reference(), m.text.toString(StandardCharsets.US_ASCII));
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02X ", x & 0xff));
        return s.toString().trim();
    }

    /** Line-by-line comparison that names the first difference (the text has ~45,000 lines). */
    static void compareText(String expected, String actual) {
        List<String> e = expected.replace("\r", "").lines().toList();
        List<String> a = actual.replace("\r", "").lines().toList();
        int n = Math.min(e.size(), a.size());
        for (int i = 0; i < n; i++) {
            if (!e.get(i).equals(a.get(i))) {
                fail("POST 0xEE text differs at line " + (i + 1) + ":\n expected: " + e.get(i) + "\n actual:   " + a.get(i));
            }
        }
        assertEquals(e.size(), a.size(), "POST 0xEE line count");
    }
}
