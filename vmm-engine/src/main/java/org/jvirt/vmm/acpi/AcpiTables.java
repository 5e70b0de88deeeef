package org.jvirt.vmm.acpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.devices.acpi.AcpiPm;
import org.jvirt.vmm.devices.pci.PciIrqRouting;
import org.jvirt.vmm.memory.GuestMemory;

/**
 * Builds the guest's ACPI tables (ACPI 6.x layouts) into guest memory for a firmware-less boot:
 * RSDP (revision 2) -> XSDT (and RSDT) -> FADT (-> FACS, DSDT) and MADT.
 *
 * <p>Platform described: a PC with legacy devices (8042, CMOS RTC, COM1), not hardware-reduced;
 * the fixed-feature PM registers of {@link AcpiPm} with SMI_CMD = 0 (always in ACPI mode); a fixed
 * power button; S5 only, with SLP_TYP 0; reset through the FADT reset register = port 0x64 value
 * 0xFE (the i8042 reset command); one IOAPIC at 0xFEC00000 (id 0, GSI base 0) with IRQ0 -> GSI2
 * and the SCI level/active-high; a PCI root bridge on bus 0 with INTx routed as the config's
 * {@link AcpiConfig.PciRoot} says ({@link PciIrqRouting} on the pc) in its _PRT. A PCI Express
 * root (q35) is PNP0A08 (compatible PNP0A03) and gets an MCFG table for its ECAM window.
 */
public final class AcpiTables {
    private AcpiTables() { }

    /** Bytes from the base address the tables may occupy at most. */
    public static final int MAX_SIZE = 64 * 1024;

    static final String OEM_ID = "JVIRT ";
    static final String OEM_TABLE_ID = "JVIRTVMM";
    static final int HEADER_SIZE = 36;
    static final int FADT_SIZE = 276;
    static final int FACS_SIZE = 64;
    static final int RSDP_SIZE = 36;
    /** The port and value of the FADT reset register: the i8042 "pulse reset line" command. */
    public static final int RESET_PORT = 0x64, RESET_VALUE = 0xFE;
    /** CMOS index of the century, as the FADT announces. */
    static final int RTC_CENTURY_INDEX = 0x32;

    /**
     * Writes all tables into guest memory starting at base (16-byte aligned; for a scan by the
     * guest it must lie in 0xE0000-0xFFFFF) and returns the RSDP's address (= base).
     * At most {@link #MAX_SIZE} bytes are used.
     */
    public static long build(GuestMemory mem, long base, AcpiConfig cfg) {
        if ((base & 15) != 0) throw new IllegalArgumentException("RSDP must be 16-byte aligned");
        if (base + MAX_SIZE > 1L << 32) throw new IllegalArgumentException("ACPI tables must lie below 4 GiB");
        Layout l = layout(base, cfg);
        mem.write(base, l.bytes(), 0, l.used());
        return base;
    }

