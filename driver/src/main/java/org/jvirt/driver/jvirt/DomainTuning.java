package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.JvirtErrors.invalid;
import static org.jvirt.driver.jvirt.JvirtErrors.io;

import java.io.IOException;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.def.DomainMetadata;
import org.jvirt.driver.spi.DomainRef;

/**
 * Changes to a domain's live and persistent definition that libvirt scopes with the
 * CURRENT/LIVE/CONFIG flags: memory, vCPU counts, title and description.
 */
final class DomainTuning {

    private final DomainStore store;
    private final JvirtPaths paths;

    DomainTuning(DomainStore store) {
        this.store = store;
        this.paths = store.paths();
    }

    /** Whether flags (CURRENT/LIVE/CONFIG) touch the live and the persistent definition, as virDomainObjUpdateModificationImpact. */
    static boolean[] impact(StoredDomain o, int flags) throws LibvirtException {
        boolean live = (flags & Flags.Affect.LIVE) != 0, config = (flags & Flags.Affect.CONFIG) != 0;
        if (!live && !config) {
            live = o.active();
            config = !o.active();
        }
        if (live && !o.active()) throw invalid("domain is not running");
        if (config && !o.persistent()) throw invalid("transient domains do not have any persistent config");
        return new boolean[] {live, config};
    }

