package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.vmm.protocol.launch.LaunchSpec;
import org.jvirt.vmm.protocol.launch.PciAddress;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.Os;
import org.jvirt.xml.domain.devices.Disk;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Serial;

/**
 * The mapper from a domain definition to a jvirt-vmm command line (what libvirt's
 * qemuBuildCommandLine is to QEMU): memory, vCPUs, direct kernel or BIOS firmware boot with its boot order, raw and
 * qcow2 disks on virtio or IDE, IDE cdroms, the q35's PCIe root ports and the virtio disks' PCI
 * addresses ({@link PciPlacement}), the serial
 * console (pty, file, unix), the reboot policy and the RTC's time zone. {@link UnsupportedConfig}
 * first checks the whole definition: whatever the VMM cannot do is refused in one "unsupported
 * configuration" error, and what is safe to omit is noted in the domain's log.
 */
final class VmmCommand {

    /** The VMM's launch (the shared record its command line is written from), the variables added to its environment, and the console it serves. */
    /** nicAddresses: each interface's PCI address in document order (null: the VMM's first free slot), for NicDevices. */
    record Built(LaunchSpec spec, Map<String, String> env, String consoleType, String consolePath, List<PciAddress> nicAddresses) {
        /** The arguments after the jvirt-vmm executable. */
        List<String> args() {
            return spec.toArgs();
        }
    }

    /** COM1 for the VMM, and the console type and path clients are told (path null for pty: known after start). */
    private record Console(LaunchSpec.Serial vmm, String type, String path) { }

    private VmmCommand() { }

    /** The virt types the driver accepts at define time (libvirt checks them against the emulator's capabilities). */
    static void checkVirtType(String type) throws LibvirtException {
        if (!"kvm".equals(type) && !"qemu".equals(type)) {
            throw unsupported("Emulator 'jvirt-vmm' does not support virt type '" + type + "'");
        }
    }

    static Built build(DomainDefinition def, JvirtPaths paths, boolean paused, Path kvmDevice) throws LibvirtException {
        return build(def, paths, paused, VirtTypes.Host.probe(kvmDevice));
    }