    /**
     * The same tables for firmware that places them itself (SeaBIOS's and OVMF's fw_cfg
     * "etc/table-loader", as QEMU gives them): every table but the RSDP in one blob starting with
     * the FACS (64-byte aligned there), the RSDP apart (the firmware puts it where the OS scans
     * for it), each address written as an offset into the blob, and where those addresses and the
     * checksums are, for the loader's ADD_POINTER and ADD_CHECKSUM commands.
     */
    public static Relocatable relocatable(AcpiConfig cfg) {
        Layout l = layout(-FACS_OFFSET, cfg); // addresses relative to the FACS, where the blob starts
        byte[] tables = java.util.Arrays.copyOfRange(l.bytes(), FACS_OFFSET, l.used());
        byte[] rsdp = java.util.Arrays.copyOf(l.bytes(), RSDP_SIZE);
        List<Relocatable.Pointer> pointers = new ArrayList<>(List.of(
                new Relocatable.Pointer(true, 16, 4), new Relocatable.Pointer(true, 24, 8))); // RSDT, XSDT
        int fadt = l.fadt() - FACS_OFFSET, xsdt = l.xsdt() - FACS_OFFSET, rsdt = l.rsdt() - FACS_OFFSET;
        pointers.add(new Relocatable.Pointer(false, fadt + 36, 4));  // FIRMWARE_CTRL
        pointers.add(new Relocatable.Pointer(false, fadt + 40, 4));  // DSDT
        pointers.add(new Relocatable.Pointer(false, fadt + 140, 8)); // X_DSDT
        for (int at = xsdt + HEADER_SIZE; at < xsdt + length(tables, xsdt); at += 8) pointers.add(new Relocatable.Pointer(false, at, 8));
        for (int at = rsdt + HEADER_SIZE; at < rsdt + length(tables, rsdt); at += 4) pointers.add(new Relocatable.Pointer(false, at, 4));
        List<Relocatable.Checksum> sums = new ArrayList<>();
        for (int t : new int[] {l.dsdt(), l.fadt(), l.madt(), l.mcfg(), l.xsdt(), l.rsdt()}) {
            if (t < 0) continue; // no MCFG
            int at = t - FACS_OFFSET;
            sums.add(new Relocatable.Checksum(false, at + 9, at, length(tables, at)));
        }
        sums.add(new Relocatable.Checksum(true, 8, 0, 20));         // ACPI 1.0 part first: the extended sum covers it
        sums.add(new Relocatable.Checksum(true, 32, 0, RSDP_SIZE));
        return new Relocatable(tables, rsdp, pointers, sums);
    }

    /**
     * Tables for a loader to place: see {@link #relocatable}.
     *
     * @param tables    every table but the RSDP, the FACS at 0
     * @param rsdp      the RSDP
     */
    public record Relocatable(byte[] tables, byte[] rsdp, List<Pointer> pointers, List<Checksum> checksums) {
        /** size bytes at offset in the RSDP (inRsdp) or in tables that hold an offset into tables. */
        public record Pointer(boolean inRsdp, int offset, int size) { }
        /** The checksum byte at offset making [start, start+length) of the RSDP (inRsdp) or tables sum to 0. */
        public record Checksum(boolean inRsdp, int offset, int start, int length) { }
    }

    static final int FACS_OFFSET = 64;

    /** Buffer offsets of the tables; the RSDP is at 0. */
    private record Layout(byte[] bytes, int used, int dsdt, int fadt, int madt, int mcfg, int xsdt, int rsdt) { }

    /**
     * All tables for guest address base: RSDP at 0, FACS at 64 (it must be 64-byte aligned), then
     * DSDT, FADT, MADT, MCFG (PCI Express roots only; mcfg -1 without), XSDT, RSDT.
     */
    private static Layout layout(long base, AcpiConfig cfg) {
        ByteBuffer out = ByteBuffer.allocate(MAX_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        out.position(FACS_OFFSET);
        out.put(facs());
        int dsdt = place(out, dsdt(cfg));
        int fadt = place(out, fadt(cfg, base + FACS_OFFSET, base + dsdt));
        int madt = place(out, madt(cfg));
        int mcfg = cfg.pciRoot().isExpress() ? place(out, mcfg(cfg.pciRoot())) : -1;
        long[] listed = mcfg < 0 ? new long[] {base + fadt, base + madt} : new long[] {base + fadt, base + madt, base + mcfg};
        int xsdt = place(out, xsdt(listed));
        int rsdt = place(out, rsdt(listed));
        int used = align8(out.position());
        out.position(0);
        out.put(rsdp(base + rsdt, base + xsdt));
        return new Layout(out.array(), used, dsdt, fadt, madt, mcfg, xsdt, rsdt);
    }

    private static int length(byte[] a, int at) {
        return ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).getInt(at + 4);
    }

    private static int place(ByteBuffer out, byte[] table) {
        int at = align8(out.position());
        if (at + table.length > MAX_SIZE) throw new IllegalStateException("ACPI tables exceed " + MAX_SIZE + " bytes");
        out.position(at);
        out.put(table);
        return at;
    }

    private static int align8(int v) {
        return (v + 7) & ~7;
    }

    // ---- tables ----