    /**
     * qemuDomainSetMemoryFlags: the maximum only in the persistent definition; the current size
     * not above the maximum (the live one's, and the persistent one's when it is changed too),
     * set on a running domain through its balloon (refused without one, in libvirt's words)
     * and in the persistent definition's currentMemory. The live currentMemory follows the
     * guest (the balloon's actual), not the request.
     */
    void setMemoryFlags(DomainRef d, long kib, int flags) throws LibvirtException {
        try (DomainLocks.Held h = store.locks().domain(d.name())) {
            StoredDomain o = store.obj(d);
            boolean[] which = impact(o, flags);
            boolean max = (flags & Flags.Affect.MAXIMUM) != 0;
            if (which[0] && max) throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_QEMU,
                    "cannot resize the maximum memory on an active domain");
            DomainDefinition c = which[1] ? o.config() : null;
            if (max) {
                c.setMemoryKiB(kib);
                AtomicFiles.write(paths.config(o.name()), c.format(-1));
                return;
            }
            DomainDefinition live = which[0] ? o.liveDef() : null;
            long oldmax = live != null ? live.memoryKiB() : Long.MAX_VALUE;
            if (c != null && (live == null || oldmax > c.memoryKiB())) oldmax = c.memoryKiB();
            if (kib > oldmax) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                        "cannot set memory higher than max memory");
            }
            if (live != null) {
                if (!BalloonDevices.has(live.model().getDevices())) {
                    throw invalid("Unable to change memory of active domain without the balloon device and guest OS balloon driver");
                }
                LiveBalloon.setTarget(o, kib);
            }
            if (c != null) {
                c.setCurrentMemoryKiB(kib);
                AtomicFiles.write(paths.config(o.name()), c.format(-1));
            }
        } catch (IOException e) {
            throw io(e);
        }
    }

    /**
     * qemuDomainSetMemoryStatsPeriod: the running balloon's polling interval (and the live
     * XML's {@code <stats period>}), the persistent definition's; refused without a balloon.
     */
    void setMemoryStatsPeriod(DomainRef d, int period, int flags) throws LibvirtException {
        if (period < 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU, "invalid statistics period " + period);
        }
        try (DomainLocks.Held h = store.locks().domain(d.name())) {
            StoredDomain o = store.obj(d);
            boolean[] which = impact(o, flags);
            // libvirt 9.0 reports it as an internal error, live or config (measured with virsh on qemu:///session)
            LibvirtException none = new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU,
                    "No memory balloon device configured, can not set the collection period");
            if (which[0]) {
                DomainDefinition live = o.liveDef();
                if (!BalloonDevices.has(live.model().getDevices())) throw none;
                try {
                    LiveBalloon.setPeriod(o, period);
                } catch (LibvirtException e) {
                    throw invalid("unable to set balloon driver collection period");
                }
                setPeriod(live, period);
                DomainStatus s = o.status();
                AtomicFiles.write(paths.status(o.name()), s.withLiveXml(live.format(s.id())).format());
            }
            if (which[1]) {
                DomainDefinition c = o.config();
                if (!BalloonDevices.has(c.model().getDevices())) throw none;
                setPeriod(c, period);
                AtomicFiles.write(paths.config(o.name()), c.format(-1));
            }
        } catch (IOException e) {
            throw io(e);
        }
    }

    /** {@code <stats period='N'/>} in the balloon, as libvirt formats it (none for 0). */
    private static void setPeriod(DomainDefinition def, int period) {
        org.jvirt.xml.domain.devices.Memballoon m = def.model().getDevices().getMemballoon();
        if (period == 0) {
            m.setStats(null);
            return;
        }
        org.jvirt.xml.domain.devices.BalloonStats st = m.getStats() == null ? new org.jvirt.xml.domain.devices.BalloonStats() : m.getStats();
        st.setPeriod(Integer.toString(period));
        m.setStats(st);
    }

    void setVcpusFlags(DomainRef d, int n, int flags) throws LibvirtException {
        try (DomainLocks.Held h = store.locks().domain(d.name())) {
            StoredDomain o = store.obj(d);
            boolean[] which = impact(o, flags);
            boolean max = (flags & Flags.Affect.MAXIMUM) != 0;
            if (n < 1) throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU, "requested vcpus must be at least 1");
            if (which[0]) {
                DomainDefinition live = o.liveDef();
                if (max) throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                        "cannot change maximum vcpu count of a running domain");
                if (n > live.maxVcpus()) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                            "requested vcpus is greater than max allowable vcpus for the live domain: " + n + " > " + live.maxVcpus());
                }
                if (n != live.vcpus()) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                            "vCPU hotplug is not supported yet");
                }
            }
            if (which[1]) {
                DomainDefinition c = o.config();
                if (max) {
                    c.setMaxVcpus(n);
                } else {
                    if (n > c.maxVcpus()) {
                        throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                                "requested vcpus is greater than max allowable vcpus for the persistent domain: " + n + " > " + c.maxVcpus());
                    }
                    c.setVcpus(n);
                }
                AtomicFiles.write(paths.config(o.name()), c.format(-1));
            }
        } catch (IOException e) {
            throw io(e);
        }
    }

    int getVcpusFlags(DomainRef d, int flags) throws LibvirtException {
        StoredDomain o = store.obj(d);
        boolean[] which = impact(o, flags & (Flags.Affect.LIVE | Flags.Affect.CONFIG));
        DomainDefinition def = which[0] ? o.liveDef() : o.config();
        return (flags & Flags.Affect.MAXIMUM) != 0 ? def.maxVcpus() : def.vcpus();
    }

    String getMetadata(DomainRef d, int type, String uri, int flags) throws LibvirtException {
        if ((flags & Flags.Affect.LIVE) != 0 && (flags & Flags.Affect.CONFIG) != 0) {
            throw LibvirtException.unprefixed(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN,
                    "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        }
        StoredDomain o = store.obj(d);
        boolean[] which = impact(o, flags);
        DomainDefinition def = which[0] ? o.liveDef() : o.config();
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

    private static LibvirtException unknownType(int type) {
        return new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN,
                "unknown metadata type '" + type + "'");
    }

    /** Title, description or element; stored in the config and, for a running domain, its live XML. */
    void setMetadata(DomainRef d, int type, String value, String key, String uri, int flags) throws LibvirtException {
        try (DomainLocks.Held h = store.locks().domain(d.name())) {
            StoredDomain o = store.obj(d);
            boolean[] which = impact(o, flags);
            String v = value == null || value.isEmpty() ? null : value;
            if (type == Flags.Metadata.TITLE && v != null && v.contains("\n")) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN,
                        "Domain title can't contain newlines");
            }
            if (type != Flags.Metadata.TITLE && type != Flags.Metadata.DESCRIPTION && type != Flags.Metadata.ELEMENT) {
                throw unknownType(type);
            }
            // both definitions are changed in memory before either file is written
            DomainDefinition live = which[0] ? o.liveDef() : null;
            DomainDefinition c = which[1] ? o.config() : null;
            for (DomainDefinition def : new DomainDefinition[] {live, c}) {
                if (def == null) continue;
                if (type == Flags.Metadata.TITLE) def.setTitle(v);
                else if (type == Flags.Metadata.DESCRIPTION) def.setDescription(v);
                else DomainMetadata.set(def, value, key, uri);
            }
            if (live != null) {
                DomainStatus s = o.status();
                AtomicFiles.write(paths.status(o.name()), s.withLiveXml(live.format(s.id())).format());
            }
            if (c != null) AtomicFiles.write(paths.config(o.name()), c.format(-1));
        } catch (IOException e) {
            throw io(e);
        }
    }
}
