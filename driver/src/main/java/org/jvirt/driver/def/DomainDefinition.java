package org.jvirt.driver.def;

import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.domain.CurrentMemory;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.Memory;
import org.jvirt.xml.domain.Vcpu;
import org.jvirt.xml.io.XmlParseException;
import org.jvirt.xml.validate.DomainValidator;
import org.jvirt.xml.validate.InvalidDomainException;

/**
 * One domain definition as a driver keeps it (libvirt's virDomainDef): the values the hot
 * paths read (list, dominfo, setmem...) as plain fields, and the full XML model parsed only
 * when needed, so that commands which never show XML never load the XML binding. The fields
 * are the truth for the elements they cover; they are written into the model before it is
 * formatted or copied.
 */
public final class DomainDefinition {

    private String type;
    private String name;
    private String uuid;
    private long memoryKiB;
    private long currentMemoryKiB;
    private int maxVcpus;
    private int vcpus;
    private String title;
    private String description;

    /** Normalized XML without id, the source of {@link #model} until it is parsed. */
    private String xml;
    private Domain model;

    private DomainDefinition() { }

    /** A definition whose model is parsed from normalized XML on first use. */
    public static DomainDefinition lazy(String normalizedXml, String type, String name, String uuid,
                                        long memoryKiB, long currentMemoryKiB, int vcpus) {
        DomainDefinition d = new DomainDefinition();
        d.xml = normalizedXml;
        d.type = type;
        d.name = name;
        d.uuid = uuid;
        d.memoryKiB = memoryKiB;
        d.currentMemoryKiB = currentMemoryKiB;
        d.maxVcpus = vcpus;
        d.vcpus = vcpus;
        return d;
    }

    /** A definition from a parsed and normalized model. */
    public static DomainDefinition of(Domain normalized) {
        DomainDefinition d = new DomainDefinition();
        d.model = normalized;
        DomainMetadata.dropBlanks(normalized);
        d.type = normalized.getType();
        d.name = normalized.getName();
        d.uuid = normalized.getUuid();
        d.memoryKiB = normalized.getMemory().kibibytes();
        d.currentMemoryKiB = normalized.getCurrentMemory().kibibytes();
        Vcpu v = normalized.getVcpu();
        d.maxVcpus = Integer.parseInt(v.trimmed());
        d.vcpus = v.getCurrent() == null ? d.maxVcpus : Integer.parseInt(v.getCurrent().trim());
        d.title = normalized.getTitle();
        d.description = normalized.getDescription();
        return d;
    }

    /**
     * Parses XML text into a model and makes libvirt's parse-time checks (uuid, memory, vCPUs),
     * turning syntax errors into XML_DETAIL errors and refused values into libvirt's error.
     */
    public static Domain parse(String xml) throws LibvirtException {
        try {
            Domain d = DomainXml.parse(xml);
            DomainValidator.check(d);
            return d;
        } catch (XmlParseException e) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_XML_DETAIL, Error.ErrorDomain.VIR_FROM_XML, e.getMessage());
        } catch (InvalidDomainException e) {
            throw new LibvirtException(errorNumber(e.kind()), Error.ErrorDomain.VIR_FROM_DOMAIN, e.detail());
        }
    }

    private static Error.ErrorNumber errorNumber(InvalidDomainException.Kind kind) {
        return switch (kind) {
            case NO_NAME -> Error.ErrorNumber.VIR_ERR_NO_NAME;
            case NO_SOURCE -> Error.ErrorNumber.VIR_ERR_NO_SOURCE;
            case NO_TARGET -> Error.ErrorNumber.VIR_ERR_NO_TARGET;
            case XML_ERROR -> Error.ErrorNumber.VIR_ERR_XML_ERROR;
            case INTERNAL_ERROR -> Error.ErrorNumber.VIR_ERR_INTERNAL_ERROR;
            case INVALID_ARG -> Error.ErrorNumber.VIR_ERR_INVALID_ARG;
            case OVERFLOW -> Error.ErrorNumber.VIR_ERR_OVERFLOW;
            case CONFIG_UNSUPPORTED -> Error.ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED;
        };
    }

    /** The full model with the fields written into it (parsed on first use). */
    public Domain model() {
        if (model == null) {
            try {
                model = DomainXml.parse(xml);
                DomainMetadata.dropBlanks(model);
            } catch (XmlParseException e) {
                throw new IllegalStateException("normalized XML does not parse: " + e.getMessage(), e);
            }
            xml = null;
        }
        syncInto(model);
        return model;
    }

    private void syncInto(Domain m) {
        m.setName(name);
        m.setUuid(uuid);
        m.setTitle(title);
        m.setDescription(description);
        m.childOrCreate(Memory.class, Memory::new).setBytes(memoryKiB * 1024);
        m.childOrCreate(CurrentMemory.class, CurrentMemory::new).setBytes(currentMemoryKiB * 1024);
        Vcpu v = m.childOrCreate(Vcpu.class, Vcpu::new);
        v.setValue(Integer.toString(maxVcpus));
        v.setCurrent(vcpus < maxVcpus ? Integer.toString(vcpus) : null);
    }

    /** The XML as libvirt formats it; id >= 0 adds the id attribute of a running domain. */
    public String format(int id) {
        Domain m = model();
        m.setId(id >= 0 ? Integer.toString(id) : null);
        String out = DomainXml.format(m);
        m.setId(null);
        return LibvirtLayout.fixEmptyDevices(out);
    }

    /** The XML as libvirt formats it, with the graphics passwords only when secure (VIR_DOMAIN_XML_SECURE). */
    public static String formatSecure(DomainDefinition def, int id, boolean secure) {
        if (secure) return def.format(id);
        synchronized (def) {
            var hidden = GraphicsDefaults.hideSecrets(def.model().getDevices());
            try {
                return def.format(id);
            } finally {
                GraphicsDefaults.restoreSecrets(hidden);
            }
        }
    }

    /** An independent copy (virDomainDefCopy). */
    public DomainDefinition copy() {
        DomainDefinition c = new DomainDefinition();
        c.type = type;
        c.name = name;
        c.uuid = uuid;
        c.memoryKiB = memoryKiB;
        c.currentMemoryKiB = currentMemoryKiB;
        c.maxVcpus = maxVcpus;
        c.vcpus = vcpus;
        c.title = title;
        c.description = description;
        c.xml = model == null ? xml : format(-1);
        return c;
    }

    public String type() { return type; }

    public String name() { return name; }

    public void setName(String name) { this.name = name; }

    public String uuid() { return uuid; }

    public long memoryKiB() { return memoryKiB; }

    /** Sets the maximum (initial) memory; current memory is lowered to fit, as libvirt does. */
    public void setMemoryKiB(long kib) {
        memoryKiB = kib;
        if (currentMemoryKiB > kib) currentMemoryKiB = kib;
    }

    public long currentMemoryKiB() { return currentMemoryKiB; }

    public void setCurrentMemoryKiB(long kib) { currentMemoryKiB = kib; }

    public int maxVcpus() { return maxVcpus; }

    public int vcpus() { return vcpus; }

    public void setVcpus(int n) { vcpus = n; }

    /** Sets the maximum vCPU count; the current count follows when above it. */
    public void setMaxVcpus(int n) {
        maxVcpus = n;
        if (vcpus > n) vcpus = n;
    }

    public String title() { return title; }

    public void setTitle(String t) { title = t; }

    public String description() { return description; }

    public void setDescription(String d) { description = d; }
}
