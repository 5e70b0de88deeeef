package org.jvirt.vmm.cpu.kvm;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.cpu.Vcpu;
import org.jvirt.vmm.cpu.VcpuExit;
import org.jvirt.vmm.cpu.state.DescriptorTable;
import org.jvirt.vmm.cpu.state.GeneralRegisters;
import org.jvirt.vmm.cpu.state.MpState;
import org.jvirt.vmm.cpu.state.Segment;
import org.jvirt.vmm.cpu.state.SystemRegisters;
import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.cpu.state.VcpuStateSection;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.memory.RamRange;
import org.jvirt.vmm.state.StateReader;
import org.jvirt.vmm.state.StateWriter;
import org.jvirt.vmm.testing.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A vCPU's state out of one KVM VM and into another: a 64-bit guest counting at CPL3 (native
 * speed on this host, see the KVM spec) is paused, its VcpuState exported, written to a state
 * file with its RAM and read back, imported into a fresh vCPU of a new VM over a copy of the
 * RAM, and it keeps counting from where it was. Also export -> import -> export on a live vCPU,
 * and a changed register and MSR taking effect.
 */
@RequiresKvm
class VcpuStateKvmTest {
    static final long RAM = 4L << 20;
    static final long GDT = 0x1000, PML4 = 0x2000, PDPT = 0x3000, PD = 0x4000, CODE = 0x10000, STACK = 0x20000, DATA = 0x30000;
    static final int PORT = 0x510;
    /** The guest reports its counter every 2^22 iterations. */
    static final long STEP = 1L << 22;
    static final int MSR_LSTAR = 0xc0000082;

    /*
     * top: inc rax; movq xmm0, rax; test eax, STEP-1; jnz top
     *      mov [rbx], rax; mov edx, PORT; out dx, eax; jmp top
     */
    static final byte[] GUEST = {
            0x48, (byte) 0xff, (byte) 0xc0,                     // inc rax
            0x66, 0x48, 0x0f, 0x6e, (byte) 0xc0,                 // movq xmm0, rax
            (byte) 0xa9, (byte) 0xff, (byte) 0xff, 0x3f, 0x00,   // test eax, 0x3fffff
            0x75, (byte) 0xf1,                                   // jnz top (-15)
            0x48, (byte) 0x89, 0x03,                             // mov [rbx], rax
            (byte) 0xba, 0x10, 0x05, 0x00, 0x00,                 // mov edx, 0x510
            (byte) 0xef,                                         // out dx, eax
            (byte) 0xeb, (byte) 0xe6,                            // jmp top (-26)
    };

    @TempDir
    Path dir;

    /** Port 0x510: records each reported counter and stops the vCPU after `stopAfter` more reports. */
    static final class Reporter implements IoDevice {
        final List<Long> values = new ArrayList<>();
        Vcpu vcpu;
        int stopAfter;
        /** When set, each report tries an export from inside run() and records the refusal. */
        boolean exportWhileRunning;
        RuntimeException refusal;

        @Override public long read(long offset, int size) { return 0; }

        @Override
        public void write(long offset, int size, long value) {
            values.add(value & 0xffffffffL);
            if (exportWhileRunning) {
                try {
                    vcpu.exportState();
                } catch (RuntimeException e) {
                    refusal = e;
                }
            }
            if (--stopAfter == 0) vcpu.kick(); // run() returns INTERRUPTED at the next entry
        }
    }

    /** One VM with its RAM, a vCPU, and the reporter on its port bus. */
    static final class Vm implements AutoCloseable {
        final KvmAccelerator accel = KvmAccelerator.create();
        final MmapGuestMemory mem = MmapGuestMemory.anonymous(List.of(new RamRange(0, RAM)));
        final Reporter reporter = new Reporter();
        final Vcpu vcpu;

        Vm() {
            accel.attachMemory(mem);
            IoBus pio = new IoBus("pio");
            pio.register(PORT, 4, reporter);
            vcpu = accel.createVcpu(0, 1, pio, new IoBus("mmio"));
            vcpu.bindToCurrentThread();
            reporter.vcpu = vcpu;
        }

        /** Runs until n more reports; returns them. */
        List<Long> runReports(int n) {
            int before = reporter.values.size();
            reporter.stopAfter = n;
            VcpuExit exit = vcpu.run();
            assertEquals(VcpuExit.INTERRUPTED, exit, vcpu.errorDetail());
            return reporter.values.subList(before, reporter.values.size());
        }

        @Override
        public void close() {
            vcpu.close();
            accel.close();
            mem.close();
        }
    }

    /** Page tables (2 MiB pages, user-accessible), a GDT in Linux's order, the code. */
    static void loadGuest(MmapGuestMemory m) {
        m.writeLong(PML4, PDPT | 7);
        m.writeLong(PDPT, PD | 7);
        for (int i = 0; i < 2; i++) m.writeLong(PD + 8L * i, ((long) i << 21) | 0x87);
        long[] gdt = {0, 0x00AF9A000000FFFFL, 0x00CF92000000FFFFL, 0x00AFFA000000FFFFL, 0x00CFF2000000FFFFL};
        for (int i = 0; i < gdt.length; i++) m.writeLong(GDT + 8L * i, gdt[i]);
        m.write(CODE, GUEST, 0, GUEST.length);
    }

