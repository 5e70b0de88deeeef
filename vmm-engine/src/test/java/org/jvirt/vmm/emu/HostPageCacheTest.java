package org.jvirt.vmm.emu;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuProfile;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.LinearMemory;
import org.jvirt.vmm.emu.cpu.X86Cpu;
import org.jvirt.vmm.emu.cpu.paging.PageWalker;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.memory.RamRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The CPU's data-side host page cache over real guest RAM: after loads and stores have filled it,
 * every change that must be seen (INVLPG, CR3 reload, read-only pages, Dirty bits, code watching,
 * the dirty log) still is.
 */
class HostPageCacheTest {
    static final long P = 1, RW = 2, US = 4, A = 0x20, D = 0x40;
    /** 32-bit paging: directory at 0x1000, table at 0x2000 for linear 0x00400000..0x007fffff. */
    static final long PT = 0x2000, LIN = 0x405000;

    MmapGuestMemory ram;
    EmuPhysicalBus bus;
    CpuState st;
    PageWalker walker;
    LinearMemory mem;

    @BeforeEach
    void setUp() {
        ram = MmapGuestMemory.anonymous(List.of(new RamRange(0, 1 << 20)));
        bus = new EmuPhysicalBus(ram, new IoBus("mmio"), new IoBus("pio"));
        st = new CpuState();
        st.cr0 = CpuState.CR0_PE | CpuState.CR0_PG | CpuState.CR0_ET | CpuState.CR0_WP;
        st.cr3 = 0x1000;
        bus.write32(0x1000 + 4, (int) (PT | P | RW | US));
        X86Cpu cpu = new X86Cpu(st, bus, CpuProfile.X86_64);
        walker = new PageWalker(st, bus);
        cpu.setTranslator(walker);
        mem = cpu.linearMemory();
    }

    @AfterEach
    void tearDown() { ram.close(); }

    void map(long linear, long phys, long bits) { bus.write32(PT + ((linear >>> 12) & 0x3ff) * 4, (int) (phys | bits)); }

    long pte(long linear) { return bus.read32(PT + ((linear >>> 12) & 0x3ff) * 4) & 0xffffffffL; }

    int pageFault(Runnable access) {
        CpuFault f = assertThrows(CpuFault.class, access::run);
        assertEquals(CpuFault.PF, f.vector);
        return f.errorCode;
    }

    @Test
    void invlpgAndCr3ReloadAreSeen() {
        map(LIN, 0x30000, P | RW | US);
        bus.write32(0x30010, 0x11111111);
        bus.write32(0x31010, 0x22222222);
        assertEquals(0x11111111, mem.read32(LIN + 0x10, true));
        mem.write32(LIN + 0x14, 0x33, true);
        map(LIN, 0x31000, P | RW | US);
        assertEquals(0x11111111, mem.read32(LIN + 0x10, true), "a TLB may keep the old translation until INVLPG");
        walker.invalidate(LIN);
        assertEquals(0x22222222, mem.read32(LIN + 0x10, true));
        mem.write32(LIN + 0x14, 0x44, true);
        assertEquals(0x44, bus.read32(0x31014));
        assertEquals(0x33, bus.read32(0x30014));
        // CR3 reload: a second directory without the table.
        bus.write32(0x3000 + 4, 0);
        st.cr3 = 0x3000;
        walker.flush();
        assertEquals(PageWalker.PF_USER, pageFault(() -> mem.read32(LIN + 0x10, true)));
        assertEquals(PageWalker.PF_USER | PageWalker.PF_WRITE, pageFault(() -> mem.write8(LIN, 1, true)));
    }

    @Test
    void writeToAReadOnlyPageFaultsAfterReadsFilledTheCache() {
        map(LIN, 0x30000, P | US);
        assertEquals(0, mem.read64(LIN + 8, true));
        assertEquals(0, mem.read16(LIN + 8, false));
        assertEquals(7, pageFault(() -> mem.write32(LIN + 8, 5, true)));
        assertEquals(3, pageFault(() -> mem.write32(LIN + 8, 5, false)), "CR0.WP: supervisor writes fault too");
        assertEquals(0, bus.read32(0x30008));
        // A supervisor page stays closed to user accesses after a supervisor access filled it.
        map(LIN + 0x1000, 0x32000, P | RW);
        mem.write32(LIN + 0x1000, 9, false);
        assertEquals(9, mem.read32(LIN + 0x1000, false));
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_USER, pageFault(() -> mem.read32(LIN + 0x1000, true)));
    }

    @Test
    void firstWriteToACleanPageSetsTheDirtyBit() {
        map(LIN, 0x30000, P | RW | US);
        mem.read32(LIN, true);
        assertEquals(P | RW | US | A, pte(LIN) & 0xfff, "a read sets only Accessed");
        mem.read32(LIN + 4, true);
        mem.write8(LIN + 4, 0x7f, true);
        assertEquals(P | RW | US | A | D, pte(LIN) & 0xfff, "the first write walks again and sets Dirty");
        assertEquals(0x7f, bus.read8(0x30004));
    }

    @Test
    void writesToWatchedCodeAndUnderTheDirtyLogAreReported() {
        map(LIN, 0x30000, P | RW | US);
        mem.write64(LIN, 1, true); // fills the cache for writes
        bus.watchCode(0x30000);
        long version = bus.codeVersion();
        mem.write16(LIN + 0x20, 0x9090, true);
        assertTrue(bus.codeVersion() != version, "a store to a watched page bumps the code version");
        assertFalse(bus.isWatched(0x30000));
        bus.watchCode(0x30000);
        version = bus.codeVersion();
        mem.write8(LIN + 0xfff, 0xc3, true);
        assertTrue(bus.codeVersion() != version);

        EmuDirtyLog log = bus.dirtyLog();
        log.enable();
        log.collect();
        mem.write32(LIN + 0x40, 1, true);
        assertTrue(log.collect().get(0x30), "the dirty log sees stores through the cache");
        assertEquals(1, mem.read32(LIN + 0x40, true));
    }

    @Test
    void pageCrossingAccessesStillFaultOnTheSecondPage() {
        map(LIN, 0x30000, P | RW | US);
        mem.write32(LIN + 0xffc, 0, true);
        assertEquals(PageWalker.PF_USER | PageWalker.PF_WRITE, pageFault(() -> mem.write32(LIN + 0xffe, 0x01020304, true)));
        assertEquals(0, bus.read32(0x30ffc), "nothing written when the second page faults");
    }
}