    static byte[] rsdp(long rsdt, long xsdt) {
        ByteBuffer b = le(RSDP_SIZE);
        b.put("RSD PTR ".getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 0); // checksum over the first 20 bytes
        b.put(OEM_ID.getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 2); // revision 2: ACPI 2.0+ with XSDT
        b.putInt((int) rsdt);
        b.putInt(RSDP_SIZE);
        b.putLong(xsdt);
        b.put((byte) 0); // extended checksum over all 36 bytes
        byte[] a = b.array();
        a[8] = checksum(a, 0, 20);
        a[32] = checksum(a, 0, RSDP_SIZE);
        return a;
    }

    static byte[] xsdt(long... tables) {
        ByteBuffer b = header("XSDT", HEADER_SIZE + 8 * tables.length, 1);
        for (long t : tables) b.putLong(t);
        return finish(b);
    }

    static byte[] rsdt(long... tables) {
        ByteBuffer b = header("RSDT", HEADER_SIZE + 4 * tables.length, 1);
        for (long t : tables) b.putInt((int) t);
        return finish(b);
    }

    static byte[] facs() {
        ByteBuffer b = le(FACS_SIZE);
        b.put("FACS".getBytes(StandardCharsets.US_ASCII));
        b.putInt(FACS_SIZE);
        b.position(32);
        b.put((byte) 2); // version
        return b.array(); // the FACS has no checksum
    }

    static byte[] fadt(AcpiConfig cfg, long facs, long dsdt) {
        ByteBuffer b = header("FACP", FADT_SIZE, 6);
        b.putInt(36, (int) facs);                  // FIRMWARE_CTRL
        b.putInt(40, (int) dsdt);                  // DSDT
        b.put(45, (byte) 0);                       // preferred PM profile: unspecified
        b.putShort(46, (short) cfg.sciIrq());      // SCI_INT
        b.putInt(48, 0);                           // SMI_CMD: none, ACPI mode is always on
        b.putInt(56, cfg.pmBase() + AcpiPm.PM1_EVT_OFFSET);
        b.putInt(64, cfg.pmBase() + AcpiPm.PM1_CNT_OFFSET);
        b.putInt(76, cfg.pmBase() + AcpiPm.PM_TMR_OFFSET);
        b.put(88, (byte) 4);                       // PM1_EVT_LEN
        b.put(89, (byte) 2);                       // PM1_CNT_LEN
        b.put(91, (byte) 4);                       // PM_TMR_LEN
        b.putShort(96, (short) 101);               // P_LVL2_LAT > 100: no C2
        b.putShort(98, (short) 1001);              // P_LVL3_LAT > 1000: no C3
        b.put(108, (byte) RTC_CENTURY_INDEX);      // CENTURY
        b.putShort(109, (short) 0x0007);           // IAPC_BOOT_ARCH: legacy devices, 8042, no VGA
        // Flags: WBINVD, PROC_C1, SLP_BUTTON (no fixed sleep button), FIX_RTC, RESET_REG_SUP.
        // PWR_BUTTON (bit 4) clear: the power button is a fixed feature.
        b.putInt(112, 0x1 | 0x4 | 0x20 | 0x40 | 0x400);
        putGas(b, 116, 1, 8, 1, RESET_PORT);       // RESET_REG: system I/O, byte access
        b.put(128, (byte) RESET_VALUE);
        b.put(131, (byte) 0);                      // FADT minor version: ACPI 6.0
        b.putLong(140, dsdt);                      // X_DSDT
        // X_PM* blocks left zero: OSPM then uses the 32-bit port fields above.
        return finish(b);
    }