    /** The power-on state changed into 64-bit CPL3 at the guest's entry, through importState alone. */
    static VcpuState userModeEntry(VcpuState powerOn) {
        Segment code = new Segment(0, 0xffffffff, 0x1b, 0xb, true, 3, false, true, true, true, false, false);
        Segment data = new Segment(0, 0xffffffff, 0x23, 0x3, true, 3, true, true, false, true, false, false);
        SystemRegisters p = powerOn.system();
        SystemRegisters sys = new SystemRegisters(code, data, data, data, data, data, p.tr(), p.ldt(),
                new DescriptorTable(GDT, 5 * 8 - 1), new DescriptorTable(0, 0),
                0x80050033L, 0, PML4, 0x620, 0, 0x500, p.apicBase(), new long[4]);
        long[] gprs = new long[16];
        gprs[GeneralRegisters.RBX] = DATA;
        gprs[GeneralRegisters.RSP] = STACK;
        GeneralRegisters g = new GeneralRegisters(gprs, CODE, 0x3002); // IOPL 3: port I/O from CPL3
        return new VcpuState(g, sys, powerOn.debug(), powerOn.msrs(), powerOn.tsc(), powerOn.extended(), powerOn.lapic(),
                powerOn.events(), MpState.RUNNABLE);
    }

    private static void assertConsecutive(List<Long> reports) {
        for (int i = 1; i < reports.size(); i++) {
            assertEquals((reports.get(i - 1) + STEP) & 0xffffffffL, reports.get(i), "report " + i + " of " + reports);
        }
    }

    /** Everything but the TSC, which runs on while the vCPU is stopped. */
    private static void assertSameState(VcpuState expected, VcpuState actual) {
        assertEquals(expected.general(), actual.general());
        assertEquals(expected.system(), actual.system());
        assertEquals(expected.debug(), actual.debug());
        assertEquals(expected.msrs(), actual.msrs());
        assertArrayEquals(expected.extended().xsave(), actual.extended().xsave(), "XSAVE area");
        assertEquals(expected.extended().xcrs(), actual.extended().xcrs());
        assertArrayEquals(expected.lapic(), actual.lapic(), "LAPIC page");
        assertEquals(expected.events(), actual.events());
        assertEquals(expected.mpState(), actual.mpState());
        assertEquals(expected.withTsc(0), actual.withTsc(0));
        assertTrue(actual.tsc() >= expected.tsc(), "TSC went back: " + expected.tsc() + " -> " + actual.tsc());
    }

    @Test
    void aPausedGuestContinuesInANewVmFromItsStateFile() throws IOException {
        Path file = dir.resolve("vm.state");
        List<Long> all = new ArrayList<>();
        VcpuState saved;
        try (Vm a = new Vm()) {
            loadGuest(a.mem);
            a.vcpu.importState(userModeEntry(a.vcpu.exportState()));
            all.addAll(a.runReports(3));
            assertEquals(List.of(STEP, 2 * STEP, 3 * STEP), all, "the guest counts from 0 at CPL3");

            saved = a.vcpu.exportState();
            assertEquals(3, saved.system().cpl());
            assertEquals(3 * STEP, saved.general().get(GeneralRegisters.RAX), "paused right after the third report");
            assertEquals(3 * STEP, saved.extended().xmmLow(0), "XMM0 (XSAVE area) holds the counter too");
            assertEquals(3 * STEP, a.mem.readLong(DATA));
            assertTrue(saved.general().rip() > CODE && saved.general().rip() < CODE + GUEST.length);
            assertFalse(saved.msrs().isEmpty(), "saveable MSRs were read");
            assertTrue(saved.msrs().containsKey(MSR_LSTAR), "LSTAR is among them: " + saved.msrs().keySet());
            assertEquals(0x400 | 0x100, saved.system().efer() & 0x500, "long mode");

            try (StateWriter w = StateWriter.create(file)) {
                w.section(VcpuStateSection.id(0), VcpuStateSection.VERSION, out -> VcpuStateSection.write(out, saved));
                byte[] ram = new byte[(int) RAM];
                a.mem.read(0, ram, 0, ram.length);
                w.rawSection("ram", 1, RAM, sink -> sink.write(ByteBuffer.wrap(ram)));
                w.commit();
            }
        }

        try (Vm b = new Vm(); StateReader r = StateReader.open(file)) {
            VcpuState parsed = VcpuStateSection.read(r.section("vcpu0"));
            assertEquals(saved, parsed, "serialized and parsed state is equal");
            ByteBuffer ram = ByteBuffer.allocate((int) RAM);
            r.readRaw("ram", 0, ram);
            b.mem.write(0, ram.array(), 0, (int) RAM);

            b.vcpu.importState(parsed);
            assertSameState(parsed, b.vcpu.exportState());
            all.addAll(b.runReports(3));
            assertEquals(6, all.size());
            assertConsecutive(all); // 4, 5, 6 x STEP: no report repeated (a re-executed OUT) or lost
            VcpuState after = b.vcpu.exportState();
            assertEquals(6 * STEP, after.general().get(GeneralRegisters.RAX));
            assertEquals(6 * STEP, after.extended().xmmLow(0));
            assertTrue(after.tsc() > parsed.tsc(), "the guest TSC continues from the saved one");
        }
    }

