package org.jvirt.vmm.devices.fwcfg.smbios;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jvirt.vmm.devices.fwcfg.FwCfgItems;
import org.jvirt.vmm.memory.RamRange;

/**
 * The structure table and SMBIOS 2.1 (32-bit) entry point QEMU 7.2's pc-i440fx-7.2 and
 * pc-q35-7.2 give the firmware (QEMU's smbios_get_tables): type 0 (only when asked for), 1, 2
 * (only when asked for), 3, one 4 per socket, 11 (when there are OEM strings), 16, one 17 per
 * 16 GiB of RAM, one 19 per RAM range, 32 and 127, with QEMU's handles and defaults
 * (manufacturer "QEMU", product the machine's description, version its name). The entry point's
 * checksums and table address are left 0: the firmware fills them in where it puts the table.
 */
public final class SmbiosTables {
    static final int T0 = 0x000, T1 = 0x100, T2 = 0x200, T3 = 0x300, T4 = 0x400, T11 = 0xe00, T16 = 0x1000,
            T17 = 0x1100, T19 = 0x1300, T32 = 0x2000, T127 = 0x7f00;
    static final long DIMM_MAX = 16L << 30;
    static final String MANUFACTURER = "QEMU";
    /** QEMU's DEFAULT_CPU_SPEED (MHz) for type 4's maximum and current speed. */
    static final int CPU_SPEED = 2000;
    static final int ENTRY_POINT_LENGTH = 0x1f;

    private final ByteArrayOutputStream table = new ByteArrayOutputStream();
    private int count, maxSize;

    private SmbiosTables() { }

    /** The fw_cfg files "etc/smbios/smbios-tables" and "etc/smbios/smbios-anchor" added to items. */
    public static FwCfgItems addTo(FwCfgItems items, SmbiosMachine m, SmbiosFields f) {
        SmbiosTables t = build(m, f);
        return items.addFile("etc/smbios/smbios-tables", t.table()).addFile("etc/smbios/smbios-anchor", t.anchor());
    }

    static SmbiosTables build(SmbiosMachine m, SmbiosFields f) {
        SmbiosTables t = new SmbiosTables();
        if (f.has(0)) t.add(biosInformation(f));
        t.add(systemInformation(m, f));
        if (f.has(2)) t.add(baseboard(m, f));
        t.add(chassis(m, f));
        for (int i = 0; i < m.sockets(); i++) t.add(processor(m, f, i));
        if (f.has(11)) t.add(oemStrings(f));
        int dimms = (int) ((m.ramBytes() + DIMM_MAX - 1) / DIMM_MAX);
        // QEMU moves the type 19 handles up when the type 17 ones would reach them (over 8 TiB)
        int offset = Math.max(0, dimms - (T19 - T17));
        t.add(memoryArray(m, dimms));
        for (int i = 0; i < dimms; i++) {
            long size = i < dimms - 1 ? DIMM_MAX : (m.ramBytes() - 1) % DIMM_MAX + 1;
            t.add(memoryDevice(f, i, size));
        }
        for (int i = 0; i < m.ram().size(); i++) t.add(memoryArrayMappedAddress(m.ram().get(i), T19 + offset + i));
        t.add(new SmbiosStructure(32, T32, 0x0b)); // boot status 0: no errors
        t.add(new SmbiosStructure(127, T127, 4));
        return t;
    }

    private void add(SmbiosStructure s) {
        byte[] b = s.bytes();
        table.writeBytes(b);
        count++;
        maxSize = Math.max(maxSize, b.length);
    }

    byte[] table() { return table.toByteArray(); }

    /** The 2.1 entry point, SMBIOS 2.8: lengths and counts set, checksums and address 0. */
    byte[] anchor() {
        byte[] a = new byte[ENTRY_POINT_LENGTH];
        put(a, 0, "_SM_");
        a[5] = ENTRY_POINT_LENGTH;
        a[6] = 2;
        a[7] = 8;
        le(a, 8, 2, maxSize);
        put(a, 0x10, "_DMI_");
        le(a, 0x16, 2, table.size());
        le(a, 0x1c, 2, count);
        a[0x1e] = 0x28;
        return a;
    }

