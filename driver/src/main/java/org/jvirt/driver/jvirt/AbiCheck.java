package org.jvirt.driver.jvirt;

import java.util.List;
import java.util.Objects;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Disk;

/**
 * virDomainDefCheckABIStability for a save image's new XML (save --xml, restore --xml,
 * save-image-define, managedsave-define): the new definition must describe the machine the image
 * holds, checked in libvirt's order and words for what jvirt models: uuid, name, max memory,
 * vCPU max, then the devices: disk count and each disk's device, bus and target, and the counts
 * of controllers, filesystems, network cards, inputs, sound and video cards, host devices,
 * serial, parallel and console ports, channels, watchdogs and RNGs. Unlike libvirt, the virt
 * type may change (kvm and qemu): jvirt's state format is the same for both backends.
 */
final class AbiCheck {
    private AbiCheck() { }

    static void check(DomainDefinition src, DomainDefinition dst) throws LibvirtException {
        if (!src.uuid().equalsIgnoreCase(dst.uuid())) throw abi("Target domain uuid " + dst.uuid() + " does not match source " + src.uuid());
        if (!src.name().equals(dst.name())) throw abi("Target domain name '" + dst.name() + "' does not match source '" + src.name() + "'");
        if (src.memoryKiB() != dst.memoryKiB()) throw abi("Target domain max memory " + dst.memoryKiB() + " does not match source " + src.memoryKiB());
        if (src.maxVcpus() != dst.maxVcpus()) throw abi("Target domain vCPU max " + dst.maxVcpus() + " does not match source " + src.maxVcpus());
        Devices s = src.model().getDevices(), d = dst.model().getDevices();
        List<Disk> sd = devices(s, Devices::getDisks), dd = devices(d, Devices::getDisks);
        count("disk", sd, dd);
        for (int i = 0; i < sd.size(); i++) disk(sd.get(i), dd.get(i));
        count("controller", devices(s, Devices::getControllers), devices(d, Devices::getControllers));
        count("filesystem", devices(s, Devices::getFilesystems), devices(d, Devices::getFilesystems));
        count("net card", devices(s, Devices::getInterfaces), devices(d, Devices::getInterfaces));
        count("input device", devices(s, Devices::getInputs), devices(d, Devices::getInputs));
        count("sound card", devices(s, Devices::getSounds), devices(d, Devices::getSounds));
        count("video card", devices(s, Devices::getVideos), devices(d, Devices::getVideos));
        count("host device", devices(s, Devices::getHostdevs), devices(d, Devices::getHostdevs));
        count("serial port", devices(s, Devices::getSerials), devices(d, Devices::getSerials));
        count("parallel port", devices(s, Devices::getParallels), devices(d, Devices::getParallels));
        count("channel", devices(s, Devices::getChannels), devices(d, Devices::getChannels));
        count("console", devices(s, Devices::getConsoles), devices(d, Devices::getConsoles));
        count("watchdog", devices(s, Devices::getWatchdogs), devices(d, Devices::getWatchdogs));
        count("RNG device", devices(s, Devices::getRngs), devices(d, Devices::getRngs));
    }

    /** virDomainDiskDefCheckABIStability: device, bus, target. */
    private static void disk(Disk src, Disk dst) throws LibvirtException {
        String sDev = device(src), dDev = device(dst);
        if (!sDev.equals(dDev)) throw abi("Target disk device " + dDev + " does not match source " + sDev);
        String sBus = bus(src), dBus = bus(dst);
        if (!Objects.equals(sBus, dBus)) throw abi("Target disk bus " + dBus + " does not match source " + sBus);
        String sTarget = target(src), dTarget = target(dst);
        if (!Objects.equals(sTarget, dTarget)) throw abi("Target disk " + dTarget + " does not match source " + sTarget);
    }

    private static String device(Disk d) {
        return d.getDevice() == null ? "disk" : d.getDevice();
    }

    private static String target(Disk d) {
        return d.getTarget() == null ? null : d.getTarget().getDev();
    }

    /** The bus as libvirt fills it in when the XML names none: from the target's prefix. */
    private static String bus(Disk d) {
        String bus = d.getTarget() == null ? null : d.getTarget().getBus();
        if (bus != null) return bus;
        String t = target(d);
        if (t == null) return null;
        if (t.startsWith("vd")) return "virtio";
        if (t.startsWith("sd")) return "scsi";
        if (t.startsWith("hd")) return "ide";
        if (t.startsWith("fd")) return "fdc";
        return null;
    }

    /** The devices of one kind, none without a devices element. */
    private static <T> List<T> devices(Devices d, java.util.function.Function<Devices, List<T>> kind) {
        return d == null ? List.of() : kind.apply(d);
    }

    private static void count(String what, List<?> src, List<?> dst) throws LibvirtException {
        if (src.size() != dst.size()) {
            throw abi("Target domain " + what + " count " + dst.size() + " does not match source " + src.size());
        }
    }

    private static LibvirtException abi(String why) {
        return new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN, why);
    }
}
