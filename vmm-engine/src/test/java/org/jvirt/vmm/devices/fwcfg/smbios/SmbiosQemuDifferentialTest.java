package org.jvirt.vmm.devices.fwcfg.smbios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jvirt.vmm.emu.cpu.system.X86SystemUnit;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.testutil.QemuQtest;
import org.junit.jupiter.api.Test;

/**
 * jvirt's SMBIOS fw_cfg files against QEMU 7.2's, byte for byte: QEMU runs stopped under qtest
 * and its fw_cfg device is read through ports 0x510/0x511 as the firmware reads it (the file
 * directory, then "etc/smbios/smbios-tables" and "etc/smbios/smbios-anchor"), for pc and q35,
 * RAM sizes with and without RAM above 4 GiB, 1 and 4 vCPUs and the user's -smbios fields. QEMU's
 * CPU is given the emulator's identity (qemu64 with family 6 model 6 stepping 3) so that type 4's
 * processor ID, from CPUID leaf 1, is the same but for VME, which QEMU's TCG lacks; its vCPUs are one socket of N cores,
 * as jvirt's CPUID presents them.
 */
class SmbiosQemuDifferentialTest {
    static final String CPU = "qemu64,vendor=AuthenticAMD,family=6,model=6,stepping=3";
    /** CPUID.01H:EDX.VME, which the emulator reports and QEMU 7.2's TCG cannot ("TCG doesn't support requested feature"). */
    static final long VME = 1L << (32 + 1);
    static final String UUID = "c7a5fdbd-edaf-9455-926a-d65c16db1809";
    static final List<String> USER = List.of(
            "type=0,vendor=Award Software,,Inc.,version=6.00 PG,date=12/31/2099,release=4.6",
            "type=1,manufacturer=Fedora,product=Virt-Manager,version=0.9.4,serial=123456,sku=1234567890,family=Red Hat",
            "type=2,manufacturer=Hewlett-Packard,product=0B4Ch,version=1.0,serial=CZC1065993,asset=LH,location=Slot 1",
            "type=3,manufacturer=Dell Inc.,version=2.12,serial=65X0XF2,asset=40000101,sku=Type3SKU",
            "type=4,sock_pfx=Socket,manufacturer=Intel,version=Xeon,serial=S4,asset=A4,part=P4,max-speed=3000,current-speed=2500",
            "type=11,value=Hello,value=There",
            "type=17,loc_pfx=Slot,bank=Bank 0,manufacturer=Samsung,serial=S17,asset=A17,part=P17,speed=2400",
            "type=1,serial=override");

    record Case(boolean q35, long ram, int vcpus, List<String> smbios, String uuid) {
        @Override public String toString() { return (q35 ? "q35" : "pc") + " " + (ram >> 20) + "M " + vcpus + " vCPUs " + smbios + " uuid " + uuid; }
    }

    @Test
    void tablesAndAnchorAreQemus() throws Exception {
        assumeTrue(new java.io.File("/usr/bin/qemu-system-x86_64").canExecute(), "skipped: qemu-system-x86_64 is not installed");
        List<Case> cases = new ArrayList<>();
        for (boolean q35 : new boolean[] {false, true}) {
            for (long mib : new long[] {256, 1024, 3072, 5120}) cases.add(new Case(q35, mib << 20, mib == 1024 ? 4 : 1, List.of(), null));
            cases.add(new Case(q35, 2048L << 20, 2, USER, UUID));
        }
        cases.add(new Case(false, 512L << 20, 1, List.of("type=1,uuid=" + UUID, "type=2", "type=11,value=,value=x"), null));
        if (Boolean.getBoolean("jvirt.smbios.bigRam")) cases.add(new Case(true, 17L << 30, 2, List.of(), UUID)); // two DIMMs; QEMU reserves 17 GiB
        for (Case c : cases) {
            Map<String, byte[]> qemu = qemuFiles(c);
            MachineConfig config = MachineConfig.ofFirmware(java.nio.file.Path.of("bios.bin")).withMemory(c.ram()).withVcpus(c.vcpus())
                    .withChipset(c.q35() ? MachineConfig.Chipset.Q35 : MachineConfig.Chipset.PC);
            SmbiosTables jvirt = SmbiosTables.build(SmbiosMachine.of(c.q35(), c.ram(), config.ramRanges(), c.vcpus(), X86SystemUnit.processorId() & ~VME),
                    SmbiosFields.parse(c.smbios(), c.uuid()));
            assertEquals(hex(qemu.get("etc/smbios/smbios-tables")), hex(jvirt.table()), "tables of " + c);
            assertEquals(hex(qemu.get("etc/smbios/smbios-anchor")), hex(jvirt.anchor()), "anchor of " + c);
        }
    }

