package org.jvirt.vmm.emu.cpu.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.jvirt.vmm.emu.cpu.AddressTranslator.ACCESS_FETCH;
import static org.jvirt.vmm.emu.cpu.AddressTranslator.ACCESS_READ;
import static org.jvirt.vmm.emu.cpu.AddressTranslator.ACCESS_WRITE;

import org.jvirt.vmm.emu.cpu.ArrayBus;
import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hand-built page tables for each paging mode, checked translation by translation. */
class PageWalkerTest {
    static final long P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100, XD = 1L << 63;

    ArrayBus bus;
    CpuState st;
    PageWalker mmu;

    @BeforeEach
    void setUp() {
        bus = new ArrayBus(4 << 20);
        st = new CpuState();
        st.cr0 = CpuState.CR0_PE | CpuState.CR0_PG | CpuState.CR0_ET;
        mmu = new PageWalker(st, bus);
    }

    int fault(long linear, int access, boolean user) {
        CpuFault f = assertThrows(CpuFault.class, () -> mmu.translate(linear, access, user));
        assertEquals(CpuFault.PF, f.vector);
        assertEquals(linear, st.cr2);
        return f.errorCode;
    }

    // ---- 32-bit two-level paging ----

    void setup32() {
        st.cr3 = 0x1000;
        bus.write32(0x1000 + 1 * 4, (int) (0x2000 | P | RW | US)); // PDE for 0x00400000..
        bus.write32(0x2000 + 5 * 4, (int) (0x30000 | P | RW | US)); // 0x00405000 -> 0x30000 user rw
        bus.write32(0x2000 + 6 * 4, (int) (0x31000 | P | US));      // 0x00406000 -> 0x31000 user ro
        bus.write32(0x2000 + 7 * 4, (int) (0x32000 | P | RW));      // 0x00407000 -> 0x32000 supervisor
    }

    @Test
    void twoLevelTranslatesAndSetsAccessedThenDirty() {
        setup32();
        assertEquals(0x30123, mmu.translate(0x405123, ACCESS_READ, true));
        assertEquals(P | RW | US | A, bus.read32(0x2000 + 5 * 4) & 0xfff);
        assertEquals(A, bus.read32(0x1000 + 4) & A);
        mmu.translate(0x405123, ACCESS_WRITE, true); // a clean cached entry must walk again to set D
        assertEquals(P | RW | US | A | D, bus.read32(0x2000 + 5 * 4) & 0xfff);
    }

