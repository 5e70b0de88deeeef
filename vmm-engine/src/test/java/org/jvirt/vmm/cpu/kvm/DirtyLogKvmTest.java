package org.jvirt.vmm.cpu.kvm;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.cpu.Vcpu;
import org.jvirt.vmm.cpu.VcpuExit;
import org.jvirt.vmm.memory.DirtyLog;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.memory.RamRange;
import org.jvirt.vmm.testing.RequiresKvm;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A guest in flat 32-bit protected mode without paging (so no page-table accessed/dirty bits
 * are written) stores to known pages in two RAM regions (two KVM slots) and reports on a port
 * between rounds: the dirty log reports exactly the pages it stored to, per round, and nothing
 * the host wrote.
 */
@RequiresKvm
class DirtyLogKvmTest {
    static final int PORT = 0x510;
    static final long CODE = 0x10000;

    /*
     * mov dword [0x5000], 1; mov dword [0x9000], 2; mov dword [0x201008], 3; mov dx, 0x510; out dx, al
     * mov dword [0x3000], 4; mov dword [0x3ffc], 5; out dx, al; jmp $
     */
    static final byte[] GUEST = {
            (byte) 0xc7, 0x05, 0x00, 0x50, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
            (byte) 0xc7, 0x05, 0x00, (byte) 0x90, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
            (byte) 0xc7, 0x05, 0x08, 0x10, 0x20, 0x00, 0x03, 0x00, 0x00, 0x00,
            0x66, (byte) 0xba, 0x10, 0x05,
            (byte) 0xee,
            (byte) 0xc7, 0x05, 0x00, 0x30, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
            (byte) 0xc7, 0x05, (byte) 0xfc, 0x3f, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00,
            (byte) 0xee,
            (byte) 0xeb, (byte) 0xfe,
    };

    /** Each OUT to the port stops run() (a kick: run returns INTERRUPTED at the next entry). */
    static final class Stopper implements IoDevice {
        Vcpu vcpu;
        int outs;

        @Override public long read(long offset, int size) { return 0; }

        @Override
        public void write(long offset, int size, long value) {
            outs++;
            vcpu.kick();
        }
    }

    private static BitSet frames(long... frames) {
        BitSet b = new BitSet();
        for (long f : frames) b.set((int) f);
        return b;
    }

    @Test
    void theLogReportsExactlyThePagesTheGuestWroteInEachRound() {
        List<RamRange> ranges = List.of(new RamRange(0, 1L << 20), new RamRange(2L << 20, 1L << 20));
        try (KvmAccelerator accel = KvmAccelerator.create(); MmapGuestMemory mem = MmapGuestMemory.anonymous(ranges)) {
            accel.attachMemory(mem);
            Stopper stopper = new Stopper();
            IoBus pio = new IoBus("pio");
            pio.register(PORT, 1, stopper);
            mem.write(CODE, GUEST, 0, GUEST.length);
            DirtyLog log = accel.dirtyLog();
            assertFalse(log.enabled());
            assertThrows(IllegalStateException.class, log::collect, "not enabled yet");
            try (Vcpu vcpu = accel.createVcpu(0, 1, pio, new IoBus("mmio"))) {
                vcpu.bindToCurrentThread();
                stopper.vcpu = vcpu;
                vcpu.reset(new BootCpuState(BootCpuState.Mode.PROTECTED_32, CODE, 0x8000, 0, 0, 0, 0, 0));
                log.enable();
                assertTrue(log.enabled());
                assertEquals(new BitSet(), log.collect(), "nothing written yet");
                mem.writeLong(0x7000, 1); // the host's writes are not logged

                assertEquals(VcpuExit.INTERRUPTED, vcpu.run(), vcpu.errorDetail());
                assertEquals(1, stopper.outs);
                assertEquals(frames(0x5, 0x9, 0x201), log.collect(), "round 1: two pages in slot 0, one in slot 1");
                assertEquals(new BitSet(), log.collect(), "collecting cleared the log");

                assertEquals(VcpuExit.INTERRUPTED, vcpu.run(), vcpu.errorDetail());
                assertEquals(2, stopper.outs);
                assertEquals(frames(0x3), log.collect(), "round 2: two stores into one page");
                assertEquals(1, mem.readInt(0x5000));
                assertEquals(3, mem.readInt(0x201008));
                assertEquals(5, mem.readInt(0x3ffc));

                log.disable();
                assertFalse(log.enabled());
                assertThrows(IllegalStateException.class, log::collect);
            }
        }
    }
}
