package org.jvirt.driver.def;

import java.util.UUID;
import java.util.function.Supplier;
import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.BootDevice;
import org.jvirt.xml.domain.Clock;
import org.jvirt.xml.domain.CpuTopology;
import org.jvirt.xml.domain.CurrentMemory;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.Memory;
import org.jvirt.xml.domain.Os;
import org.jvirt.xml.domain.OsType;
import org.jvirt.xml.domain.Vcpu;
import org.jvirt.xml.domain.devices.Devices;

/**
 * libvirt's parse-time defaults and normalization of a domain definition (the parts of
 * virDomainDefParse and its post-parse callbacks that show in dumpxml): a generated uuid,
 * memory in KiB, currentMemory, vcpu placement, the default boot device, clock, lifecycle
 * actions and an always present {@code <devices>}.
 */
public final class DefineDefaults {

    private final String defaultArch;
    private final Supplier<UUID> uuids;
    private final String videoModel;

    /** defaultArch: the arch a driver assumes when {@code <type>} has none (i686 for test). */
    public DefineDefaults(String defaultArch, Supplier<UUID> uuids) {
        this(defaultArch, uuids, "cirrus");
    }

    /** videoModel: the model of the video libvirt adds for a graphics device (test: cirrus; QEMU on x86: vga). */
    public DefineDefaults(String defaultArch, Supplier<UUID> uuids, String videoModel) {
        this.defaultArch = defaultArch;
        this.uuids = uuids;
        this.videoModel = videoModel;
    }

    public Domain apply(Domain d) throws LibvirtException {
        if (d.getName() == null || d.getName().isEmpty()) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_NO_NAME, Error.ErrorDomain.VIR_FROM_DOMAIN, null);
        }
        if (d.getName().contains("\n")) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_XML_DETAIL, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    "name " + d.getName() + " must not contain \n");
        }
        if (d.getName().contains("/")) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_XML_ERROR, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    "name " + d.getName() + " cannot contain '/'");
        }
        if (d.getUuid() == null) d.setUuid(uuids.get().toString());
        Memory mem = d.getMemory();
        if (mem == null) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_XML_ERROR, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    "Memory size must be specified via <memory> or in the <numa> configuration");
        }
        long kib = mem.kibibytes();
        mem.setBytes(kib * 1024);
        CurrentMemory cur = d.getCurrentMemory();
        if (cur == null || cur.kibibytes() > kib || cur.kibibytes() == 0) {
            d.childOrCreate(CurrentMemory.class, CurrentMemory::new).setBytes(kib * 1024);
        } else {
            cur.setBytes(cur.kibibytes() * 1024);
        }
        Vcpu vcpu = d.childOrCreate(Vcpu.class, () -> {
            Vcpu v = new Vcpu();
            v.setValue("1");
            return v;
        });
        if (vcpu.getPlacement() == null) vcpu.setPlacement("static");
        if (vcpu.getCurrent() != null && vcpu.getCurrent().trim().equals(vcpu.trimmed())) vcpu.setCurrent(null);
        Os os = d.childOrCreate(Os.class, Os::new);
        OsType type = os.getType();
        if (type == null) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_XML_ERROR, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    "an os <type> must be specified");
        }
        if (type.getArch() == null) type.setArch(defaultArch);
        FirmwareBootSettings.check(os);
        if (d.getDevices() == null) d.setDevices(new Devices());
        boolean deviceBoot = DeviceBootOrder.apply(d, !os.getBootDevices().isEmpty());
        if ("hvm".equals(type.trimmed()) && os.getBootDevices().isEmpty() && !deviceBoot) {
            BootDevice boot = new BootDevice();
            boot.setDev("hd");
            os.addBootDevice(boot);
        }
        if (d.getCpu() != null && d.getCpu().getTopology() != null) normalizeTopology(d.getCpu().getTopology());
        if (d.getClock() == null) {
            Clock c = new Clock();
            c.setOffset("utc");
            d.setClock(c);
        }
        if (d.getOnPoweroff() == null) d.setOnPoweroff("destroy");
        if (d.getOnReboot() == null) d.setOnReboot("restart");
        if (d.getOnCrash() == null) d.setOnCrash("destroy");
        DiskDefaults.apply(d.getDevices());
        NetDefaults.apply(d.getDevices());
        GraphicsDefaults.apply(d.getDevices(), videoModel);
        return d;
    }

    /**
     * libvirt 9.0 reads a missing dies as 1 and writes the topology back as sockets, dies,
     * cores, threads, whatever the input's order (and drops what it does not know, such as
     * clusters), each number in its plain form.
     */
    private static void normalizeTopology(CpuTopology t) {
        String sockets = t.getSockets(), dies = t.getDies(), cores = t.getCores(), threads = t.getThreads();
        t.attributes().clear();
        t.setSockets(number(sockets));
        t.setDies(dies == null ? "1" : number(dies));
        t.setCores(number(cores));
        t.setThreads(number(threads));
    }

    /** A number the validator accepted (leading blanks allowed), as libvirt prints it back. */
    private static String number(String value) {
        return Long.toString(Long.parseLong(value.strip()));
    }
}
