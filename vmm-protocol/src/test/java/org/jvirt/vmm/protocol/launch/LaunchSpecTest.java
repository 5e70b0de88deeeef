package org.jvirt.vmm.protocol.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.protocol.ExitReason;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LaunchSpecTest {

    @Test
    void everyOptionRoundTrips() throws Exception {
        LaunchSpec full = LaunchSpec.of(Path.of("/k/vmlinuz"))
                .withInitrd(Path.of("/k/initrd.img")).withCmdline("console=ttyS0 root=/dev/vda")
                .withMemoryBytes(3L << 30).withVcpus(4)
                .withDisks(List.of(new LaunchSpec.Disk(Path.of("/d/a,b.qcow2"), false, LaunchSpec.DiskFormat.QCOW2),
                        new LaunchSpec.Disk(Path.of("/d/c.img"), true, LaunchSpec.DiskFormat.RAW)))
                .withSerial(new LaunchSpec.Serial.Unix(Path.of("/run/c.sock"))).withAccel(LaunchSpec.Accel.EMU)
                .withName("web").withControl(Path.of("/run/web.monitor")).withPaused(true)
                .withPidFile(Path.of("/run/web.pid")).withExitFile(Path.of("/run/web.exit")).withStartToken("t-42")
                .withOnReboot(LaunchSpec.OnReboot.DESTROY).withRestore(Path.of("/s/web.save"));
        List<String> args = full.toArgs();
        assertEquals(List.of("--name", "web", "--kernel", "/k/vmlinuz", "--initrd", "/k/initrd.img",
                "--append", "console=ttyS0 root=/dev/vda", "--memory", "3145728K", "--cpus", "4", "--accel", "emu",
                "--disk", "/d/a,,b.qcow2,format=qcow2", "--disk", "/d/c.img,ro", "--serial", "unix:/run/c.sock",
                "--on-reboot", "destroy", "--paused", "--control", "/run/web.monitor", "--pidfile", "/run/web.pid",
                "--exit-file", "/run/web.exit", "--start-token", "t-42", "--restore", "/s/web.save"), args);
        assertEquals(full, LaunchSpec.fromArgs(args.toArray(String[]::new)));

        LaunchSpec minimal = LaunchSpec.of(Path.of("k"));
        assertEquals(minimal, LaunchSpec.fromArgs(minimal.toArgs().toArray(String[]::new)));
        for (LaunchSpec.Serial s : List.of(new LaunchSpec.Serial.Pty(), new LaunchSpec.Serial.ToFile(Path.of("/l")), new LaunchSpec.Serial.Stdio()))
            assertEquals(s, LaunchSpec.fromArgs(minimal.withSerial(s).toArgs().toArray(String[]::new)).serial());
        LaunchSpec oddMemory = minimal.withMemoryBytes(1000L);
        assertEquals(oddMemory, LaunchSpec.fromArgs(oddMemory.toArgs().toArray(String[]::new)));
    }

    @Test
    void refusalsAreOneLine() {
        String[][] bad = {{"--cpus", "1"}, {"--kernel"}, {"--kernel", "k", "x"}, {"--kernel", "k", "--frob", "1"},
                {"--kernel", "k", "--memory", "12Q"}, {"--kernel", "k", "--disk", "a,format=vmdk"},
                {"--kernel", "k", "--serial", "tcp:1"}, {"--kernel", "k", "--accel", "tcg"},
                {"--kernel", "k", "--on-reboot", "pause"}, {"--kernel", "k", "--start-token", "t"}};
        String[] messages = {"--kernel FILE is required", "--kernel needs a value", "unexpected argument 'x'",
                "unknown option --frob", "bad memory size '12Q' (e.g. 256M, 2G)", "unsupported disk format 'vmdk' (raw or qcow2)",
                "bad --serial 'tcp:1' (stdio, file:PATH, unix:PATH or pty)", "unknown accelerator 'tcg' (kvm or emu)",
                "bad --on-reboot 'pause' (restart or destroy)", "--start-token needs --pidfile"};
        for (int i = 0; i < bad.length; i++) {
            String[] args = bad[i];
            assertEquals(messages[i], assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(args)).getMessage());
        }
    }

    @Test
    void rootPortsAndDiskAddressesRoundTrip() throws Exception {
        LaunchSpec spec = LaunchSpec.of(Path.of("k")).withMachine(LaunchSpec.MachineType.Q35)
                .withControllers(List.of(new LaunchSpec.Controller(LaunchSpec.ControllerModel.PCIE_ROOT_PORT, 1, PciAddress.root(1, 0), 1, 0x8),
                        new LaunchSpec.Controller(LaunchSpec.ControllerModel.PCIE_ROOT_PORT, 14, PciAddress.root(2, 5), 14, 0x15)))
                .withDisks(List.of(new LaunchSpec.Disk(Path.of("/d/a.qcow2"), false, LaunchSpec.DiskFormat.QCOW2).withAddress(new PciAddress(14, 0, 0)),
                        new LaunchSpec.Disk(Path.of("/d/b.img"), false, LaunchSpec.DiskFormat.RAW).withAddress(PciAddress.root(0x1e, 7))));
        List<String> args = spec.toArgs();
        assertEquals(List.of("--controller", "pcie-root-port,index=1,addr=01.0,chassis=1,port=0x8",
                "--controller", "pcie-root-port,index=14,addr=02.5,chassis=14,port=0x15",
                "--disk", "/d/a.qcow2,format=qcow2,addr=0e:00.0", "--disk", "/d/b.img,addr=00:1e.7"),
                args.subList(args.indexOf("--controller"), args.size()));
        assertEquals(spec, LaunchSpec.fromArgs(args.toArray(String[]::new)));
        // the short forms: SLOT.FN on the root bus, decimal chassis, port and index defaults
        LaunchSpec s = LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--controller", "pcie-root-port,index=3,addr=1f.0",
                "--disk", "d,addr=3.1"});
        assertEquals(new LaunchSpec.Controller(LaunchSpec.ControllerModel.PCIE_ROOT_PORT, 3, PciAddress.root(0x1f, 0), 3, 0), s.controllers().get(0));
        assertEquals(PciAddress.root(3, 1), s.disks().get(0).address());

        String[][] bad = {{"--disk", "d,addr=1:2"}, {"--disk", "d,addr=00:20.0"}, {"--disk", "d,addr=00:01.8"}, {"--disk", "d,if=ide,addr=01.0"},
                {"--controller", "pci-bridge,index=1,addr=01.0"}, {"--controller", "pcie-root-port,addr=01.0"},
                {"--controller", "pcie-root-port,index=0,addr=01.0"}, {"--controller", "pcie-root-port,index=2,addr=01:00.0"},
                {"--controller", "pcie-root-port,index=2,addr=01.0,port=0x100"}};
        String[] messages = {"bad PCI address '1:2' (BUS:SLOT.FUNCTION or SLOT.FUNCTION in hex, e.g. 01:00.0)",
                "bad PCI address '00:20.0': PCI slot 32 out of range (0..0x1f)", "bad PCI address '00:01.8': PCI function 8 out of range (0..7)",
                "addr= places a virtio disk's PCI function (needs if=virtio)", "unknown controller model 'pci-bridge' (pcie-root-port)",
                "--controller pcie-root-port needs index= and addr=",
                "bad --controller 'pcie-root-port,index=0,addr=01.0': controller index 0 out of range (1..255)",
                "bad --controller 'pcie-root-port,index=2,addr=01:00.0': a pcie-root-port sits on the root bus (addr=SLOT.FN), not at 01:00.0",
                "bad --controller 'pcie-root-port,index=2,addr=01.0,port=0x100': port 256 out of range (0..255)"};
        for (int i = 0; i < bad.length; i++) {
            String[] args2 = new String[bad[i].length + 2];
            args2[0] = "--kernel";
            args2[1] = "k";
            System.arraycopy(bad[i], 0, args2, 2, bad[i].length);
            assertEquals(messages[i], assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(args2)).getMessage());
        }
        assertEquals("--controller needs --kernel (with --restore alone, the VM is the one the file describes)",
                assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(new String[] {"--restore", "f",
                        "--controller", "pcie-root-port,index=1,addr=01.0"})).getMessage());
    }

    @Test
    void pflashUnitsRoundTripInOrderAndExcludeOtherBoots() throws Exception {
        LaunchSpec uefi = LaunchSpec.fromArgs(new String[] {"--pflash", "/usr/share/OVMF/OVMF_CODE_4M.fd,ro",
                "--pflash", "/var/lib/nvram/a,,b_VARS.fd", "--disk", "d.raw,bootindex=1", "--boot", "strict=on", "--accel", "emu"});
        assertEquals(List.of(new LaunchSpec.Pflash(Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd"), true),
                new LaunchSpec.Pflash(Path.of("/var/lib/nvram/a,b_VARS.fd"), false)), uefi.pflash(), "unit 0 then unit 1; ,, is a comma");
        List<String> args = uefi.toArgs();
        assertEquals(List.of("--pflash", "/usr/share/OVMF/OVMF_CODE_4M.fd,ro", "--pflash", "/var/lib/nvram/a,,b_VARS.fd"),
                args.subList(args.indexOf("--pflash"), args.indexOf("--pflash") + 4));
        assertEquals(uefi, LaunchSpec.fromArgs(args.toArray(String[]::new)));
        assertTrue(LaunchSpec.fromArgs(new String[] {"--pflash", "c,readonly=on"}).pflash().get(0).readOnly());
        assertEquals(Path.of("s"), LaunchSpec.fromArgs(new String[] {"--pflash", "c", "--restore", "s"}).restore(), "a UEFI VM restores with its units");
        String[][] bad = {{"--pflash", "c", "--kernel", "k"}, {"--pflash", "c", "--firmware", "b"}, {"--pflash", "c", "--restore", "s", "--incoming", "tcp:h:1"},
                {"--pflash", "c", "--append", "x"}, {"--pflash", "a", "--pflash", "b", "--pflash", "c"}, {"--pflash", "c,rx"},
                {"--pflash", ",ro"}};
        String[] messages = {"--pflash excludes --firmware and --kernel",
                "--pflash excludes --firmware and --kernel",
                "--incoming and --restore exclude each other", "--initrd and --append need --kernel",
                "at most 2 --pflash units", "unknown --pflash option 'rx' (ro, rw)", "--pflash needs a file name"};
        for (int i = 0; i < bad.length; i++) {
            String[] a = bad[i];
            assertEquals(messages[i], assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(a)).getMessage());
        }
    }

    @Test
    void usbControllerAndInputDevicesRoundTripAndAreMachineOptions() throws Exception {
        LaunchSpec spec = LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--usb", "qemu-xhci,addr=0:05.0",
                "--input", "tablet,bus=usb", "--input", "keyboard,bus=virtio,addr=0:06.0", "--input", "mouse,bus=virtio"});
        assertEquals(new LaunchSpec.Usb(PciAddress.parse("0:05.0")), spec.usb());
        assertEquals(List.of(new LaunchSpec.Input(LaunchSpec.InputKind.TABLET, LaunchSpec.InputBus.USB, null),
                new LaunchSpec.Input(LaunchSpec.InputKind.KEYBOARD, LaunchSpec.InputBus.VIRTIO, PciAddress.parse("0:06.0")),
                new LaunchSpec.Input(LaunchSpec.InputKind.MOUSE, LaunchSpec.InputBus.VIRTIO, null)), spec.inputs());
        assertEquals(spec, LaunchSpec.fromArgs(spec.toArgs().toArray(String[]::new)));
        assertNull(LaunchSpec.fromArgs(new String[] {"--kernel", "k"}).usb());
        LaunchSpec ports = LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--usb", "qemu-xhci,addr=0:05.0,ports=15"});
        assertEquals(new LaunchSpec.Usb(PciAddress.parse("0:05.0"), 15), ports.usb());
        assertEquals(ports, LaunchSpec.fromArgs(ports.toArgs().toArray(String[]::new)));
        assertEquals("--usb ports must be 1 to 15: 16",
                assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--usb", "qemu-xhci,ports=16"})).getMessage());
        assertEquals("--usb ports must be 1 to 15: 0",
                assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--usb", "qemu-xhci,ports=0"})).getMessage());
        String[][] bad = {
                {"--kernel", "k", "--input", "tablet,bus=usb"},
                {"--kernel", "k", "--input", "joystick,bus=usb"},
                {"--kernel", "k", "--input", "tablet"},
                {"--kernel", "k", "--input", "tablet,bus=ps2"},
                {"--kernel", "k", "--usb", "qemu-xhci", "--input", "tablet,bus=usb,addr=0:05.0"},
                {"--kernel", "k", "--usb", "piix3-usb-uhci"},
                {"--restore", "f", "--usb", "qemu-xhci"},
        };
        String[] messages = {
                "--input tablet,bus=usb needs a USB controller (--usb qemu-xhci)",
                "unknown input device 'joystick' (keyboard, mouse or tablet)",
                "--input tablet needs bus=usb or bus=virtio",
                "unknown --input option 'bus=ps2' (bus=usb|virtio, addr=BUS:SLOT.FN)",
                "bad --input 'tablet,bus=usb,addr=0:05.0': addr= is for virtio input devices",
                "unknown USB controller 'piix3-usb-uhci' (qemu-xhci)",
                "--usb needs --kernel (with --restore alone, the VM is the one the file describes)",
        };
        for (int i = 0; i < bad.length; i++) {
            String[] args = bad[i];
            assertEquals(messages[i], assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(args)).getMessage());
        }
    }

    @Test
    void balloonRoundTripsIsAMachineOptionAndRefusesBadOptions() throws Exception {
        LaunchSpec spec = LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--balloon", "virtio,addr=0:05.0,deflate-on-oom=on,stats-period=10"});
        assertEquals(new LaunchSpec.Balloon(PciAddress.parse("0:05.0"), true, 10), spec.balloon());
        assertEquals(spec, LaunchSpec.fromArgs(spec.toArgs().toArray(String[]::new)));
        assertEquals(new LaunchSpec.Balloon(null, false, null), LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--balloon", "virtio"}).balloon());
        assertNull(LaunchSpec.fromArgs(new String[] {"--kernel", "k"}).balloon());
        assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--balloon", "xen"}));
        assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--balloon", "virtio,stats-period=-1"}));
        assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(new String[] {"--restore", "/s", "--balloon", "virtio"}));
    }

    @Test
    void rngRoundTripsWithItsAddressAndACommaInItsFile() throws Exception {
        LaunchSpec spec = LaunchSpec.of(Path.of("k")).withRng(new LaunchSpec.Rng(Path.of("/dev/a,b"), PciAddress.parse("01:00.0")));
        assertEquals("/dev/a,,b,addr=01:00.0", spec.toArgs().get(spec.toArgs().indexOf("--rng") + 1));
        assertEquals(spec, LaunchSpec.fromArgs(spec.toArgs().toArray(String[]::new)));
        assertEquals(new LaunchSpec.Rng(Path.of("/dev/urandom"), null), LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--rng", "/dev/urandom"}).rng());
        assertEquals("--rng needs a file name", assertThrows(LaunchSpec.UsageException.class,
                () -> LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--rng", ",addr=05.0"})).getMessage());
        assertEquals("unknown --rng option 'max-bytes=4' (addr=BUS:SLOT.FN)", assertThrows(LaunchSpec.UsageException.class,
                () -> LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--rng", "/dev/urandom,max-bytes=4"})).getMessage());
        assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(new String[] {"--restore", "/s", "--rng", "/dev/urandom"}));
    }

    @Test
    void vgaRoundTripsIsAMachineOptionAndIsNoneByDefault() throws Exception {
        LaunchSpec spec = LaunchSpec.of(Path.of("k")).withVga(LaunchSpec.Vga.STD);
        List<String> args = spec.toArgs();
        assertEquals(List.of("--kernel", "k", "--cpus", "1", "--accel", "kvm", "--vga", "std"), args);
        assertEquals(spec, LaunchSpec.fromArgs(args.toArray(String[]::new)));
        assertEquals(LaunchSpec.Vga.NONE, LaunchSpec.fromArgs(new String[] {"--kernel", "k"}).vga());
        assertEquals(LaunchSpec.Vga.NONE, LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--vga", "none"}).vga());
        assertEquals(LaunchSpec.Vga.BOCHS, LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--vga", "bochs"}).vga());
        LaunchSpec.UsageException e = assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--vga", "cirrus"}));
        assertEquals("unknown --vga 'cirrus' (std, bochs, virtio, virtio-vga or none)", e.getMessage());
        assertEquals(LaunchSpec.Vga.VIRTIO_VGA, LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--vga", "virtio-vga"}).vga());
        assertEquals(List.of("--kernel", "k", "--cpus", "1", "--accel", "kvm", "--vga", "virtio-vga"),
                LaunchSpec.of(Path.of("k")).withVga(LaunchSpec.Vga.VIRTIO_VGA).toArgs());
        e = assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(new String[] {"--restore", "f", "--vga", "std"}));
        assertTrue(e.getMessage().startsWith("--vga needs --kernel"), e.getMessage());
    }

    @Test
    void vncRoundTripsAndIsAProcessOption() throws Exception {
        LaunchSpec.Vnc tcp = new LaunchSpec.Vnc("127.0.0.1", 5901, null, null, false);
        LaunchSpec spec = LaunchSpec.of(Path.of("k")).withVnc(tcp);
        assertEquals(List.of("--kernel", "k", "--cpus", "1", "--accel", "kvm", "--vnc", "tcp:127.0.0.1:5901"), spec.toArgs());
        assertEquals(spec, LaunchSpec.fromArgs(spec.toArgs().toArray(String[]::new)));
        for (LaunchSpec.Vnc v : List.of(new LaunchSpec.Vnc("::1", 5900, null, LaunchSpec.VncShare.FORCE_SHARED, true),
                new LaunchSpec.Vnc(null, 0, Path.of("/run/a,b/vnc.sock"), LaunchSpec.VncShare.IGNORE, false))) {
            assertEquals(v, LaunchSpec.Vnc.fromArg(v.toArg()), v.toArg());
        }
        assertEquals("tcp:[::1]:5900,share=force-shared,password=on",
                new LaunchSpec.Vnc("::1", 5900, null, LaunchSpec.VncShare.FORCE_SHARED, true).toArg());
        // a restored or incoming VM serves its display over VNC too
        assertEquals(tcp, LaunchSpec.fromArgs(new String[] {"--restore", "f", "--vnc", "tcp:127.0.0.1:5901"}).vnc());
        assertNull(LaunchSpec.fromArgs(new String[] {"--kernel", "k"}).vnc());
        for (String bad : List.of("5900", "tcp:host", "tcp::5900", "tcp:h:70000", "unix:", "tcp:h:1,share=exclusive", "tcp:h:1,to=99")) {
            assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.Vnc.fromArg(bad), bad);
        }
    }

    @Test
    void machineTypeRoundTripsAndIsAMachineOption() throws Exception {
        LaunchSpec q35 = LaunchSpec.of(null).withFirmware(Path.of("/bios.bin")).withMachine(LaunchSpec.MachineType.Q35);
        List<String> args = q35.toArgs();
        assertEquals(List.of("--firmware", "/bios.bin", "--cpus", "1", "--accel", "kvm", "--machine", "q35"), args);
        assertEquals(q35, LaunchSpec.fromArgs(args.toArray(String[]::new)));
        assertEquals(LaunchSpec.MachineType.PC, LaunchSpec.fromArgs(new String[] {"--kernel", "k"}).machine(), "pc by default");
        assertFalse(LaunchSpec.of(Path.of("k")).toArgs().contains("--machine"), "the default is left out");
        assertEquals(LaunchSpec.MachineType.PC, LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--machine", "pc"}).machine());
        assertEquals("unknown machine 'pc-q35-7.2' (pc or q35)", assertThrows(LaunchSpec.UsageException.class,
                () -> LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--machine", "pc-q35-7.2"})).getMessage());
        assertEquals("--machine needs --kernel (with --restore alone, the VM is the one the file describes)",
                assertThrows(LaunchSpec.UsageException.class,
                        () -> LaunchSpec.fromArgs(new String[] {"--restore", "s", "--machine", "q35"})).getMessage());
    }

    @Test
    void firmwareRoundTripsAndExcludesAKernel() throws Exception {
        LaunchSpec fw = LaunchSpec.of(null).withFirmware(Path.of("/usr/share/seabios/bios-256k.bin"))
                .withAccel(LaunchSpec.Accel.EMU).withMemoryBytes(256L << 20);
        List<String> args = fw.toArgs();
        assertEquals(List.of("--firmware", "/usr/share/seabios/bios-256k.bin", "--memory", "262144K", "--cpus", "1",
                "--accel", "emu"), args);
        assertEquals(fw, LaunchSpec.fromArgs(args.toArray(String[]::new)));
        assertEquals(Path.of("s"), LaunchSpec.fromArgs(new String[] {"--firmware", "b", "--restore", "s"}).restore(), "a BIOS VM restores with its options");
        String[][] bad = {{"--firmware", "b", "--kernel", "k"}, {"--firmware", "b", "--append", "x"},
                {"--firmware", "b", "--restore", "s", "--incoming", "tcp:h:1"}};
        String[] messages = {"--firmware excludes --kernel", "--initrd and --append need --kernel",
                "--incoming and --restore exclude each other"};
        for (int i = 0; i < bad.length; i++) {
            String[] a = bad[i];
            assertEquals(messages[i], assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(a)).getMessage());
        }
    }

    @Test
    void ideDrivesCdromsAndTheBootOrderRoundTrip() throws Exception {
        LaunchSpec fw = LaunchSpec.of(null).withFirmware(Path.of("/bios.bin")).withBoot(new LaunchSpec.Boot("dc", true)).withDisks(List.of(
                new LaunchSpec.Disk(Path.of("/d/sys.qcow2"), false, LaunchSpec.DiskFormat.QCOW2).withBootIndex(2),
                new LaunchSpec.Disk(Path.of("/d/old.img"), false, null, LaunchSpec.DiskBus.IDE, null, 0, null, "WD-1,2 x"),
                new LaunchSpec.Disk(Path.of("/i/boot.iso"), false, null, LaunchSpec.DiskBus.IDE, LaunchSpec.DiskMedia.CDROM, 2, 1),
                new LaunchSpec.Disk(null, false, null, LaunchSpec.DiskBus.IDE, LaunchSpec.DiskMedia.CDROM, null, null),
                new LaunchSpec.Disk(Path.of("/i/inst.iso"), false, null, LaunchSpec.DiskBus.SATA, LaunchSpec.DiskMedia.CDROM, 5, 3),
                new LaunchSpec.Disk(Path.of("/d/data.raw"), true, null, LaunchSpec.DiskBus.SATA, null, null, null, "S1")));
        List<String> args = fw.toArgs();
        assertEquals(List.of("--firmware", "/bios.bin", "--cpus", "1", "--accel", "kvm",
                "--disk", "/d/sys.qcow2,format=qcow2,bootindex=2", "--disk", "/d/old.img,if=ide,index=0,serial=WD-1,,2 x",
                "--disk", "/i/boot.iso,if=ide,media=cdrom,index=2,bootindex=1", "--disk", ",if=ide,media=cdrom",
                "--disk", "/i/inst.iso,if=sata,media=cdrom,index=5,bootindex=3", "--disk", "/d/data.raw,ro,if=sata,serial=S1",
                "--boot", "order=dc,strict=on"), args);
        LaunchSpec back = LaunchSpec.fromArgs(args.toArray(String[]::new));
        assertEquals(fw, back);
        assertTrue(back.disks().get(2).readOnly(), "a cdrom is read-only");
        String[][] bad = {{"--firmware", "b", "--disk", "x,media=cdrom"}, {"--firmware", "b", "--disk", "x,index=1"},
                {"--firmware", "b", "--disk", "x,if=ide,index=4"}, {"--firmware", "b", "--boot", "order=cdx"},
                {"--firmware", "b", "--boot", "order=cc"}, {"--kernel", "k", "--boot", "order=c"},
                {"--kernel", "k", "--disk", "x,bootindex=1"}, {"--firmware", "b", "--disk", ",if=ide"},
                {"--firmware", "b", "--disk", "x,if=sata,index=6"}, {"--firmware", "b", "--disk", ",if=sata"}};
        String[] messages = {"a cdrom needs if=ide or if=sata", "index= is an IDE position or a SATA port (needs if=ide or if=sata)",
                "bad disk option 'index=4' (0..3)",
                "bad --boot 'order=cdx' (order= up to three of a, c, d, n, each once)",
                "bad --boot 'order=cc' (order= up to three of a, c, d, n, each once)", "--boot needs --firmware",
                "bootindex needs --firmware", "--disk needs a file name", "bad disk option 'index=6' (0..5)", "--disk needs a file name"};
        for (int i = 0; i < bad.length; i++) {
            String[] a = bad[i];
            assertEquals(messages[i], assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(a)).getMessage());
        }
    }

    @Test
    void streamNicsRoundTripBesideTapsAndBadOnesAreOneLine() throws Exception {
        LaunchSpec spec = LaunchSpec.of(Path.of("/k")).withNics(List.of(new LaunchSpec.Nic("jt0", null, null, true),
                LaunchSpec.Nic.stream(Path.of("/run/jvirt/passt/1-vm-net1.socket"), "52:54:00:aa:bb:cc"),
                LaunchSpec.Nic.stream(Path.of("/tmp/a,b.sock"), null).withAddress(org.jvirt.vmm.protocol.launch.PciAddress.parse("00:05.0"))));
        List<String> args = spec.toArgs();
        assertEquals(List.of("--kernel", "/k", "--cpus", "1", "--accel", "kvm", "--nic", "tap,ifname=jt0", "--nic",
                "stream,path=/run/jvirt/passt/1-vm-net1.socket,mac=52:54:00:aa:bb:cc", "--nic", "stream,path=/tmp/a,,b.sock,addr=00:05.0"), args);
        assertEquals(spec, LaunchSpec.fromArgs(args.toArray(String[]::new)));
        assertEquals(Path.of("/tmp/a,b.sock"), LaunchSpec.fromArgs(args.toArray(String[]::new)).nics().get(2).stream());
        String[][] bad = {{"--kernel", "k", "--nic", "stream"}, {"--kernel", "k", "--nic", "stream,path="},
                {"--kernel", "k", "--nic", "stream,path=/s,ifname=x"}, {"--kernel", "k", "--nic", "stream,path=/" + "s".repeat(107)},
                {"--kernel", "k", "--nic", "stream,path=/s,mac=zz"}};
        String[] messages = {"bad --nic 'stream': stream needs path=PATH (the unix socket passt listens on)",
                "bad --nic 'stream,path=': stream needs path=PATH (the unix socket passt listens on)",
                "unknown --nic stream option 'ifname=x' (path=PATH, mac=XX:XX:XX:XX:XX:XX, addr=BUS:SLOT.FN)",
                "bad --nic option 'path=/" + "s".repeat(107) + "': a unix socket path has at most 107 bytes",
                "bad --nic option 'mac=zz' (mac=XX:XX:XX:XX:XX:XX)"};
        for (int i = 0; i < bad.length; i++) {
            String[] a = bad[i];
            assertEquals(messages[i], assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(a), String.join(" ", a)).getMessage());
        }
    }

    @Test
    void nicsRoundTripInOrderAndBadOnesAreOneLine() throws Exception {
        LaunchSpec spec = LaunchSpec.of(Path.of("/k")).withNics(List.of(new LaunchSpec.Nic(null, null, null, true),
                new LaunchSpec.Nic("vnet7", "virbr0", "52:54:00:aa:bb:cc", false, PciAddress.root(3, 0))));
        List<String> args = spec.toArgs();
        assertEquals(List.of("--kernel", "/k", "--cpus", "1", "--accel", "kvm", "--nic", "tap", "--nic",
                "tap,ifname=vnet7,bridge=virbr0,mac=52:54:00:aa:bb:cc,offload=off,addr=00:03.0"), args);
        assertEquals(spec, LaunchSpec.fromArgs(args.toArray(String[]::new)));
        assertEquals("52:54:00:12:34:56", LaunchSpec.Nic.defaultMac(0), "QEMU's first default MAC");
        assertEquals("52:54:00:12:34:57", LaunchSpec.Nic.defaultMac(1));
        assertEquals("52:54:00:aa:bb:cc", LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--nic", "tap,mac=52:54:00:AA:BB:CC"}).nics().get(0).mac());
        String[][] bad = {{"--kernel", "k", "--nic", "user"}, {"--kernel", "k", "--nic", "tap,mac=52:54:00:12:34"},
                {"--kernel", "k", "--nic", "tap,mac=01:00:5e:00:00:01"}, {"--kernel", "k", "--nic", "tap,ifname=a-name-far-too-long"},
                {"--kernel", "k", "--nic", "tap,bridge=a/b"}, {"--kernel", "k", "--nic", "tap,offload=yes"},
                {"--kernel", "k", "--nic", "tap,addr=00:20.0"}, {"--restore", "f", "--nic", "tap"}};
        String[] messages = {"bad --nic 'user': the backend must be tap or stream", "bad --nic option 'mac=52:54:00:12:34' (mac=XX:XX:XX:XX:XX:XX)",
                "bad --nic option 'mac=01:00:5e:00:00:01': a multicast address",
                "bad --nic option 'ifname=a-name-far-too-long' (1..15 characters, no '/', ':' or blanks)",
                "bad --nic option 'bridge=a/b' (1..15 characters, no '/', ':' or blanks)",
                "unknown --nic option 'offload=yes' (ifname=NAME, bridge=BR, mac=XX:XX:XX:XX:XX:XX, offload=on|off, addr=BUS:SLOT.FN)",
                "bad PCI address '00:20.0': PCI slot 32 out of range (0..0x1f)",
                "--nic needs --kernel (with --restore alone, the VM is the one the file describes)"};
        for (int i = 0; i < bad.length; i++) {
            String[] a = bad[i];
            LaunchSpec.UsageException e = assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(a), String.join(" ", a));
            assertEquals(messages[i], e.getMessage());
        }
    }

    @Test
    void theExitRecordIsWrittenAndReadThroughTheSameClass(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("vm.exit");
        assertNull(ExitRecord.read(f));
        for (ExitReason r : ExitReason.values()) {
            new ExitRecord(r, 3, "line one\nline two").write(f);
            assertEquals(new ExitRecord(r, 3, "line one line two"), ExitRecord.read(f));
        }
        new ExitRecord(ExitReason.SAVED, 0, "").write(f);
        assertTrue(Files.readString(f).startsWith("reason=saved\n"), "the text older readers and people read");
        assertNull(ExitRecord.parse("reason=running-one's\n").reason());
        assertEquals(new ExitRecord(null, 0, ""), ExitRecord.parse("garbage"));
    }

    @Test
    void smbiosOptionsAndUuidRoundTripAndNeedFirmware() throws Exception {
        LaunchSpec spec = LaunchSpec.fromArgs(new String[] {"--firmware", "bios.bin", "--smbios", "type=0,vendor=a,,b",
                "--smbios", "type=11,value=x,value=y", "--uuid", "c7a5fdbd-edaf-9455-926a-d65c16db1809"});
        assertEquals(List.of("type=0,vendor=a,,b", "type=11,value=x,value=y"), spec.smbios());
        assertEquals("c7a5fdbd-edaf-9455-926a-d65c16db1809", spec.uuid());
        assertEquals(spec, LaunchSpec.fromArgs(spec.toArgs().toArray(String[]::new)));
        assertEquals("--smbios needs --firmware or --pflash (a direct kernel boot has no SMBIOS)",
                assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(new String[] {"--kernel", "k", "--smbios", "type=1"})).getMessage());
        assertEquals("--smbios 'vendor=a' must start with type=N",
                assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(new String[] {"--firmware", "b", "--smbios", "vendor=a"})).getMessage());
        assertEquals("bad --uuid 'c7a5fdbd' (8-4-4-4-12 hexadecimal digits)",
                assertThrows(LaunchSpec.UsageException.class, () -> LaunchSpec.fromArgs(new String[] {"--firmware", "b", "--uuid", "c7a5fdbd"})).getMessage());
        assertNull(LaunchSpec.fromArgs(new String[] {"--kernel", "k"}).uuid());
    }
}
