package org.jvirt.vmm.machine;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.devices.fwcfg.smbios.SmbiosFields;
import org.jvirt.vmm.devices.serial.SerialBackend;
import org.jvirt.vmm.protocol.launch.PciAddress;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to build a VM. initrd may be null; cmdline may be empty. With firmware (a
 * BIOS image such as SeaBIOS's bios-256k.bin) the machine boots the firmware from the reset
 * vector instead of a kernel; kernel is then null. With pflash units (UEFI: OVMF's code and
 * variable store) the firmware is in flash instead; firmware is then null. chipset is the board
 * (pc by default, or q35).
 */
public record MachineConfig(long memoryBytes, int vcpus, Path kernel, Path initrd, String cmdline,
                            List<Disk> disks, Serial serial, Accel accel, Path firmware, List<IdeDrive> ideDrives, Boot boot,
                            List<SataDrive> sataDrives, List<Pflash> pflash, Chipset chipset, List<RootPort> rootPorts, Rng rng, List<Nic> nics, Video video,
                            UsbController usbController, List<InputDevice> inputs, Balloon balloon, SmbiosFields smbios) {

    public static final long DEFAULT_MEMORY = 256L << 20;

    public MachineConfig {
        pflash = pflash == null ? List.of() : List.copyOf(pflash);
        nics = nics == null ? List.of() : List.copyOf(nics);
        if (firmware != null && !pflash.isEmpty()) throw new IllegalArgumentException("a machine boots a BIOS image or flash, not both");
        if ((kernel == null) == (firmware == null && pflash.isEmpty())) throw new IllegalArgumentException("a machine boots either a kernel or firmware");
        cmdline = cmdline == null ? "" : cmdline;
        disks = List.copyOf(disks);
        ideDrives = ideDrives == null ? List.of() : List.copyOf(ideDrives);
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        for (IdeDrive d : ideDrives) {
            if (!taken.add(d.position())) throw new IllegalArgumentException("two IDE drives at position " + d.position());
        }
        sataDrives = sataDrives == null ? List.of() : List.copyOf(sataDrives);
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (SataDrive d : sataDrives) {
            if (!ports.add(d.port())) throw new IllegalArgumentException("two SATA drives on port " + d.port());
        }
        if (boot != null && firmware == null && pflash.isEmpty()) throw new IllegalArgumentException("a boot order needs firmware");
        serial = serial == null ? new Serial.Stdio() : serial;
        accel = accel == null ? Accel.KVM : accel;
        if (memoryBytes < (2L << 20)) throw new IllegalArgumentException("memory must be at least 2 MiB");
        if (memoryBytes % 4096 != 0) throw new IllegalArgumentException("memory must be a multiple of 4 KiB");
        if (vcpus < 1 || vcpus > 255) throw new IllegalArgumentException("vCPU count must be 1..255");
        chipset = chipset == null ? Chipset.PC : chipset;
        video = video == null ? Video.NONE : video;
        if (chipset == Chipset.Q35 && !ideDrives.isEmpty()) throw new IllegalArgumentException("the q35 machine has no IDE controller (if=ide needs --machine pc)");
        rootPorts = rootPorts == null ? List.of() : List.copyOf(rootPorts);
        PciLayout.check(chipset, rootPorts, disks);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        smbios = smbios == null ? SmbiosFields.NONE : smbios;
        for (InputDevice in : inputs) {
            if (in.bus() == InputBus.USB && usbController == null) throw new IllegalArgumentException("a USB input device needs a USB controller");
        }
    }

    /** Without a balloon or SMBIOS fields of the user's. */
    public MachineConfig(long memoryBytes, int vcpus, Path kernel, Path initrd, String cmdline,
                         List<Disk> disks, Serial serial, Accel accel, Path firmware, List<IdeDrive> ideDrives, Boot boot,
                         List<SataDrive> sataDrives, List<Pflash> pflash, Chipset chipset, List<RootPort> rootPorts, Rng rng, List<Nic> nics, Video video,
                         UsbController usbController, List<InputDevice> inputs) {
        this(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, video, usbController, inputs, null, SmbiosFields.NONE);
    }

    /** Without SMBIOS fields of the user's. */
    public MachineConfig(long memoryBytes, int vcpus, Path kernel, Path initrd, String cmdline,
                         List<Disk> disks, Serial serial, Accel accel, Path firmware, List<IdeDrive> ideDrives, Boot boot,
                         List<SataDrive> sataDrives, List<Pflash> pflash, Chipset chipset, List<RootPort> rootPorts, Rng rng, List<Nic> nics, Video video,
                         UsbController usbController, List<InputDevice> inputs, Balloon balloon) {
        this(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, video, usbController, inputs, balloon, SmbiosFields.NONE);
    }

    public MachineConfig withSmbios(SmbiosFields f) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, video, usbController, inputs, balloon, f); }

    /** A pc without SATA drives or flash units (a kernel or a BIOS image). */
    public MachineConfig(long memoryBytes, int vcpus, Path kernel, Path initrd, String cmdline,
                         List<Disk> disks, Serial serial, Accel accel, Path firmware, List<IdeDrive> ideDrives, Boot boot) {
        this(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, List.of(), List.of(), Chipset.PC, List.of(), null, List.of(), null, null, List.of(), null, SmbiosFields.NONE);
    }

    /** Without IDE drives or a boot order. */
    public MachineConfig(long memoryBytes, int vcpus, Path kernel, Path initrd, String cmdline,
                         List<Disk> disks, Serial serial, Accel accel, Path firmware) {
        this(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, List.of(), null);
    }

    /** A machine that boots a kernel. */
    public MachineConfig(long memoryBytes, int vcpus, Path kernel, Path initrd, String cmdline,
                         List<Disk> disks, Serial serial, Accel accel) {
        this(memoryBytes, vcpus, Objects.requireNonNull(kernel, "kernel"), initrd, cmdline, disks, serial, accel, null);
    }

    /** Firmware with defaults: 256 MiB, 1 vCPU, no disks, serial on stdout, KVM. */
    public static MachineConfig ofFirmware(Path firmware) {
        return new MachineConfig(DEFAULT_MEMORY, 1, null, null, "", List.of(), new Serial.Stdio(), Accel.KVM,
                Objects.requireNonNull(firmware, "firmware"));
    }

    /** Where the board puts the RAM in guest-physical memory. */
    public List<org.jvirt.vmm.memory.RamRange> ramRanges() {
        return chipset == Chipset.Q35 ? org.jvirt.vmm.memory.X86MemoryLayout.q35RamRanges(memoryBytes)
                : org.jvirt.vmm.memory.X86MemoryLayout.ramRanges(memoryBytes);
    }

    /** Whether the machine boots firmware (else a kernel). */
    public boolean bootsFirmware() { return firmware != null || !pflash.isEmpty(); }

    /** Whether the firmware is UEFI in flash units (QEMU's -drive if=pflash) rather than a BIOS image. */
    public boolean bootsFlash() { return !pflash.isEmpty(); }

    public MachineConfig withPflash(List<Pflash> p) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, p, chipset, rootPorts, rng, nics, video, usbController, inputs, balloon, smbios); }

    /** A kernel with defaults: 256 MiB, 1 vCPU, no disks, serial on stdout, KVM. */
    public static MachineConfig of(Path kernel) {
        return new MachineConfig(DEFAULT_MEMORY, 1, kernel, null, "", List.of(), new Serial.Stdio(), Accel.KVM);
    }

    public MachineConfig withMemory(long bytes) { return new MachineConfig(bytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, video, usbController, inputs, balloon, smbios); }
    public MachineConfig withVcpus(int n) { return new MachineConfig(memoryBytes, n, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, video, usbController, inputs, balloon, smbios); }
    public MachineConfig withSerial(Serial s) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, s, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, video, usbController, inputs, balloon, smbios); }
    public MachineConfig withDisks(List<Disk> d) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, d, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, video, usbController, inputs, balloon, smbios); }
    public MachineConfig withCmdline(String c) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, c, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, video, usbController, inputs, balloon, smbios); }
    public MachineConfig withInitrd(Path p) { return new MachineConfig(memoryBytes, vcpus, kernel, p, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, video, usbController, inputs, balloon, smbios); }
    public MachineConfig withAccel(Accel a) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, a, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, video, usbController, inputs, balloon, smbios); }

    public MachineConfig withIdeDrives(List<IdeDrive> d) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, d, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, video, usbController, inputs, balloon, smbios); }
    public MachineConfig withSataDrives(List<SataDrive> d) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, d, pflash, chipset, rootPorts, rng, nics, video, usbController, inputs, balloon, smbios); }
    public MachineConfig withBoot(Boot b) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, b, sataDrives, pflash, chipset, rootPorts, rng, nics, video, usbController, inputs, balloon, smbios); }
    public MachineConfig withRootPorts(List<RootPort> r) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, r, rng, nics, video, usbController, inputs, balloon, smbios); }
    public MachineConfig withRng(Rng r) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, r, nics, video, usbController, inputs, balloon, smbios); }
    public MachineConfig withNics(List<Nic> n) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, n, video, usbController, inputs, balloon, smbios); }
    public MachineConfig withUsbController(UsbController u) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, video, u, inputs, balloon, smbios); }
    public MachineConfig withInputs(List<InputDevice> i) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, video, usbController, i, balloon, smbios); }
    public MachineConfig withVideo(Video v) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, v, usbController, inputs, balloon, smbios); }
    public MachineConfig withBalloon(Balloon b) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, chipset, rootPorts, rng, nics, video, usbController, inputs, b, smbios); }
    public MachineConfig withChipset(Chipset c) { return new MachineConfig(memoryBytes, vcpus, kernel, initrd, cmdline, disks, serial, accel, firmware, ideDrives, boot, sataDrives, pflash, c, rootPorts, rng, nics, video, usbController, inputs, balloon, smbios); }

    /**
     * A disk image (raw or qcow2, with its backing chain) attached as a virtio-blk device;
     * bootIndex: its place in the firmware's boot order (QEMU's bootindex), null for none;
     * serial: what GET_ID answers (null: "jvirt-diskN"); address: its PCI function's place (bus:
     * a root port's index or 0), null for the first free slot of the root bus.
     */
    public record Disk(Path path, boolean readOnly, ImageFormat format, Integer bootIndex, String serial, PciAddress address) {
        public Disk {
            Objects.requireNonNull(path, "path");
            format = format == null ? ImageFormat.RAW : format;
        }

        public Disk(Path path, boolean readOnly, ImageFormat format, Integer bootIndex, String serial) {
            this(path, readOnly, format, bootIndex, serial, null);
        }

        public Disk(Path path, boolean readOnly, ImageFormat format) {
            this(path, readOnly, format, null, null);
        }

        public Disk(Path path, boolean readOnly, ImageFormat format, Integer bootIndex) {
            this(path, readOnly, format, bootIndex, null);
        }

        /** A raw image. */
        public Disk(Path path, boolean readOnly) {
            this(path, readOnly, ImageFormat.RAW);
        }
    }

    /**
     * A drive on the PIIX3 IDE: position 0..3 (primary master, primary slave, secondary master,
     * secondary slave), a hard disk or an ATAPI CD-ROM (read-only; path null: no medium).
     */
    public record IdeDrive(int position, boolean cdrom, Path path, boolean readOnly, ImageFormat format, Integer bootIndex, String serial) {
        public IdeDrive {
            if (position < 0 || position > 3) throw new IllegalArgumentException("IDE position must be 0..3");
            if (!cdrom) Objects.requireNonNull(path, "an IDE disk needs an image");
            if (cdrom) readOnly = true;
            format = format == null ? ImageFormat.RAW : format;
        }

        public IdeDrive(int position, boolean cdrom, Path path, boolean readOnly, ImageFormat format, Integer bootIndex) {
            this(position, cdrom, path, readOnly, format, bootIndex, null);
        }

        public int channel() { return position / 2; }
        public int unit() { return position % 2; }
    }

    /**
     * A drive on the AHCI controller (QEMU's ich9-ahci): port 0..5, a hard disk or an ATAPI
     * CD-ROM (read-only; path null: no medium).
     */
    public record SataDrive(int port, boolean cdrom, Path path, boolean readOnly, ImageFormat format, Integer bootIndex, String serial) {
        public static final int PORTS = 6;

        public SataDrive {
            if (port < 0 || port >= PORTS) throw new IllegalArgumentException("SATA port must be 0.." + (PORTS - 1));
            if (!cdrom) Objects.requireNonNull(path, "a SATA disk needs an image");
            if (cdrom) readOnly = true;
            format = format == null ? ImageFormat.RAW : format;
        }
    }

    /**
     * The firmware's boot choices (QEMU's -boot): the CMOS order (null: "cad"), strict (only
     * bootindex devices boot), the boot menu and how long it is offered (ms, null: SeaBIOS's
     * default), and the wait before a reboot after a failed boot (ms; -1 or null: never).
     */
    public record Boot(String order, boolean strict, boolean menu, Integer splashTime, Integer rebootTimeout) {
        public Boot(String order, boolean strict) {
            this(order, strict, false, null, null);
        }
    }

    /**
     * A flash unit of the firmware (QEMU's -drive if=pflash, unit = position in the list): unit 0
     * the code (OVMF_CODE, read-only), unit 1 the variable store (the domain's NVRAM file, written
     * back as the guest programs it).
     */
    public record Pflash(Path path, boolean readOnly) {
        public Pflash {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * A PCIe root port (QEMU's pcie-root-port, q35 only) at address on the root bus; index is
     * the bus name devices behind it use ({@link PciAddress#bus()}); chassis and port as
     * libvirt's {@code <target>}.
     */
    public record RootPort(int index, PciAddress address, int chassis, int port) {
        public RootPort {
            Objects.requireNonNull(address, "address");
            if (index < 1 || index > 255) throw new IllegalArgumentException("root port index " + index + " out of range (1..255)");
            if (!address.onRootBus()) throw new IllegalArgumentException("a root port sits on the root bus, not at " + address);
        }
    }

    /** Where COM1 goes. */
    public sealed interface Serial {
        /** The VMM process's standard output. */
        record Stdio() implements Serial { }
        /** Appended to a file. */
        record ToFile(Path path) implements Serial { }
        /** A backend the embedding code supplies (tests, the driver's console socket). */
        record Custom(SerialBackend backend) implements Serial { }
    }

    /**
     * The board (--machine): QEMU's pc (i440FX/PIIX3-like) or q35 (MCH/ICH9: PCIe ECAM, the LPC's
     * PM block and PIRQ routing; devices.q35).
     */
    /** The display adapter: none, or QEMU's std VGA ({@code org.jvirt.vmm.devices.display}). */
    /** The display adapter: none, QEMU's std VGA (-vga std), its bochs-display or its virtio-gpu-pci (2D). */
    public enum Video { NONE, VGA, BOCHS, VIRTIO, VIRTIO_VGA }

    /** Where a PCI function goes: a place chosen by the user, or null inside for the first free slot. */
    public record PciSlot(PciAddress address) {
        /** The first free slot of the root bus. */
        public static final PciSlot ANY = new PciSlot(null);
    }

    /**
     * QEMU's qemu-xhci at address (null: the first free slot) with ports USB 2 and as many USB 3
     * ports (QEMU's p2 and p3, 1 to 15).
     */
    public record UsbController(PciAddress address, int ports) {
        public static final int DEFAULT_PORTS = 4, MAX_PORTS = 15;

        public UsbController {
            if (ports < 1 || ports > MAX_PORTS) throw new IllegalArgumentException("'qemu-xhci' controller only supports up to '" + MAX_PORTS + "' ports");
        }
    }

    /**
     * QEMU's virtio-balloon-pci at address (null: the first free slot), offering DEFLATE_ON_OOM
     * when deflateOnOom, asking the guest for statistics every statsPeriod seconds (0: never).
     */
    public record Balloon(PciAddress address, boolean deflateOnOom, int statsPeriod) {
        public Balloon {
            if (statsPeriod < 0) throw new IllegalArgumentException("a negative balloon stats period");
        }
    }

    /** A virtio-rng reading the host file source, at address (null: the first free slot once the devices with an address are placed). */
    public record Rng(Path source, PciAddress address) {
        public Rng {
            java.util.Objects.requireNonNull(source, "source");
        }
    }

    /** Kinds of input device; state files name them by ordinal (append only). */
    public enum InputKind { KEYBOARD, MOUSE, TABLET }

    /** Where input devices sit; state files name them by ordinal (append only). */
    public enum InputBus { USB, VIRTIO }

    /** An input device besides the PS/2 pair: on the USB controller, or a virtio-input PCI function (address: null for any). */
    public record InputDevice(InputKind kind, InputBus bus, PciAddress address) {
        public InputDevice {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(bus, "bus");
            if (address != null && bus != InputBus.VIRTIO) throw new IllegalArgumentException("only a virtio input device has a PCI address");
        }
    }

    public enum Chipset {
        PC, Q35;

        /** The --machine value. */
        public String cliName() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** The CPU backend: KVM, or the pure-Java x86-64 emulator (org.jvirt.vmm.emu). */
    public enum Accel {
        KVM, EMU;

        /**
         * Whether this build has the backend (both do). The driver and the VMM both ask here:
         * it turns on type='qemu' domains, --accel emu and the qemu virt type in capabilities.
         */
        public boolean implemented() { return true; }

        /** The --accel value. */
        public String cliName() { return name().toLowerCase(java.util.Locale.ROOT); }

        public static Accel parse(String s) {
            return switch (s) {
                case "kvm" -> KVM;
                case "emu" -> EMU;
                default -> throw new IllegalArgumentException("unknown accelerator '" + s + "' (kvm or emu)");
            };
        }
    }

    /**
     * A virtio-net NIC on a tap device (--nic tap): ifname null for the kernel's next "vnet%d";
     * bridge (may be null) the Linux bridge the tap joins; mac "52:54:00:12:34:56"-style; offload:
     * the tap carries the virtio-net header, so checksum and TSO offloads are offered to the guest;
     * address: its PCI function's place as a disk's (null: the first free root-bus slot, last).
     * With stream non-null the NIC is on that unix stream socket instead (--nic stream: passt's),
     * without a tap (ifname and bridge null, no offloads).
     */
    public record Nic(String ifname, String bridge, String mac, boolean offload, PciAddress address, Path stream) {
        public Nic {
            Objects.requireNonNull(mac, "mac");
            if (!mac.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) throw new IllegalArgumentException("bad MAC address '" + mac + "'");
            if (stream != null && (ifname != null || bridge != null || offload)) {
                throw new IllegalArgumentException("a stream NIC has no tap, bridge or offloads");
            }
        }

        /** A NIC on a tap in the first free slot of the root bus once every other device has its place. */
        public Nic(String ifname, String bridge, String mac, boolean offload) {
            this(ifname, bridge, mac, offload, null, null);
        }

        /** A NIC on a tap at address (null: the first free slot, last). */
        public Nic(String ifname, String bridge, String mac, boolean offload, PciAddress address) {
            this(ifname, bridge, mac, offload, address, null);
        }

        /** A NIC on the unix stream socket at path, at address (null: the first free slot, last). */
        public static Nic stream(Path path, String mac, PciAddress address) {
            return new Nic(null, null, mac, false, address, path);
        }

        /** The MAC address's 6 bytes. */
        public byte[] macBytes() {
            byte[] b = new byte[6];
            for (int i = 0; i < 6; i++) b[i] = (byte) Integer.parseInt(mac.substring(3 * i, 3 * i + 2), 16);
            return b;
        }
    }
}