    @Test
    void twoLevelFaultCodes() {
        setup32();
        assertEquals(0, fault(0x800000, ACCESS_READ, false));               // PDE not present
        assertEquals(PageWalker.PF_WRITE | PageWalker.PF_USER, fault(0x408000, ACCESS_WRITE, true)); // PTE absent
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_USER, fault(0x407000, ACCESS_READ, true));
        assertEquals(7, fault(0x406000, ACCESS_WRITE, true));
        // Supervisor write to a read-only page: allowed without CR0.WP, #PF(3) with it.
        assertEquals(0x31000, mmu.translate(0x406000, ACCESS_WRITE, false));
        mmu.flushAll();
        st.cr0 |= CpuState.CR0_WP;
        assertEquals(3, fault(0x406000, ACCESS_WRITE, false));
        // No NX in 32-bit paging: a fetch fault has no I/D bit.
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_USER, fault(0x407000, ACCESS_FETCH, true));
    }

    @Test
    void pse4MiBPageWithPse36HighBits() {
        st.cr3 = 0x1000;
        st.cr4 = CpuState.CR4_PSE;
        // 0xC0000000 -> physical 0x12_00400000 (PSE-36 bits 20:13 = 0x12)
        bus.write32(0x1000 + 0x300 * 4, (int) (0x00400000L | (0x12L << 13) | P | RW | PS));
        assertEquals(0x12_00412345L, mmu.translate(0xC0012345L, ACCESS_READ, false));
        assertEquals(A, bus.read32(0x1000 + 0x300 * 4) & A);
        bus.write32(0x1000 + 0x301 * 4, (int) (0x00800000L | (1L << 21) | P | PS));
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_RSVD, fault(0xC0400000L, ACCESS_READ, false));
        // Without CR4.PSE the PS bit is ignored: the entry points at a page table.
        st.cr4 = 0;
        mmu.flushAll();
        bus.write32(0x1000 + 0x302 * 4, (int) (0x3000 | P | RW | PS));
        bus.write32(0x3000, (int) (0x5000 | P));
        assertEquals(0x5004, mmu.translate(0xC0800004L, ACCESS_READ, false));
    }

    // ---- PAE ----

    void setupPae() {
        st.cr4 = CpuState.CR4_PAE;
        st.efer = CpuState.EFER_NXE;
        st.cr3 = 0x1000;
        bus.write64(0x1000 + 8 * 2, 0x2000 | P);                        // PDPTE 2 (0x80000000..)
        bus.write64(0x2000 + 8 * 1, 0x3000 | P | RW | US);             // PDE 1 -> PT
        bus.write64(0x3000 + 8 * 4, 0x44000 | P | RW | US | XD);        // 0x80204000: user, no-exec
        bus.write64(0x2000 + 8 * 2, 0x600000 | P | RW | PS);           // 0x80400000: 2 MiB supervisor
    }

    @Test
    void paeTranslationNxAndLargePages() {
        setupPae();
        assertEquals(0x44010, mmu.translate(0x80204010L, ACCESS_WRITE, true));
        assertEquals(0x44000 | P | RW | US | A | D | XD, bus.read64(0x3000 + 8 * 4));
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_USER | PageWalker.PF_FETCH,
                fault(0x80204010L, ACCESS_FETCH, true));
        assertEquals(0x6abcde, mmu.translate(0x804abcdeL, ACCESS_FETCH, false));
        // Not present, fetch: the I/D bit is set whenever NXE is on.
        assertEquals(PageWalker.PF_FETCH, fault(0x40000000L, ACCESS_FETCH, false));
    }

    @Test
    void paeReservedBits() {
        setupPae();
        bus.write64(0x1000 + 8 * 3, 0x5000 | P | RW); // R/W is reserved in a PAE PDPTE
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_RSVD, fault(0xC0000000L, ACCESS_READ, false));
        st.efer = 0; // without NXE, XD is a reserved bit
        mmu.flushAll();
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_RSVD | PageWalker.PF_USER,
                fault(0x80204010L, ACCESS_READ, true));
        bus.write64(0x2000 + 8 * 3, 0x700000 | P | PS | (1L << 13)); // 2 MiB page, bit 13 reserved
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_RSVD, fault(0x80600000L, ACCESS_READ, false));
        bus.write64(0x3000 + 8 * 5, (1L << 45) | 0x1000 | P); // physical address above 40 bits
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_RSVD, fault(0x80205000L, ACCESS_READ, false));
    }

    // ---- 4-level long mode ----

    void setupLong() {
        st.cr4 = CpuState.CR4_PAE | CpuState.CR4_PGE;
        st.efer = CpuState.EFER_LME | CpuState.EFER_LMA | CpuState.EFER_NXE;
        st.cr3 = 0x1000;
        bus.write64(0x1000 + 8 * 0x1ff, 0x2000 | P | RW);          // PML4[511] (0xffffff80_00000000..)
        bus.write64(0x2000 + 8 * 0x1fe, 0x3000 | P | RW);          // PDPT[510]: 0xffffffff_80000000
        bus.write64(0x3000 + 8 * 0, 0x200000 | P | RW | PS | G);    // 2 MiB global kernel page
        bus.write64(0x3000 + 8 * 1, 0x4000 | P | RW);               // PD[1] -> PT
        bus.write64(0x4000 + 8 * 3, 0x9000 | P);                    // 0xffffffff_80203000 read-only
        bus.write64(0x2000 + 8 * 0x1ff, 0x40000000L | P | RW | PS); // 1 GiB page at 0xffffffff_c0000000
        bus.write64(0x1000, 0x5000 | P | RW | US);                  // PML4[0] user
        bus.write64(0x5000, 0x6000 | P | RW | US);
        bus.write64(0x6000, 0x7000 | P | RW | US);
        bus.write64(0x7000 + 8 * 1, 0xa000 | P | US | XD);          // 0x1000: user read-only no-exec
    }

    @Test
    void fourLevelPagesOfEverySize() {
        setupLong();
        assertEquals(0x212345, mmu.translate(0xffffffff80012345L, ACCESS_READ, false));
        assertEquals(0x9008, mmu.translate(0xffffffff80203008L, ACCESS_READ, false));
        assertEquals(0x40000000L + 0x123456, mmu.translate(0xffffffffc0123456L, ACCESS_FETCH, false));
        assertEquals(A, bus.read64(0x1000 + 8 * 0x1ff) & A);
        assertEquals(A, bus.read64(0x2000 + 8 * 0x1ff) & A);
        assertEquals(0, bus.read64(0x2000 + 8 * 0x1ff) & D); // read: no Dirty
        assertEquals(0xa010, mmu.translate(0x1010, ACCESS_READ, true));
    }

    @Test
    void fourLevelFaultCodes() {
        setupLong();
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_USER, fault(0xffffffff80012345L, ACCESS_READ, true));
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_USER | PageWalker.PF_WRITE, fault(0x1010, ACCESS_WRITE, true));
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_USER | PageWalker.PF_FETCH, fault(0x1010, ACCESS_FETCH, true));
        st.cr0 |= CpuState.CR0_WP;
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_WRITE, fault(0xffffffff80203008L, ACCESS_WRITE, false));
        assertEquals(PageWalker.PF_WRITE, fault(0xffffffff80204000L, ACCESS_WRITE, false));
        // PS in a PML4E is reserved.
        bus.write64(0x1000 + 8 * 2, 0x8000 | P | PS);
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_RSVD, fault(0x10000000000L, ACCESS_READ, false));
        // 1 GiB page with reserved bits 29:13 set.
        bus.write64(0x2000 + 8 * 0x1fd, 0x40000000L | (1L << 20) | P | PS);
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_RSVD, fault(0xffffffff40000000L, ACCESS_READ, false));
    }

    @Test
    void smepBlocksSupervisorFetchFromUserPages() {
        setupLong();
        bus.write64(0x7000 + 8 * 2, 0xb000 | P | US);
        assertEquals(0xb000, mmu.translate(0x2000, ACCESS_FETCH, false));
        st.cr4 |= CpuState.CR4_SMEP;
        assertEquals(PageWalker.PF_PRESENT | PageWalker.PF_FETCH, fault(0x2000, ACCESS_FETCH, false));
    }

    // ---- TLB ----

    @Test
    void tlbCachesUntilFlushedAndKeepsGlobalPages() {
        setupLong();
        assertEquals(0x9000, mmu.translate(0xffffffff80203000L, ACCESS_READ, false));
        assertEquals(0x200000, mmu.translate(0xffffffff80000000L, ACCESS_READ, false));
        // Change both mappings in memory: the TLB still answers from its cache.
        bus.write64(0x4000 + 8 * 3, 0xc000 | P);
        bus.write64(0x3000, 0x800000 | P | RW | PS | G);
        assertEquals(0x9000, mmu.translate(0xffffffff80203000L, ACCESS_READ, false));
        mmu.flush(); // CR3 write: the global 2 MiB page survives
        assertEquals(0xc000, mmu.translate(0xffffffff80203000L, ACCESS_READ, false));
        assertEquals(0x200000, mmu.translate(0xffffffff80000000L, ACCESS_READ, false));
        mmu.flushAll();
        assertEquals(0x800000, mmu.translate(0xffffffff80000000L, ACCESS_READ, false));
    }

    @Test
    void invalidateDropsOnePageAndEveryPieceOfALargePage() {
        setupLong();
        mmu.translate(0xffffffff80203000L, ACCESS_READ, false);
        mmu.translate(0xffffffff80001000L, ACCESS_READ, false);
        mmu.translate(0xffffffff80005000L, ACCESS_READ, false);
        bus.write64(0x4000 + 8 * 3, 0xc000 | P);
        bus.write64(0x3000, 0x800000 | P | RW | PS | G);
        mmu.invalidate(0xffffffff80203abcL);
        assertEquals(0xc000, mmu.translate(0xffffffff80203000L, ACCESS_READ, false));
        mmu.invalidate(0xffffffff80001000L); // one piece named, another piece cached: both go
        assertEquals(0x805000, mmu.translate(0xffffffff80005000L, ACCESS_READ, false));
    }

    @Test
    void cachedEntryRechecksPermissionsAgainstCurrentMode() {
        setup32();
        mmu.translate(0x406000, ACCESS_WRITE, false); // WP off: supervisor may write a read-only page
        st.cr0 |= CpuState.CR0_WP;
        assertEquals(3, fault(0x406000, ACCESS_WRITE, false));
    }

    @Test
    void accessedAndDirtyAreWrittenOnlyWhenTheyChange() {
        int[] writes = {0};
        ArrayBus counting = new ArrayBus(4 << 20) {
            @Override public void write32(long pa, int v) { writes[0]++; super.write32(pa, v); }
            @Override public void write64(long pa, long v) { writes[0]++; super.write64(pa, v); }
        };
        bus = counting;
        mmu = new PageWalker(st, bus);
        setup32();
        writes[0] = 0;
        mmu.translate(0x405000, ACCESS_WRITE, true);
        assertEquals(2, writes[0], "A in the PDE, A|D in the PTE");
        mmu.flushAll();
        mmu.translate(0x405000, ACCESS_WRITE, true);
        mmu.translate(0x405000, ACCESS_READ, false);
        assertEquals(2, writes[0], "nothing left to set");
    }
}
