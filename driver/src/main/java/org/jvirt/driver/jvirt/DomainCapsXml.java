package org.jvirt.driver.jvirt;

import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.jvirt.firmware.FirmwareChoice;
import org.jvirt.driver.jvirt.firmware.FirmwareDescriptor;
import org.jvirt.driver.jvirt.firmware.FirmwareDescriptors;
import org.jvirt.driver.jvirt.firmware.MachineTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * virConnectGetDomainCapabilities for jvirt: what a domain run by jvirt-vmm can have, in
 * libvirt's domainCapabilities format. Only what the VMM really provides is marked supported:
 * direct kernel boot, a BIOS image (loader type rom, SeaBIOS by default) or UEFI in pflash (the
 * host's OVMF builds that need no SMM), the pc and q35 machines, host CPU passthrough by KVM or the emulator's qemu64
 * CPU for virttype qemu, disks on virtio, IDE and SATA and cdroms on IDE and SATA, the
 * serial console, VNC graphics, the video models vga, virtio and bochs, the rng models RngDevices accepts; no host devices.
 */
final class DomainCapsXml {

    private DomainCapsXml() { }

    /** The vCPUs one VMM starts (its --cpus limit). */
    static final int MAX_VCPUS = 255;

    /** The emulator's CPU model, named as libvirt names TCG's default x86-64 CPU. */
    static final String EMULATED_CPU_MODEL = "qemu64";

    /**
     * For a host offering what host says: no virttype means kvm when the host has KVM, else qemu
     * (libvirt's virQEMUCapsCacheLookupDefault); kvm on a host without it is libvirt's
     * "KVM is not supported by '...' on this host".
     */
    static String of(String emulatorBin, String arch, String machine, String virtType, String vmmPath, VirtTypes.Host host)
            throws LibvirtException {
        String type = virtType == null ? host.defaultType() : virtType;
        String binary = emulatorBin == null ? vmmPath : emulatorBin;
        if (!type.equals("kvm") && !type.equals("qemu")) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU, "unknown virttype: " + type);
        }
        if (type.equals("qemu") && !host.emulator()) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "virttype 'qemu' needs jvirt's CPU emulator, which is not available yet: use kvm");
        }
        if (type.equals("kvm") && !host.kvm()) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                    "KVM is not supported by '" + binary + "' on this host");
        }
        String a = arch == null ? "x86_64" : arch;
        if (!a.equals("x86_64")) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "jvirt-vmm does not support architecture '" + a + "'");
        }
        String m = MachineTypes.canonical(machine);
        if (!m.equals(MachineTypes.PC) && !m.equals(MachineTypes.Q35)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                    "the machine '" + machine + "' is not supported by emulator '" + vmmPath + "'");
        }
        boolean q35 = m.equals(MachineTypes.Q35);
        List<FirmwareDescriptor> uefi = uefiBuilds(m);
        return "<domainCapabilities>\n"
                + "  <path>" + escape(binary) + "</path>\n"
                + "  <domain>" + type + "</domain>\n"
                + "  <machine>" + m + "</machine>\n"
                + "  <arch>x86_64</arch>\n"
                + "  <vcpu max='" + MAX_VCPUS + "'/>\n"
                + "  <iothreads supported='no'/>\n"
                + "  <os supported='yes'>\n"
                + (uefi.isEmpty() ? "    <enum name='firmware'/>\n" : "    <enum name='firmware'>\n      <value>efi</value>\n    </enum>\n")
                + "    <loader supported='yes'>\n"
                + loaderValues(uefi)
                + "      <enum name='type'>\n"
                + "        <value>rom</value>\n"
                + (uefi.isEmpty() ? "" : "        <value>pflash</value>\n")
                + "      </enum>\n"
                + "      <enum name='readonly'>\n"
                + "        <value>yes</value>\n"
                + "        <value>no</value>\n"
                + "      </enum>\n"
                + "      <enum name='secure'>\n"
                + "        <value>no</value>\n"
                + "      </enum>\n"
                + "    </loader>\n"
                + "  </os>\n"
                + (type.equals("kvm") ? KVM_CPU : EMULATED_CPU)
                + "  <memoryBacking supported='no'/>\n"
                + "  <devices>\n"
                + "    <disk supported='yes'>\n"
                + "      <enum name='diskDevice'>\n"
                + "        <value>disk</value>\n"
                + "        <value>cdrom</value>\n"
                + "      </enum>\n"
                + "      <enum name='bus'>\n"
                + (q35 ? "" : "        <value>ide</value>\n")
                + "        <value>virtio</value>\n"
                + "        <value>sata</value>\n"
                + "      </enum>\n"
                + "      <enum name='model'/>\n"
                + "    </disk>\n"
                + "    <graphics supported='yes'>\n"
                + "      <enum name='type'>\n"
                + "        <value>vnc</value>\n"
                + "      </enum>\n"
                + "    </graphics>\n"
                + "    <video supported='yes'>\n"
                + "      <enum name='modelType'>\n"
                + "        <value>vga</value>\n"
                + "        <value>virtio</value>\n"
                + "        <value>none</value>\n"
                + "        <value>bochs</value>\n"
                + "      </enum>\n"
                + "    </video>\n"
                + "    <hostdev supported='no'/>\n"
                + "    <rng supported='yes'>\n"
                + "      <enum name='model'>\n"
                + "        <value>virtio</value>\n"
                + "        <value>virtio-non-transitional</value>\n"
                + "      </enum>\n"
                + "      <enum name='backendModel'>\n"
                + "        <value>random</value>\n"
                + "        <value>builtin</value>\n"
                + "      </enum>\n"
                + "    </rng>\n"
                + "    <filesystem supported='no'/>\n"
                + "    <tpm supported='no'/>\n"
                + "    <redirdev supported='no'/>\n"
                + "    <channel supported='no'/>\n"
                + "  </devices>\n"
                + "  <features>\n"
                + "    <gic supported='no'/>\n"
                + "    <vmcoreinfo supported='no'/>\n"
                + "    <genid supported='no'/>\n"
                + "    <backingStoreInput supported='no'/>\n"
                + "    <backup supported='no'/>\n"
                + "    <sev supported='no'/>\n"
                + "    <sgx supported='no'/>\n"
                + "  </features>\n"
                + "</domainCapabilities>";
    }

    /** The UEFI builds of the host's firmware descriptors jvirt-vmm can run on machine (none needing SMM), as libvirt lists them. */
    private static List<FirmwareDescriptor> uefiBuilds(String machine) {
        try {
            List<FirmwareDescriptor> all = FirmwareDescriptors.load(FirmwareDescriptors.searchPath(
                    "root".equals(System.getProperty("user.name")), System.getenv()));
            List<FirmwareDescriptor> out = new ArrayList<>();
            for (FirmwareDescriptor d : all) {
                var r = new FirmwareChoice.Request("efi", "x86_64", machine, null, null, null, null, Map.of());
                if (FirmwareChoice.choose(List.of(d), r).isPresent() && "pflash".equals(FirmwareChoice.loaderType(d))) out.add(d);
            }
            return out;
        } catch (IOException e) {
            return List.of(); // an unreadable descriptor: no UEFI offered, as libvirt skips what it cannot load
        }
    }

    private static String loaderValues(List<FirmwareDescriptor> uefi) {
        StringBuilder b = new StringBuilder();
        for (FirmwareDescriptor d : uefi) b.append("      <value>").append(escape(d.executable().toString())).append("</value>\n");
        return b.toString();
    }

    /** KVM: the host's CPU as it is (jvirt-vmm passes the host's CPUID). */
    private static final String KVM_CPU = "  <cpu>\n"
            + "    <mode name='host-passthrough' supported='yes'>\n"
            + "      <enum name='hostPassthroughMigratable'>\n"
            + "        <value>off</value>\n"
            + "      </enum>\n"
            + "    </mode>\n"
            + "    <mode name='maximum' supported='no'/>\n"
            + "    <mode name='host-model' supported='no'/>\n"
            + "    <mode name='custom' supported='no'/>\n"
            + "  </cpu>\n";

    /**
     * The emulator: libvirt's TCG layout (qemu_7.2.0-tcg.x86_64.xml in the shared fixtures):
     * no host-passthrough, maximum, host-model expanding to the one model, and that model in
     * the custom list. jvirt does not migrate, so maximumMigratable offers only off.
     */
    private static final String EMULATED_CPU = "  <cpu>\n"
            + "    <mode name='host-passthrough' supported='no'/>\n"
            + "    <mode name='maximum' supported='yes'>\n"
            + "      <enum name='maximumMigratable'>\n"
            + "        <value>off</value>\n"
            + "      </enum>\n"
            + "    </mode>\n"
            + "    <mode name='host-model' supported='yes'>\n"
            + "      <model fallback='forbid'>" + EMULATED_CPU_MODEL + "</model>\n"
            + "    </mode>\n"
            + "    <mode name='custom' supported='yes'>\n"
            + "      <model usable='yes' vendor='unknown'>" + EMULATED_CPU_MODEL + "</model>\n"
            + "    </mode>\n"
            + "  </cpu>\n";

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
