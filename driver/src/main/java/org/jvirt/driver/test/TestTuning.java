package org.jvirt.driver.test;

import static org.jvirt.driver.test.TestDomains.checkActive;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.def.DomainMetadata;
import org.jvirt.driver.spi.DomainRef;

/**
 * The test driver's changes scoped by CURRENT/LIVE/CONFIG flags: memory, vCPU counts, title
 * and description. Callers serialize calls.
 */
final class TestTuning {

    private final TestDomains domains;

    TestTuning(TestDomains domains) {
        this.domains = domains;
    }

    /** virDomainObjGetOneDefState: the one definition flags address. */
    private static DomainDefinition oneDef(TestDomainObj o, int flags) throws LibvirtException {
        boolean live = (flags & Flags.Affect.LIVE) != 0;
        boolean config = (flags & Flags.Affect.CONFIG) != 0;
        if (live && config) {
            throw LibvirtException.unprefixed(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN,
                    "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        }
        if (!live && !config) {
            if (o.isActive()) live = true;
            else config = true;
        }
        if (live) {
            checkActive(o);
            return o.def;
        }
        if (!o.persistent) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_DOMAIN,
                    "transient domains do not have any persistent config");
        }
        return o.persistentDef();
    }

    void setMemoryFlags(DomainRef d, long kib, int flags) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        DomainDefinition def = oneDef(o, flags & (Flags.Affect.LIVE | Flags.Affect.CONFIG));
        boolean live = def == o.def && o.isActive();
        if ((flags & Flags.Affect.MAXIMUM) != 0) {
            if (live) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_TEST,
                        "cannot resize the maximum memory on an active domain");
            }
            def.setMemoryKiB(kib);
        } else {
            if (kib > def.memoryKiB()) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST,
                        "cannot set memory higher than max memory");
            }
            def.setCurrentMemoryKiB(kib);
        }
    }

    void setVcpusFlags(DomainRef d, int n, int flags) throws LibvirtException {
        if (Integer.compareUnsigned(n, TestDefaults.MAX_VCPUS) > 0) { // libvirt's count is unsigned (printed as %d)
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST,
                    "requested cpu amount exceeds maximum supported amount (" + n + " > " + TestDefaults.MAX_VCPUS + ")");
        }
        TestDomainObj o = domains.obj(d);
        boolean maximum = (flags & Flags.Affect.MAXIMUM) != 0;
        boolean live = (flags & Flags.Affect.LIVE) != 0;
        boolean config = (flags & Flags.Affect.CONFIG) != 0;
        if (!live && !config) {
            if (o.isActive()) live = true;
            else config = true;
        }
        if (live) checkActive(o);
        if (config && !o.persistent) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_DOMAIN,
                    "transient domains do not have any persistent config");
        }
        DomainDefinition liveDef = live ? o.def : null;
        DomainDefinition persistent = config ? o.persistentDef() : null;
        if (liveDef != null && liveDef.maxVcpus() < n) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST,
                    "requested cpu amount exceeds maximum (" + n + " > " + liveDef.maxVcpus() + ")");
        }
        if (persistent != null && !maximum && persistent.maxVcpus() < n) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST,
                    "requested cpu amount exceeds maximum (" + n + " > " + persistent.maxVcpus() + ")");
        }
        if (liveDef != null) liveDef.setVcpus(n);
        if (persistent != null) {
            if (maximum) persistent.setMaxVcpus(n);
            else persistent.setVcpus(n);
        }
    }

    int getVcpusFlags(DomainRef d, int flags) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        DomainDefinition def = oneDef(o, flags & (Flags.Affect.LIVE | Flags.Affect.CONFIG));
        return (flags & Flags.Affect.MAXIMUM) != 0 ? def.maxVcpus() : def.vcpus();
    }

    String getMetadata(DomainRef d, int type, String uri, int flags) throws LibvirtException {
        DomainDefinition def = oneDef(domains.obj(d), flags);
        if (type == Flags.Metadata.ELEMENT) return DomainMetadata.get(def, uri);
        String v = switch (type) {
            case Flags.Metadata.TITLE -> def.title();
            case Flags.Metadata.DESCRIPTION -> def.description();
            default -> throw unknownType(type);
        };
        if (v == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA, ErrorDomain.VIR_FROM_DOMAIN,
                    "Requested metadata element is not present");
        }
        return v;
    }

    void setMetadata(DomainRef d, int type, String value, String key, String uri, int flags) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        List<DomainDefinition> targets = new ArrayList<>();
        boolean live = (flags & Flags.Affect.LIVE) != 0;
        boolean config = (flags & Flags.Affect.CONFIG) != 0;
        if (!live && !config) targets.add(oneDef(o, 0));
        if (live) {
            checkActive(o);
            targets.add(o.def);
        }
        if (config) targets.add(oneDef(o, Flags.Affect.CONFIG));
        String v = value == null || value.isEmpty() ? null : value;
        for (DomainDefinition def : targets) {
            if (type == Flags.Metadata.TITLE) {
                if (v != null && v.contains("\n")) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN,
                            "Domain title can't contain newlines");
                }
                def.setTitle(v);
            } else if (type == Flags.Metadata.DESCRIPTION) {
                def.setDescription(v);
            } else if (type == Flags.Metadata.ELEMENT) {
                DomainMetadata.set(def, value, key, uri);
            } else {
                throw unknownType(type);
            }
        }
    }

    private static LibvirtException unknownType(int type) {
        return new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN,
                "unknown metadata type '" + type + "'");
    }
}
