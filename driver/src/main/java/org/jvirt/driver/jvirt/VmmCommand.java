package org.jvirt.driver.jvirt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.Os;
import org.jvirt.xml.domain.devices.CharSource;
import org.jvirt.xml.domain.devices.Console;
import org.jvirt.xml.domain.devices.Disk;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Serial;

/**
 * The mapper from a domain definition to a jvirt-vmm command line (what libvirt's
 * qemuBuildCommandLine is to QEMU): memory, vCPUs, direct kernel boot, raw disks, the serial
 * console (pty, file, unix) and the reboot policy. Whatever the VMM cannot do yet is refused
 * here with libvirt's "unsupported configuration" error rather than silently dropped.
 */
final class VmmCommand {

    /** The arguments after the jvirt-vmm executable, and the console type the VMM will serve. */
    record Built(List<String> args, String consoleType, String consolePath) { }

    private VmmCommand() { }

    /** The virt types the driver accepts at define time (libvirt checks them against the emulator's capabilities). */
    static void checkVirtType(String type) throws LibvirtException {
        if (!"kvm".equals(type) && !"qemu".equals(type)) {
            throw unsupported("Emulator 'jvirt-vmm' does not support virt type '" + type + "'");
        }
    }

    static Built build(DomainDefinition def, JvirtPaths paths, boolean paused, Path kvmDevice) throws LibvirtException {
        Domain d = def.model();
        String name = def.name();
        checkVirtType(d.getType());
        if ("qemu".equals(d.getType())) {
            throw unsupported("domain type 'qemu' needs jvirt's CPU emulator, which is not available yet: use type='kvm'");
        }
        if (!Files.isReadable(kvmDevice) || !Files.isWritable(kvmDevice)) {
            throw unsupported("domain type 'kvm' needs " + kvmDevice + ", which is "
                    + (Files.exists(kvmDevice) ? "not accessible to this user" : "missing") + ": KVM is not available on this host");
        }
        Os os = d.getOs();
        String kernel = os == null ? null : os.getKernel();
        if (kernel == null || kernel.isBlank()) {
            throw unsupported("booting from firmware or disks is not supported yet: the domain needs a direct kernel boot <kernel>");
        }
        List<String> a = new ArrayList<>();
        a.add("--name");
        a.add(name);
        a.add("--kernel");
        a.add(existing(kernel.trim()));
        if (os.getInitrd() != null && !os.getInitrd().isBlank()) {
            a.add("--initrd");
            a.add(existing(os.getInitrd().trim()));
        }
        if (os.getCmdline() != null && !os.getCmdline().isEmpty()) {
            a.add("--append");
            a.add(os.getCmdline());
        }
        a.add("--memory");
        a.add(def.memoryKiB() + "K");
        a.add("--cpus");
        a.add(Integer.toString(def.vcpus()));
        a.add("--accel");
        a.add("kvm");
        Devices devices = d.getDevices();
        if (devices != null) {
            for (Disk disk : devices.getDisks()) addDisk(disk, a);
            if (!devices.getInterfaces().isEmpty()) throw unsupported("network interfaces are not supported yet");
        }
        String consoleType = null, consolePath = null;
        String[] serial = serialSpec(devices, paths, name);
        if (serial != null) {
            a.add("--serial");
            a.add(serial[0]);
            consoleType = serial[1];
            consolePath = serial[2];
        }
        String onReboot = d.getOnReboot();
        if ("destroy".equals(onReboot)) {
            a.add("--on-reboot");
            a.add("destroy");
        } else if (onReboot != null && !onReboot.equals("restart")) {
            throw unsupported("on_reboot='" + onReboot + "' is not supported yet (restart or destroy)");
        }
        String onPoweroff = d.getOnPoweroff();
        if (onPoweroff != null && !onPoweroff.equals("destroy")) {
            throw unsupported("on_poweroff='" + onPoweroff + "' is not supported yet (destroy)");
        }
        if (paused) a.add("--paused");
        a.add("--control");
        a.add(paths.monitor(name).toString());
        a.add("--pidfile");
        a.add(paths.pidFile(name).toString());
        a.add("--exit-file");
        a.add(paths.exitFile(name).toString());
        return new Built(a, consoleType, consolePath);
    }

    private static void addDisk(Disk disk, List<String> a) throws LibvirtException {
        String device = disk.getDevice() == null ? "disk" : disk.getDevice();
        if (!device.equals("disk")) throw unsupported("disk device '" + device + "' is not supported yet");
        String format = disk.getDriver() == null ? null : disk.getDriver().getType();
        if (format != null && !format.equals("raw")) {
            throw unsupported("disk format '" + format + "' is not supported yet");
        }
        String source = disk.getSource() == null ? null : disk.getSource().getFile() != null ? disk.getSource().getFile() : disk.getSource().getDev();
        if (source == null) throw unsupported("disks without a file or block device source are not supported yet");
        a.add("--disk");
        a.add(existing(source) + (disk.getReadonlyMarker() != null ? ",ro" : ""));
    }

    /** {vmm --serial value, console type for clients, console path (null for pty: known after start)}. */
    private static String[] serialSpec(Devices devices, JvirtPaths paths, String name) throws LibvirtException {
        if (devices == null) return null;
        String type;
        String path = null;
        if (!devices.getSerials().isEmpty()) {
            Serial s = devices.getSerials().get(0);
            type = s.getType();
            path = sourcePath(s.getSources());
        } else if (!devices.getConsoles().isEmpty()) {
            Console c = devices.getConsoles().get(0);
            type = c.getType();
            path = sourcePath(c.getSources());
        } else {
            return null;
        }
        type = type == null ? "pty" : type;
        return switch (type) {
            case "pty" -> new String[] {"pty", "pty", null};
            case "file" -> {
                if (path == null) throw unsupported("a serial of type 'file' needs <source path='...'/>");
                yield new String[] {"file:" + path, null, null};
            }
            case "unix" -> {
                String p = path != null ? path : paths.runDir().resolve(name + ".console").toString();
                yield new String[] {"unix:" + p, "unix", p};
            }
            case "null" -> null;
            default -> throw unsupported("serial type '" + type + "' is not supported yet (pty, file, unix)");
        };
    }

    private static String sourcePath(List<CharSource> sources) {
        for (CharSource s : sources) if (s.getPath() != null) return s.getPath();
        return null;
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
