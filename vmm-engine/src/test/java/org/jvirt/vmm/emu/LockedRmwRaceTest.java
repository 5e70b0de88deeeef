package org.jvirt.vmm.emu;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.emu.cpu.CpuProfile;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.PhysicalBus;
import org.jvirt.vmm.emu.cpu.X86Cpu;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.memory.RamRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A locked read-modify-write against another vCPU's plain store that lands between its read
 * and its write, made deterministic: the bus performs the "other vCPU's" store right after the
 * CPU's first read of the operand. The result must be one a real CPU can give, where the locked
 * instruction is atomic against every store: here the store comes first, so the instruction
 * works on the stored value. The bus lock alone (what the emulator had) wrote back the stale
 * operand and lost the store: SeaBIOS's SMP bring-up spins on `lock btsl $0, SMPLock` while the
 * other CPU releases with `movl $0, SMPLock`, and a lost release stalled 1 boot in 3 of a 2-vCPU
 * q35 guest before any console output (JvirtVirtInstallNetworkTest's intermittent timeout).
 */
class LockedRmwRaceTest {
    private static final int CODE = 0x1000, LOCK = 0x2000;

    private final MmapGuestMemory ram = MmapGuestMemory.anonymous(List.of(new RamRange(0, 0x10000)));
    private final EmuPhysicalBus memory = new EmuPhysicalBus(ram, new IoBus("mmio"), new IoBus("pio"));
    private final Interleaving bus = new Interleaving(memory);
    private final CpuState st = new CpuState();
    private final X86Cpu cpu = new X86Cpu(st, bus, CpuProfile.X86_64);

    LockedRmwRaceTest() {
        st.reset();
        st.seg[CpuState.CS].reset(0, 0, true);
        st.rip = CODE;
        st.gpr[CpuState.RSP] = 0x8000;
    }

    @AfterEach
    void tearDown() { ram.close(); }

    /** The shared bus, with one plain store by "another vCPU" injected after the first read at its address. */
    static final class Interleaving implements PhysicalBus {
        private final PhysicalBus shared;
        long storeAt = -1;
        int storeValue;
        int reads;

        Interleaving(PhysicalBus shared) { this.shared = shared; }

        private void maybeStore(long pa) {
            if (pa != storeAt) return;
            reads++;
            if (reads == 1) shared.write32(storeAt, storeValue); // the other vCPU's MOV, between our read and our write
        }

        @Override public int read8(long pa) { int v = shared.read8(pa); maybeStore(pa); return v; }
        @Override public int read16(long pa) { int v = shared.read16(pa); maybeStore(pa); return v; }
        @Override public int read32(long pa) { int v = shared.read32(pa); maybeStore(pa); return v; }
        @Override public long read64(long pa) { long v = shared.read64(pa); maybeStore(pa); return v; }
        @Override public void write8(long pa, int v) { shared.write8(pa, v); }
        @Override public void write16(long pa, int v) { shared.write16(pa, v); }
        @Override public void write32(long pa, int v) { shared.write32(pa, v); }
        @Override public void write64(long pa, long v) { shared.write64(pa, v); }
        @Override public boolean compareAndSet(long pa, int size, long expected, long value) {
            return shared.compareAndSet(pa, size, expected, value);
        }
        @Override public int in(int port, int size) { return 0; }
        @Override public void out(int port, int size, int value) { }
    }

    /** Real mode at CODE, the bytes then HLT; the operand at LOCK holds initial, the racing store writes racing. */
    private void run(int initial, int racing, int... code) {
        for (int i = 0; i < code.length; i++) memory.write8(CODE + i, code[i]);
        memory.write8(CODE + code.length, 0xf4);
        memory.write32(LOCK, initial);
        bus.storeAt = LOCK;
        bus.storeValue = racing;
        assertEquals(X86Cpu.RunExit.HALTED, cpu.run(100));
        assertTrue(bus.reads >= 1, "the instruction read its operand");
    }

    @Test
    void btsTakesALockReleasedBetweenItsReadAndItsWrite() {
        // lock btsl $0, [0x2000] against the owner's movl $0, [0x2000] (SeaBIOS's SMPLock)
        run(1, 0, 0xf0, 0x66, 0x0f, 0xba, 0x2e, 0x00, 0x20, 0x00);
        assertEquals(1, memory.read32(LOCK), "taken again by the BTS");
        assertEquals(0, st.rflags() & CpuState.CF, "CF clear: the BTS saw the release and owns the lock now");
        assertEquals(2, bus.reads, "read again after the compare-and-set failed");
    }

    @Test
    void incrementWorksOnTheStoredValue() {
        run(41, 100, 0xf0, 0x66, 0xff, 0x06, 0x00, 0x20); // lock incl [0x2000]
        assertEquals(101, memory.read32(LOCK));
    }

    @Test
    void xchgWithMemoryIsLockedWithoutThePrefix() {
        st.gpr[CpuState.RAX] = 7;
        run(1, 0, 0x66, 0x87, 0x06, 0x00, 0x20); // xchg [0x2000], eax
        // the lost store would leave eax 1 (the stale operand) with the lock still 7
        assertEquals(0, st.gpr[CpuState.RAX], "eax has the value the other vCPU stored");
        assertEquals(7, memory.read32(LOCK));
    }

    @Test
    void registersAndFlagsAreRestoredBeforeTheRetry() {
        st.gpr[CpuState.RBX] = 5;
        run(10, 20, 0xf9, 0xf0, 0x66, 0x0f, 0xc1, 0x1e, 0x00, 0x20); // stc; lock xadd [0x2000], ebx
        assertEquals(25, memory.read32(LOCK), "20 + 5");
        assertEquals(20, st.gpr[CpuState.RBX], "ebx gets the operand of the retried XADD, not the 10 of the first try");
    }

    @Test
    void adcRetriesWithTheCarryItStartedWith() {
        st.gpr[CpuState.RBX] = 5;
        run(10, 20, 0xf9, 0xf0, 0x66, 0x11, 0x1e, 0x00, 0x20); // stc; lock adc [0x2000], ebx
        assertEquals(26, memory.read32(LOCK), "20 + 5 + the carry STC set (the first try's ADC cleared CF)");
    }

    @Test
    void aStoreToTheNeighbouringBytesIsKeptAndNoConflict() {
        // lock orb $0x80, [0x2000] while the other vCPU's dword store changes only the byte above it
        run(0x0100, 0x0200, 0xf0, 0x80, 0x0e, 0x00, 0x20, 0x80);
        assertEquals(0x0280, memory.read32(LOCK), "the other vCPU's byte and the OR both land");
        assertEquals(1, bus.reads, "the operand byte itself did not change: no retry");
    }
}