    /**
     * The files jvirt's machine serves (the emulator's q35 with 3 GiB, two RAM ranges, 2 vCPUs, the
     * user's fields and UUID from the command line), read through its fw_cfg ports, are QEMU's.
     */
    @Test
    void theMachinesFwCfgServesQemusFiles() throws Exception {
        assumeTrue(new java.io.File("/usr/bin/qemu-system-x86_64").canExecute(), "skipped: qemu-system-x86_64 is not installed");
        java.nio.file.Path bios = java.nio.file.Path.of("/usr/share/seabios/bios-256k.bin");
        assumeTrue(java.nio.file.Files.isReadable(bios), "skipped: " + bios + " is missing (Debian package seabios)");
        Case c = new Case(true, 3072L << 20, 2, USER, UUID);
        MachineConfig config = MachineConfig.ofFirmware(bios).withMemory(c.ram()).withVcpus(c.vcpus()).withAccel(MachineConfig.Accel.EMU)
                .withChipset(MachineConfig.Chipset.Q35).withSmbios(SmbiosFields.parse(c.smbios(), c.uuid()));
        Map<String, byte[]> jvirt;
        try (org.jvirt.vmm.machine.Machine m = org.jvirt.vmm.machine.Machine.create(config)) {
            org.jvirt.vmm.bus.IoBus pio = m.pioBus();
            jvirt = files(key -> pio.write(0x510, 2, key), () -> (int) pio.read(0x511, 1));
        }
        Map<String, byte[]> qemu = qemuFiles(c);
        byte[] expected = qemu.get("etc/smbios/smbios-tables");
        // the one bit QEMU's TCG lacks (VME) in each type 4's processor ID, as the emulator reports it
        for (int i = 0; i + 4 <= expected.length; ) {
            int len = expected[i + 1] & 0xff;
            if (expected[i] == 4) expected[i + 8 + 4] |= 0x02;
            int j = i + len;
            while (expected[j] != 0 || expected[j + 1] != 0) j++;
            i = j + 2;
        }
        assertEquals(hex(expected), hex(jvirt.get("etc/smbios/smbios-tables")));
        assertEquals(hex(qemu.get("etc/smbios/smbios-anchor")), hex(jvirt.get("etc/smbios/smbios-anchor")));
    }

    @Test
    void badFieldsAreRefusedAsQemuRefusesThem() {
        assertThrows(IllegalArgumentException.class, () -> SmbiosFields.parse(List.of("type=1,colour=red"), null));
        assertThrows(IllegalArgumentException.class, () -> SmbiosFields.parse(List.of("type=0,release=1"), null));
        assertThrows(IllegalArgumentException.class, () -> SmbiosFields.parse(List.of("type=1,uuid=nope"), null));
        assertThrows(IllegalArgumentException.class, () -> SmbiosFields.parse(List.of("type=9"), null));
        assertThrows(IllegalArgumentException.class, () -> SmbiosFields.parse(List.of("vendor=x"), null));
    }

    private static String hex(byte[] b) { return b == null ? "(none)" : HexFormat.of().formatHex(b); }

    private static Map<String, byte[]> qemuFiles(Case c) {
        List<String> args = new ArrayList<>(List.of("-cpu", CPU, "-m", (c.ram() >> 20) + "M",
                "-smp", c.vcpus() + ",sockets=1,cores=" + c.vcpus() + ",threads=1"));
        for (String o : c.smbios()) args.addAll(List.of("-smbios", o));
        if (c.uuid() != null) args.addAll(List.of("-uuid", c.uuid()));
        try (QemuQtest q = new QemuQtest(c.q35() ? "pc-q35-7.2" : "pc-i440fx-7.2", args.toArray(String[]::new))) {
            return files(key -> q.out(2, 0x510, key), () -> (int) q.in(1, 0x511));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The etc/smbios/ files of a fw_cfg device reached through select (port 0x510) and data (0x511), as firmware reads them. */
    private static Map<String, byte[]> files(java.util.function.IntConsumer select, java.util.function.IntSupplier data) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        select.accept(0x19);
        int files = (int) readBe(data, 4);
        Map<String, int[]> dir = new LinkedHashMap<>();
        for (int i = 0; i < files; i++) {
            int size = (int) readBe(data, 4), key = (int) readBe(data, 2);
            readBe(data, 2);
            byte[] name = read(data, 56);
            int n = 0;
            while (n < name.length && name[n] != 0) n++;
            dir.put(new String(name, 0, n, StandardCharsets.US_ASCII), new int[] {key, size});
        }
        for (Map.Entry<String, int[]> f : dir.entrySet()) {
            if (!f.getKey().startsWith("etc/smbios/")) continue;
            select.accept(f.getValue()[0]);
            out.put(f.getKey(), read(data, f.getValue()[1]));
        }
        return out;
    }

    private static long readBe(java.util.function.IntSupplier data, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) v = v << 8 | (data.getAsInt() & 0xff);
        return v;
    }

    private static byte[] read(java.util.function.IntSupplier data, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) data.getAsInt();
        return b;
    }
}
