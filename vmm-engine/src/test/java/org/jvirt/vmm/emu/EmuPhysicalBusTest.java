package org.jvirt.vmm.emu;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.memory.RamRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class EmuPhysicalBusTest {
    /** RAM [0, 64 KiB) and [128 KiB, 192 KiB); a recording device at [64 KiB, 64 KiB + 16). */
    private static final long HOLE = 0x10000, HIGH = 0x20000;

    private MmapGuestMemory ram;
    private final IoBus mmio = new IoBus("mmio"), pio = new IoBus("pio");
    private final List<String> accesses = new ArrayList<>();
    private EmuPhysicalBus bus;

    private final IoDevice recorder = new IoDevice() {
        @Override public long read(long offset, int size) {
            accesses.add("r" + size + "@" + offset);
            return 0x8877665544332211L & (size == 8 ? -1L : (1L << (8 * size)) - 1);
        }

        @Override public void write(long offset, int size, long value) {
            accesses.add(String.format("w%d@%d=%x", size, offset, value));
        }
    };

    @BeforeEach
    void setUp() {
        ram = MmapGuestMemory.anonymous(List.of(new RamRange(0, HOLE), new RamRange(HIGH, 0x10000)));
        mmio.register(HOLE, 16, recorder);
        pio.register(0x3f8, 8, recorder);
        bus = new EmuPhysicalBus(ram, mmio, pio);
    }

    @AfterEach
    void tearDown() { ram.close(); }

    @Test
    void aDeviceWindowOverRamGoesToTheMmioBus() {
        IoBus windowBus = new IoBus("mmio");
        windowBus.register(0x2000, 0x1000, recorder);
        EmuPhysicalBus vgaBus = new EmuPhysicalBus(ram, windowBus, pio, new EmuDirtyLog(ram), 0x2000, 0x3000);
        ram.writeLong(0x2000, 0x1234);
        assertEquals(0x2211, vgaBus.read16(0x2000), "the device answers, not the RAM beneath");
        vgaBus.write32(0x2ffe, 0xaabbccdd); // half in the window, half in RAM: split per byte
        assertEquals(List.of("r2@0", "w1@4094=dd", "w1@4095=cc"), accesses);
        assertEquals(0xaabb, ram.readLong(0x3000) & 0xffff, "the other half reached RAM");
        assertNull(vgaBus.ramView(0x2000), "no host view of the window for the CPU's page cache");
        assertNotNull(vgaBus.ramView(0x1000));
        assertEquals(0x1234, ram.readLong(0x2000), "the RAM beneath is untouched");
    }

    @Test
    void compareAndSetStoresOnlyWhenTheOperandStillHoldsWhatWasRead() {
        ram.writeLong(0x100, 0x1122334455667788L);
        assertFalse(bus.compareAndSet(0x102, 2, 0x0000, 0xbeef), "the operand is 0x5566, not what the CPU read");
        assertEquals(0x1122334455667788L, ram.readLong(0x100), "nothing stored");
        assertTrue(bus.compareAndSet(0x102, 2, 0x5566, 0xbeef));
        assertEquals(0x11223344beef7788L, ram.readLong(0x100), "the operand's bytes alone, little-endian");
        assertTrue(bus.compareAndSet(0x107, 1, 0x11, 0xff));
        assertTrue(bus.compareAndSet(0x100, 8, 0xff223344beef7788L, 42));
        assertEquals(42, ram.readLong(0x100));
        assertTrue(bus.compareAndSet(0x204, 4, 0, 0xdeadbeefL));
        assertEquals(0xdeadbeef, bus.read32(0x204));
        bus.watchCode(0x3000);
        long v = bus.codeVersion(0x3000);
        assertTrue(bus.compareAndSet(0x3010, 4, 0, 1));
        assertNotEquals(v, bus.codeVersion(0x3000), "a locked store is a store to watched code too");
        // across an 8-byte boundary (a split lock) and on a device: stored as before, not compared
        assertTrue(bus.compareAndSet(0x306, 4, 0x1234, 0xaabbccdd));
        assertEquals(0xaabbccdd, bus.read32(0x306));
        assertTrue(bus.compareAndSet(HOLE + 4, 4, 0, 7));
        assertEquals(List.of("w4@4=7"), accesses, "the device saw one write and no read");
    }

    @Test
    void ramAccessesOfEverySizeAreLittleEndianAndSharedWithGuestMemory() {
        bus.write64(0x100, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, ram.readLong(0x100));
        assertEquals(0x55667788, bus.read32(0x100));
        assertEquals(0x7788, bus.read16(0x100));
        assertEquals(0x88, bus.read8(0x100));
        assertEquals(0x11, bus.read8(0x107));
        bus.write32(0x200, 0xdeadbeef);
        assertEquals(0xdeadbeef, bus.read32(0x200));
        assertEquals(0xffff_ffff_dead_beefL, (long) bus.read32(0x200), "read32 is the raw 32 bits");
        bus.write16(0x300, 0xfffe_1234);
        assertEquals(0x1234, bus.read16(0x300), "only the low 16 bits are stored");
        assertEquals(0, bus.read16(0x302));
        bus.write8(0x400, 0x1ff);
        assertEquals(0xff, bus.read8(0x400));
        ram.writeInt(HIGH + 0x10, 0xcafef00d);
        assertEquals(0xcafef00d, bus.read32(HIGH + 0x10), "the second region");
    }

    @Test
    void unbackedAddressesReadAllOnesAndIgnoreWrites() {
        long nowhere = 0x40000; // beyond both regions and every device
        assertEquals(0xff, bus.read8(nowhere));
        assertEquals(0xffff, bus.read16(nowhere));
        assertEquals(-1, bus.read32(nowhere));
        assertEquals(-1L, bus.read64(nowhere));
        bus.write64(nowhere, 0);
        assertEquals(-1L, bus.read64(nowhere));
        assertEquals(-1L, bus.read64(HIGH + 0x10000 - 4 + 0x10000), "far past the end");
        assertEquals(0xff, bus.in(0x60, 1));
        assertEquals(0xffff, bus.in(0x60, 2));
        assertEquals(-1, bus.in(0x60, 4));
    }

    @Test
    void mmioAccessesGoToTheDeviceWholeWithTheirSize() {
        assertEquals(0x44332211, bus.read32(HOLE + 4));
        bus.write16(HOLE + 2, 0xabcd);
        bus.write64(HOLE + 8, 0x0102030405060708L);
        assertEquals(List.of("r4@4", "w2@2=abcd", "w8@8=102030405060708"), accesses);
    }

    @Test
    void anAccessAcrossTheEndOfRamIsSplitIntoBytes() {
        ram.writeShort(HOLE - 2, (short) 0xbbaa);
        // two RAM bytes, then two bytes of the device at offsets 0 and 1 (each reads 0x11)
        assertEquals(0x1111bbaa, bus.read32(HOLE - 2));
        assertEquals(List.of("r1@1", "r1@0"), accesses);
        accesses.clear();
        bus.write32(HOLE - 2, 0x44332211);
        assertEquals((short) 0x2211, ram.readShort(HOLE - 2));
        assertEquals(List.of("w1@0=33", "w1@1=44"), accesses);
        // from a hole address into RAM: the unbacked bytes read as ones
        assertEquals(0x0000_ffff_ffffL & 0xffffffL, bus.read32(HIGH - 3) & 0xffffff);
        assertEquals(0, bus.read32(HIGH - 3) >>> 24, "the fourth byte is RAM (zero)");
    }

    @Test
    void portsCarryTheirSizeAndMaskTheValue() {
        assertEquals(0x11, bus.in(0x3f8, 1));
        assertEquals(0x2211, bus.in(0x3f9, 2));
        bus.out(0x3f8, 1, 0x1234);
        bus.out(0x3fa, 2, 0xffff5678);
        assertEquals(List.of("r1@0", "r2@1", "w1@0=34", "w2@2=5678"), accesses);
    }

    @Test
    void eachPageHasItsOwnCodeVersion() {
        bus.watchCode(0x1000);
        bus.watchCode(0x2000);
        long a = bus.codeVersion(0x1000), b = bus.codeVersion(0x2fff);
        bus.write16(0x1800, 7);
        assertNotEquals(a, bus.codeVersion(0x1abc), "the written page moves");
        assertEquals(b, bus.codeVersion(0x2000), "a store to another page leaves this one's code valid");
        long a1 = bus.codeVersion(0x1000);
        bus.write8(0x1801, 8);
        assertEquals(a1, bus.codeVersion(0x1000), "unwatched after the first write");
        bus.noteExternalWrite(0x2ff0, 0x20);
        assertNotEquals(b, bus.codeVersion(0x2000), "a device write moves it too");
        long c = bus.codeVersion(HIGH);
        bus.invalidateAllCode();
        assertNotEquals(c, bus.codeVersion(HIGH), "a reset moves every page");
    }

    @Test
    void aWriteToAWatchedCodePageBumpsTheVersionOnceAndUnwatchesIt() {
        long v0 = bus.codeVersion();
        bus.write32(0x1000, 1); // nothing watched yet
        assertEquals(v0, bus.codeVersion());
        bus.watchCode(0x1234);
        assertTrue(bus.isWatched(0x1000) && bus.isWatched(0x1fff));
        bus.write8(0x2000, 1);
        assertEquals(v0, bus.codeVersion(), "the next page is not watched");
        bus.write8(0x1ffe, 9);
        long v1 = bus.codeVersion();
        assertNotEquals(v0, v1);
        assertFalse(bus.isWatched(0x1000));
        bus.write8(0x1ffe, 10);
        assertEquals(v1, bus.codeVersion(), "unwatched after the first write");
        // a write straddling into a watched page counts
        bus.watchCode(0x3000);
        bus.write32(0x2ffe, 0);
        assertNotEquals(v1, bus.codeVersion());
        // device DMA reported from outside
        long v2 = bus.codeVersion();
        bus.watchCode(HIGH + 0x5000);
        bus.noteExternalWrite(HIGH + 0x4000, 0x1001);
        assertNotEquals(v2, bus.codeVersion());
        assertFalse(bus.isWatched(HIGH + 0x5000));
        // MMIO and unbacked pages are never watched
        bus.watchCode(HOLE);
        assertFalse(bus.isWatched(HOLE));
    }

    @Test
    void dirtyLogRecordsCpuWritesWhileEnabled() {
        EmuDirtyLog log = bus.dirtyLog();
        bus.write8(0x5000, 1);
        assertThrows(IllegalStateException.class, log::collect);
        log.enable();
        bus.write8(0x5000, 1);
        bus.write64(0x6ffc, 0); // two pages
        bus.write32(HIGH + 0x3000, 1);
        bus.write32(HOLE + 4, 1); // MMIO: not RAM
        bus.read32(0x9000);
        BitSet expected = new BitSet();
        expected.set(5);
        expected.set(6);
        expected.set(7);
        expected.set((int) ((HIGH + 0x3000) >>> 12));
        assertEquals(expected, log.collect());
        assertEquals(new BitSet(), log.collect(), "collect clears");
        log.disable();
        bus.write8(0x5000, 1);
        log.enable();
        assertEquals(new BitSet(), log.collect(), "writes while disabled are not kept");
    }

    @Test
    void deviceWritesThroughGuestMemoryReachTheCodeWatchOnceHookedUp() {
        bus.watchCode(0x7000);
        long v0 = bus.codeVersion();
        ram.writeInt(0x7010, 1);
        assertEquals(v0, bus.codeVersion(), "no listener: unseen (KVM's case)");
        ram.setWriteListener(bus::noteExternalWrite);
        ram.write(0x6ff0, new byte[32], 0, 32); // a DMA buffer across into the watched page
        assertNotEquals(v0, bus.codeVersion());
        assertFalse(bus.isWatched(0x7000));
        long v1 = bus.codeVersion();
        bus.watchCode(0x8000);
        ram.writeByte(0x9000, (byte) 1);
        assertEquals(v1, bus.codeVersion(), "another page");
        ram.writeLong(0x8ff8, 0);
        assertNotEquals(v1, bus.codeVersion());
        ram.setWriteListener(null);
    }

    @Test
    void eachVcpuSeesItsOwnLocalApicPageAndTheSharedBusElsewhere() {
        org.jvirt.vmm.emu.cpu.CpuState cpu0 = new org.jvirt.vmm.emu.cpu.CpuState(), cpu1 = new org.jvirt.vmm.emu.cpu.CpuState();
        cpu0.apicBase = 0xfee00900L;
        cpu1.apicBase = 0xfee00800L;
        List<String> apic0 = new ArrayList<>(), apic1 = new ArrayList<>();
        LocalApicWindow w0 = new LocalApicWindow(bus, cpu0, recording(apic0, 0x14)),
                w1 = new LocalApicWindow(bus, cpu1, recording(apic1, 0x15));
        assertEquals(0x14, w0.read32(0xfee00020L));
        assertEquals(0x15, w1.read32(0xfee00020L));
        w1.write32(0xfee000b0L, 0);
        assertEquals(List.of("r4@32"), apic0);
        assertEquals(List.of("r4@32", "w4@176=0"), apic1);
        w0.write32(0x100, 0xabc);
        assertEquals(0xabc, w1.read32(0x100), "RAM is shared");
        cpu0.apicBase = 0xfee00000L; // APIC disabled: the page is the bus's again (nothing there)
        assertEquals(-1, w0.read32(0xfee00020L));
        cpu0.apicBase = 0xfed00900L; // moved
        assertEquals(0x14, w0.read32(0xfed00020L));
        assertEquals(-1, w0.read32(0xfee00020L));
    }

    private static IoDevice recording(List<String> log, long value) {
        return new IoDevice() {
            @Override public long read(long offset, int size) { log.add("r" + size + "@" + offset); return value; }
            @Override public void write(long offset, int size, long v) { log.add(String.format("w%d@%d=%x", size, offset, v)); }
        };
    }
}
