package org.jvirt.vmm.cli;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.memory.RamRange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CliArgumentsTest {

    @Test
    void balloonReachesTheMachineConfig() throws Exception {
        MachineConfig c = CliArguments.parse(new String[]{"--kernel", "k", "--balloon", "virtio,addr=05.0,deflate-on-oom=on,stats-period=7"});
        assertEquals(new MachineConfig.Balloon(org.jvirt.vmm.protocol.launch.PciAddress.root(5, 0), true, 7), c.balloon());
        assertEquals(new MachineConfig.Balloon(null, false, 0), CliArguments.parse(new String[]{"--kernel", "k", "--balloon", "virtio"}).balloon());
        assertEquals(null, CliArguments.parse(new String[]{"--kernel", "k"}).balloon());
    }

    @Test
    void rngReachesTheMachineConfigWithItsAddress() throws Exception {
        MachineConfig c = CliArguments.parse(new String[]{"--kernel", "k", "--rng", "/dev/urandom,addr=02:00.0"});
        assertEquals(new MachineConfig.Rng(Path.of("/dev/urandom"), new org.jvirt.vmm.protocol.launch.PciAddress(2, 0, 0)), c.rng());
        assertEquals(new MachineConfig.Rng(Path.of("/dev/random"), null), CliArguments.parse(new String[]{"--kernel", "k", "--rng", "/dev/random"}).rng());
    }

    @Test
    void firmwareInsteadOfAKernel() throws Exception {
        MachineConfig c = CliArguments.parse(new String[]{"--firmware", "/usr/share/seabios/bios-256k.bin", "--accel", "emu",
                "--memory", "512M", "--cpus", "2"});
        assertTrue(c.bootsFirmware());
        assertNull(c.kernel());
        assertEquals(Path.of("/usr/share/seabios/bios-256k.bin"), c.firmware());
        assertEquals(512L << 20, c.memoryBytes());
        assertEquals(MachineConfig.Accel.EMU, c.accel());
        assertFalse(CliArguments.parse(new String[]{"--kernel", "k"}).bootsFirmware());
    }

    @Test
    void ideDrivesTakeTheirPositionsAsQemuGivesThemAndTheBootOptionsReachTheMachine() throws Exception {
        MachineConfig c = CliArguments.parse(new String[]{"--firmware", "bios.bin", "--disk", "v.img,bootindex=2,serial=V1",
                "--disk", "a.img,if=ide", "--disk", "cd.iso,if=ide,media=cdrom,index=0,bootindex=1", "--disk", ",if=ide,media=cdrom",
                "--boot", "order=dc,strict=on,menu=on,splash-time=500,reboot-timeout=0"});
        assertEquals(List.of(new MachineConfig.Disk(Path.of("v.img"), false, ImageFormat.RAW, 2, "V1")), c.disks());
        assertEquals(List.of(new MachineConfig.IdeDrive(1, false, Path.of("a.img"), false, ImageFormat.RAW, null),
                new MachineConfig.IdeDrive(0, true, Path.of("cd.iso"), true, ImageFormat.RAW, 1),
                new MachineConfig.IdeDrive(2, true, null, true, ImageFormat.RAW, null)), c.ideDrives());
        assertEquals(new MachineConfig.Boot("dc", true, true, 500, 0), c.boot());
        CliArguments.UsageException e = assertThrows(CliArguments.UsageException.class, () -> CliArguments.parse(new String[]{
                "--firmware", "b", "--disk", "a,if=ide,index=1", "--disk", "b,if=ide,index=1"}));
        assertEquals("two IDE drives at index 1", e.getMessage());
    }

    @Test
    void smbiosFieldsAndTheUuidReachTheMachineAndBadOnesAreUsageErrors() throws Exception {
        MachineConfig c = CliArguments.parse(new String[]{"--firmware", "bios.bin", "--smbios", "type=1,serial=a,,b",
                "--smbios", "type=11,value=x", "--uuid", "c7a5fdbd-edaf-9455-926a-d65c16db1809"});
        assertEquals("{1={serial=a,b}, 11={}} oem [x] uuid c7a5fdbdedaf9455926ad65c16db1809", c.smbios().toString());
        assertEquals("-smbios type=1: Invalid parameter 'colour'", assertThrows(CliArguments.UsageException.class,
                () -> CliArguments.parse(new String[]{"--firmware", "b", "--smbios", "type=1,colour=red"})).getMessage());
        assertEquals("Invalid release '4' (MAJOR.MINOR, each 0-255)", assertThrows(CliArguments.UsageException.class,
                () -> CliArguments.parse(new String[]{"--firmware", "b", "--smbios", "type=0,release=4"})).getMessage());
    }

    @Test
    void theQ35MachineReachesTheConfigPlacesRamAsQemuAndRefusesIde() throws Exception {
        assertEquals(MachineConfig.Chipset.Q35, CliArguments.parse(new String[]{"--firmware", "bios.bin", "--machine", "q35"}).chipset());
        assertEquals(MachineConfig.Chipset.PC, CliArguments.parse(new String[]{"--kernel", "k"}).chipset());
        assertEquals("the q35 machine has no IDE controller (if=ide needs --machine pc)", assertThrows(CliArguments.UsageException.class,
                () -> CliArguments.parse(new String[]{"--firmware", "b", "--machine", "q35", "--disk", "d.img,if=ide"})).getMessage());
        // QEMU's q35 RAM placement: below the ECAM window when it fits, else 2 GiB low and the rest above 4 GiB
        assertEquals(List.of(new RamRange(0, 2815L << 20)),
                CliArguments.parse(new String[]{"--kernel", "k", "--machine", "q35", "--memory", "2815M"}).ramRanges());
        assertEquals(List.of(new RamRange(0, 2L << 30), new RamRange(4L << 30, 768L << 20)),
                CliArguments.parse(new String[]{"--kernel", "k", "--machine", "q35", "--memory", "2816M"}).ramRanges(), "0xB0000000 splits (QEMU: >=)");
        assertEquals(List.of(new RamRange(0, 2L << 30), new RamRange(4L << 30, 1L << 30)),
                CliArguments.parse(new String[]{"--kernel", "k", "--machine", "q35", "--memory", "3G"}).ramRanges());
        assertEquals(List.of(new RamRange(0, 3L << 30)), CliArguments.parse(new String[]{"--kernel", "k", "--memory", "3G"}).ramRanges(), "pc");
    }

    @Test
    void rootPortsAndDiskAddressesReachTheConfigAndImpossibleLayoutsAreOneLine() throws Exception {
        MachineConfig c = CliArguments.parse(new String[]{"--kernel", "k", "--machine", "q35",
                "--controller", "pcie-root-port,index=1,addr=01.0,chassis=1,port=0x8", "--controller", "pcie-root-port,index=2,addr=01.1,chassis=2,port=0x9",
                "--disk", "a.img,addr=02:00.0", "--disk", "b.img"});
        assertEquals(List.of(new MachineConfig.RootPort(1, org.jvirt.vmm.protocol.launch.PciAddress.root(1, 0), 1, 8),
                new MachineConfig.RootPort(2, org.jvirt.vmm.protocol.launch.PciAddress.root(1, 1), 2, 9)), c.rootPorts());
        assertEquals(new org.jvirt.vmm.protocol.launch.PciAddress(2, 0, 0), c.disks().get(0).address());
        assertEquals(null, c.disks().get(1).address());
        assertEquals("disk 0 at 03:00.0: no PCI controller with index 3", assertThrows(CliArguments.UsageException.class,
                () -> CliArguments.parse(new String[]{"--kernel", "k", "--machine", "q35", "--disk", "a.img,addr=03:00.0"})).getMessage());
        assertEquals("a pcie-root-port needs the q35 machine (--machine q35)", assertThrows(CliArguments.UsageException.class,
                () -> CliArguments.parse(new String[]{"--kernel", "k", "--controller", "pcie-root-port,index=1,addr=01.0"})).getMessage());
    }

    @Test
    void sataDrivesTakeTheirPortsAndStayOffTheIde() throws Exception {
        MachineConfig c = CliArguments.parse(new String[]{"--firmware", "bios.bin", "--disk", "a.img,if=sata",
                "--disk", "cd.iso,if=sata,media=cdrom,index=0,bootindex=1", "--disk", ",if=sata,media=cdrom,index=5",
                "--disk", "q.qcow2,if=sata,format=qcow2,ro,serial=S9", "--disk", "i.img,if=ide"});
        assertEquals(List.of(new MachineConfig.SataDrive(1, false, Path.of("a.img"), false, ImageFormat.RAW, null, null),
                new MachineConfig.SataDrive(0, true, Path.of("cd.iso"), true, ImageFormat.RAW, 1, null),
                new MachineConfig.SataDrive(5, true, null, true, ImageFormat.RAW, null, null),
                new MachineConfig.SataDrive(2, false, Path.of("q.qcow2"), true, ImageFormat.QCOW2, null, "S9")), c.sataDrives());
        assertEquals(List.of(new MachineConfig.IdeDrive(0, false, Path.of("i.img"), false, ImageFormat.RAW, null)), c.ideDrives());
        assertEquals(List.of(), c.disks());
        CliArguments.UsageException e = assertThrows(CliArguments.UsageException.class, () -> CliArguments.parse(new String[]{
                "--firmware", "b", "--disk", "a,if=sata,index=3", "--disk", "b,if=sata,index=3"}));
        assertEquals("two SATA drives at index 3", e.getMessage());
        e = assertThrows(CliArguments.UsageException.class, () -> CliArguments.parse(new String[]{
                "--kernel", "k", "--disk", "a.raw,if=sata", "--restore", "s.state"}));
        assertEquals("a VM with SATA drives cannot be restored or migrated yet", e.getMessage());
    }

    @Test
    void parsesAllOptions() throws Exception {
        MachineConfig c = CliArguments.parse(new String[]{"--kernel", "k.elf", "--initrd=i.img", "--append", "console=ttyS0 quiet",
                "--memory", "1G", "--cpus", "2", "--disk", "a.raw", "--disk", "b.raw,ro", "--serial", "file:/tmp/s.log",
                "--accel", "kvm"});
        assertEquals(Path.of("k.elf"), c.kernel());
        assertEquals(Path.of("i.img"), c.initrd());
        assertEquals("console=ttyS0 quiet", c.cmdline());
        assertEquals(1L << 30, c.memoryBytes());
        assertEquals(2, c.vcpus());
        assertEquals(2, c.disks().size());
        assertFalse(c.disks().get(0).readOnly());
        assertTrue(c.disks().get(1).readOnly());
        assertEquals(new MachineConfig.Serial.ToFile(Path.of("/tmp/s.log")), c.serial());
        assertEquals(MachineConfig.Accel.KVM, c.accel());
    }

    @Test
    void defaultsAndSizes() throws Exception {
        MachineConfig c = CliArguments.parse(new String[]{"--kernel", "k"});
        assertEquals(256L << 20, c.memoryBytes());
        assertEquals(1, c.vcpus());
        assertEquals(new MachineConfig.Serial.Stdio(), c.serial());
        assertEquals(512L << 20, CliArguments.parseSize("512"));
        assertEquals(64L << 10, CliArguments.parseSize("64K"));
        assertEquals(2L << 30, CliArguments.parseSize("2GiB"));
        assertNull(CliArguments.parse(new String[]{"--help"}));
    }

    @Test
    void processOptionsForTheDriver() throws Exception {
        VmmOptions o = CliArguments.parseOptions(new String[]{"--kernel", "k", "--name", "web", "--control", "/run/c.sock",
                "--paused", "--pidfile", "/run/p", "--exit-file", "/run/e", "--on-reboot", "destroy", "--serial", "pty"});
        assertEquals("web", o.name());
        assertEquals(Path.of("/run/c.sock"), o.control());
        assertTrue(o.paused());
        assertEquals(Path.of("/run/p"), o.pidFile());
        assertEquals(Path.of("/run/e"), o.exitFile());
        assertTrue(o.resetEndsVm());
        assertEquals("pty", o.serialSpec());
        VmmOptions d = CliArguments.parseOptions(new String[]{"--kernel", "k", "--serial", "unix:/run/s"});
        assertFalse(d.paused());
        assertFalse(d.resetEndsVm());
        assertEquals("unix:/run/s", d.serialSpec());
    }

    @Test
    void diskFormats() throws Exception {
        MachineConfig c = CliArguments.parse(new String[]{"--kernel", "k", "--disk", "a.qcow2,format=qcow2", "--disk", "b.qcow2,ro,format=qcow2",
                "--disk", "c.img,format=raw", "--disk", "d.img"});
        assertEquals(List.of(new MachineConfig.Disk(Path.of("a.qcow2"), false, ImageFormat.QCOW2),
                new MachineConfig.Disk(Path.of("b.qcow2"), true, ImageFormat.QCOW2),
                new MachineConfig.Disk(Path.of("c.img"), false, ImageFormat.RAW),
                new MachineConfig.Disk(Path.of("d.img"), false, ImageFormat.RAW)), c.disks());
        assertEquals(new MachineConfig.Disk(Path.of("x,format=qcow2.img"), true, ImageFormat.RAW),
                CliArguments.parse(new String[]{"--kernel", "k", "--disk", "x,,format=qcow2.img,ro"}).disks().get(0));
        CliArguments.UsageException e = assertThrows(CliArguments.UsageException.class,
                () -> CliArguments.parse(new String[]{"--kernel", "k", "--disk", "a.vmdk,format=vmdk"}));
        assertEquals("unsupported disk format 'vmdk' (raw or qcow2)", e.getMessage());
    }

    @Test
    void badArgumentsGiveOneLineErrors() {
        String[][] bad = {{}, {"--kernel"}, {"--kernel", "k", "--cpus", "0"}, {"--kernel", "k", "--memory", "lots"},
                {"--kernel", "k", "--accel", "tcg"}, {"--kernel", "k", "--serial", "tcp:1"}, {"--kernel", "k", "--bogus", "1"},
                {"--kernel", "k", "--on-reboot", "preserve"}, {"--kernel", "k", "--serial", "unix:"},
                {"--kernel", "k", "--disk", "a,rx"}, {"stray"}, {"--kernel", "k", "--memory", "1000B"}};
        for (String[] args : bad) {
            CliArguments.UsageException e = assertThrows(CliArguments.UsageException.class, () -> CliArguments.parse(args),
                    String.join(" ", args));
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void mainReportsMissingKernelFileWithoutStackTrace() {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            assertEquals(JvirtVmmMain.EXIT_ERROR, JvirtVmmMain.run(new String[]{"--kernel", "/nonexistent/k.elf"}));
            assertEquals(JvirtVmmMain.EXIT_USAGE, JvirtVmmMain.run(new String[]{"--cpus", "x"}));
        } finally {
            System.setErr(err);
        }
        String out = buf.toString();
        assertTrue(out.startsWith("jvirt-vmm: cannot read kernel /nonexistent/k.elf"), out);
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
    }

    @Test
    void mainRunsAGuestOnTheEmulator(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path kernel = dir.resolve("ok.elf");
        java.nio.file.Files.write(kernel, org.jvirt.vmm.testing.TestImages.pvhElf(false, org.jvirt.vmm.testing.TestImages.PVH_OK_CODE,
                org.jvirt.vmm.testing.TestImages.LOAD, 0, org.jvirt.vmm.testing.TestImages.LOAD));
        java.nio.file.Path serial = dir.resolve("serial.txt");
        // debug-exit 5 -> (5 << 1) | 1, as QEMU's isa-debug-exit
        assertEquals(11, JvirtVmmMain.run(new String[]{"--kernel", kernel.toString(), "--accel", "emu", "--serial", "file:" + serial}));
        assertEquals("ok\n", java.nio.file.Files.readString(serial));
    }

    @Test
    void aVmWithIdeDrivesCanBeRestoredOrReceiveAMigrationOneWithSataDrivesNot() throws Exception {
        for (String[] args : List.of(new String[]{"--kernel", "k", "--disk", "a.raw,if=ide", "--restore", "s.state"},
                new String[]{"--kernel", "k", "--disk", ",if=ide,media=cdrom", "--incoming", "tcp:127.0.0.1:4444"})) {
            assertEquals(1, CliArguments.parse(args).ideDrives().size());
        }
        CliArguments.UsageException e = assertThrows(CliArguments.UsageException.class,
                () -> CliArguments.parse(new String[]{"--kernel", "k", "--disk", "a.raw,if=sata", "--restore", "s.state"}));
        assertEquals("a VM with SATA drives cannot be restored or migrated yet", e.getMessage());
    }
}
