package org.jvirt.xml.validate;

import java.util.List;
import java.util.Set;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.Os;
import org.jvirt.xml.domain.OsType;
import org.jvirt.xml.domain.ScaledMemory;
import org.jvirt.xml.domain.Uuid;
import org.jvirt.xml.domain.Vcpu;
import org.jvirt.xml.domain.devices.Disk;
import org.jvirt.xml.units.MemoryUnits;
import org.jvirt.xml.units.Uuids;

import static org.jvirt.xml.validate.InvalidDomainException.Kind.CONFIG_UNSUPPORTED;
import static org.jvirt.xml.validate.InvalidDomainException.Kind.INTERNAL_ERROR;
import static org.jvirt.xml.validate.InvalidDomainException.Kind.INVALID_ARG;
import static org.jvirt.xml.validate.InvalidDomainException.Kind.NO_NAME;
import static org.jvirt.xml.validate.InvalidDomainException.Kind.OVERFLOW;
import static org.jvirt.xml.validate.InvalidDomainException.Kind.XML_ERROR;

/**
 * The checks libvirt's generic domain parser (virDomainDefParseXML) and its post-parse step
 * make on name, uuid, domain and os type, memory, vCPUs, cpu topology and disks, in libvirt's order and with libvirt's words (taken from
 * virsh 9.0 on test:///default). Shared by the drivers' define/create and {@code jvirt-xml
 * validate}, so both refuse the same documents.
 */
public final class DomainValidator {

    private DomainValidator() { }

    /** libvirt's virDomainVirtType names (case matters: "KVM" is refused). */
    private static final Set<String> VIRT_TYPES = Set.of("none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml",
            "openvz", "test", "vmware", "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz");
    /** libvirt's virDomainOSType names. */
    private static final Set<String> OS_TYPES = Set.of("hvm", "xen", "linux", "exe", "uml", "xenpvh");

    /**
     * Throws for the first problem libvirt would report, in the order virsh 9.0 shows them:
     * name, uuid, domain type, os type, memory and vCPU values while parsing, then the
     * post-parse checks (vCPU count before memory size).
     */
    public static void check(Domain d) throws InvalidDomainException {
        if (d.getName() == null || d.getName().isEmpty())
            throw new InvalidDomainException(NO_NAME, null);
        Uuid uuid = d.child(Uuid.class);
        if (uuid != null && Uuids.parseOrNull(uuid.value()) == null)
            throw new InvalidDomainException(INTERNAL_ERROR, "malformed uuid element");
        String type = d.getType();
        if (type == null || type.isEmpty())
            throw new InvalidDomainException(INTERNAL_ERROR, "missing domain type attribute");
        if (!VIRT_TYPES.contains(type))
            throw new InvalidDomainException(CONFIG_UNSUPPORTED, "invalid domain type " + type);
        checkOsType(d.getOs());
        long memoryBytes = d.getMemory() == null ? 0 : bytes(d.getMemory(), "memory");
        if (d.getCurrentMemory() != null) bytes(d.getCurrentMemory(), "currentMemory");
        if (d.getMaxMemory() != null) bytes(d.getMaxMemory(), "maxMemory");
        long maxVcpus = maxVcpus(d.getVcpu());
        CpuTopologyRules.check(d.getCpu());
        List<Disk> disks = d.getDevices() == null ? List.of() : d.getDevices().getDisks();
        for (Disk disk : disks) DiskRules.check(disk);
        // post-parse checks (virDomainDefPostParse), after the whole document was read
        if (maxVcpus == 0)
            throw new InvalidDomainException(INTERNAL_ERROR, "CPU IDs in <numa> exceed the <vcpu> count");
        if (memoryBytes / 1024 == 0)
            throw new InvalidDomainException(XML_ERROR,
                    "Memory size must be specified via <memory> or in the <numa> configuration");
        DiskRules.postParse(disks);
    }

    /** virDomainDefParseCaps and the os block: a known os type, and an init binary for containers. */
    private static void checkOsType(Os os) throws InvalidDomainException {
        OsType t = os == null ? null : os.getType();
        String name = t == null ? null : t.trimmed();
        if (name == null || name.isEmpty())
            throw new InvalidDomainException(XML_ERROR, "an os <type> must be specified");
        if (!OS_TYPES.contains(name))
            throw new InvalidDomainException(CONFIG_UNSUPPORTED, "unknown OS type '" + name + "'");
        if (name.equals("exe") && (os.getInit() == null || os.getInit().isEmpty()))
            throw new InvalidDomainException(XML_ERROR, "init binary must be specified");
    }

    /** virDomainParseMemory: an unsigned 64-bit number times its unit, at most LLONG_MAX bytes. */
    private static long bytes(ScaledMemory m, String element) throws InvalidDomainException {
        String text = m.value() == null ? "" : m.value();
        long value;
        try {
            value = Long.parseUnsignedLong(text.stripLeading());
        } catch (NumberFormatException e) {
            throw new InvalidDomainException(XML_ERROR,
                    "Invalid value '" + text + "' for element or attribute './" + element + "[1]'");
        }
        String unit = m.getUnit();
        long scale = MemoryUnits.scale(unit);
        if (scale < 0) throw new InvalidDomainException(INVALID_ARG, "unknown suffix '" + unit + "'");
        if (value < 0 || value > Long.MAX_VALUE / scale)
            throw new InvalidDomainException(OVERFLOW,
                    "value too large: " + Long.toUnsignedString(value) + (unit == null ? "" : unit));
        return value * scale;
    }

    /** virDomainVcpuParse: the maximum count (1 when absent) and current <= maximum. */
    private static long maxVcpus(Vcpu v) throws InvalidDomainException {
        if (v == null) return 1;
        Long max = unsignedInt(v.value());
        if (max == null) throw new InvalidDomainException(XML_ERROR, "maximum vcpus count must be an integer");
        String current = v.getCurrent();
        if (current != null) {
            Long cur = unsignedInt(current);
            if (cur == null)
                throw new InvalidDomainException(XML_ERROR, "Invalid value for attribute 'current' in element 'vcpu': '"
                        + current + "'. Expected non-negative integer value");
            if (max < cur)
                throw new InvalidDomainException(CONFIG_UNSUPPORTED,
                        "maximum vCPU count must not be less than current vCPU count");
        }
        return max;
    }

    /** A decimal unsigned 32-bit integer (libvirt's virStrToLong_ui family), or null. */
    private static Long unsignedInt(String text) {
        if (text == null) return null;
        String t = text.strip();
        if (t.isEmpty() || !t.chars().allMatch(Character::isDigit) || t.length() > 10) return null;
        long n = Long.parseLong(t);
        return n > 0xFFFF_FFFFL ? null : n;
    }
}
