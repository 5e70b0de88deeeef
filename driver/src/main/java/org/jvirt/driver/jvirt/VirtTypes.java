package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.vmm.machine.MachineConfig.Accel;

/**
 * A domain's virt type against jvirt-vmm's CPU backends, as libvirt's qemu driver maps it to
 * QEMU's accelerators: type='kvm' runs on KVM only (no silent fallback: without a usable
 * /dev/kvm the start fails with libvirt's words), type='qemu' always on the emulator.
 * What the host offers is {@link Host}: KVM when /dev/kvm opens read-write, the emulator when
 * this build has it ({@link Accel#implemented()}).
 */
final class VirtTypes {

    private VirtTypes() { }

    /** libvirt's qemuProcessStartValidate, VIR_ERR_CONFIG_UNSUPPORTED, when /dev/kvm does not exist. */
    static final String KVM_UNAVAILABLE = "Domain requires KVM, but it is not available. Check that virtualization is "
            + "enabled in the host BIOS, and host configuration is setup to load the kvm modules.";

    /** The virt types a host can run, probed once per question. */
    record Host(boolean kvm, boolean emulator, String kvmProblem) {

        /** /dev/kvm (or a stand-in path in tests) opened read-write, and whether this build has the emulator. */
        static Host probe(Path kvmDevice) {
            String problem = VirtTypes.kvmProblem(kvmDevice);
            return new Host(problem == null, Accel.EMU.implemented(), problem);
        }

        /** The virt types in the order capabilities lists them (libvirt: qemu, then kvm). */
        List<String> types() {
            List<String> t = new ArrayList<>();
            if (emulator) t.add("qemu");
            if (kvm) t.add("kvm");
            return t;
        }

        /** libvirt's default virt type for domcapabilities: kvm when the host has it, else qemu. */
        String defaultType() {
            return kvm || !emulator ? "kvm" : "qemu";
        }
    }

    /** Null when the device opens read-write, else why not ("missing", "Permission denied"...). */
    static String kvmProblem(Path device) {
        if (!Files.exists(device)) return "missing";
        try (FileChannel c = FileChannel.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return null;
        } catch (IOException | SecurityException e) {
            return e instanceof java.nio.file.AccessDeniedException ? "Permission denied" : String.valueOf(e.getMessage());
        }
    }

    /** jvirt-vmm's --accel for a virt type define accepted (kvm or qemu). */
    static Accel accelFor(String virtType) {
        return "qemu".equals(virtType) ? Accel.EMU : Accel.KVM;
    }

    /**
     * At start: a kvm domain needs KVM (libvirt's check, first of all); a qemu domain needs the
     * emulator, which {@link SettingChecks} reports among what jvirt-vmm cannot provide.
     */
    static void requireKvmIfAsked(String virtType, Host host) throws LibvirtException {
        if (!"kvm".equals(virtType) || host.kvm()) return;
        String why = "missing".equals(host.kvmProblem()) ? KVM_UNAVAILABLE
                : "Domain requires KVM, but /dev/kvm cannot be opened (" + host.kvmProblem() + "): give this user read "
                        + "and write access to it (the kvm group)";
        throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, why);
    }
}
