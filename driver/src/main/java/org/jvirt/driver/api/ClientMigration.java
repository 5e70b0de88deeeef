package org.jvirt.driver.api;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.spi.MigrationPhase;
import org.jvirt.rpc.Features;

/**
 * The migration APIs as libvirt.c runs them on the client (libvirt-domain.c): the public
 * checks of virDomainMigrate, virDomainMigrate3 and virDomainMigrateToURI3, then
 * virDomainMigrateVersion3Full with parameters between the two connections: Begin on the
 * source, Prepare on the destination, Perform on the source, Finish on the destination
 * (cancelled when Perform failed) and Confirm on the source (cancelled when Finish gave no
 * domain), keeping the first real error as libvirt does.
 */
final class ClientMigration {
    private ClientMigration() { }

    /** virDomainMigrateFlags used here. */
    static final int PEER2PEER = 2, TUNNELLED = 4, PAUSED = 32, NON_SHARED_DISK = 64, NON_SHARED_INC = 128,
            CHANGE_PROTECTION = 256, OFFLINE = 1024, ABORT_ON_ERROR = 4096, AUTO_CONVERGE = 8192;

    /** VIR_MIGRATE_PARAM_*. */
    static final String URI = "migrate_uri", DEST_NAME = "destination_name", DEST_XML = "destination_xml", BANDWIDTH = "bandwidth";