    private static void put(byte[] a, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, a, at, b.length);
    }

    private static void le(byte[] a, int at, int n, long v) {
        for (int i = 0; i < n; i++) a[at + i] = (byte) (v >>> (8 * i));
    }

    private static SmbiosStructure biosInformation(SmbiosFields f) {
        SmbiosStructure s = new SmbiosStructure(0, T0, 0x18)
                .string(4, f.get(0, "vendor", null))
                .string(5, f.get(0, "version", null))
                .u16(6, 0xe800) // starting segment, as SeaBIOS says
                .string(8, f.get(0, "date", null))
                .u64(0x0a, 0x08) // characteristics not supported
                .u8(0x13, 0x14 | (f.uefi() ? 0x08 : 0)) // targeted content distribution, virtual machine (, UEFI)
                .u8(0x16, 0xff).u8(0x17, 0xff); // no embedded controller
        int[] release = f.release();
        if (release != null) s.u8(0x14, release[0]).u8(0x15, release[1]);
        return s;
    }

    private static SmbiosStructure systemInformation(SmbiosMachine m, SmbiosFields f) {
        SmbiosStructure s = new SmbiosStructure(1, T1, 0x1b)
                .string(4, f.get(1, "manufacturer", MANUFACTURER))
                .string(5, f.get(1, "product", m.description()))
                .string(6, f.get(1, "version", m.name()))
                .string(7, f.get(1, "serial", null));
        byte[] uuid = f.uuid();
        if (uuid != null) s.bytes(8, wireOrder(uuid));
        return s.u8(0x18, 0x06) // wake-up: power switch
                .string(0x19, f.get(1, "sku", null))
                .string(0x1a, f.get(1, "family", null));
    }

    /** SMBIOS 2.6+ keeps the UUID's first three fields little-endian. */
    static byte[] wireOrder(byte[] u) {
        byte[] b = u.clone();
        b[0] = u[3]; b[1] = u[2]; b[2] = u[1]; b[3] = u[0];
        b[4] = u[5]; b[5] = u[4];
        b[6] = u[7]; b[7] = u[6];
        return b;
    }

    private static SmbiosStructure baseboard(SmbiosMachine m, SmbiosFields f) {
        return new SmbiosStructure(2, T2, 0x0f)
                .string(4, f.get(2, "manufacturer", MANUFACTURER))
                .string(5, f.get(2, "product", m.description()))
                .string(6, f.get(2, "version", m.name()))
                .string(7, f.get(2, "serial", null))
                .string(8, f.get(2, "asset", null))
                .u8(9, 0x01) // feature flags: a motherboard
                .string(0x0a, f.get(2, "location", null))
                .u16(0x0b, T3) // in the chassis
                .u8(0x0d, 0x0a); // board type: motherboard; no contained elements
    }

    private static SmbiosStructure chassis(SmbiosMachine m, SmbiosFields f) {
        return new SmbiosStructure(3, T3, 0x16)
                .string(4, f.get(3, "manufacturer", MANUFACTURER))
                .u8(5, 0x01) // type: other
                .string(6, f.get(3, "version", m.name()))
                .string(7, f.get(3, "serial", null))
                .string(8, f.get(3, "asset", null))
                .u8(9, 0x03).u8(0x0a, 0x03).u8(0x0b, 0x03) // boot-up, power supply, thermal state: safe
                .u8(0x0c, 0x02) // security status: unknown
                .string(0x15, f.get(3, "sku", null));
    }

    private static SmbiosStructure processor(SmbiosMachine m, SmbiosFields f, int socket) {
        int cores = m.cores(), threads = m.cores() * m.threads();
        return new SmbiosStructure(4, T4 + socket, 0x2a)
                .string(4, String.format("%s%2x", f.get(4, "sock_pfx", "CPU"), socket))
                .u8(5, 0x03) // central processor
                .u8(6, 0x01) // family: other
                .string(7, f.get(4, "manufacturer", MANUFACTURER))
                .u64(8, m.processorId())
                .string(0x10, f.get(4, "version", m.name()))
                .u16(0x14, f.number(4, "max-speed", CPU_SPEED))
                .u16(0x16, f.number(4, "current-speed", CPU_SPEED))
                .u8(0x18, 0x41) // socket populated, CPU enabled
                .u8(0x19, 0x01) // upgrade: other
                .u16(0x1a, 0xffff).u16(0x1c, 0xffff).u16(0x1e, 0xffff) // no cache structures
                .string(0x20, f.get(4, "serial", null))
                .string(0x21, f.get(4, "asset", null))
                .string(0x22, f.get(4, "part", null))
                .u8(0x23, Math.min(cores, 0xff)).u8(0x24, Math.min(cores, 0xff)).u8(0x25, Math.min(threads, 0xff))
                .u16(0x26, 0x02) // characteristics: unknown
                .u16(0x28, 0x01); // family 2: other
    }

    private static SmbiosStructure oemStrings(SmbiosFields f) {
        SmbiosStructure s = new SmbiosStructure(11, T11, 5).u8(4, f.oemStrings().size());
        for (String v : f.oemStrings()) s.add(v);
        return s;
    }

    private static SmbiosStructure memoryArray(SmbiosMachine m, int dimms) {
        long kib = (m.ramBytes() + 1023) / 1024;
        boolean big = kib >= 0x8000_0000L;
        return new SmbiosStructure(16, T16, 0x17)
                .u8(4, 0x01) // location: other
                .u8(5, 0x03) // use: system memory
                .u8(6, 0x06) // multi-bit ECC, as SeaBIOS says (for Windows)
                .u32(7, big ? 0x8000_0000L : kib)
                .u16(0x0b, 0xfffe) // no error information
                .u16(0x0d, dimms)
                .u64(0x0f, big ? m.ramBytes() : 0);
    }

    private static SmbiosStructure memoryDevice(SmbiosFields f, int i, long size) {
        long mib = (size + (1 << 20) - 1) >> 20;
        boolean big = mib >= 0x7fff;
        int speed = f.number(17, "speed", 0);
        return new SmbiosStructure(17, T17 + i, 0x28)
                .u16(4, T16)
                .u16(6, 0xfffe) // no error information
                .u16(8, 0xffff).u16(0x0a, 0xffff) // total and data width unknown
                .u16(0x0c, big ? 0x7fff : (int) mib)
                .u8(0x0e, 0x09) // form factor: DIMM
                .string(0x10, f.get(17, "loc_pfx", "DIMM") + " " + i)
                .string(0x11, f.get(17, "bank", null))
                .u8(0x12, 0x07) // type: RAM
                .u16(0x13, 0x02) // detail: other
                .u16(0x15, speed)
                .string(0x17, f.get(17, "manufacturer", MANUFACTURER))
                .string(0x18, f.get(17, "serial", null))
                .string(0x19, f.get(17, "asset", null))
                .string(0x1a, f.get(17, "part", null))
                .u32(0x1c, big ? mib : 0)
                .u16(0x20, speed); // configured speed: the maximum's
    }

    private static SmbiosStructure memoryArrayMappedAddress(RamRange r, int handle) {
        long end = r.start() + r.size() - 1;
        long startKib = r.start() / 1024, endKib = end / 1024;
        SmbiosStructure s = new SmbiosStructure(19, handle, 0x1f);
        if (startKib < 0xffff_ffffL && endKib < 0xffff_ffffL) {
            s.u32(4, startKib).u32(8, endKib);
        } else {
            s.u32(4, 0xffff_ffffL).u32(8, 0xffff_ffffL).u64(0x0f, r.start()).u64(0x17, end);
        }
        return s.u16(0x0c, T16).u8(0x0e, 1); // one device per row
    }
}