    @Test
    void exportImportExportIsIdenticalAndChangedStateTakesEffect() {
        try (Vm vm = new Vm()) {
            loadGuest(vm.mem);
            vm.vcpu.importState(userModeEntry(vm.vcpu.exportState()));
            vm.runReports(2);
            VcpuState first = vm.vcpu.exportState();
            vm.vcpu.importState(first);
            assertSameState(first, vm.vcpu.exportState());

            // a different counter (high bits too, which the guest only stores to memory) and LSTAR
            long counter = 0x1234_0000_0000L + 5 * STEP - 1;
            TreeMap<Integer, Long> msrs = new TreeMap<>(first.msrs());
            msrs.put(MSR_LSTAR, 0xffff_8000_dead_b000L);
            VcpuState changed = first.withGeneral(first.general().with(GeneralRegisters.RAX, counter)).withMsrs(msrs);
            vm.vcpu.importState(changed);
            VcpuState back = vm.vcpu.exportState();
            assertSameState(changed, back);
            assertEquals(counter, vm.vcpu.registers().rax(), "the sync-regs copy shows the imported RAX");

            assertEquals(List.of((counter + 1) & 0xffffffffL), vm.runReports(1));
            assertEquals(counter + 1, vm.mem.readLong(DATA), "the guest continued from the imported RAX");
            assertEquals(0xffff_8000_dead_b000L, vm.vcpu.exportState().msrs().get(MSR_LSTAR));
        }
    }

    /** An application processor waiting for INIT/SIPI stays so through export and import. */
    @Test
    void anApWaitingForSipiKeepsItsMpStateAndApicId() {
        VcpuState ap;
        try (KvmAccelerator a = KvmAccelerator.create(); Vcpu v = a.createVcpu(1, 2, new IoBus("pio"), new IoBus("mmio"))) {
            v.bindToCurrentThread();
            v.reset(null);
            ap = v.exportState();
        }
        assertEquals(MpState.UNINITIALIZED, ap.mpState());
        assertEquals(1, ap.lapicRegister(0x20) >>> 24, "APIC ID 1");
        try (KvmAccelerator b = KvmAccelerator.create(); Vcpu v = b.createVcpu(1, 2, new IoBus("pio"), new IoBus("mmio"))) {
            v.bindToCurrentThread();
            VcpuState runnable = new VcpuState(ap.general(), ap.system(), ap.debug(), ap.msrs(), ap.tsc(), ap.extended(),
                    ap.lapic(), ap.events(), MpState.RUNNABLE);
            v.importState(runnable);
            assertEquals(MpState.RUNNABLE, v.exportState().mpState(), "the MP state is imported");
            v.importState(ap);
            assertSameState(ap, v.exportState());
        }
    }

    @Test
    void exportAndImportAreRefusedWhileTheVcpuRuns() {
        try (Vm vm = new Vm()) {
            loadGuest(vm.mem);
            VcpuState entry = userModeEntry(vm.vcpu.exportState());
            vm.vcpu.importState(entry);
            vm.reporter.exportWhileRunning = true;
            vm.runReports(1);
            assertNotNull(vm.reporter.refusal, "an export from inside run() was not refused");
            assertEquals(IllegalStateException.class, vm.reporter.refusal.getClass());
            assertEquals("vCPU 0 is running: its state can only be exported or imported while it is stopped",
                    vm.reporter.refusal.getMessage());
            vm.reporter.exportWhileRunning = false;
            assertEquals(List.of(2 * STEP), vm.runReports(1), "the guest is unharmed");
        }
    }

    /** A kick that arrives while the vCPU is stopped still stops the next run(), even with an export in between. */
    @Test
    void aKickWhileStoppedSurvivesAnExport() {
        try (Vm vm = new Vm()) {
            loadGuest(vm.mem);
            vm.vcpu.importState(userModeEntry(vm.vcpu.exportState()));
            vm.runReports(1);
            vm.vcpu.kick();
            VcpuState s = vm.vcpu.exportState();
            int before = vm.reporter.values.size();
            vm.reporter.stopAfter = 1; // were the kick lost, run() would stop after one more report
            assertEquals(VcpuExit.INTERRUPTED, vm.vcpu.run(), "the pending kick stopped run() at once");
            assertEquals(before, vm.reporter.values.size());
            assertSameState(s, vm.vcpu.exportState());
        }
    }
}