    /** The command line for a host that offers what host says (kvm and/or the emulator). */
    static Built build(DomainDefinition def, JvirtPaths paths, boolean paused, VirtTypes.Host host) throws LibvirtException {
        Domain d = def.model();
        String name = def.name();
        checkVirtType(d.getType());
        UnsupportedConfig.Result support = UnsupportedConfig.check(d);
        support.throwIfRefused();
        VirtTypes.requireKvmIfAsked(d.getType(), host);
        Os os = d.getOs();
        boolean kernelBoot = os != null && os.getKernel() != null && !os.getKernel().isBlank();
        LaunchSpec spec = (kernelBoot ? LaunchSpec.of(Path.of(existing(os.getKernel().trim())))
                : flash(os) ? LaunchSpec.of(null).withPflash(pflash(os))
                : LaunchSpec.of(null).withFirmware(Path.of(existing(firmware(os)))))
                .withName(name)
                .withMemoryBytes(def.memoryKiB() * 1024)
                .withVcpus(def.vcpus())
                .withAccel(LaunchSpec.Accel.valueOf(VirtTypes.accelFor(d.getType()).name())) // no fallback: kvm runs on KVM, qemu on the emulator
                .withMachine(org.jvirt.driver.jvirt.firmware.MachineTypes.isQ35(os == null || os.getType() == null ? null : os.getType().getMachine())
                        ? LaunchSpec.MachineType.Q35 : LaunchSpec.MachineType.PC);
        if (kernelBoot && os.getInitrd() != null && !os.getInitrd().isBlank()) spec = spec.withInitrd(Path.of(existing(os.getInitrd().trim())));
        if (kernelBoot && os.getCmdline() != null && !os.getCmdline().isEmpty()) spec = spec.withCmdline(os.getCmdline());
        Devices devices = d.getDevices();
        PciPlacement.Plan pci = PciPlacement.of(devices, spec.machine() == LaunchSpec.MachineType.Q35);
        List<LaunchSpec.Disk> disks = new ArrayList<>();
        Map<Disk, Integer> bootIndexes = kernelBoot ? Map.of() : BootIndexes.of(def);
        if (devices != null) {
            for (Disk disk : devices.getDisks()) {
                disks.add(disk(disk).withBootIndex(bootIndexes.get(disk)).withSerial(serial(disk)).withAddress(pci.disks().get(disk)));
            }
        }
        spec = spec.withControllers(pci.controllers()).withDisks(disks).withRng(RngDevices.launch(devices, pci));
        spec = spec.withVga(DeviceChecks.display(devices));
        spec = spec.withUsb(InputDevices.usb(devices, pci)).withInputs(InputDevices.launch(devices, pci));
        spec = spec.withBalloon(BalloonDevices.launch(devices, pci));
        LaunchSpec.Vnc vnc = VncGraphics.launch(devices);
        if (vnc != null) spec = spec.withVnc(vnc);
        if (!kernelBoot) spec = spec.withBoot(boot(os)).withSmbios(SmbiosSettings.options(d, name)).withUuid(def.uuid()); // as libvirt's -smbios and -uuid
        String consoleType = null, consolePath = null;
        Console serial = serialSpec(devices, paths, name);
        if (serial != null) {
            spec = spec.withSerial(serial.vmm());
            consoleType = serial.type();
            consolePath = serial.path();
        }
        if ("destroy".equals(d.getOnReboot())) spec = spec.withOnReboot(LaunchSpec.OnReboot.DESTROY);
        spec = spec.withPaused(paused).withControl(paths.monitor(name)).withPidFile(paths.pidFile(name)).withExitFile(paths.exitFile(name));
        // the RTC keeps the VMM's time zone: UTC unless the guest asked for local time
        boolean localtime = d.getClock() != null && "localtime".equals(d.getClock().getOffset());
        Map<String, String> env = localtime ? Map.of() : Map.of("TZ", "UTC");
        try {
            UnsupportedConfig.noteOmitted(paths.log(name), support.omitted());
        } catch (IOException e) {
            throw JvirtErrors.io(e);
        }
        List<PciAddress> nicAddresses = new ArrayList<>();
        if (devices != null) for (Object i : devices.getInterfaces()) nicAddresses.add(pci.of(i));
        return new Built(spec, env, consoleType, consolePath, java.util.Collections.unmodifiableList(nicAddresses));
    }

    /**
     * QEMU's -boot as libvirt writes it (qemuBuildBootCommandLine): strict=on always,
     * menu=on,splash-time=N from {@code <bootmenu enable='yes' timeout='N'>}, reboot-timeout=N
     * from {@code <bios rebootTimeout='N'>}.
     */
    private static LaunchSpec.Boot boot(Os os) {
        boolean menu = os != null && os.getBootMenu() != null && "yes".equals(os.getBootMenu().getEnable());
        Integer splash = menu && os.getBootMenu().getTimeout() != null ? Integer.valueOf(os.getBootMenu().getTimeout().trim()) : null;
        String reboot = os == null ? null : org.jvirt.driver.def.FirmwareBootSettings.rebootTimeout(os);
        return new LaunchSpec.Boot(null, true, menu, splash, reboot == null ? null : Integer.valueOf(reboot.trim()));
    }

    /** Whether the firmware is UEFI in flash ({@code <loader type='pflash'>}, which firmware='efi' became at start). */
    static boolean flash(Os os) {
        return os != null && os.getLoader() != null && "pflash".equals(os.getLoader().getType());
    }

    /**
     * The flash units as libvirt gives them to QEMU (-drive if=pflash,unit=0/1): the loader
     * (read-only when it says so), then the domain's variable store, which start made from its template.
     */
    private static List<LaunchSpec.Pflash> pflash(Os os) throws LibvirtException {
        boolean readOnly = "yes".equals(os.getLoader().getReadonly());
        List<LaunchSpec.Pflash> units = new ArrayList<>();
        units.add(new LaunchSpec.Pflash(Path.of(existing(os.getLoader().trimmed())), readOnly));
        if (os.getNvram() != null) units.add(new LaunchSpec.Pflash(Path.of(existing(os.getNvram().trimmed())), false));
        return units;
    }

