package org.jvirt.vmm.cpu.state;

import org.jvirt.vmm.state.SectionInput;
import org.jvirt.vmm.state.StateFormatException;
import org.jvirt.vmm.state.StateReader;
import org.jvirt.vmm.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** VcpuState through its state-file section, without KVM: every field survives, bad payloads give clean errors. */
class VcpuStateSectionTest {

    /** A state with every field set to a distinct seeded value. */
    static VcpuState randomState(long seed) {
        Random r = new Random(seed);
        long[] gprs = new long[16];
        for (int i = 0; i < 16; i++) gprs[i] = r.nextLong();
        Segment[] seg = new Segment[8];
        for (int i = 0; i < 8; i++) {
            seg[i] = new Segment(r.nextLong(), r.nextInt(), r.nextInt(0x10000), r.nextInt(16), r.nextBoolean(), r.nextInt(4),
                    r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), r.nextBoolean());
        }
        SystemRegisters sys = new SystemRegisters(seg[0], seg[1], seg[2], seg[3], seg[4], seg[5], seg[6], seg[7],
                new DescriptorTable(r.nextLong(), r.nextInt(0x10000)), new DescriptorTable(r.nextLong(), r.nextInt(0x10000)),
                r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong(),
                new long[]{r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong()});
        DebugRegisters debug = new DebugRegisters(new long[]{r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong()}, r.nextLong(), r.nextLong());
        Map<Integer, Long> msrs = new HashMap<>();
        for (int index : new int[]{0x1b, 0x174, 0x277, 0xc0000080, 0xc0000081, 0xc0000082, 0xc0000102, 0x4b564d00}) {
            msrs.put(index, r.nextLong());
        }
        byte[] xsave = new byte[4096];
        r.nextBytes(xsave);
        byte[] lapic = new byte[1024];
        r.nextBytes(lapic);
        PendingEvents ev = new PendingEvents(true, false, 14, true, 0x11, false, 0, true, 0x30, false, 1,
                false, true, true, 0x9a, false, true, false, true);
        return new VcpuState(new GeneralRegisters(gprs, r.nextLong(), r.nextLong()), sys, debug, VcpuState.byIndex(msrs), r.nextLong(),
                new ExtendedState(xsave, VcpuState.byIndex(Map.of(0, 7L))), lapic, ev, MpState.HALTED);
    }

    @Test
    void everyFieldSurvivesAStateFile(@TempDir Path dir) throws IOException {
        VcpuState a = randomState(1), b = randomState(2);
        assertNotEquals(a, b);
        Path f = dir.resolve("cpu.state");
        try (StateWriter w = StateWriter.create(f)) {
            w.section(VcpuStateSection.id(0), VcpuStateSection.VERSION, out -> VcpuStateSection.write(out, a));
            w.section(VcpuStateSection.id(1), VcpuStateSection.VERSION, out -> VcpuStateSection.write(out, b));
            w.commit();
        }
        try (StateReader r = StateReader.open(f)) {
            assertEquals(a, VcpuStateSection.read(r.section("vcpu0")));
            VcpuState back = VcpuStateSection.read(r.section("vcpu1"));
            assertEquals(b, back);
            assertEquals(List.of(0x1b, 0x174, 0x277, 0x4b564d00, 0xc0000080, 0xc0000081, 0xc0000082, 0xc0000102),
                    List.copyOf(back.msrs().keySet()), "MSRs in ascending unsigned order");
        }
    }

    @Test
    void aModifiedFieldMakesStatesDiffer() {
        VcpuState a = randomState(3);
        assertEquals(a, randomState(3));
        assertNotEquals(a, a.withTsc(a.tsc() + 1));
        assertNotEquals(a, a.withGeneral(a.general().with(GeneralRegisters.RAX, a.general().get(GeneralRegisters.RAX) ^ 1)));
        byte[] x = a.extended().xsave();
        x[200] ^= 1;
        assertNotEquals(a.extended(), new ExtendedState(x, a.extended().xcrs()));
    }

    private static byte[] payload(VcpuState s) throws IOException {
        Path dir = java.nio.file.Files.createTempDirectory("vcpu");
        Path f = dir.resolve("s");
        try {
            try (StateWriter w = StateWriter.create(f)) {
                w.section("vcpu0", 1, out -> VcpuStateSection.write(out, s));
                w.commit();
            }
            try (StateReader r = StateReader.open(f)) {
                SectionInput in = r.section("vcpu0");
                return in.fixedBytes(in.remaining());
            }
        } finally {
            java.nio.file.Files.deleteIfExists(f);
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    @Test
    void refusesNewerVersionsTruncationAndNonsense() throws IOException {
        byte[] p = payload(randomState(4));
        StateFormatException e = assertThrows(StateFormatException.class, () -> VcpuStateSection.read(SectionInput.of("vcpu0", 2, p)));
        assertEquals("section 'vcpu0' has version 2, newer than this jvirt reads (up to 1)", e.getMessage());
        e = assertThrows(StateFormatException.class, () -> VcpuStateSection.read(SectionInput.of("vcpu0", 1, Arrays.copyOf(p, p.length + 1))));
        assertEquals("section 'vcpu0' (version 1), payload offset " + p.length + ": 1 unread bytes after the last field", e.getMessage());
        Random r = new Random(5);
        for (int round = 0; round < 2000; round++) {
            byte[] q = round % 2 == 0 ? Arrays.copyOf(p, r.nextInt(p.length)) : p.clone();
            if (round % 2 == 1) for (int i = 0; i < 3; i++) q[r.nextInt(q.length)] = (byte) r.nextInt(256);
            try {
                VcpuStateSection.read(SectionInput.of("vcpu0", 1, q));
            } catch (StateFormatException ok) {
                assertTrue(ok.getMessage().startsWith("section 'vcpu0' (version 1)"), ok.getMessage());
            }
        }
    }
}