    /** virDomainMigrate / virDomainMigrate2: the fixed arguments as parameters (a 0 bandwidth is the domain's own setting). */
    static Domain migrate(Domain dom, Connect dconn, int flags, String dxml, String dname, String uri, long bandwidth, String api)
            throws LibvirtException {
        List<TypedParameter> p = compat(dxml, dname, uri, bandwidth);
        checkCommon(dom, dconn, flags, api);
        checkOffline(dom, dconn, flags);
        if ((flags & PEER2PEER) != 0) {
            if (!dom.conn().supportsFeature(Features.MIGRATION_P2P)) throw unsupported(api);
            // the source's driver talks to the destination itself (virDomainMigrateUnmanaged); virDomainMigrate
            // takes uri as the destination's connection URI, virDomainMigrate2 as the migration URI
            boolean v2 = api.equals("virDomainMigrate2");
            String dconnuri = !v2 && uri != null ? uri : dconn.getURI();
            dom.conn().migratePerform3Params(dom, dconnuri, compat(dxml, dname, v2 ? uri : null, bandwidth), null, flags);
            return dconn.domainLookupByName(dname != null ? dname : dom.getName());
        }
        flags = changeProtection(dom, flags);
        if ((flags & TUNNELLED) != 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_DOMAIN,
                    "cannot perform tunnelled migration without using peer2peer flag");
        }
        if (!both(dom, dconn, Features.MIGRATION_V3)) throw unsupported(api);
        return version3Full(dom, dconn, p, flags);
    }

    /** virDomainMigrate3. */
    static Domain migrate3(Domain dom, Connect dconn, List<TypedParameter> params, int flags) throws LibvirtException {
        checkCommon(dom, dconn, flags, "virDomainMigrate3");
        if ((flags & PEER2PEER) != 0) throw invalidArg("use virDomainMigrateToURI3 for peer-to-peer migration");
        if ((flags & TUNNELLED) != 0) throw invalidArg("cannot perform tunnelled migration without using peer2peer flag");
        checkOffline(dom, dconn, flags);
        flags = changeProtection(dom, flags);
        if (!both(dom, dconn, Features.MIGRATION_PARAMS)) throw unsupported("virDomainMigrate3");
        return version3Full(dom, dconn, params, flags);
    }

    /** virDomainMigrateToURI3 (and ToURI/ToURI2 through it): Perform alone, on the source, which reaches the destination itself. */
    static void migrateToURI3(Domain dom, String dconnuri, List<TypedParameter> params, int flags) throws LibvirtException {
        Connect src = dom.conn();
        src.checkWritable("virDomainMigrateToURI3");
        // virDomainMigrateUnmanagedCheckCompat
        ExclusiveFlags.check(flags, NON_SHARED_DISK, "VIR_MIGRATE_NON_SHARED_DISK", NON_SHARED_INC, "VIR_MIGRATE_NON_SHARED_INC");
        if ((flags & OFFLINE) != 0 && !src.supportsFeature(Features.MIGRATION_OFFLINE)) throw notSupportedBy("offline", "source");
        boolean p2p = (flags & PEER2PEER) != 0;
        if (p2p && !src.supportsFeature(Features.MIGRATION_P2P)) throw notSupportedBy("p2p", "source");
        if (!p2p && !src.supportsFeature(Features.MIGRATION_DIRECT)) throw notSupportedBy("direct", "source");
        if (p2p) {
            if (dconnuri == null) throw invalidArg("dconnuri in virDomainMigrateToURI3 must not be NULL");
            checkNotLocal(dconnuri);
        } else {
            dconnuri = null;
        }
        src.migratePerform3Params(dom, dconnuri, params, null, flags);
    }

    /** virDomainMigrateCheckNotLocal: a peer-to-peer destination URI must name another host. */
    private static void checkNotLocal(String dconnuri) throws LibvirtException {
        String host;
        try {
            host = java.net.URI.create(dconnuri).getHost();
        } catch (IllegalArgumentException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_URI, "Unable to parse URI " + dconnuri);
        }
        if (host == null || host.startsWith("localhost")) throw invalidArg("Attempt to migrate guest to the same host");
    }

    private static void checkOffline(Domain dom, Connect dconn, int flags) throws LibvirtException {
        if ((flags & OFFLINE) == 0) return;
        if (!dom.conn().supportsFeature(Features.MIGRATION_OFFLINE)) throw notSupportedBy("offline", "source");
        if (!dconn.supportsFeature(Features.MIGRATION_OFFLINE)) throw notSupportedBy("offline", "destination");
    }

    /** Change protection needs the source's support only, and only in v3, which adds it for the source itself. */
    private static int changeProtection(Domain dom, int flags) throws LibvirtException {
        if ((flags & CHANGE_PROTECTION) != 0 && !dom.conn().supportsFeature(Features.MIGRATE_CHANGE_PROTECTION)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN, "cannot enforce change protection");
        }
        return flags & ~CHANGE_PROTECTION;
    }

    private static boolean both(Domain dom, Connect dconn, int feature) throws LibvirtException {
        return dom.conn().supportsFeature(feature) && dconn.supportsFeature(feature);
    }

    private static LibvirtException notSupportedBy(String what, String host) {
        return new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN,
                what + " migration is not supported by the " + host + " host");
    }

    private static LibvirtException unsupported(String api) {
        return new LibvirtException(ErrorNumber.VIR_ERR_NO_SUPPORT, ErrorDomain.VIR_FROM_DOMAIN, api);
    }

    static List<TypedParameter> compat(String dxml, String dname, String uri, long bandwidth) {
        List<TypedParameter> p = new ArrayList<>();
        if (uri != null) p.add(TypedParameter.string(URI, uri));
        if (dname != null) p.add(TypedParameter.string(DEST_NAME, dname));
        if (dxml != null) p.add(TypedParameter.string(DEST_XML, dxml));
        if (bandwidth > 0) p.add(TypedParameter.ullong(BANDWIDTH, bandwidth));
        return p;
    }

    private static void checkCommon(Domain dom, Connect dconn, int flags, String api) throws LibvirtException {
        dom.conn().checkWritable(api);
        if (dconn == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_CONN, ErrorDomain.VIR_FROM_DOMAIN, api);
        }
        dconn.checkWritable(api);
        ExclusiveFlags.check(flags, NON_SHARED_DISK, "VIR_MIGRATE_NON_SHARED_DISK", NON_SHARED_INC, "VIR_MIGRATE_NON_SHARED_INC");
    }

    /** virDomainMigrateVersion3Full with useParams. */
    static Domain version3Full(Domain dom, Connect dconn, List<TypedParameter> params, int flags) throws LibvirtException {
        Connect src = dom.conn();
        List<TypedParameter> p = new ArrayList<>(params);
        MigrationPhase.Begin begun = src.migrateBegin3Params(dom, p, flags);
        try {
            if (dom.getState().state() == DomainInfo.DomainState.VIR_DOMAIN_PAUSED) flags |= PAUSED;
        } catch (LibvirtException e) {
            // libvirt goes on without the state
        }
        int destflags = flags & ~(ABORT_ON_ERROR | AUTO_CONVERGE);
        replace(p, TypedParameter.string(DEST_XML, begun.xml()));
        MigrationPhase.Prepared prepared = dconn.migratePrepare3Params(p, begun.cookie(), destflags);

        LibvirtException first = null;
        boolean cancelled;
        boolean notifySource = true;
        byte[] cookie = prepared.cookie();
        if (prepared.uri() != null) {
            replace(p, TypedParameter.string(URI, prepared.uri()));
            cancelled = false;
        } else if (get(p, URI) == null) {
            first = new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_DOMAIN, "domainMigratePrepare3 did not set uri");
            cancelled = true;
        } else {
            cancelled = false;
        }
        if (first == null && (flags & OFFLINE) != 0) {
            cookie = null; // no Perform: the destination only defines the domain
        } else if (first == null) {
            try {
                cookie = src.migratePerform3Params(dom, null, p, cookie, flags);
            } catch (LibvirtException e) {
                first = e;
                notifySource = false; // Perform failed: the source already knows
                cancelled = true;
                cookie = null;
            }
        }

        if (get(p, DEST_NAME) == null) p.add(TypedParameter.string(DEST_NAME, dom.getName()));
        Domain ddomain = null;
        LibvirtException finishError = null;
        try {
            MigrationPhase.Finished f = dconn.migrateFinish3Params(p, cookie, destflags, cancelled);
            ddomain = dconn.domainFor(f.domain());
            cookie = f.cookie();
        } catch (LibvirtException e) {
            finishError = e;
            cookie = null;
        }
        if (cancelled && ddomain == null && first != null && finishError != null
                && first.getError().getDomain() == ErrorDomain.VIR_FROM_QEMU && first.code() == ErrorNumber.VIR_ERR_OPERATION_FAILED
                && finishError.getError().getDomain() == ErrorDomain.VIR_FROM_QEMU && finishError.code() != ErrorNumber.VIR_ERR_MIGRATE_FINISH_OK) {
            first = finishError; // Finish knows better why the guest is not on the destination
        }
        cancelled = ddomain == null;
        if (first == null) first = finishError;

        if (notifySource) {
            try {
                src.migrateConfirm3Params(dom, p, cookie, flags, cancelled);
            } catch (LibvirtException e) {
                // nothing more to do: at worst the guest stays paused on the source (libvirt's warning)
                if (ddomain == null && first == null) first = e;
            }
        }
        if (ddomain != null) return ddomain;
        if (first != null) throw first;
        throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_DOMAIN, "migration failed");
    }

    static String get(List<TypedParameter> p, String field) {
        for (TypedParameter t : p) if (t.field().equals(field) && t.value() != null) return t.valueText();
        return null;
    }

    private static void replace(List<TypedParameter> p, TypedParameter with) {
        p.removeIf(t -> t.field().equals(with.field()));
        p.add(with);
    }

    /** virReportInvalidArg: the message alone, without the code's prefix. */
    private static LibvirtException invalidArg(String why) {
        return LibvirtException.unprefixed(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN, why);
    }
}
