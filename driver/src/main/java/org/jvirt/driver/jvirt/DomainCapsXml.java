package org.jvirt.driver.jvirt;

import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;

/**
 * virConnectGetDomainCapabilities for jvirt: what a domain run by jvirt-vmm can have, in
 * libvirt's domainCapabilities format. Only what the VMM really provides is marked supported:
 * direct kernel boot (no firmware loader), host CPU passthrough by KVM, raw virtio disks, the
 * serial console; no graphics, video, host devices or rng.
 */
final class DomainCapsXml {

    private DomainCapsXml() { }

    /** The vCPUs one VMM starts (its --cpus limit). */
    static final int MAX_VCPUS = 255;

    static String of(String emulatorBin, String arch, String machine, String virtType, String vmmPath) throws LibvirtException {
        String type = virtType == null ? "kvm" : virtType;
        if (!type.equals("kvm")) {
            if (type.equals("qemu")) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                        "virttype 'qemu' needs jvirt's CPU emulator, which is not available yet: use kvm");
            }
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU, "unknown virttype: " + type);
        }
        String a = arch == null ? "x86_64" : arch;
        if (!a.equals("x86_64")) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "jvirt-vmm does not support architecture '" + a + "'");
        }
        String m = machine == null ? "pc" : machine;
        if (!m.equals("pc")) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                    "the machine '" + m + "' is not supported by emulator '" + vmmPath + "'");
        }
        String path = emulatorBin == null ? vmmPath : emulatorBin;
        return "<domainCapabilities>\n"
                + "  <path>" + escape(path) + "</path>\n"
                + "  <domain>kvm</domain>\n"
                + "  <machine>pc</machine>\n"
                + "  <arch>x86_64</arch>\n"
                + "  <vcpu max='" + MAX_VCPUS + "'/>\n"
                + "  <iothreads supported='no'/>\n"
                + "  <os supported='yes'>\n"
                + "    <enum name='firmware'/>\n"
                + "    <loader supported='no'/>\n"
                + "  </os>\n"
                + "  <cpu>\n"
                + "    <mode name='host-passthrough' supported='yes'>\n"
                + "      <enum name='hostPassthroughMigratable'>\n"
                + "        <value>off</value>\n"
                + "      </enum>\n"
                + "    </mode>\n"
                + "    <mode name='maximum' supported='no'/>\n"
                + "    <mode name='host-model' supported='no'/>\n"
                + "    <mode name='custom' supported='no'/>\n"
                + "  </cpu>\n"
                + "  <memoryBacking supported='no'/>\n"
                + "  <devices>\n"
                + "    <disk supported='yes'>\n"
                + "      <enum name='diskDevice'>\n"
                + "        <value>disk</value>\n"
                + "      </enum>\n"
                + "      <enum name='bus'>\n"
                + "        <value>virtio</value>\n"
                + "      </enum>\n"
                + "      <enum name='model'/>\n"
                + "    </disk>\n"
                + "    <graphics supported='no'/>\n"
                + "    <video supported='no'/>\n"
                + "    <hostdev supported='no'/>\n"
                + "    <rng supported='no'/>\n"
                + "    <filesystem supported='no'/>\n"
                + "    <tpm supported='no'/>\n"
                + "    <redirdev supported='no'/>\n"
                + "    <channel supported='no'/>\n"
                + "    <crypto supported='no'/>\n"
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

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
