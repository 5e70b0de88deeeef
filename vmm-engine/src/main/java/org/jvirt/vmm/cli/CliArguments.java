package org.jvirt.vmm.cli;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.devices.fwcfg.smbios.SmbiosFields;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.protocol.launch.LaunchSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the jvirt-vmm command line through the launch record the driver writes it with
 * ({@link LaunchSpec}: option names and value forms live there) and builds the MachineConfig;
 * errors are one-line UsageExceptions.
 */
final class CliArguments {
    private CliArguments() { }

    static final String USAGE = LaunchSpec.USAGE;

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** Returns null when --help was asked for. */
    static MachineConfig parse(String[] args) throws UsageException {
        VmmOptions o = parseOptions(args);
        return o == null ? null : o.config();
    }

    /** The whole command line; null when --help was asked for. */
    static VmmOptions parseOptions(String[] args) throws UsageException {
        LaunchSpec spec;
        try {
            spec = LaunchSpec.fromArgs(args);
        } catch (LaunchSpec.UsageException e) {
            throw new UsageException(e.getMessage());
        }
        if (spec == null) return null;
        if (spec.kernel() == null && spec.firmware() == null && spec.pflash().isEmpty()) return new VmmOptions(null, spec); // --restore FILE alone: the file describes the machine
        if (spec.vnc() != null && spec.vga() == LaunchSpec.Vga.NONE) {
            throw new UsageException("--vnc needs a display: add --vga std"); // QEMU's VNC shows a console; without one there is nothing to show
        }
        if ((spec.restore() != null || spec.incoming() != null) && spec.disks().stream().anyMatch(d -> d.bus() == LaunchSpec.DiskBus.SATA)) {
            throw new UsageException("a VM with SATA drives cannot be restored or migrated yet"); // its state cannot be saved either
        }
        try {
            MachineConfig config = new MachineConfig(spec.memoryBytes() == null ? MachineConfig.DEFAULT_MEMORY : spec.memoryBytes(),
                    spec.vcpus(), spec.kernel(), spec.initrd(), spec.cmdline(), disks(spec), serial(spec.serial()),
                    MachineConfig.Accel.valueOf(spec.accel().name()), spec.firmware(), ideDrives(spec),
                    spec.boot() == null ? null : new MachineConfig.Boot(spec.boot().order(), spec.boot().strict(),
                            spec.boot().menu(), spec.boot().splashTime(), spec.boot().rebootTimeout()), sataDrives(spec),
                    spec.pflash().stream().map(p -> new MachineConfig.Pflash(p.file(), p.readOnly())).toList(),
                    MachineConfig.Chipset.valueOf(spec.machine().name()),
                    spec.controllers().stream().map(c -> new MachineConfig.RootPort(c.index(), c.address(), c.chassis(), c.port())).toList(),
                    spec.rng() == null ? null : new MachineConfig.Rng(spec.rng().source(), spec.rng().address()), nics(spec), video(spec.vga()),
                    spec.usb() == null ? null : new MachineConfig.UsbController(spec.usb().address(),
                            spec.usb().ports() == null ? MachineConfig.UsbController.DEFAULT_PORTS : spec.usb().ports()), inputs(spec),
                    spec.balloon() == null ? null : new MachineConfig.Balloon(spec.balloon().address(), spec.balloon().deflateOnOom(),
                            spec.balloon().statsPeriod() == null ? 0 : spec.balloon().statsPeriod()),
                    SmbiosFields.parse(spec.smbios(), spec.uuid()));
            return new VmmOptions(config, spec);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static List<MachineConfig.InputDevice> inputs(LaunchSpec spec) {
        return spec.inputs().stream().map(i -> new MachineConfig.InputDevice(MachineConfig.InputKind.valueOf(i.kind().name()),
                MachineConfig.InputBus.valueOf(i.bus().name()), i.address())).toList();
    }

    /** "256M", "1G", "512K", "1048576B"; a bare number is MiB, as QEMU's -m. */
    static long parseSize(String s) throws UsageException {
        try {
            return LaunchSpec.parseSize(s);
        } catch (LaunchSpec.UsageException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static List<MachineConfig.Disk> disks(LaunchSpec spec) {
        List<MachineConfig.Disk> out = new ArrayList<>();
        for (LaunchSpec.Disk d : spec.disks()) {
            if (d.bus() != LaunchSpec.DiskBus.VIRTIO) continue;
            out.add(new MachineConfig.Disk(d.file(), d.readOnly(), ImageFormat.valueOf(d.format().name()), d.bootIndex(), d.serial(), d.address()));
        }
        return out;
    }

    /** The IDE drives; one without index= takes the first free position, as QEMU's -drive if=ide. */
    private static List<MachineConfig.IdeDrive> ideDrives(LaunchSpec spec) throws UsageException {
        boolean[] taken = new boolean[LaunchSpec.Disk.IDE_POSITIONS];
        for (LaunchSpec.Disk d : spec.disks()) {
            if (d.bus() != LaunchSpec.DiskBus.IDE || d.index() == null) continue;
            if (taken[d.index()]) throw new UsageException("two IDE drives at index " + d.index());
            taken[d.index()] = true;
        }
        List<MachineConfig.IdeDrive> out = new ArrayList<>();
        for (LaunchSpec.Disk d : spec.disks()) {
            if (d.bus() != LaunchSpec.DiskBus.IDE) continue;
            int position = d.index() == null ? -1 : d.index();
            for (int i = 0; position < 0 && i < taken.length; i++) {
                if (!taken[i]) {
                    taken[i] = true;
                    position = i;
                }
            }
            if (position < 0) throw new UsageException("more than " + LaunchSpec.Disk.IDE_POSITIONS + " IDE drives");
            out.add(new MachineConfig.IdeDrive(position, d.media() == LaunchSpec.DiskMedia.CDROM, d.file(), d.readOnly(),
                    ImageFormat.valueOf(d.format().name()), d.bootIndex(), d.serial()));
        }
        return out;
    }

    /** The SATA drives; one without index= takes the first free AHCI port. */
    private static List<MachineConfig.SataDrive> sataDrives(LaunchSpec spec) throws UsageException {
        boolean[] taken = new boolean[LaunchSpec.Disk.SATA_PORTS];
        for (LaunchSpec.Disk d : spec.disks()) {
            if (d.bus() != LaunchSpec.DiskBus.SATA || d.index() == null) continue;
            if (taken[d.index()]) throw new UsageException("two SATA drives at index " + d.index());
            taken[d.index()] = true;
        }
        List<MachineConfig.SataDrive> out = new ArrayList<>();
        for (LaunchSpec.Disk d : spec.disks()) {
            if (d.bus() != LaunchSpec.DiskBus.SATA) continue;
            int port = d.index() == null ? -1 : d.index();
            for (int i = 0; port < 0 && i < taken.length; i++) {
                if (!taken[i]) {
                    taken[i] = true;
                    port = i;
                }
            }
            if (port < 0) throw new UsageException("more than " + LaunchSpec.Disk.SATA_PORTS + " SATA drives");
            out.add(new MachineConfig.SataDrive(port, d.media() == LaunchSpec.DiskMedia.CDROM, d.file(), d.readOnly(),
                    ImageFormat.valueOf(d.format().name()), d.bootIndex(), d.serial()));
        }
        return out;
    }

    /** The NICs; one without a MAC gets QEMU's default, counting only those without one. */
    /** --vga's adapter as the machine's display. */
    static MachineConfig.Video video(LaunchSpec.Vga vga) {
        return switch (vga) {
            case NONE -> MachineConfig.Video.NONE;
            case STD -> MachineConfig.Video.VGA;
            case BOCHS -> MachineConfig.Video.BOCHS;
            case VIRTIO -> MachineConfig.Video.VIRTIO;
            case VIRTIO_VGA -> MachineConfig.Video.VIRTIO_VGA;
        };
    }

    private static List<MachineConfig.Nic> nics(LaunchSpec spec) {
        List<MachineConfig.Nic> out = new ArrayList<>();
        int unset = 0;
        for (LaunchSpec.Nic n : spec.nics()) {
            String mac = n.mac() != null ? n.mac() : LaunchSpec.Nic.defaultMac(unset++);
            out.add(n.stream() != null ? MachineConfig.Nic.stream(n.stream(), mac, n.address())
                    : new MachineConfig.Nic(n.ifname(), n.bridge(), mac, n.offload(), n.address()));
        }
        return out;
    }

    static MachineConfig.Serial serial(LaunchSpec.Serial s) {
        if (s instanceof LaunchSpec.Serial.ToFile f) return new MachineConfig.Serial.ToFile(f.path());
        // unix: and pty become Custom backends in JvirtVmmMain (they open sockets/terminals)
        return new MachineConfig.Serial.Stdio();
    }
}
