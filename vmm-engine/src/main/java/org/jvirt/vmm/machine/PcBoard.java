package org.jvirt.vmm.machine;

import org.jvirt.vmm.acpi.AcpiConfig;
import org.jvirt.vmm.acpi.AcpiTables;
import org.jvirt.vmm.boot.E820Entry;
import org.jvirt.vmm.boot.MemoryMap;
import org.jvirt.vmm.devices.acpi.AcpiPm;
import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.bus.MovableRange;
import org.jvirt.vmm.cpu.Accelerator;
import org.jvirt.vmm.devices.Resettable;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.devices.debug.DebugExit;
import org.jvirt.vmm.devices.display.BochsDisplay;
import org.jvirt.vmm.devices.display.Display;
import org.jvirt.vmm.devices.display.StdVga;
import org.jvirt.vmm.devices.i8042.I8042;
import org.jvirt.vmm.devices.input.InputRouter;
import org.jvirt.vmm.devices.pci.PciDevice;
import org.jvirt.vmm.devices.pci.PciHostBridge;
import org.jvirt.vmm.devices.pcie.PcieRootPort;
import org.jvirt.vmm.devices.q35.Q35Chipset;
import org.jvirt.vmm.block.chain.DiskImages;
import org.jvirt.vmm.devices.balloon.VirtioBalloon;
import org.jvirt.vmm.devices.rng.VirtioRng;
import org.jvirt.vmm.devices.virtio.VirtioBlock;
import org.jvirt.vmm.devices.virtio.VirtioIoThread;
import org.jvirt.vmm.devices.virtio.VirtioPciDevice;
import org.jvirt.vmm.devices.net.NetBackend;
import org.jvirt.vmm.devices.net.StreamBackend;
import org.jvirt.vmm.devices.net.TapBackend;
import org.jvirt.vmm.devices.net.VirtioNet;
import org.jvirt.vmm.devices.rtc.CmosRtc;
import org.jvirt.vmm.devices.serial.OutputStreamSerialBackend;
import org.jvirt.vmm.devices.serial.SerialBackend;
import org.jvirt.vmm.devices.serial.Uart16550;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.memory.RamRange;
import org.jvirt.vmm.devices.debug.DebugConsole;
import org.jvirt.vmm.devices.fwcfg.AcpiTableLoader;
import org.jvirt.vmm.devices.fwcfg.BootOrder;
import org.jvirt.vmm.devices.fwcfg.FwCfg;
import org.jvirt.vmm.devices.fwcfg.FwCfgItems;
import org.jvirt.vmm.devices.ide.AtaDisk;
import org.jvirt.vmm.devices.ide.AtapiCdrom;
import org.jvirt.vmm.devices.ide.IdeChannel;
import org.jvirt.vmm.devices.ide.IdeDevice;
import org.jvirt.vmm.devices.ide.Piix3IdeFunction;
import org.jvirt.vmm.devices.ahci.AhciController;
import org.jvirt.vmm.devices.ahci.AhciIoThread;
import org.jvirt.vmm.devices.fwcfg.PcFwCfgItems;
import org.jvirt.vmm.devices.fwcfg.smbios.SmbiosMachine;
import org.jvirt.vmm.devices.fwcfg.smbios.SmbiosTables;
import org.jvirt.vmm.firmware.FirmwareImage;
import org.jvirt.vmm.firmware.FirmwareRom;
import org.jvirt.vmm.devices.piix.Piix3IsaBridge;
import org.jvirt.vmm.devices.piix.Piix4PmFunction;
import org.jvirt.vmm.devices.pflash.SystemFlash;
import java.nio.file.Path;
import org.jvirt.vmm.memory.X86MemoryLayout;