    /** The BIOS image of a firmware boot: the {@code <loader>}'s, else SeaBIOS's, as QEMU's pc machine loads by default. */
    static String firmware(Os os) {
        String loader = os == null || os.getLoader() == null ? null : os.getLoader().trimmed();
        return loader == null || loader.isEmpty() ? DEFAULT_BIOS : loader;
    }

    /** QEMU's default firmware for a pc (bios-256k.bin, which Debian's qemu finds in seabios' directory). */
    static final String DEFAULT_BIOS = "/usr/share/seabios/bios-256k.bin";

    /** A disk UnsupportedConfig let through: a raw or qcow2 virtio, IDE or SATA disk, or an IDE or SATA cdrom, on a file or block device. */
    private static LaunchSpec.Disk disk(Disk disk) throws LibvirtException {
        String source = org.jvirt.driver.def.DeviceLookup.sourcePath(disk); // null: a cdrom without a medium
        // no <driver type>: raw, as libvirt assumes (it never probes a format)
        boolean qcow2 = disk.getDriver() != null && "qcow2".equals(disk.getDriver().getType());
        String bus = DeviceChecks.busOf(disk);
        boolean cdrom = "cdrom".equals(disk.getDevice());
        LaunchSpec.DiskBus vmmBus = switch (bus) {
            case "ide" -> LaunchSpec.DiskBus.IDE;
            case "sata" -> LaunchSpec.DiskBus.SATA;
            default -> LaunchSpec.DiskBus.VIRTIO;
        };
        Integer index = switch (vmmBus) {
            case IDE -> IdePosition.of(disk);
            case SATA -> IdePosition.sataPort(disk);
            default -> null;
        };
        return new LaunchSpec.Disk(source == null ? null : Path.of(existing(source)), disk.getReadonlyMarker() != null,
                qcow2 ? LaunchSpec.DiskFormat.QCOW2 : LaunchSpec.DiskFormat.RAW,
                vmmBus, cdrom ? LaunchSpec.DiskMedia.CDROM : LaunchSpec.DiskMedia.DISK, index, null);
    }

    /** A disk's {@code <serial>}, checked as libvirt's qemuSafeSerialParamValue checks it; or null. */
    private static String serial(Disk disk) throws LibvirtException {
        String s = disk.getSerial();
        if (s == null) return null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == ' '))) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU,
                        "driver serial '" + s + "' contains unsafe characters");
            }
        }
        return s;
    }

    private static Console serialSpec(Devices devices, JvirtPaths paths, String name) throws LibvirtException {
        if (devices == null) return null;
        String type;
        String path = null;
        if (!devices.getSerials().isEmpty()) {
            Serial s = devices.getSerials().get(0);
            type = s.getType();
            path = DeviceChecks.sourcePath(s);
        } else if (!devices.getConsoles().isEmpty()) {
            org.jvirt.xml.domain.devices.Console c = devices.getConsoles().get(0);
            type = c.getType();
            path = DeviceChecks.sourcePath(c);
        } else {
            return null;
        }
        type = type == null ? "pty" : type;
        return switch (type) {
            case "pty" -> new Console(new LaunchSpec.Serial.Pty(), "pty", null);
            case "file" -> {
                if (path == null) throw unsupported("a serial of type 'file' needs <source path='...'/>");
                yield new Console(new LaunchSpec.Serial.ToFile(Path.of(path)), null, null);
            }
            case "unix" -> {
                String p = path != null ? path : paths.runDir().resolve(name + ".console").toString();
                yield new Console(new LaunchSpec.Serial.Unix(Path.of(p)), "unix", p);
            }
            // not the VMM default, stdout (the domain log)
            case "null" -> new Console(new LaunchSpec.Serial.ToFile(Path.of("/dev/null")), null, null);
            default -> throw unsupported("serial type '" + type + "' is not supported yet (pty, file, unix)");
        };
    }

    /** libvirt stats the boot files before starting QEMU; same message. */
    private static String existing(String path) throws LibvirtException {
        if (!Files.exists(Path.of(path))) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_QEMU,
                    "unable to stat: " + path + ": No such file or directory");
        }
        return path;
    }

    static LibvirtException unsupported(String what) {
        return new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, what);
    }
}