    static byte[] madt(AcpiConfig cfg) {
        List<byte[]> entries = new ArrayList<>();
        for (int cpu = 0; cpu < cfg.vcpuCount(); cpu++) {
            if (cpu < 255) {
                entries.add(le(8).put((byte) 0).put((byte) 8).put((byte) cpu).put((byte) cpu).putInt(1).array());
            } else { // Processor Local x2APIC
                entries.add(le(16).put((byte) 9).put((byte) 16).putShort((short) 0).putInt(cpu).putInt(1).putInt(cpu).array());
            }
        }
        entries.add(le(12).put((byte) 1).put((byte) 12).put((byte) 0).put((byte) 0)
                .putInt((int) AcpiConfig.IOAPIC_ADDRESS).putInt(0).array());
        entries.add(interruptOverride(0, 2, 0));               // PIT: IRQ0 -> GSI2, bus-conforming
        entries.add(interruptOverride(cfg.sciIrq(), cfg.sciIrq(), 0x000D)); // SCI: level, active-high
        entries.add(le(6).put((byte) 4).put((byte) 6).put((byte) 0xFF).putShort((short) 0).put((byte) 1).array()); // NMI on LINT1
        int len = HEADER_SIZE + 8;
        for (byte[] e : entries) len += e.length;
        ByteBuffer b = header("APIC", len, 5);
        b.position(HEADER_SIZE);
        b.putInt((int) AcpiConfig.LAPIC_ADDRESS);
        b.putInt(1); // PCAT_COMPAT: dual 8259s present
        for (byte[] e : entries) b.put(e);
        return finish(b);
    }

    /** MCFG: one ECAM allocation, segment 0, buses 0..lastBus (PCI Firmware Specification 3.0, 4.1.2). */
    static byte[] mcfg(AcpiConfig.PciRoot root) {
        ByteBuffer b = header("MCFG", HEADER_SIZE + 8 + 16, 1);
        b.position(HEADER_SIZE + 8);                      // 8 reserved bytes
        b.putLong(root.ecamBase());
        b.putShort((short) 0);                            // PCI segment group
        b.put((byte) 0);                                  // start bus
        b.put((byte) root.lastBus());                     // end bus
        b.putInt(0);
        return finish(b);
    }

    private static byte[] interruptOverride(int irq, int gsi, int flags) {
        return le(10).put((byte) 2).put((byte) 10).put((byte) 0).put((byte) irq).putInt(gsi).putShort((short) flags).array();
    }

    static byte[] dsdt(AcpiConfig cfg) {
        byte[] body = Aml.concat(
                Aml.name("\\_S5", Aml.pkg(Aml.integer(AcpiPm.SLP_TYP_S5), Aml.integer(AcpiPm.SLP_TYP_S5),
                        Aml.integer(0), Aml.integer(0))),
                Aml.scope("\\_SB", pciRoot(cfg), keyboardController(), mouse(), rtc(), com1()));
        ByteBuffer b = header("DSDT", HEADER_SIZE + body.length, 2); // revision 2: 64-bit integers
        b.position(HEADER_SIZE);
        b.put(body);
        return finish(b);
    }

    private static byte[] pciRoot(AcpiConfig cfg) {
        List<byte[]> crs = new ArrayList<>();
        crs.add(AmlResources.wordBusNumber(0, cfg.pciRoot().isExpress() ? cfg.pciRoot().lastBus() : 0)); // q35: the buses ECAM reaches, as QEMU's
        crs.add(AmlResources.io(0xCF8, 0xCF8, 1, 8));          // the config mechanism itself
        crs.add(AmlResources.wordIo(0x0000, 0x0CF7));
        crs.add(AmlResources.wordIo(0x0D00, 0xFFFF));
        crs.add(AmlResources.dwordMemory(0x000A_0000L, 0x000B_FFFFL)); // legacy VGA hole
        crs.add(AmlResources.dwordMemory(cfg.pciMmio32Base(), cfg.pciMmio32Base() + cfg.pciMmio32Size() - 1));
        if (cfg.pciMmio64Size() > 0)
            crs.add(AmlResources.qwordMemory(cfg.pciMmio64Base(), cfg.pciMmio64Base() + cfg.pciMmio64Size() - 1));
        byte[] ids = cfg.pciRoot().isExpress()
                ? Aml.concat(Aml.name("_HID", Aml.eisaId("PNP0A08")), Aml.name("_CID", Aml.eisaId("PNP0A03")))
                : Aml.name("_HID", Aml.eisaId("PNP0A03"));
        return Aml.device("PCI0",
                ids,
                Aml.name("_UID", Aml.integer(0)),
                Aml.name("_ADR", Aml.integer(0)),
                Aml.name("_BBN", Aml.integer(0)),
                Aml.name("_CRS", AmlResources.template(crs.toArray(new byte[0][]))),
                Aml.name("_PRT", prt(cfg.pciRoot().routing())));
    }

