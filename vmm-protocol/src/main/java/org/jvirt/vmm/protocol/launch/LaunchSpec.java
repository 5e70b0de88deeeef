package org.jvirt.vmm.protocol.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One jvirt-vmm launch: the machine and how the process serves it. The driver builds one and
 * runs {@link #toArgs()}; jvirt-vmm reads its command line with {@link #fromArgs}: the option
 * names and their value forms are spelled here only. Null fields are options not given
 * (memory null: the VMM's default size).
 */
public record LaunchSpec(Path kernel, Path initrd, String cmdline, Long memoryBytes, int vcpus, List<Disk> disks,
                         Serial serial, Accel accel, String name, Path control, boolean paused, Path pidFile,
                         Path exitFile, String startToken, OnReboot onReboot, Path restore, String incoming,
                         Path firmware, Boot boot, List<Pflash> pflash, MachineType machine, List<Controller> controllers, Rng rng, List<Nic> nics, Vga vga, Vnc vnc,
                         Usb usb, List<Input> inputs, Balloon balloon, List<String> smbios, String uuid) {

    public LaunchSpec {
        if (machine == null) machine = MachineType.PC;
        controllers = controllers == null ? List.of() : List.copyOf(controllers);
        disks = List.copyOf(disks);
        pflash = pflash == null ? List.of() : List.copyOf(pflash);
        nics = nics == null ? List.of() : List.copyOf(nics);
        if (cmdline == null) cmdline = "";
        if (serial == null) serial = new Serial.Stdio();
        if (accel == null) accel = Accel.KVM;
        if (onReboot == null) onReboot = OnReboot.RESTART;
        if (vga == null) vga = Vga.NONE;
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        smbios = smbios == null ? List.of() : List.copyOf(smbios);
    }

    public static final String USAGE = String.join("\n",
            "usage: jvirt-vmm --kernel FILE|--firmware FILE|--pflash FILE,ro --pflash FILE [--initrd FILE] [--append STR] [--memory SIZE] [--cpus N]",
            "       jvirt-vmm --restore FILE [options but the machine's: --initrd, --append, --memory, --cpus, --disk, --nic, --machine, --controller, --rng, --balloon]",
            "                 [--disk FILE[,OPTION]...]... [--nic tap|stream[,OPTION]...]... [--rng FILE[,addr=BUS:SLOT.FN]] [--balloon virtio[,OPTION]...]",
            "                 [--controller pcie-root-port,OPTION...]...",
            "                 [--smbios type=N[,FIELD=VALUE]...]... [--uuid UUID]",
            "                 [--boot OPTIONS] [--serial stdio|file:PATH|unix:PATH|pty] [--accel kvm|emu] [--machine pc|q35] [--vga std|bochs|virtio|virtio-vga|none]",
            "                 [--vnc tcp:HOST:PORT|unix:PATH[,share=POLICY][,password=on]]",
            "                 [--usb qemu-xhci[,addr=BUS:SLOT.FN][,ports=N]] [--input keyboard|mouse|tablet,bus=usb|virtio[,addr=BUS:SLOT.FN]]...",
            "                 [--name NAME] [--control SOCKET] [--paused] [--pidfile FILE] [--exit-file FILE]",
            "                 [--start-token T] [--on-reboot restart|destroy] [--restore FILE] [--incoming tcp:HOST:PORT]",
            "  --kernel FILE     PVH ELF or bzImage kernel (required, but with --restore, --firmware or --pflash)",
            "  --firmware FILE   boot a BIOS image (e.g. /usr/share/seabios/bios-256k.bin) from the",
            "                    reset vector instead of a kernel; its console is COM1",
            "  --pflash FILE[,ro]",
            "                    UEFI firmware in flash, as QEMU's -drive if=pflash: the first is unit 0",
            "                    (the code, e.g. /usr/share/OVMF/OVMF_CODE_4M.fd, with ro), the second",
            "                    unit 1 (the variable store, e.g. a copy of OVMF_VARS_4M.fd: the guest's",
            "                    writes go to FILE); both end at 4 GiB; at most two, instead of a kernel",
            "  --initrd FILE     initial ramdisk",
            "  --append STR      kernel command line",
            "  --memory SIZE     guest RAM, e.g. 256M, 1G (default 256M; plain numbers are MiB)",
            "  --cpus N          number of vCPUs (default 1)",
            "  --disk FILE[,ro][,format=raw|qcow2][,if=virtio|ide|sata][,media=disk|cdrom][,index=N][,bootindex=N][,serial=S][,addr=BUS:SLOT.FN]",
            "                    disk image (raw by default; qcow2 with its backing chain) as a",
            "                    virtio-blk device, on the PIIX3 IDE (if=ide; index 0..3 = primary",
            "                    master/slave, secondary master/slave) or on the AHCI controller",
            "                    (if=sata, QEMU's ich9-ahci; index 0..5 = its port); media=cdrom is an ATAPI CD-ROM",
            "                    (read-only; no FILE: no medium); bootindex orders the firmware's boot",
            "                    devices (with --firmware); serial: the disk's serial number (virtio",
            "                    GET_ID, ATA IDENTIFY; 20 characters); addr: a virtio disk's PCI place",
            "                    (hex; BUS is 0 or a --controller's index; behind a root port only",
            "                    SLOT 0; without addr= the first free slot of the root bus);",
            "                    repeatable; write a comma as ,,",
            "  --controller pcie-root-port,index=N,addr=SLOT.FN[,chassis=C][,port=P]",
            "                    a PCIe root port (q35; QEMU's pcie-root-port) at SLOT.FN (hex) of the",
            "                    root bus; devices behind it name bus N; chassis and port as libvirt's",
            "                    <target>; repeatable",
            "  --nic tap[,ifname=NAME][,bridge=BR][,mac=52:54:00:XX:XX:XX][,offload=on|off][,addr=BUS:SLOT.FN]",
            "                    a virtio-net NIC on a tap device: NAME (default: the kernel's next",
            "                    vnet%d; opened by name again on --restore/--incoming), added to the",
            "                    Linux bridge BR; the MAC (default 52:54:00:12:34:56, the last byte",
            "                    counting up for each NIC without one, as QEMU's); offload=on (default):",
            "                    checksum/TSO offloads through the tap's virtio-net header; addr= as",
            "                    --disk's (without: the first free slot once all else is placed);",
            "                    repeatable (net0, net1, ...: the names set_link takes)",
            "  --rng FILE[,addr=BUS:SLOT.FN]",
            "                    a virtio-rng device whose entropy comes from FILE (e.g. /dev/urandom),",
            "                    as QEMU's -object rng-random,filename=FILE -device virtio-rng-pci",
            "                    (a comma in FILE doubled; addr= as --disk's)",
            "  --boot [order=DEVS][,strict=on][,menu=on][,splash-time=MS][,reboot-timeout=MS]",
            "                    with --firmware: the BIOS boot order, up to three of a (floppy),",
            "                    c (hard disk), d (CD-ROM), n (network), default cad; strict=on: only",
            "                    the disks with a bootindex boot; menu=on: SeaBIOS's boot menu, offered",
            "                    for splash-time ms; reboot-timeout: ms before SeaBIOS reboots after a",
            "                    failed boot (-1, the default: never)",
            "  --smbios type=N[,FIELD=VALUE]...",
            "                    with --firmware or --pflash: SMBIOS fields as QEMU's -smbios (type=0",
            "                    vendor, version, date, release; type=1 manufacturer, product, version,",
            "                    serial, uuid, sku, family; type=2 manufacturer, product, version, serial,",
            "                    asset, location; type=3 manufacturer, version, serial, asset, sku;",
            "                    type=4 sock_pfx, manufacturer, version, serial, asset, part, max-speed,",
            "                    current-speed; type=11 value (repeatable); type=17 loc_pfx, bank,",
            "                    manufacturer, serial, asset, part, speed); write a comma as ,,; repeatable",
            "  --uuid UUID       the VM's UUID, as QEMU's -uuid (SMBIOS type 1's UUID)",
            "  --serial WHERE    COM1 to stdout (stdio, default), appended to file:PATH, a console",
            "                    socket unix:PATH, or a new pseudo-terminal (pty; see query-chardev)",
            "  --name NAME       the VM's name (shown in the process title of threads and messages)",
            "  --control SOCKET  serve the QMP-style control socket at SOCKET",
            "  --paused          set the VM up but do not run it until 'cont'",
            "  --pidfile FILE    write the process id to FILE and hold an fcntl lock on it while running;",
            "                    refuse to start when another process holds it (the VM already runs)",
            "  --start-token T   start only if FILE holds T once locked (lets a manager cancel a start)",
            "  --exit-file FILE  write how the VM ended (reason=shutdown|destroyed|crashed) to FILE",
            "  --on-reboot WHAT  a guest reset restarts the guest (default) or ends the VM (destroy)",
            "  --restore FILE    load FILE's saved state (as written by the control command jvirt-save)",
            "                    before any vCPU runs; without --kernel, --firmware or --pflash the VM",
            "                    is the one FILE describes (a kernel boot's RAM, vCPUs, disks; the kernel",
            "                    is read only on a reboot), with one of them the VM is built from the",
            "                    options and a file that does not fit it (RAM, vCPUs, devices) is refused",
            "  --incoming tcp:HOST:PORT",
            "                    build the VM from the options, wait for a live migration on HOST:PORT",
            "                    (the source's control command jvirt-migrate) and run the guest it sends",
            "  --vga std|bochs|virtio|virtio-vga|none",
            "                    the display adapter (default none): std is QEMU's -vga std (the VGA PCI",
            "                    device with Bochs VBE, its VGA BIOS as the expansion ROM; see screendump);",
            "                    bochs is QEMU's -device bochs-display (a framebuffer, no VGA; pc only);",
            "                    virtio is QEMU's -device virtio-gpu-pci (virtio-gpu 2D, no VGA); virtio-vga",
            "                    is QEMU's -device virtio-vga (a VGA until the driver sets a scanout, then",
            "                    the GPU; its VGA BIOS vgabios-virtio as the expansion ROM)",
            "  --vnc tcp:HOST:PORT|unix:PATH[,share=allow-exclusive|force-shared|ignore][,password=on]",
            "                    serve the display over VNC (RFB 3.8) on a TCP port (the port itself,",
            "                    not QEMU's display number) or a unix socket; share: QEMU's share policy",
            "                    (default allow-exclusive); password=on: VNC authentication, with no",
            "                    client let in until the control command set_password gives one",
            "  --balloon virtio[,addr=BUS:SLOT.FN][,deflate-on-oom=on][,stats-period=SECONDS]",
            "                    a memory balloon, QEMU's -device virtio-balloon-pci (addr= as --disk's;",
            "                    deflate-on-oom: the feature offered; stats-period: the guest's statistics",
            "                    asked for every SECONDS, QEMU's guest-stats-polling-interval); the control",
            "                    commands balloon, query-balloon and qom-get/qom-set of guest-stats and",
            "                    guest-stats-polling-interval on balloon0 drive it",
            "  --usb qemu-xhci[,addr=BUS:SLOT.FN][,ports=N]",
            "                    a USB controller, QEMU's -device qemu-xhci (addr= as --disk's) with N",
            "                    USB 2 and N USB 3 ports (QEMU's p2=N,p3=N; 1 to 15, default 4)",
            "  --input keyboard|mouse|tablet,bus=usb|virtio[,addr=BUS:SLOT.FN]",
            "                    an input device besides the PS/2 keyboard and mouse: on the USB",
            "                    controller (QEMU's usb-kbd, usb-mouse, usb-tablet; needs --usb) or its own",
            "                    virtio PCI function (virtio-keyboard-pci, virtio-mouse-pci, virtio-tablet-pci;",
            "                    addr= as --disk's); host key and pointer events (VNC, send-key) go to the",
            "                    device the guest used last, as QEMU routes them; repeatable",
            "  --accel NAME      kvm (default) or emu",
            "  --machine TYPE    the board: pc (default; i440FX, PIIX3 IDE) or q35 (MCH/ICH9 as QEMU's",
            "                    -machine q35,smm=off: PCIe ECAM at 0xB0000000, PM block at the LPC's",
            "                    PMBASE, INTx through PIRQ A-H to GSI 16-23; no IDE)",
            "exit status: the guest's debug-exit value v as (v << 1) | 1, 0 after a power-off, 1 on errors");

    /** The options that describe the machine besides --kernel. */
    private static final java.util.Set<String> MACHINE_OPTIONS = java.util.Set.of("--initrd", "--append", "--memory", "--cpus", "--disk", "--machine", "--rng", "--controller", "--nic", "--vga", "--usb", "--input", "--balloon", "--smbios");
    /** QEMU's -uuid form. */
    private static final java.util.regex.Pattern UUID_FORM = java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** A command line jvirt-vmm refuses; the message is one line. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    public enum DiskFormat {
        RAW, QCOW2;

        public String wire() { return name().toLowerCase(Locale.ROOT); }

        /** "raw" or "qcow2" (any case). */
        public static DiskFormat parse(String name) throws UsageException {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "raw" -> RAW;
                case "qcow2" -> QCOW2;
                default -> throw new UsageException("unsupported disk format '" + name + "' (raw or qcow2)");
            };
        }
    }

    /** Which controller a disk is on: virtio-blk (its own PCI function), the PIIX3 IDE (pc machine) or the AHCI controller (SATA). */
    public enum DiskBus {
        VIRTIO, IDE, SATA;

        public String wire() { return name().toLowerCase(Locale.ROOT); }
    }

    /** A hard disk or a (read-only, removable) CD-ROM; CD-ROMs are ATAPI on IDE or SATA. */
    public enum DiskMedia {
        DISK, CDROM;

        public String wire() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * A disk: --disk FILE[,ro][,format=qcow2][,if=virtio|ide|sata][,media=disk|cdrom][,index=N][,bootindex=N][,serial=S]
     * (QEMU's -drive words). file is null for a CD-ROM drive without a medium (--disk ,media=cdrom).
     * index: the IDE position 0..3 (primary master, primary slave, secondary master, secondary
     * slave) or the AHCI port 0..5, null for the first free one; bootindex: the firmware's boot priority, lowest first
     * (QEMU's bootindex), null for none.
     */
    public record Disk(Path file, boolean readOnly, DiskFormat format, DiskBus bus, DiskMedia media, Integer index, Integer bootIndex,
                       String serial, PciAddress address) {
        public static final int IDE_POSITIONS = 4;
        public static final int SATA_PORTS = 6;

        public Disk {
            if (format == null) format = DiskFormat.RAW;
            if (bus == null) bus = DiskBus.VIRTIO;
            if (media == null) media = DiskMedia.DISK;
            if (media == DiskMedia.CDROM) readOnly = true;
            if (address != null && bus != DiskBus.VIRTIO) throw new IllegalArgumentException("addr= places a virtio disk's PCI function (needs if=virtio)");
        }

        public Disk(Path file, boolean readOnly, DiskFormat format, DiskBus bus, DiskMedia media, Integer index, Integer bootIndex,
                    String serial) {
            this(file, readOnly, format, bus, media, index, bootIndex, serial, null);
        }

        public Disk(Path file, boolean readOnly, DiskFormat format, DiskBus bus, DiskMedia media, Integer index, Integer bootIndex) {
            this(file, readOnly, format, bus, media, index, bootIndex, null);
        }

        /** A virtio-blk disk. */
        public Disk(Path file, boolean readOnly, DiskFormat format) {
            this(file, readOnly, format, DiskBus.VIRTIO, DiskMedia.DISK, null, null, null);
        }

        public Disk withBootIndex(Integer b) { return new Disk(file, readOnly, format, bus, media, index, b, serial, address); }
        public Disk withSerial(String s) { return new Disk(file, readOnly, format, bus, media, index, bootIndex, s, address); }
        public Disk withAddress(PciAddress a) { return new Disk(file, readOnly, format, bus, media, index, bootIndex, serial, a); }

        String toArg() {
            // a comma in the file name is doubled, as QEMU's option syntax (and fromArg) reads ",,"
            StringBuilder a = new StringBuilder(file == null ? "" : file.toString().replace(",", ",,"));
            if (readOnly && media == DiskMedia.DISK) a.append(",ro");
            if (format == DiskFormat.QCOW2) a.append(",format=qcow2");
            if (bus != DiskBus.VIRTIO) a.append(",if=").append(bus.wire());
            if (media != DiskMedia.DISK) a.append(",media=").append(media.wire());
            if (index != null) a.append(",index=").append(index);
            if (bootIndex != null) a.append(",bootindex=").append(bootIndex);
            if (serial != null) a.append(",serial=").append(serial.replace(",", ",,"));
            if (address != null) a.append(",addr=").append(address);
            return a.toString();
        }

        static Disk fromArg(String s) throws UsageException {
            String[] parts = splitOptions(s);
            boolean ro = false;
            DiskFormat format = DiskFormat.RAW;
            DiskBus bus = DiskBus.VIRTIO;
            DiskMedia media = DiskMedia.DISK;
            Integer index = null, bootIndex = null;
            String serial = null;
            PciAddress address = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                if (p.equals("ro") || p.equals("readonly")) ro = true;
                else if (p.startsWith("format=")) format = DiskFormat.parse(p.substring(7));
                else if (p.equals("if=virtio")) bus = DiskBus.VIRTIO;
                else if (p.equals("if=ide")) bus = DiskBus.IDE;
                else if (p.equals("if=sata")) bus = DiskBus.SATA;
                else if (p.equals("media=disk")) media = DiskMedia.DISK;
                else if (p.equals("media=cdrom")) media = DiskMedia.CDROM;
                else if (p.startsWith("index=")) index = number(p, 0, SATA_PORTS - 1); // checked against the bus below
                else if (p.startsWith("bootindex=")) bootIndex = number(p, 0, 0xffff);
                else if (p.startsWith("serial=")) serial = p.substring(7);
                else if (p.startsWith("addr=")) address = PciAddress.parse(p.substring(5));
                else if (!p.equals("rw")) {
                    throw new UsageException("unknown disk option '" + p + "' (ro, rw, format=raw|qcow2, if=virtio|ide|sata, media=disk|cdrom, index=N, bootindex=N, serial=S, addr=BUS:SLOT.FN)");
                }
            }
            if (parts[0].isEmpty() && media != DiskMedia.CDROM) throw new UsageException("--disk needs a file name");
            if (media == DiskMedia.CDROM && bus == DiskBus.VIRTIO) throw new UsageException("a cdrom needs if=ide or if=sata");
            if (index != null && bus == DiskBus.VIRTIO) throw new UsageException("index= is an IDE position or a SATA port (needs if=ide or if=sata)");
            if (index != null && bus == DiskBus.IDE && index >= IDE_POSITIONS) {
                throw new UsageException("bad disk option 'index=" + index + "' (0.." + (IDE_POSITIONS - 1) + ")");
            }
            if (address != null && bus != DiskBus.VIRTIO) throw new UsageException("addr= places a virtio disk's PCI function (needs if=virtio)");
            return new Disk(parts[0].isEmpty() ? null : Path.of(parts[0]), ro, format, bus, media, index, bootIndex, serial, address);
        }

        private static int number(String option, int min, int max) throws UsageException {
            String v = option.substring(option.indexOf('=') + 1);
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) return n;
            } catch (NumberFormatException e) {
                // below
            }
            throw new UsageException("bad disk option '" + option + "' (" + min + ".." + max + ")");
        }
    }

    /** What a --controller is: for now QEMU's pcie-root-port (q35 only). */
    public enum ControllerModel {
        PCIE_ROOT_PORT("pcie-root-port");

        private final String wire;

        ControllerModel(String wire) { this.wire = wire; }

        public String wire() { return wire; }

        static ControllerModel parse(String s) throws UsageException {
            for (ControllerModel m : values()) if (m.wire.equals(s)) return m;
            throw new UsageException("unknown controller model '" + s + "' (pcie-root-port)");
        }
    }

    /**
     * --controller pcie-root-port,index=N,addr=SLOT.FN[,chassis=C][,port=P]: a PCI controller as
     * libvirt's {@code <controller type='pci' index=N model=...>} with {@code <target chassis= port=/>}:
     * index names the bus behind it (a device's addr=N:SLOT.FN), address is its own place on the
     * root bus, chassis and port (0-255) are QEMU's properties of that name (default: the index
     * and 0).
     */
    public record Controller(ControllerModel model, int index, PciAddress address, int chassis, int port) {
        public Controller {
            java.util.Objects.requireNonNull(model, "model");
            java.util.Objects.requireNonNull(address, "address");
            if (index < 1 || index >= PciAddress.BUSES) throw new IllegalArgumentException("controller index " + index + " out of range (1..255)");
            if (!address.onRootBus()) throw new IllegalArgumentException("a " + model.wire() + " sits on the root bus (addr=SLOT.FN), not at " + address);
            if (chassis < 0 || chassis > 255) throw new IllegalArgumentException("chassis " + chassis + " out of range (0..255)");
            if (port < 0 || port > 255) throw new IllegalArgumentException("port " + port + " out of range (0..255)");
        }

        String toArg() {
            return model.wire() + ",index=" + index + ",addr=" + String.format(Locale.ROOT, "%02x.%x", address.slot(), address.function())
                    + ",chassis=" + chassis + ",port=0x" + Integer.toHexString(port);
        }

        static Controller fromArg(String s) throws UsageException {
            String[] parts = splitOptions(s);
            ControllerModel model = ControllerModel.parse(parts[0]);
            Integer index = null, chassis = null, port = null;
            PciAddress address = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                if (p.startsWith("index=")) index = number(s, p);
                else if (p.startsWith("addr=")) address = PciAddress.parse(p.substring(5));
                else if (p.startsWith("chassis=")) chassis = number(s, p);
                else if (p.startsWith("port=")) port = number(s, p);
                else throw new UsageException("unknown --controller option '" + p + "' (index=N, addr=SLOT.FN, chassis=N, port=N)");
            }
            if (index == null || address == null) throw new UsageException("--controller " + model.wire() + " needs index= and addr=");
            try {
                return new Controller(model, index, address, chassis == null ? index : chassis, port == null ? 0 : port);
            } catch (IllegalArgumentException e) {
                throw new UsageException("bad --controller '" + s + "': " + e.getMessage());
            }
        }

        /** A number in decimal or 0x-hex (libvirt writes port='0x10'). */
        private static int number(String arg, String option) throws UsageException {
            String v = option.substring(option.indexOf('=') + 1);
            try {
                int n = v.startsWith("0x") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
                if (n >= 0) return n;
            } catch (NumberFormatException e) {
                // below
            }
            throw new UsageException("bad --controller '" + arg + "': " + option + " is not a number");
        }
    }

    /**
     * --boot [order=DEVICES][,strict=on][,menu=on][,splash-time=MS][,reboot-timeout=MS]: the
     * firmware's boot choices, as QEMU's -boot. order is the legacy boot order a pc keeps in
     * CMOS: up to three of a (floppy), c (first hard disk), d (CD-ROM), n (network), null for
     * QEMU's default "cad"; strict: only the devices with a bootindex boot (the fw_cfg bootorder
     * list ends with HALT), as libvirt always asks; menu: SeaBIOS offers its boot menu for
     * splashTime ms (null: its default); rebootTimeout: ms SeaBIOS waits after a failed boot
     * before it reboots, -1 or null never (QEMU's default).
     */
    public record Boot(String order, boolean strict, boolean menu, Integer splashTime, Integer rebootTimeout) {
        public Boot(String order, boolean strict) {
            this(order, strict, false, null, null);
        }

        String toArg() {
            List<String> parts = new ArrayList<>();
            if (order != null) parts.add("order=" + order);
            if (strict) parts.add("strict=on");
            if (menu) parts.add("menu=on");
            if (splashTime != null) parts.add("splash-time=" + splashTime);
            if (rebootTimeout != null) parts.add("reboot-timeout=" + rebootTimeout);
            return String.join(",", parts);
        }

        static Boot parse(String v) throws UsageException {
            String order = null;
            boolean strict = false, menu = false;
            Integer splash = null, reboot = null;
            if (v.isEmpty()) throw new UsageException("bad --boot '' (order=DEVICES, strict=on, menu=on, splash-time=MS, reboot-timeout=MS)");
            for (String p : splitOptions(v)) {
                if (p.startsWith("order=")) order = p.substring(6);
                else if (p.equals("strict=on") || p.equals("strict=off")) strict = p.endsWith("on");
                else if (p.equals("menu=on") || p.equals("menu=off")) menu = p.endsWith("on");
                else if (p.startsWith("splash-time=")) splash = millis(v, p, 0);
                else if (p.startsWith("reboot-timeout=")) reboot = millis(v, p, -1);
                else throw new UsageException("bad --boot '" + v + "' (order=DEVICES, strict=on, menu=on, splash-time=MS, reboot-timeout=MS)");
            }
            if (order != null && (order.isEmpty() || order.length() > 3 || !order.chars().allMatch(c -> "acdn".indexOf(c) >= 0)
                    || order.chars().distinct().count() != order.length())) {
                throw new UsageException("bad --boot '" + v + "' (order= up to three of a, c, d, n, each once)");
            }
            return new Boot(order, strict, menu, splash, reboot);
        }

        /** QEMU's bounds: 16 bits for the fw_cfg files. */
        private static int millis(String v, String option, int min) throws UsageException {
            try {
                int n = Integer.parseInt(option.substring(option.indexOf('=') + 1));
                if (n >= min && n <= 0xffff) return n;
            } catch (NumberFormatException e) {
                // below
            }
            throw new UsageException("bad --boot '" + v + "' (" + option.substring(0, option.indexOf('=')) + " " + min + "..65535 ms)");
        }
    }

    /** Where COM1 goes: --serial stdio | file:PATH | unix:PATH | pty. */
    public sealed interface Serial {
        record Stdio() implements Serial { }
        record ToFile(Path path) implements Serial { }
        /** A listening console socket the VMM serves. */
        record Unix(Path path) implements Serial { }
        /** A new pseudo-terminal; its path is in query-chardev. */
        record Pty() implements Serial { }

        default String toArg() {
            if (this instanceof ToFile f) return "file:" + f.path();
            if (this instanceof Unix u) return "unix:" + u.path();
            if (this instanceof Pty) return "pty";
            return "stdio";
        }

        static Serial fromArg(String s) throws UsageException {
            if (s.equals("stdio")) return new Stdio();
            if (s.equals("pty")) return new Pty();
            if (s.startsWith("file:") && s.length() > 5) return new ToFile(Path.of(s.substring(5)));
            if (s.startsWith("unix:") && s.length() > 5) return new Unix(Path.of(s.substring(5)));
            throw new UsageException("bad --serial '" + s + "' (stdio, file:PATH, unix:PATH or pty)");
        }
    }

    /**
     * --vga: the display adapter: none, std (QEMU's -vga std: the VGA, 1234:1111, with the Bochs VBE
     * registers), bochs (QEMU's -device bochs-display: a framebuffer without VGA, class 0x0380) or
     * virtio (QEMU's -device virtio-gpu-pci: virtio-gpu 2D, no VGA).
     */
    public enum Vga {
        NONE, STD, BOCHS, VIRTIO, VIRTIO_VGA;

        public String wire() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

        public static Vga parse(String s) throws UsageException {
            return switch (s) {
                case "none" -> NONE;
                case "std" -> STD;
                case "bochs" -> BOCHS;
                case "virtio" -> VIRTIO;
                case "virtio-vga" -> VIRTIO_VGA;
                default -> throw new UsageException("unknown --vga '" + s + "' (std, bochs, virtio, virtio-vga or none)");
            };
        }
    }

    /**
     * --usb: the USB controller; QEMU's qemu-xhci (1b36:000d) is the one model. ports: its USB 2
     * and USB 3 port count each (QEMU's p2 and p3, 1 to {@value #MAX_PORTS}), null for QEMU's 4.
     */
    public record Usb(PciAddress address, Integer ports) {
        public static final String MODEL = "qemu-xhci";
        public static final int MAX_PORTS = 15;

        public Usb {
            if (ports != null && (ports < 1 || ports > MAX_PORTS)) {
                throw new IllegalArgumentException("'" + MODEL + "' controller only supports up to '" + MAX_PORTS + "' ports");
            }
        }

        public Usb(PciAddress address) {
            this(address, null);
        }

        String toArg() {
            return MODEL + (address == null ? "" : ",addr=" + address) + (ports == null ? "" : ",ports=" + ports);
        }

        static Usb fromArg(String s) throws UsageException {
            String[] parts = splitOptions(s);
            if (!parts[0].equals(MODEL)) throw new UsageException("unknown USB controller '" + parts[0] + "' (qemu-xhci)");
            PciAddress address = null;
            Integer ports = null;
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].startsWith("addr=")) address = PciAddress.parse(parts[i].substring(5));
                else if (parts[i].startsWith("ports=")) {
                    try {
                        ports = Integer.parseInt(parts[i].substring(6));
                    } catch (NumberFormatException e) {
                        throw new UsageException("--usb ports must be a number of 1 to " + MAX_PORTS + ": '" + parts[i].substring(6) + "'");
                    }
                    if (ports < 1 || ports > MAX_PORTS) throw new UsageException("--usb ports must be 1 to " + MAX_PORTS + ": " + ports);
                } else throw new UsageException("unknown --usb option '" + parts[i] + "' (addr=BUS:SLOT.FN, ports=N)");
            }
            return new Usb(address, ports);
        }
    }

    /**
     * --rng: a virtio-rng reading a host file (QEMU's rng-random + virtio-rng-pci), at address
     * (null: the first free slot once the devices with an address are placed).
     */
    public record Rng(Path source, PciAddress address) {
        public Rng {
            java.util.Objects.requireNonNull(source, "source");
        }

        String toArg() {
            return source.toString().replace(",", ",,") + (address == null ? "" : ",addr=" + address);
        }

        static Rng fromArg(String s) throws UsageException {
            String[] parts = splitOptions(s);
            if (parts[0].isEmpty()) throw new UsageException("--rng needs a file name");
            PciAddress address = null;
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].startsWith("addr=")) address = PciAddress.parse(parts[i].substring(5));
                else throw new UsageException("unknown --rng option '" + parts[i] + "' (addr=BUS:SLOT.FN)");
            }
            return new Rng(Path.of(parts[0]), address);
        }
    }

    /**
     * --balloon: QEMU's virtio-balloon-pci, the one model. deflateOnOom: the feature offered
     * (libvirt's deflate='on'); statsPeriod: seconds between requests for the guest's
     * statistics, null or 0 for none (libvirt's {@code <stats period='N'/>}).
     */
    public record Balloon(PciAddress address, boolean deflateOnOom, Integer statsPeriod) {
        public static final String MODEL = "virtio";

        public Balloon {
            if (statsPeriod != null && statsPeriod < 0) throw new IllegalArgumentException("a negative stats period");
        }

        String toArg() {
            return MODEL + (address == null ? "" : ",addr=" + address) + (deflateOnOom ? ",deflate-on-oom=on" : "")
                    + (statsPeriod == null ? "" : ",stats-period=" + statsPeriod);
        }

        static Balloon fromArg(String s) throws UsageException {
            String[] parts = splitOptions(s);
            if (!parts[0].equals(MODEL)) throw new UsageException("unknown balloon model '" + parts[0] + "' (virtio)");
            PciAddress address = null;
            boolean deflate = false;
            Integer period = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                if (p.startsWith("addr=")) address = PciAddress.parse(p.substring(5));
                else if (p.equals("deflate-on-oom=on")) deflate = true;
                else if (p.equals("deflate-on-oom=off")) deflate = false;
                else if (p.startsWith("stats-period=")) {
                    try {
                        period = Integer.parseInt(p.substring(13));
                    } catch (NumberFormatException e) {
                        period = -1;
                    }
                    if (period < 0) throw new UsageException("--balloon stats-period must be a number of seconds: '" + p.substring(13) + "'");
                } else throw new UsageException("unknown --balloon option '" + p + "' (addr=BUS:SLOT.FN, deflate-on-oom=on|off, stats-period=SECONDS)");
            }
            return new Balloon(address, deflate, period);
        }
    }

    /** What an --input device is. */
    public enum InputKind {
        KEYBOARD, MOUSE, TABLET;

        public String wire() { return name().toLowerCase(Locale.ROOT); }
    }

    /** Where an --input device is: on the USB controller or its own virtio PCI function. */
    public enum InputBus {
        USB, VIRTIO;

        public String wire() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * --input KIND,bus=BUS[,addr=BUS:SLOT.FN]: libvirt's {@code <input type=KIND bus=BUS>} besides
     * the PS/2 pair every pc has; addr places a virtio one (a USB one sits on the controller's ports
     * in the order given).
     */
    public record Input(InputKind kind, InputBus bus, PciAddress address) {
        public Input {
            if (kind == null || bus == null) throw new IllegalArgumentException("an input device needs a kind and a bus");
            if (address != null && bus != InputBus.VIRTIO) throw new IllegalArgumentException("addr= is for virtio input devices");
        }

        String toArg() {
            return kind.wire() + ",bus=" + bus.wire() + (address == null ? "" : ",addr=" + address);
        }

        static Input fromArg(String s) throws UsageException {
            String[] parts = splitOptions(s);
            InputKind kind = null;
            for (InputKind k : InputKind.values()) if (k.wire().equals(parts[0])) kind = k;
            if (kind == null) throw new UsageException("unknown input device '" + parts[0] + "' (keyboard, mouse or tablet)");
            InputBus bus = null;
            PciAddress address = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                if (p.equals("bus=usb")) bus = InputBus.USB;
                else if (p.equals("bus=virtio")) bus = InputBus.VIRTIO;
                else if (p.startsWith("addr=")) address = PciAddress.parse(p.substring(5));
                else throw new UsageException("unknown --input option '" + p + "' (bus=usb|virtio, addr=BUS:SLOT.FN)");
            }
            if (bus == null) throw new UsageException("--input " + kind.wire() + " needs bus=usb or bus=virtio");
            if (address != null && bus != InputBus.VIRTIO) throw new UsageException("bad --input '" + s + "': addr= is for virtio input devices");
            return new Input(kind, bus, address);
        }
    }

    /**
     * --vnc: where the VNC server listens (host and port, or a unix socket: exactly one), QEMU's
     * share policy, and whether clients must authenticate (the password itself comes through the
     * control socket's set_password, as libvirt gives QEMU's, never on the command line).
     */
    public record Vnc(String host, int port, Path socket, VncShare share, boolean password) {
        public Vnc {
            if ((socket == null) == (host == null)) throw new IllegalArgumentException("a VNC listener is a host and port or a socket");
            if (share == null) share = VncShare.ALLOW_EXCLUSIVE;
        }

        public String toArg() {
            String where = socket != null ? "unix:" + socket : "tcp:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
            return where.replace(",", ",,") + (share == VncShare.ALLOW_EXCLUSIVE ? "" : ",share=" + share.wire()) + (password ? ",password=on" : "");
        }

        public static Vnc fromArg(String arg) throws UsageException {
            List<String> parts = List.of(splitOptions(arg));
            String where = parts.get(0);
            VncShare share = VncShare.ALLOW_EXCLUSIVE;
            boolean password = false;
            for (String o : parts.subList(1, parts.size())) {
                if (o.startsWith("share=")) share = VncShare.parse(o.substring(6));
                else if (o.equals("password=on") || o.equals("password=off")) password = o.equals("password=on");
                else throw new UsageException("unknown --vnc option '" + o + "'");
            }
            if (where.startsWith("unix:") && where.length() > 5) return new Vnc(null, 0, Path.of(where.substring(5)), share, password);
            if (where.startsWith("tcp:")) {
                String hp = where.substring(4);
                int colon = hp.lastIndexOf(':');
                if (colon > 0) {
                    String host = hp.substring(0, colon);
                    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
                    try {
                        int port = Integer.parseInt(hp.substring(colon + 1));
                        if (port >= 0 && port <= 65535 && !host.isEmpty()) return new Vnc(host, port, null, share, password);
                    } catch (NumberFormatException e) {
                        // falls through to the usage error
                    }
                }
            }
            throw new UsageException("bad --vnc '" + arg + "' (tcp:HOST:PORT or unix:PATH)");
        }
    }

    /** QEMU's VNC share policies (-vnc ...,share=), libvirt's sharePolicy. */
    public enum VncShare {
        ALLOW_EXCLUSIVE, FORCE_SHARED, IGNORE;

        public String wire() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

        public static VncShare parse(String s) throws UsageException {
            for (VncShare v : values()) if (v.wire().equals(s)) return v;
            throw new UsageException("unknown VNC share policy '" + s + "' (allow-exclusive, force-shared or ignore)");
        }
    }

    /** --accel: KVM or the pure-Java emulator. */
    public enum Accel {
        KVM, EMU;

        public String wire() { return name().toLowerCase(Locale.ROOT); }

        public static Accel parse(String s) throws UsageException {
            return switch (s) {
                case "kvm" -> KVM;
                case "emu" -> EMU;
                default -> throw new UsageException("unknown accelerator '" + s + "' (kvm or emu)");
            };
        }
    }

    /**
     * --pflash FILE[,ro]: a flash unit of UEFI firmware (QEMU's -drive if=pflash,format=raw,
     * readonly=on,file=FILE; the unit is the option's position); ro: the guest cannot change it
     * (the code), else its programs and erases are written to FILE (the variable store).
     */
    public record Pflash(Path file, boolean readOnly) {
        public static final int MAX_UNITS = 2;

        public Pflash {
            java.util.Objects.requireNonNull(file, "file");
        }

        public String toArg() {
            return file.toString().replace(",", ",,") + (readOnly ? ",ro" : "");
        }

        static Pflash fromArg(String s) throws UsageException {
            String[] parts = splitOptions(s);
            boolean ro = false;
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].equals("ro") || parts[i].equals("readonly=on")) ro = true;
                else if (parts[i].equals("rw") || parts[i].equals("readonly=off")) ro = false;
                else throw new UsageException("unknown --pflash option '" + parts[i] + "' (ro, rw)");
            }
            if (parts[0].isEmpty()) throw new UsageException("--pflash needs a file name");
            return new Pflash(Path.of(parts[0]), ro);
        }
    }

    /**
     * --nic tap[,ifname=NAME][,bridge=BR][,mac=MAC][,offload=on|off][,addr=BUS:SLOT.FN]: a virtio-net NIC on a tap,
     * at a PCI address as a disk's addr= (null: the first free root-bus slot after every other device).
     * ifname null: the kernel's next "vnet%d"; bridge null: none; mac null: QEMU's default
     * (52:54:00:12:34:56 + the count of NICs before it without a MAC).
     * --nic stream,path=PATH[,mac=MAC][,addr=BUS:SLOT.FN]: a virtio-net NIC whose frames go over the
     * unix stream socket PATH (passt's, as QEMU's -netdev stream,addr.type=unix,addr.path=PATH);
     * stream non-null marks this kind (ifname and bridge null, no offloads).
     */
    public record Nic(String ifname, String bridge, String mac, boolean offload, PciAddress address, Path stream) {
        private static final java.util.regex.Pattern MAC = java.util.regex.Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}");
        private static final String OPTIONS = "ifname=NAME, bridge=BR, mac=XX:XX:XX:XX:XX:XX, offload=on|off, addr=BUS:SLOT.FN";

        /** A NIC on a tap in the first free slot of the root bus. */
        public Nic(String ifname, String bridge, String mac, boolean offload) {
            this(ifname, bridge, mac, offload, null, null);
        }

        /** A NIC on a tap at address (null: the first free slot of the root bus). */
        public Nic(String ifname, String bridge, String mac, boolean offload, PciAddress address) {
            this(ifname, bridge, mac, offload, address, null);
        }

        /** A NIC on the unix stream socket at path (passt's); mac may be null. */
        public static Nic stream(Path path, String mac) {
            return new Nic(null, null, mac, false, null, path);
        }

        /** The same NIC at address (null: the first free slot of the root bus). */
        public Nic withAddress(PciAddress a) { return new Nic(ifname, bridge, mac, offload, a, stream); }

        String toArg() {
            StringBuilder a = new StringBuilder();
            if (stream != null) {
                a.append("stream,path=").append(stream.toString().replace(",", ",,"));
                if (mac != null) a.append(",mac=").append(mac);
            } else {
                a.append("tap");
                if (ifname != null) a.append(",ifname=").append(ifname);
                if (bridge != null) a.append(",bridge=").append(bridge);
                if (mac != null) a.append(",mac=").append(mac);
                if (!offload) a.append(",offload=off");
            }
            if (address != null) a.append(",addr=").append(address);
            return a.toString();
        }

        static Nic fromArg(String s) throws UsageException {
            String[] parts = splitOptions(s);
            if (parts[0].equals("stream")) return streamFromArg(s, parts);
            if (!parts[0].equals("tap")) throw new UsageException("bad --nic '" + s + "': the backend must be tap or stream");
            String ifname = null, bridge = null, mac = null;
            boolean offload = true;
            PciAddress address = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                if (p.startsWith("ifname=")) ifname = interfaceName(p.substring(7), "ifname");
                else if (p.startsWith("bridge=")) bridge = interfaceName(p.substring(7), "bridge");
                else if (p.startsWith("mac=")) mac = mac(p);
                else if (p.equals("offload=on")) offload = true;
                else if (p.equals("offload=off")) offload = false;
                else if (p.startsWith("addr=")) address = PciAddress.parse(p.substring(5));
                else throw new UsageException("unknown --nic option '" + p + "' (" + OPTIONS + ")");
            }
            return new Nic(ifname, bridge, mac, offload, address);
        }

        private static Nic streamFromArg(String s, String[] parts) throws UsageException {
            String path = null, mac = null;
            PciAddress address = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                if (p.startsWith("path=")) path = p.substring(5);
                else if (p.startsWith("mac=")) mac = mac(p);
                else if (p.startsWith("addr=")) address = PciAddress.parse(p.substring(5));
                else throw new UsageException("unknown --nic stream option '" + p + "' (path=PATH, mac=XX:XX:XX:XX:XX:XX, addr=BUS:SLOT.FN)");
            }
            if (path == null || path.isEmpty()) throw new UsageException("bad --nic '" + s + "': stream needs path=PATH (the unix socket passt listens on)");
            if (path.indexOf('\0') >= 0 || path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
                throw new UsageException("bad --nic option 'path=" + path + "': a unix socket path has at most 107 bytes");
            }
            return stream(Path.of(path), mac).withAddress(address);
        }

        private static String mac(String p) throws UsageException {
            String mac = p.substring(4).toLowerCase(Locale.ROOT);
            if (!MAC.matcher(mac).matches()) throw new UsageException("bad --nic option '" + p + "' (mac=XX:XX:XX:XX:XX:XX)");
            if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) throw new UsageException("bad --nic option '" + p + "': a multicast address");
            return mac;
        }

        /** A Linux interface name: 1..15 characters, no '/', ':', ',' or blanks. */
        private static String interfaceName(String n, String what) throws UsageException {
            if (n.isEmpty() || n.length() > 15 || n.equals(".") || n.equals("..")
                    || !n.chars().allMatch(c -> c > 32 && c < 127 && c != '/' && c != ':' && c != ',')) {
                throw new UsageException("bad --nic option '" + what + "=" + n + "' (1..15 characters, no '/', ':' or blanks)");
            }
            return n;
        }

        /** The MAC of the index-th NIC without one (QEMU's qemu_macaddr_default_if_unset). */
        public static String defaultMac(int index) {
            return String.format("52:54:00:12:34:%02x", (0x56 + index) & 0xFF);
        }
    }

    /** --machine: the board, QEMU's pc (i440FX/PIIX3) or q35 (MCH/ICH9, PCIe). */
    public enum MachineType {
        PC, Q35;

        public String wire() { return name().toLowerCase(Locale.ROOT); }

        public static MachineType parse(String s) throws UsageException {
            return switch (s) {
                case "pc" -> PC;
                case "q35" -> Q35;
                default -> throw new UsageException("unknown machine '" + s + "' (pc or q35)");
            };
        }
    }

    /** --on-reboot: what a guest reset does. */
    public enum OnReboot {
        RESTART, DESTROY;

        public String wire() { return name().toLowerCase(Locale.ROOT); }
    }

    /** A launch of kernel with the VMM's defaults: 1 vCPU, default memory, stdio serial, KVM. */
    public static LaunchSpec of(Path kernel) {
        return new LaunchSpec(kernel, null, "", null, 1, List.of(), null, null, null, null, false, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, List.of(), null);
    }

    public LaunchSpec withInitrd(Path p) { return new LaunchSpec(kernel, p, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withCmdline(String c) { return new LaunchSpec(kernel, initrd, c, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withMemoryBytes(Long m) { return new LaunchSpec(kernel, initrd, cmdline, m, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withVcpus(int n) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, n, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withDisks(List<Disk> d) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, d, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withSerial(Serial s) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, s, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withAccel(Accel a) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, a, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withName(String n) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, n, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withControl(Path c) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, c, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withPaused(boolean p) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, p, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withPidFile(Path p) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, p, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withExitFile(Path e) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, e, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withStartToken(String t) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, t, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withOnReboot(OnReboot o) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, o, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withRestore(Path r) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, r, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }

    public LaunchSpec withFirmware(Path f) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, f, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withIncoming(String i) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, i, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }

    public LaunchSpec withPflash(List<Pflash> p) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, p, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }

    public LaunchSpec withBoot(Boot b) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, b, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }

    public LaunchSpec withControllers(List<Controller> c) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, c, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }

    public LaunchSpec withMachine(MachineType m) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, m, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }

    public LaunchSpec withRng(Rng r) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, r, nics, vga, vnc, usb, inputs, balloon, smbios, uuid); }

    public LaunchSpec withNics(List<Nic> n) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, n, vga, vnc, usb, inputs, balloon, smbios, uuid); }

    public LaunchSpec withVga(Vga v) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, v, vnc, usb, inputs, balloon, smbios, uuid); }
    public LaunchSpec withUsb(Usb u) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, u, inputs, balloon, smbios, uuid); }
    public LaunchSpec withInputs(List<Input> i) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, i, balloon, smbios, uuid); }
    public LaunchSpec withBalloon(Balloon b) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, b, smbios, uuid); }
    public LaunchSpec withSmbios(List<String> o) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, o, uuid); }
    public LaunchSpec withUuid(String u) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, vnc, usb, inputs, balloon, smbios, u); }
    public LaunchSpec withVnc(Vnc v) { return new LaunchSpec(kernel, initrd, cmdline, memoryBytes, vcpus, disks, serial, accel, name, control, paused, pidFile, exitFile, startToken, onReboot, restore, incoming, firmware, boot, pflash, machine, controllers, rng, nics, vga, v, usb, inputs, balloon, smbios, uuid); }

    /** The command line after the executable; defaults are left out, so fromArgs(toArgs()) is this record. */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>();
        if (name != null) add(a, "--name", name);
        if (kernel != null) add(a, "--kernel", kernel.toString());
        if (firmware != null) add(a, "--firmware", firmware.toString());
        for (Pflash p : pflash) add(a, "--pflash", p.toArg());
        if (initrd != null) add(a, "--initrd", initrd.toString());
        if (!cmdline.isEmpty()) add(a, "--append", cmdline);
        if (memoryBytes != null) add(a, "--memory", memoryBytes % 1024 == 0 ? (memoryBytes / 1024) + "K" : memoryBytes + "B");
        add(a, "--cpus", Integer.toString(vcpus));
        add(a, "--accel", accel.wire());
        if (machine != MachineType.PC) add(a, "--machine", machine.wire());
        for (Controller c : controllers) add(a, "--controller", c.toArg());
        for (Disk d : disks) add(a, "--disk", d.toArg());
        for (Nic n : nics) add(a, "--nic", n.toArg());
        if (rng != null) add(a, "--rng", rng.toArg());
        if (vga != Vga.NONE) add(a, "--vga", vga.wire());
        if (vnc != null) add(a, "--vnc", vnc.toArg());
        if (usb != null) add(a, "--usb", usb.toArg());
        for (Input in : inputs) add(a, "--input", in.toArg());
        if (balloon != null) add(a, "--balloon", balloon.toArg());
        if (boot != null) add(a, "--boot", boot.toArg());
        for (String o : smbios) add(a, "--smbios", o);
        if (uuid != null) add(a, "--uuid", uuid);
        if (!(serial instanceof Serial.Stdio)) add(a, "--serial", serial.toArg());
        if (onReboot != OnReboot.RESTART) add(a, "--on-reboot", onReboot.wire());
        if (paused) a.add("--paused");
        if (control != null) add(a, "--control", control.toString());
        if (pidFile != null) add(a, "--pidfile", pidFile.toString());
        if (exitFile != null) add(a, "--exit-file", exitFile.toString());
        if (startToken != null) add(a, "--start-token", startToken);
        if (restore != null) add(a, "--restore", restore.toString());
        if (incoming != null) add(a, "--incoming", incoming);
        return a;
    }

    private static void add(List<String> a, String option, String value) {
        a.add(option);
        a.add(value);
    }

    /** Reads a jvirt-vmm command line; null when --help (or -h) was asked for. */
    public static LaunchSpec fromArgs(String[] args) throws UsageException {
        LaunchSpec s = of(null);
        List<Disk> disks = new ArrayList<>();
        List<Pflash> pflash = new ArrayList<>();
        List<Nic> nics = new ArrayList<>();
        List<Input> inputs = new ArrayList<>();
        List<Controller> controllers = new ArrayList<>();
        List<String> smbios = new ArrayList<>();
        String machineOption = null; // the first option that describes the machine (not needed with --restore alone)
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String opt = a, inline = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                opt = a.substring(0, eq);
                inline = a.substring(eq + 1);
            }
            if (opt.equals("-h") || opt.equals("--help")) return null;
            if (!opt.startsWith("--")) throw new UsageException("unexpected argument '" + a + "'");
            if (opt.equals("--paused")) {
                s = s.withPaused(true);
                continue;
            }
            String v = inline;
            if (v == null) {
                if (i + 1 >= args.length) throw new UsageException(opt + " needs a value");
                v = args[++i];
            }
            if (machineOption == null && MACHINE_OPTIONS.contains(opt)) machineOption = opt;
            s = switch (opt) {
                case "--kernel" -> new LaunchSpec(Path.of(v), s.initrd, s.cmdline, s.memoryBytes, s.vcpus, s.disks, s.serial, s.accel,
                        s.name, s.control, s.paused, s.pidFile, s.exitFile, s.startToken, s.onReboot, s.restore, s.incoming, s.firmware, s.boot, s.pflash, s.machine, s.controllers, s.rng, s.nics, s.vga, s.vnc, s.usb, s.inputs, s.balloon, s.smbios, s.uuid);
                case "--firmware" -> s.withFirmware(Path.of(v));
                case "--pflash" -> {
                    if (pflash.size() == Pflash.MAX_UNITS) throw new UsageException("at most " + Pflash.MAX_UNITS + " --pflash units");
                    pflash.add(Pflash.fromArg(v));
                    yield s;
                }
                case "--boot" -> s.withBoot(Boot.parse(v));
                case "--initrd" -> s.withInitrd(Path.of(v));
                case "--append" -> s.withCmdline(v);
                case "--memory" -> s.withMemoryBytes(parseSize(v));
                case "--cpus" -> s.withVcpus(parseCpus(v));
                case "--disk" -> {
                    disks.add(Disk.fromArg(v));
                    yield s;
                }
                case "--controller" -> {
                    controllers.add(Controller.fromArg(v));
                    yield s;
                }
                case "--serial" -> s.withSerial(Serial.fromArg(v));
                case "--name" -> s.withName(v);
                case "--control" -> s.withControl(Path.of(v));
                case "--pidfile" -> s.withPidFile(Path.of(v));
                case "--exit-file" -> s.withExitFile(Path.of(v));
                case "--restore" -> s.withRestore(Path.of(v));
                case "--incoming" -> s.withIncoming(Incoming.check(v));
                case "--start-token" -> s.withStartToken(v);
                case "--on-reboot" -> switch (v) {
                    case "restart" -> s.withOnReboot(OnReboot.RESTART);
                    case "destroy" -> s.withOnReboot(OnReboot.DESTROY);
                    default -> throw new UsageException("bad --on-reboot '" + v + "' (restart or destroy)");
                };
                case "--accel" -> s.withAccel(Accel.parse(v));
                case "--machine" -> s.withMachine(MachineType.parse(v));
                case "--nic" -> {
                    nics.add(Nic.fromArg(v));
                    yield s;
                }
                case "--rng" -> s.withRng(Rng.fromArg(v));
                case "--vga" -> s.withVga(Vga.parse(v));
                case "--smbios" -> {
                    if (!v.startsWith("type=")) throw new UsageException("--smbios '" + v + "' must start with type=N");
                    smbios.add(v);
                    yield s;
                }
                case "--uuid" -> {
                    if (!UUID_FORM.matcher(v).matches()) throw new UsageException("bad --uuid '" + v + "' (8-4-4-4-12 hexadecimal digits)");
                    yield s.withUuid(v);
                }
                case "--vnc" -> s.withVnc(Vnc.fromArg(v));
                case "--usb" -> s.withUsb(Usb.fromArg(v));
                case "--balloon" -> s.withBalloon(Balloon.fromArg(v));
                case "--input" -> {
                    inputs.add(Input.fromArg(v));
                    yield s;
                }
                default -> throw new UsageException("unknown option " + opt);
            };
        }
        s = s.withPflash(pflash).withControllers(controllers).withNics(nics).withInputs(inputs).withSmbios(smbios);
        if (!smbios.isEmpty() && s.firmware == null && pflash.isEmpty()) throw new UsageException("--smbios needs --firmware or --pflash (a direct kernel boot has no SMBIOS)");
        for (Input in : inputs) {
            if (in.bus() == InputBus.USB && s.usb == null) throw new UsageException("--input " + in.toArg() + " needs a USB controller (--usb qemu-xhci)");
        }
        if (s.incoming != null && s.restore != null) throw new UsageException("--incoming and --restore exclude each other");
        // a firmware boot restores or receives a migration with its own options (its state file does not describe it)
        if (!pflash.isEmpty() && (s.firmware != null || s.kernel != null)) {
            throw new UsageException("--pflash excludes --firmware and --kernel");
        }
        if (!pflash.isEmpty() && (s.initrd != null || !s.cmdline.isEmpty())) {
            throw new UsageException("--initrd and --append need --kernel");
        }
        if (!pflash.isEmpty()) return s.withDisks(disks);
        if (s.firmware != null && s.kernel != null) throw new UsageException("--firmware excludes --kernel");
        if (s.firmware != null && (s.initrd != null || !s.cmdline.isEmpty())) {
            throw new UsageException("--initrd and --append need --kernel");
        }
        if (s.firmware != null) return s.withDisks(disks);
        if (s.boot != null) throw new UsageException("--boot needs --firmware");
        for (Disk d : disks) if (d.bootIndex() != null) throw new UsageException("bootindex needs --firmware");
        if (s.kernel == null && s.restore == null) throw new UsageException("--kernel FILE is required");
        if (s.kernel == null && machineOption != null) {
            throw new UsageException(machineOption + " needs --kernel (with --restore alone, the VM is the one the file describes)");
        }
        if (s.startToken != null && s.pidFile == null) throw new UsageException("--start-token needs --pidfile");
        return s.withDisks(disks);
    }

    /** "256M", "1G", "512K", "1048576B"; a bare number is MiB, as QEMU's -m. */
    public static long parseSize(String s) throws UsageException {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1L << 20;
        if (t.endsWith("IB")) t = t.substring(0, t.length() - 2);
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                case 'B' -> unit = 1;
                default -> unit = 0;
            }
            if (unit != 0) t = t.substring(0, t.length() - 1);
            else unit = 1L << 20;
        }
        try {
            long n = Long.parseLong(t);
            if (n <= 0 || n > (1L << 50) / unit) throw new NumberFormatException();
            return n * unit;
        } catch (NumberFormatException e) {
            throw new UsageException("bad memory size '" + s + "' (e.g. 256M, 2G)");
        }
    }

    private static int parseCpus(String s) throws UsageException {
        try {
            int n = Integer.parseInt(s.trim());
            if (n < 1 || n > 255) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("bad vCPU count '" + s + "' (1..255)");
        }
    }

    /** Splits at single commas; ",," stands for a comma (as in QEMU's options). */
    public static String[] splitOptions(String s) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ',') {
                cur.append(c);
            } else if (i + 1 < s.length() && s.charAt(i + 1) == ',') {
                cur.append(',');
                i++;
            } else {
                parts.add(cur.toString());
                cur.setLength(0);
            }
        }
        parts.add(cur.toString());
        return parts.toArray(String[]::new);
    }
}