import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The PC devices of a machine and where they sit: COM1 at 0x3f8 (IRQ 4), the i8042 at
 * 0x60/0x64 (IRQ 1/12), the CMOS RTC at 0x70, QEMU's isa-debug-exit at 0xf4, the ACPI PM
 * block at 0x600 (SCI on IRQ 9) with ACPI tables at 0xE0000 (in the reserved legacy area, where
 * a guest that scans for the RSDP finds it), the PCI host bridge at 0xcf8 with one virtio-blk
 * function per disk (BARs from 0xE0000000, INTx to GSI 16..23, MSI-X through the accelerator), then
 * the PIIX3 IDE when there are IDE drives (legacy channels 0x1F0/0x170, IRQ 14/15), then the
 * AHCI controller (QEMU's ich9-ahci) when there are SATA drives, then one virtio-net function per
 * NIC (on a tap, {@link VirtioNet}).
 * On a q35 ({@link MachineConfig.Chipset#Q35}) the bus is the MCH's, with the ICH9 functions at
 * 00:1f ({@link Q35Chipset}): the LPC places the PM block, INTx goes through PIRQ A-H, and the
 * ECAM window is reserved in the memory map and announced in an MCFG table.
 * The PIC, PIT and IOAPIC are the accelerator's (in-kernel with KVM).
 */
public final class PcBoard implements AutoCloseable {
    public static final int COM1_PORT = 0x3f8, COM1_IRQ = 4;
    public static final int I8042_DATA = 0x60, I8042_COMMAND = 0x64, KBD_IRQ = 1, AUX_IRQ = 12;
    public static final int RTC_PORT = 0x70;
    public static final long ACPI_TABLES = 0xE0000;
    public static final int PCI_IO_BASE = 0xC000, PCI_IO_SIZE = 0x4000;

    /** What the devices ask of the machine (called on vCPU threads). */
    public interface Events {
        void resetRequested();
        void powerOffRequested();
        void debugExit(int value);
        void deviceFailed(String message);
    }

    private final SerialBackend serialBackend;
    private final Uart16550 com1;
    private final AcpiPm acpiPm;
    private final MovableRange acpiPmRange;
    private final AcpiConfig acpiConfig;
    private final MmapGuestMemory memory;
    private final PciHostBridge pci;
    /** The q35's MCH/ICH9 functions, or null on the pc. */
    private final Q35Chipset q35;
    private final CmosRtc rtc;
    /** The firmware's debug log (attachFirmware), closed with the board; or null. */
    private java.io.OutputStream debugLogStream;
    /** Booting firmware (attachFirmware): jvirt writes no ACPI tables. */
    private boolean firmware;
    private final List<VirtioBlock> disks = new ArrayList<>();
    /** Each virtio-blk disk's PCI function as the firmware's boot paths name it ("/pci@i0cf8/scsi@3"), in disk order. */
    private final List<String> diskPaths = new ArrayList<>();
    /** The PCIe root ports by their controller index (the bus name in a device's address). */
    private final java.util.Map<Integer, PcieRootPort> rootPorts = new java.util.HashMap<>();
    private final List<VirtioNet> nics = new ArrayList<>();
    /** The PIIX3 IDE, when the configuration has IDE drives: its drives by position (0..3), and its slot. */
    private final IdeDevice[] ideDrives = new IdeDevice[4];
    private int ideSlot = -1, ideFunction;
    /** The AHCI controller, when the configuration has SATA drives: its drives by port, its slot and I/O thread. */
    private final IdeDevice[] sataDrives = new IdeDevice[AhciController.PORTS];
    private int ahciSlot = -1, ahciFunction;
    private AhciIoThread ahciThread;
    /** The AHCI controller (SATA drives on the pc; always on q35), or null. */
    private AhciController ahci;

    /** Whether the guest drives the AHCI controller (q35's is there without drives): its registers are in no state section yet. */
    boolean ahciInUse() { return ahci != null && ahci.inUse(); }
    private final MachineConfig config;
    /** The std VGA (--vga std), or null. */
    private StdVga vga;
    /** The display adapter (the std VGA or the bochs-display), or null. */
    private Display display;
    /** The virtio-rng, when configured. */
    private VirtioRng rng;
    /** The virtio-balloon, when configured. */
    private VirtioBalloon balloon;
    /** One per virtio device (the virtio-gpu's when it is the display, the disks' in disk order, the rng's, the NICs'): requests run there, never on a vCPU thread. */
    private final List<VirtioIoThread> ioThreads = new ArrayList<>();
    /** Firmware boots on the pc (SeaBIOS, UEFI): the PIIX4 PM function that places the ACPI PM block, and the flash. */
    private Piix4PmFunction piixPm;
    private SystemFlash systemFlash;

    /** The virtio-blk devices, in the order of the configuration's disks. */
    public List<VirtioBlock> disks() { return java.util.Collections.unmodifiableList(disks); }

    /** A device's state-file section: its id, the version of its saveState stream, the device. */
    record DeviceSection(String id, int version, Snapshottable device) { }

    private final InputRouter input = new InputRouter();
    /** The USB controller (--usb qemu-xhci), or null. */
    private org.jvirt.vmm.devices.usb.xhci.XhciController xhci;
    /** Devices whose state a state file carries, in restore order (the PCI functions after the host bridge). */
    private final List<DeviceSection> stateSections = new ArrayList<>();
    /** Devices with guest-visible state to put back on a guest reset, in registration order. */
    private final List<Resettable> resettable = new ArrayList<>();

    PcBoard(MachineConfig config, Accelerator accel, MmapGuestMemory memory, IoBus pio, IoBus mmio, Events events) {
        this.config = config;
        serialBackend = openSerial(config.serial());
        com1 = new Uart16550(accel.interruptLine(COM1_IRQ), serialBackend);
        pio.register(COM1_PORT, 8, com1);
        resettable.add(com1);
        stateSections.add(new DeviceSection("com1", 1, com1));

        I8042 i8042 = new I8042(accel.interruptLine(KBD_IRQ), accel.interruptLine(AUX_IRQ), events::resetRequested);
        pio.register(I8042_DATA, 1, i8042.dataPort());
        pio.register(I8042_COMMAND, 1, i8042.commandPort());
        resettable.add(i8042);
        stateSections.add(new DeviceSection("i8042", I8042.STATE_VERSION, i8042));
        input.register(InputRouter.Kind.KEYBOARD, i8042.input());
        input.register(InputRouter.Kind.RELATIVE_POINTER, i8042.input());
        i8042.setLedListener(input::putLeds);

        long low = 0;
        for (RamRange r : config.ramRanges()) if (r.start() < X86MemoryLayout.PCI_HOLE_END) low += r.size();
        rtc = new CmosRtc(Clock.systemDefaultZone(), low, config.memoryBytes() - low);
        pio.register(RTC_PORT, 2, rtc);
        resettable.add(rtc);
        stateSections.add(new DeviceSection("rtc", 1, rtc));

        pio.register(DebugExit.PORT, DebugExit.LENGTH, new DebugExit(events::debugExit));

        this.memory = memory;
        AcpiConfig base = AcpiConfig.defaults(config.vcpus());
        acpiPm = new AcpiPm(accel.interruptLine(base.sciIrq()), events::powerOffRequested);
        acpiPmRange = new MovableRange(pio, AcpiPm.LENGTH, acpiPm);
        q35 = config.chipset() == MachineConfig.Chipset.Q35 ? new Q35Chipset(mmio, pio, acpiPmRange) : null;
        acpiConfig = q35 != null ? base.withPciRoot(AcpiConfig.PciRoot.express(q35.routing(), Q35Chipset.ECAM_BASE, Q35Chipset.ECAM_SIZE))
                : config.bootsFlash() ? Piix4PmFunction.acpiConfig(base) : base; // SeaBIOS sets PMBA 0x600, the base's
        if (q35 == null) acpiPmRange.moveTo(acpiConfig.pmBase()); // where jvirt's ACPI tables say; on q35 the LPC's PMBASE places it
        resettable.add(acpiPm);
        stateSections.add(new DeviceSection("acpi-pm", 1, acpiPm));

        pci = q35 == null
                ? new PciHostBridge(mmio, pio, acpiConfig.pciMmio32Base(), acpiConfig.pciMmio32Size(), PCI_IO_BASE, PCI_IO_SIZE, accel::interruptLine)
                : new PciHostBridge(mmio, pio, acpiConfig.pciMmio32Base(), acpiConfig.pciMmio32Size(), PCI_IO_BASE, PCI_IO_SIZE, accel::interruptLine,
                        q35.hostBridge(), q35.routing());
        pio.register(PciHostBridge.PORT, PciHostBridge.PORT_LENGTH, pci);
        resettable.add(pci); // resets its functions (virtio devices) too
        stateSections.add(new DeviceSection("pci-host", 1, pci));
        if (q35 != null) attachQ35(config.bootsFirmware());
        try {
            if (config.bootsFirmware() && q35 == null) attachPiix(); // at 00:01 as QEMU's pc: before the disks take the first free slots
            attachRootPorts(accel);
            if (config.video() == MachineConfig.Video.VGA) attachVga(accel, pio, mmio);
            if (config.video() == MachineConfig.Video.BOCHS) attachBochsDisplay();
            if (config.video() == MachineConfig.Video.VIRTIO) attachVirtioGpu(accel);
            if (config.video() == MachineConfig.Video.VIRTIO_VGA) attachVirtioVga(accel, pio, mmio);
            if (config.usbController() != null) attachUsb(accel);
            for (int i = 0; i < config.inputs().size(); i++) {
                MachineConfig.InputDevice in = config.inputs().get(i);
                if (in.bus() == MachineConfig.InputBus.VIRTIO) attachVirtioInput(in, i, accel);
            }
            List<VirtioPciDevice> diskFunctions = new ArrayList<>();
            for (int i = 0; i < config.disks().size(); i++) {
                MachineConfig.Disk d = config.disks().get(i);
                VirtioBlock blk;
                try {
                    blk = new VirtioBlock(DiskImages.open(d.path(), d.format(), d.readOnly()), d.serial() != null ? d.serial() : "jvirt-disk" + i);
                } catch (IOException e) {
                    throw new MachineException("cannot open disk " + d.path() + ": " + e.getMessage(), e);
                }
                disks.add(blk);
                VirtioPciDevice fn = new VirtioPciDevice(blk, memory, accel.msiSink());
                diskFunctions.add(fn);
                diskPaths.add(d.address() == null ? null : plugAt(d.address(), fn, "disk " + i));
            }
            // the NICs with an address take theirs before any device without one takes the first free slots
            List<VirtioPciDevice> nicFunctions = new ArrayList<>();
            for (int i = 0; i < config.nics().size(); i++) nicFunctions.add(createNic(config.nics().get(i), i, accel));
            VirtioPciDevice rngFn = config.rng() == null ? null : createRng(config.rng(), accel);
            VirtioPciDevice balloonFn = config.balloon() == null ? null : createBalloon(config.balloon(), accel);
            for (int i = 0; i < diskFunctions.size(); i++) { // the disks without an address: the first free slots, in order
                VirtioPciDevice fn = diskFunctions.get(i);
                if (diskPaths.get(i) == null) diskPaths.set(i, BootOrder.pciPath("scsi", pci.addDevice(fn), 0));
                ioThreads.add(VirtioIoThread.start(fn, accel.ioEvents(), "jvirt-disk" + i + "-io"));
                stateSections.add(new DeviceSection("virtio-blk" + i, 1, fn));
            }
            if (rngFn != null) startRng(rngFn, accel);
            if (balloonFn != null) startBalloon(balloonFn, accel);
            if (!config.ideDrives().isEmpty()) attachIde(config.ideDrives(), accel, pio); // after the virtio disks: their slots stay
            if (q35 != null) attachAhci(config.sataDrives(), accel, Q35Chipset.LPC_SLOT, Q35Chipset.SATA_FUNCTION); // the ICH9's own, drives or not
            else if (!config.sataDrives().isEmpty()) attachAhci(config.sataDrives(), accel, -1, 0); // after IDE: its slot stays
            for (int i = 0; i < nicFunctions.size(); i++) { // the NICs without an address last: no other device's slot moves
                if (config.nics().get(i).address() == null) pci.addDevice(nicFunctions.get(i));
                startNic(nicFunctions.get(i), i, accel);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (!config.bootsFirmware()) pci.programBridgesAsFirmware(); // bus numbers and windows, as firmware would set them
        writeFirmwareTables();
    }

    public PciHostBridge pci() { return pci; }

    /** The std VGA, or null when the machine has none. */
    public StdVga vga() { return vga; }

    /** The display adapter (std VGA or bochs-display), or null when the machine has no display. */
    public Display display() { return display; }

    /**
     * Where key and pointer events for the guest go (VNC clients, send-key): the i8042's PS/2
     * keyboard and mouse, and the input devices that register after them.
     */
    public InputRouter input() { return input; }

    /** Where QEMU's VGA BIOS is (Debian's seabios package); -Djvirt.vgabios=FILE names another. */
    static final String VGA_BIOS = "/usr/share/seabios/vgabios-stdvga.bin";

    /**
     * QEMU's -vga std: the VGA function where libvirt puts the primary video (00:02.0 on the pc,
     * after the PIIX3; 00:01.0 on the q35), or the first free slot when that one is taken; its
     * legacy ports and the 0xa0000 window (routed past RAM to the device), the VGA BIOS as its
     * expansion ROM (needed by firmware only: a kernel boot goes on without it), and its state section.
     */
    private void attachVga(Accelerator accel, IoBus pio, IoBus mmio) {
        vga = new StdVga(displayRom("jvirt.vgabios", VGA_BIOS));
        display = vga;
        addPrimaryVideo(vga);
        vga.attachLegacy(pio, mmio);
        if (!accel.reserveMmio(0xa0000, 0x20000)) {
            System.err.println("jvirt-vmm: warning: this accelerator keeps RAM at 0xa0000-0xbffff: the VGA's text and planar modes are not"
                    + " shown (VBE modes through the framebuffer BAR are)");
        }
        stateSections.add(new DeviceSection("vga", 1, vga));
    }

    /** Where QEMU's bochs-display firmware is; -Djvirt.bochsbios=FILE names another. */
    static final String BOCHS_DISPLAY_BIOS = "/usr/share/seabios/vgabios-bochs-display.bin";

    /**
     * QEMU's bochs-display where libvirt puts the primary video, its firmware as the expansion
     * ROM, and its state section; on the q35's PCI Express root bus with QEMU's endpoint capability.
     */
    private void attachBochsDisplay() {
        BochsDisplay bochs = new BochsDisplay(displayRom("jvirt.bochsbios", BOCHS_DISPLAY_BIOS), StdVga.DEFAULT_VRAM, q35 != null);
        display = bochs;
        addPrimaryVideo(bochs);
        stateSections.add(new DeviceSection("bochs-display", 1, bochs));
    }

    /** QEMU's virtio-gpu-pci (2D, no firmware ROM) where libvirt puts the primary video, with its own I/O thread. */
    private void attachVirtioGpu(Accelerator accel) {
        org.jvirt.vmm.devices.display.VirtioGpu gpu = new org.jvirt.vmm.devices.display.VirtioGpu();
        gpu.attachMemory(memory);
        VirtioPciDevice fn = new VirtioPciDevice(gpu, memory, accel.msiSink());
        fn.config().setSubsystem(0x1af4, 0x1100); // QEMU's subsystem for its modern-only virtio functions (virtio-gpu-pci is one)
        display = gpu;
        addPrimaryVideo(fn);
        ioThreads.add(VirtioIoThread.start(fn, accel.ioEvents(), "jvirt-gpu-io"));
        stateSections.add(new DeviceSection("virtio-gpu", 1, fn));
    }

    /** Where QEMU's virtio-vga firmware is; -Djvirt.virtiovgabios=FILE names another. */
    static final String VIRTIO_VGA_BIOS = "/usr/share/seabios/vgabios-virtio.bin";

    /** QEMU's virtio-vga where libvirt puts the primary video: the VGA's legacy ranges, its firmware, the GPU's I/O thread. */
    private void attachVirtioVga(Accelerator accel, IoBus pio, IoBus mmio) {
        org.jvirt.vmm.devices.display.VirtioVga vvga = new org.jvirt.vmm.devices.display.VirtioVga(
                displayRom("jvirt.virtiovgabios", VIRTIO_VGA_BIOS), memory, accel.msiSink());
        display = vvga;
        addPrimaryVideo(vvga);
        vvga.attachLegacy(pio, mmio);
        if (!accel.reserveMmio(0xa0000, 0x20000)) {
            System.err.println("jvirt-vmm: warning: this accelerator keeps RAM at 0xa0000-0xbffff: the VGA's text and planar modes are not shown");
        }
        ioThreads.add(VirtioIoThread.start(vvga.function(), accel.ioEvents(), "jvirt-gpu-io"));
        stateSections.add(new DeviceSection("virtio-vga", 1, vvga));
    }

    /**
     * QEMU's virtio-keyboard-pci, virtio-mouse-pci or virtio-tablet-pci at its address (else the
     * first free slot at this point, before the disks), its handler in the input router behind the
     * PS/2 pair until its driver is up; state section "virtio-inputN" (N: its place among the inputs).
     */
    /**
     * QEMU's qemu-xhci at its address (or the first free slot) with the USB input devices on its
     * USB 2 ports in configuration order (QEMU's port paths 1, 2, ...), each device's handler
     * registered in the input router; one state section for the controller and its devices.
     */
    private void attachUsb(Accelerator accel) {
        MachineConfig.UsbController slot = config.usbController();
        xhci = new org.jvirt.vmm.devices.usb.xhci.XhciController(memory, accel.msiSink(), slot.ports(), q35 != null);
        int dev, fn;
        if (slot.address() != null) {
            plugAt(slot.address(), xhci, "USB controller qemu-xhci");
            dev = slot.address().slot();
            fn = slot.address().function();
        } else {
            dev = pci.addDevice(xhci);
            fn = 0;
        }
        String pciPath = String.format("0000:00:%02x.%x", dev, fn);
        int port = 0;
        for (MachineConfig.InputDevice in : config.inputs()) {
            if (in.bus() != MachineConfig.InputBus.USB) continue;
            port++;
            if (port > xhci.usb2Ports()) {
                throw new MachineException("the USB controller qemu-xhci has " + xhci.usb2Ports() + " USB 2 ports: no free port for usb "
                        + in.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + port);
            }
            org.jvirt.vmm.devices.usb.hid.UsbHid hid = new org.jvirt.vmm.devices.usb.hid.UsbHid(
                    org.jvirt.vmm.devices.usb.hid.HidKind.valueOf(in.kind().name()), pciPath, Integer.toString(port));
            hid.connect(input);
            xhci.attach(port, hid);
        }
        stateSections.add(new DeviceSection("xhci", org.jvirt.vmm.devices.usb.xhci.XhciController.STATE_VERSION, xhci));
    }

    /** The qemu-xhci controller, or null. */
    public org.jvirt.vmm.devices.usb.xhci.XhciController xhci() { return xhci; }

    private void attachVirtioInput(MachineConfig.InputDevice in, int index, Accelerator accel) {
        org.jvirt.vmm.devices.virtio.input.HidKind kind = org.jvirt.vmm.devices.virtio.input.HidKind.valueOf(in.kind().name());
        org.jvirt.vmm.devices.virtio.input.VirtioInputFunction f =
                org.jvirt.vmm.devices.virtio.input.VirtioInputFunction.create(kind, memory, accel.msiSink(), input);
        if (in.address() != null) plugAt(in.address(), f.pci(), "virtio " + in.kind().name().toLowerCase(java.util.Locale.ROOT));
        else pci.addDevice(f.pci());
        stateSections.add(new DeviceSection("virtio-input" + index, org.jvirt.vmm.devices.virtio.input.VirtioInput.STATE_VERSION, f.pci()));
    }

    /** The display's firmware file (property overrides the default); a kernel boot goes on without one. */
    private byte[] displayRom(String property, String defaultFile) {
        Path biosFile = Path.of(System.getProperty(property, defaultFile));
        try {
            return Files.readAllBytes(biosFile);
        } catch (IOException e) {
            if (config.bootsFirmware()) {
                String why = e instanceof java.nio.file.NoSuchFileException ? "No such file or directory" : e.getMessage();
                throw new MachineException("cannot read VGA BIOS " + biosFile + ": " + why, e);
            }
            return null;
        }
    }

    /** The primary video's slot as libvirt gives it (00:02.0 on the pc, 00:01.0 on the q35), else the first free one. */
    private void addPrimaryVideo(PciDevice video) {
        int slot = q35 != null ? 1 : 2;
        if (pci.device(slot) == null) pci.addDevice(slot, video);
        else pci.addDevice(video);
    }

    /** The root ports (QEMU's pcie-root-port) at their root-bus addresses, each with a state section. */
    private void attachRootPorts(Accelerator accel) {
        for (MachineConfig.RootPort r : config.rootPorts()) {
            PcieRootPort port = new PcieRootPort(r.chassis(), r.port(), accel.msiSink());
            try {
                pci.addFunction(r.address().slot(), r.address().function(), port);
            } catch (IllegalArgumentException e) {
                throw new MachineException("pcie-root-port " + r.index() + " at " + r.address() + ": the address is taken");
            }
            rootPorts.put(r.index(), port);
            stateSections.add(new DeviceSection("pcie-root-port" + r.index(), 1, port));
        }
    }

    /**
     * Plugs fn at address (on the root bus, or behind the root port whose index is its bus);
     * returns the function's firmware path (SeaBIOS names every bridge "pci-bridge").
     */
    private String plugAt(org.jvirt.vmm.protocol.launch.PciAddress address, PciDevice fn, String who) {
        try {
            if (address.onRootBus()) {
                pci.addFunction(address.slot(), address.function(), fn);
                return BootOrder.pciPath("scsi", address.slot(), address.function());
            }
            PcieRootPort port = rootPorts.get(address.bus());
            if (port == null) throw new MachineException(who + " at " + address + ": no PCI controller with index " + address.bus());
            pci.addFunction(port, address.slot(), address.function(), fn);
            MachineConfig.RootPort r = config.rootPorts().stream().filter(p -> p.index() == address.bus()).findFirst().orElseThrow();
            return BootOrder.pciPath("pci-bridge", r.address().slot(), r.address().function())
                    + "/scsi@" + Integer.toHexString(address.slot()) + (address.function() == 0 ? "" : "," + Integer.toHexString(address.function()));
        } catch (IllegalArgumentException e) {
            throw new MachineException(who + " at " + address + ": the address is taken");
        }
    }

    /**
     * A virtio-net function on a tap (opened, or reopened by name on a restore) or on a unix
     * stream socket (passt's, connected again on a restore), plugged at its address when it has
     * one (the caller adds the others once every other device is placed).
     */
    private VirtioPciDevice createNic(MachineConfig.Nic n, int index, Accelerator accel) {
        NetBackend backend;
        try {
            backend = n.stream() != null ? StreamBackend.connect(n.stream()) : TapBackend.open(n.ifname(), n.offload(), n.bridge(), n.macBytes());
        } catch (IOException e) {
            throw new MachineException("cannot set up NIC net" + index + ": " + e.getMessage(), e);
        }
        VirtioNet net = new VirtioNet("net" + index, n.macBytes(), backend);
        nics.add(net);
        VirtioPciDevice fn = new VirtioPciDevice(net, memory, accel.msiSink());
        if (n.address() != null) plugAt(n.address(), fn, "NIC net" + index);
        return fn;
    }

    /** The NIC's I/O thread (jvirt-netN-io: frames never move on a vCPU) and state section "virtio-netN". */
    private void startNic(VirtioPciDevice fn, int index, Accelerator accel) {
        VirtioNet net = nics.get(index);
        ioThreads.add(VirtioIoThread.start(fn, accel.ioEvents(), "jvirt-net" + index + "-io"));
        net.start(fn);
        stateSections.add(new DeviceSection("virtio-net" + index, 1, fn));
    }

    /** The virtio-net NICs, in the order of the configuration's (net0, net1, ...). */
    public List<VirtioNet> nics() { return java.util.Collections.unmodifiableList(nics); }

    /** The q35's chipset functions, or null on the pc. */
    public Q35Chipset q35() { return q35; }

    /**
     * The ICH9 functions at 00:1f before any other device takes a slot; for a kernel boot, the
     * chipset programmed as SeaBIOS would (ECAM window, PM block at the tables' PMBASE).
     */
    private void attachQ35(boolean firmwareBoots) {
        q35.attach(pci);
        if (!firmwareBoots) q35.programAsFirmware(pci, acpiConfig.pmBase());
        resettable.add(q35.smiRegisters());
        stateSections.add(new DeviceSection("ich9-lpc", 1, q35.lpc()));
        stateSections.add(new DeviceSection("ich9-smbus", 1, q35.smbus()));
        stateSections.add(new DeviceSection("ich9-smi", 1, q35.smiRegisters()));
    }

    /** A virtio-rng reading its source, plugged at its address when it has one (else after the disks: startRng). */
    private VirtioPciDevice createRng(MachineConfig.Rng r, Accelerator accel) {
        try {
            rng = new VirtioRng(r.source());
        } catch (IOException e) {
            throw new MachineException("cannot open the rng source " + r.source() + ": " + e.getMessage(), e);
        }
        VirtioPciDevice fn = new VirtioPciDevice(rng, memory, accel.msiSink());
        if (r.address() != null) plugAt(r.address(), fn, "rng");
        return fn;
    }

    /** The rng on the next free slot when it has no address, with its own I/O thread (a blocking source never holds a vCPU) and state section. */
    private void startRng(VirtioPciDevice fn, Accelerator accel) {
        if (config.rng().address() == null) pci.addDevice(fn);
        ioThreads.add(VirtioIoThread.start(fn, accel.ioEvents(), "jvirt-rng-io"));
        stateSections.add(new DeviceSection("virtio-rng", 1, fn));
    }

    /** A virtio-balloon for the machine's RAM, plugged at its address when it has one (else after the rng: startBalloon). */
    private VirtioPciDevice createBalloon(MachineConfig.Balloon b, Accelerator accel) {
        balloon = new VirtioBalloon(config.memoryBytes(), b.deflateOnOom());
        VirtioPciDevice fn = new VirtioPciDevice(balloon, memory, accel.msiSink());
        fn.config().setSubsystem(0x1af4, 0x1100); // QEMU's subsystem for a modern-only virtio function
        balloon.attach(fn::configChanged, fn::kick);
        if (b.address() != null) plugAt(b.address(), fn, "memory balloon");
        return fn;
    }

    /** The balloon on the next free slot when it has no address, with its I/O thread, state section and polling interval. */
    private void startBalloon(VirtioPciDevice fn, Accelerator accel) {
        if (config.balloon().address() == null) pci.addDevice(fn);
        ioThreads.add(VirtioIoThread.start(fn, accel.ioEvents(), "jvirt-balloon-io"));
        stateSections.add(new DeviceSection("virtio-balloon", 1, fn));
        balloon.setPollInterval(config.balloon().statsPeriod());
    }

    /** The virtio-balloon, or null. */
    public VirtioBalloon balloon() { return balloon; }

    /** The virtio-rng device, or null. */
    public VirtioRng rng() { return rng; }

    /**
     * The PIIX3 IDE of QEMU's pc: a PCI IDE function in compatibility mode (SeaBIOS and Linux's
     * ata_piix find it there) and its two legacy channels, 0x1F0/0x3F6 on IRQ 14 and
     * 0x170/0x376 on IRQ 15, with the configured drives (hard disks, ATAPI CD-ROMs).
     */
    private void attachIde(List<MachineConfig.IdeDrive> drives, Accelerator accel, IoBus pio) {
        for (MachineConfig.IdeDrive d : drives) {
            String serial = d.serial() != null ? d.serial() : qemuDriveSerial(d.position() + 1);
            try {
                ideDrives[d.position()] = d.cdrom()
                        ? new AtapiCdrom(d.path() == null ? null : DiskImages.open(d.path(), d.format(), true), serial)
                        : new AtaDisk(DiskImages.open(d.path(), d.format(), d.readOnly()), serial, "QEMU HARDDISK");
            } catch (IOException e) {
                throw new MachineException("cannot open IDE drive " + d.path() + ": " + e.getMessage(), e);
            }
        }
        int[][] ports = {{IdeChannel.PRIMARY_COMMAND_PORT, IdeChannel.PRIMARY_CONTROL_PORT, IdeChannel.PRIMARY_IRQ},
                         {IdeChannel.SECONDARY_COMMAND_PORT, IdeChannel.SECONDARY_CONTROL_PORT, IdeChannel.SECONDARY_IRQ}};
        IdeChannel[] channels = new IdeChannel[2];
        for (int c = 0; c < 2; c++) {
            IdeChannel channel = new IdeChannel(accel.interruptLine(ports[c][2]), ideDrives[2 * c], ideDrives[2 * c + 1], memory);
            pio.register(ports[c][0], IdeChannel.COMMAND_BLOCK_LENGTH, channel.commandBlock());
            pio.register(ports[c][1], IdeChannel.CONTROL_BLOCK_LENGTH, channel.controlBlock());
            resettable.add(channel);
            stateSections.add(new DeviceSection("ide" + c, IdeChannel.STATE_VERSION, channel));
            channels[c] = channel;
        }
        Piix3IdeFunction function = new Piix3IdeFunction(channels[0], channels[1]);
        stateSections.add(new DeviceSection("piix3-ide", 1, function));
        if (piixPm != null) { // a firmware boot has the PIIX3 at 00:01: its IDE is 00:01.1, as in QEMU's pc
            pci.addFunction(1, 1, function);
            ideSlot = 1;
            ideFunction = 1;
        } else {
            ideSlot = pci.addDevice(function);
        }
    }

    /**
     * QEMU's default drive serial: "QM" and the number of the IDE unit, which QEMU counts over
     * every IDE bus it creates, two units per bus (each AHCI port is a bus of its own), from 1.
     */
    static String qemuDriveSerial(int unitNumber) {
        return String.format("QM%05d", unitNumber);
    }

    /**
     * QEMU's ich9-ahci with the configured drives (hard disks, ATAPI CD-ROMs) on its ports, as
     * PCI function slot.function (or function 0 of the next free slot when slot is -1; q35 puts
     * it at 00:1f.2), with its own I/O thread and interrupts by MSI or INTA. Returns the slot.
     */
    int attachAhci(List<MachineConfig.SataDrive> drives, Accelerator accel, int slot, int function) {
        for (MachineConfig.SataDrive d : drives) {
            // QEMU's pc always has its PIIX3 IDE (units 1-4) before an added ich9-ahci; the q35's is its first IDE-like bus
            String serial = d.serial() != null ? d.serial() : qemuDriveSerial((q35 != null ? 1 : 5) + 2 * d.port());
            try {
                sataDrives[d.port()] = d.cdrom()
                        ? new AtapiCdrom(d.path() == null ? null : DiskImages.open(d.path(), d.format(), true), serial)
                        : new AtaDisk(DiskImages.open(d.path(), d.format(), d.readOnly()), serial, "QEMU HARDDISK");
            } catch (IOException e) {
                throw new MachineException("cannot open SATA drive " + d.path() + ": " + e.getMessage(), e);
            }
        }
        ahci = new AhciController(memory, accel.msiSink(), sataDrives); // reset with the PCI functions
        if (slot < 0) {
            ahciSlot = pci.addDevice(ahci);
            ahciFunction = 0;
        } else {
            pci.addFunction(slot, function, ahci);
            ahciSlot = slot;
            ahciFunction = function;
        }
        ahciThread = AhciIoThread.start(ahci, "jvirt-ahci-io");
        return ahciSlot;
    }

    /** The ATAPI CD-ROM on AHCI port 0..5, or null. */
    public AtapiCdrom sataCdrom(int port) {
        return port >= 0 && port < sataDrives.length && sataDrives[port] instanceof AtapiCdrom c ? c : null;
    }

    /**
     * What SeaBIOS and OVMF program on QEMU's pc (i440FX host bridge 8086:1237): the PIIX3 ISA bridge at
     * 00:01.0 (PIRQ routes) and the PIIX4 PM function at 00:01.3, which maps the ACPI PM block
     * where the guest sets PMBA (unmapped until then, as QEMU's).
     */
    private void attachPiix() {
        Piix3IsaBridge isa = new Piix3IsaBridge();
        pci.addFunction(1, 0, isa);
        piixPm = new Piix4PmFunction(acpiPmRange);
        pci.addFunction(1, 3, piixPm);
        stateSections.add(new DeviceSection("piix3-isa", 1, isa));
        stateSections.add(new DeviceSection("piix4-pm", 1, piixPm));
    }

    /** The ATAPI CD-ROM at IDE position 0..3, or null. */
    public AtapiCdrom cdrom(int position) {
        return position >= 0 && position < ideDrives.length && ideDrives[position] instanceof AtapiCdrom c ? c : null;
    }

    /** The firmware's boot choices: virtio disks and IDE drives with a bootindex, by their paths. */
    private List<BootOrder.Entry> bootEntries() {
        List<BootOrder.Entry> out = new ArrayList<>();
        for (int i = 0; i < config.disks().size(); i++) {
            Integer b = config.disks().get(i).bootIndex();
            if (b != null) out.add(new BootOrder.Entry(diskPaths.get(i) + "/disk@0,0", b));
        }
        for (MachineConfig.IdeDrive d : config.ideDrives()) {
            if (d.bootIndex() != null) out.add(new BootOrder.Entry(BootOrder.ideDrive(ideSlot, ideFunction, d.channel(), d.unit()), d.bootIndex()));
        }
        for (MachineConfig.SataDrive d : config.sataDrives()) {
            if (d.bootIndex() != null) out.add(new BootOrder.Entry(BootOrder.ahciDrive(ahciSlot, ahciFunction, d.port()), d.bootIndex()));
        }
        return out;
    }

    /**
     * Firmware boot: the image as ROM ending at 4 GiB, the fw_cfg device QEMU's pc machine has
     * (items of {@link PcFwCfgItems}: without a VGA "no graphics", so SeaBIOS's console is COM1; with one, SeaBIOS runs its VGA BIOS and writes to the screen as under QEMU's -vga std) and, when
     * debugLog is given, SeaBIOS's debug port 0x402 writing there. The ACPI tables jvirt writes
     * for a kernel are not written at 0xE0000 (the firmware's shadow is there): the firmware
     * installs the same tables from fw_cfg ({@link AcpiTableLoader}).
     */
    void attachFirmware(FirmwareImage image, List<RamRange> ram, int vcpus, Accelerator accel, IoBus pio, IoBus mmio, Path debugLog) {
        firmware = true;
        // CMOS bytes QEMU's pc gives SeaBIOS: default boot order "cad" (hard disk, floppy,
        // CD-ROM: 0x3D = 0x12, 0x38 = 0x30 with the floppy signature check on, as QEMU's
        // boot-order-test expects) and the vCPU count - 1
        MachineConfig.Boot boot = config.boot();
        int[] cmos = BootOrder.cmos(boot == null ? null : boot.order());
        rtc.setNvram(BootOrder.CMOS_BOOT_DEVICES, cmos[0]);
        rtc.setNvram(BootOrder.CMOS_BOOT_THIRD_AND_FLOPPY_CHECK, cmos[1]);
        rtc.setNvram(0x5F, vcpus - 1);
        FirmwareRom rom = new FirmwareRom(image);
        mmio.register(image.base(), rom.length(), rom); // the emulator reads it here; under KVM it takes the writes
        accel.mapReadOnly(image.base(), image.bytes());
        attachFwCfg(ram, vcpus, accel.processorId(), pio, debugLog);
    }

    /**
     * UEFI boot from flash (QEMU's -drive if=pflash): the units below 4 GiB on the MMIO bus (the
     * emulator reads and writes them there); under KVM the read-only code unit is also a
     * read-only memory slot (fetches at memory speed, writes still reach the device), the
     * writable variable store stays MMIO only so that its command and status reads are seen.
     * Then fw_cfg as for a BIOS image.
     */
    void attachFlash(SystemFlash flash, List<RamRange> ram, int vcpus, Accelerator accel, IoBus pio, IoBus mmio, Path debugLog) {
        firmware = true;
        systemFlash = flash;
        for (int i = 0; i < flash.units().size(); i++) {
            SystemFlash.Unit u = flash.units().get(i);
            mmio.register(u.base(), u.flash().length(), u.flash());
            resettable.add(u.flash());
            stateSections.add(new DeviceSection("pflash" + i, 1, u.flash()));
            if (u.flash().readOnly()) accel.mapReadOnly(u.base(), u.flash().contents());
        }
        attachFwCfg(ram, vcpus, accel.processorId(), pio, debugLog);
    }

    private void attachFwCfg(List<RamRange> ram, int vcpus, long processorId, IoBus pio, Path debugLog) {
        MachineConfig.Boot boot = config.boot();
        // jvirt's ACPI tables (as for a kernel boot), installed by the firmware from fw_cfg as QEMU's are
        FwCfgItems items = AcpiTableLoader.addTo(PcFwCfgItems.of(memory.size(), ram, vcpus, display == null, boot != null && boot.menu(),
                boot == null ? null : boot.splashTime(), boot == null ? null : boot.rebootTimeout()), AcpiTables.relocatable(acpiConfig));
        byte[] bootorder = BootOrder.file(bootEntries(), boot != null && boot.strict());
        if (bootorder != null) items.addFile("bootorder", bootorder);
        // QEMU 7.2's SMBIOS tables for this machine (SeaBIOS adds its own type 0 when the user gave none)
        SmbiosTables.addTo(items, SmbiosMachine.of(q35 != null, config.memoryBytes(), ram, vcpus, processorId), config.smbios());
        FwCfg fwCfg = new FwCfg(items);
        pio.register(FwCfg.PORT, FwCfg.LENGTH, fwCfg);
        resettable.add(fwCfg);
        stateSections.add(new DeviceSection("fw_cfg", 1, fwCfg));
        if (debugLog != null) {
            try {
                debugLogStream = Files.newOutputStream(debugLog);
                pio.register(DebugConsole.SEABIOS_PORT, DebugConsole.LENGTH, new DebugConsole(debugLogStream));
            } catch (IOException e) {
                throw new MachineException("cannot open firmware debug log " + debugLog + ": " + e.getMessage(), e);
            }
        }
    }

    /** (Re)writes the ACPI tables into guest RAM: at power-on and on every reset, since the guest may have overwritten them. */
    void writeFirmwareTables() {
        if (firmware) return; // the firmware builds its own
        AcpiTables.build(memory, ACPI_TABLES, acpiConfig);
    }

    private static SerialBackend openSerial(MachineConfig.Serial serial) {
        if (serial instanceof MachineConfig.Serial.Custom c) return c.backend();
        if (serial instanceof MachineConfig.Serial.ToFile f) {
            try {
                // created 0600 whatever the umask (the mode is only ever narrowed by it); an existing file keeps its mode
                return new OutputStreamSerialBackend(Channels.newOutputStream(Files.newByteChannel(f.path(),
                        Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))), true);
            } catch (IOException e) {
                throw new MachineException("cannot open serial output file " + f.path() + ": " + e.getMessage(), e);
            }
        }
        return new OutputStreamSerialBackend(System.out, false);
    }

    public Uart16550 com1() { return com1; }

    /** Guest-physical address of the ACPI RSDP (AcpiTables puts it at the base). */
    long rsdpAddress() { return ACPI_TABLES; }

    /** Marks the ACPI tables in the memory map (already inside the reserved legacy area; kept explicit). */
    void reserveFirmwareRanges(MemoryMap map) {
        map.mark(ACPI_TABLES, AcpiTables.MAX_SIZE, E820Entry.RESERVED);
        // Linux uses MMCONFIG only where the E820 map (or ACPI) reserves it, as SeaBIOS does on q35
        if (q35 != null) map.mark(Q35Chipset.ECAM_BASE, Q35Chipset.ECAM_SIZE, E820Entry.RESERVED);
    }

    List<DeviceSection> stateSections() { return List.copyOf(stateSections); }

    /** After every device's state was loaded: the PCI BARs are decoded again on the buses. */
    void stateRestored() {
        pci.refreshMappings(); // BARs, and what functions derive from their config (the PIIX4's PM block: configReplaced)
    }

    /** Waits until no disk request is in progress and holds new ones back (machine paused, state saved). */
    void quiesceIo() throws InterruptedException {
        for (VirtioIoThread t : ioThreads) t.quiesce();
        if (ahciThread != null) ahciThread.quiesce();
    }

    /** True when every disk's I/O thread is quiesced (no request in progress or allowed to start). */
    boolean ioQuiesced() {
        for (VirtioIoThread t : ioThreads) if (!t.isQuiesced()) return false;
        return ahciThread == null || ahciThread.isQuiesced();
    }

    /** Lets disk requests run again, including those the guest queued while quiesced. */
    void resumeIo() {
        for (VirtioIoThread t : ioThreads) t.resume();
        if (ahciThread != null) ahciThread.resume();
    }

    /** The virtio devices' I/O threads: the disks' in disk order, then the rng's, then the NICs'. */
    public List<VirtioIoThread> ioThreads() { return java.util.Collections.unmodifiableList(ioThreads); }

    /** Presses the ACPI power button: the guest sees a fixed power-button event on the SCI. */
    void pressPowerButton() { acpiPm.pressPowerButton(); }

    /** Guest reset: devices back to power-on state, firmware tables rewritten (RAM is otherwise kept). */
    void reset() {
        for (Resettable r : resettable) r.reset();
        writeFirmwareTables();
    }

    @Override
    public void close() {
        for (VirtioNet n : nics) n.stopReceiving(); // it kicks the I/O threads: stopped before them
        for (VirtioIoThread t : ioThreads) t.close(); // before the disks they write to are closed
        if (ahciThread != null) ahciThread.close();
        for (VirtioNet n : nics) {
            try {
                n.close();
            } catch (IOException e) {
                System.err.println("closing a NIC failed: " + e.getMessage());
            }
        }
        for (IdeDevice d : sataDrives) {
            try {
                if (d instanceof java.io.Closeable c) c.close();
            } catch (IOException e) {
                System.err.println("closing a SATA drive failed: " + e.getMessage());
            }
        }
        for (IdeDevice d : ideDrives) {
            try {
                if (d instanceof java.io.Closeable c) c.close();
            } catch (IOException e) {
                System.err.println("closing an IDE drive failed: " + e.getMessage());
            }
        }
        for (VirtioBlock d : disks) {
            try {
                d.close();
            } catch (IOException e) {
                System.err.println("closing a disk failed: " + e.getMessage());
            }
        }
        if (balloon != null) balloon.close();
        if (rng != null) {
            try {
                rng.close();
            } catch (IOException e) {
                System.err.println("closing the rng source failed: " + e.getMessage());
            }
        }
        serialBackend.close();
        if (systemFlash != null) {
            try {
                systemFlash.close();
            } catch (IOException e) {
                System.err.println("closing the flash files failed: " + e.getMessage());
            }
        }
        if (debugLogStream != null) {
            try {
                debugLogStream.close();
            } catch (IOException e) {
                System.err.println("closing the firmware debug log failed: " + e.getMessage());
            }
        }
    }
}