    /** _PRT: every slot 1-31, pins INTA-INTD, straight to the GSIs the routing gives (no link devices). */
    private static byte[] prt(org.jvirt.vmm.devices.pci.IntxRouting routing) {
        List<byte[]> entries = new ArrayList<>();
        for (int slot = 1; slot < 32; slot++) {
            for (int pin = 0; pin < 4; pin++) {
                entries.add(Aml.pkg(Aml.dword(((long) slot << 16) | 0xFFFF), Aml.integer(pin), Aml.integer(0),
                        Aml.integer(routing.gsi(slot, pin))));
            }
        }
        return Aml.pkg(entries.toArray(new byte[0][]));
    }

    private static byte[] keyboardController() {
        return Aml.device("KBD", Aml.name("_HID", Aml.eisaId("PNP0303")),
                Aml.name("_CRS", AmlResources.template(AmlResources.io(0x60, 0x60, 1, 1),
                        AmlResources.io(0x64, 0x64, 1, 1), AmlResources.irqNoFlags(1))));
    }

    /**
     * The PS/2 mouse on the 8042's AUX port (QEMU's MOU): without it Linux's i8042 takes the
     * AUX port for absent ("PS/2 appears to have AUX port disabled") and never probes the mouse.
     */
    private static byte[] mouse() {
        return Aml.device("MOU", Aml.name("_HID", Aml.eisaId("PNP0F13")),
                Aml.name("_CRS", AmlResources.template(AmlResources.irqNoFlags(12))));
    }

    private static byte[] rtc() {
        return Aml.device("RTC", Aml.name("_HID", Aml.eisaId("PNP0B00")),
                Aml.name("_CRS", AmlResources.template(AmlResources.io(0x70, 0x70, 1, 2), AmlResources.irqNoFlags(8))));
    }

    private static byte[] com1() {
        return Aml.device("COM1", Aml.name("_HID", Aml.eisaId("PNP0501")), Aml.name("_UID", Aml.integer(1)),
                Aml.name("_CRS", AmlResources.template(AmlResources.io(0x3F8, 0x3F8, 1, 8), AmlResources.irqNoFlags(4))));
    }

    // ---- helpers ----

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A table of length bytes with its 36-byte header filled in (checksum still 0). */
    private static ByteBuffer header(String signature, int length, int revision) {
        ByteBuffer b = le(length);
        b.put(signature.getBytes(StandardCharsets.US_ASCII));
        b.putInt(length);
        b.put((byte) revision);
        b.put((byte) 0);
        b.put(OEM_ID.getBytes(StandardCharsets.US_ASCII));
        b.put(OEM_TABLE_ID.getBytes(StandardCharsets.US_ASCII));
        b.putInt(1);                                            // OEM revision
        b.put("JVRT".getBytes(StandardCharsets.US_ASCII));      // creator id
        b.putInt(1);                                            // creator revision
        return b;
    }

    private static byte[] finish(ByteBuffer b) {
        byte[] a = b.array();
        a[9] = checksum(a, 0, a.length);
        return a;
    }

    /** Generic Address Structure at off: address space, bit width, access size, address. */
    private static void putGas(ByteBuffer b, int off, int space, int bitWidth, int accessSize, long address) {
        b.put(off, (byte) space);
        b.put(off + 1, (byte) bitWidth);
        b.put(off + 2, (byte) 0);
        b.put(off + 3, (byte) accessSize);
        b.putLong(off + 4, address);
    }

    /** The byte that makes a[off..off+len) sum to zero (with the checksum byte itself still 0). */
    static byte checksum(byte[] a, int off, int len) {
        int sum = 0;
        for (int i = off; i < off + len; i++) sum += a[i];
        return (byte) -sum;
    }
}
