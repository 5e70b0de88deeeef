package org.jvirt.driver.jvirt;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.vmm.protocol.Command;

/**
 * A migration's flags and VIR_MIGRATE_PARAM_* parameters as the source VMM's jvirt-migrate
 * takes them: --auto-converge (with auto_converge.initial/.increment), --compressed (xbzrle,
 * the one method jvirt-vmm has, with compression.xbzrle.cache), --copy-storage-all/-inc. What
 * jvirt-vmm cannot do is refused in libvirt's words, never ignored.
 */
final class MigrationOptions {
    private MigrationOptions() { }

    static final int NON_SHARED_DISK = 64, NON_SHARED_INC = 128, COMPRESSED = 2048, AUTO_CONVERGE = 8192;

    static Command.JvirtMigrate command(String uri, long maxDowntimeMs, long bandwidth, List<TypedParameter> params, int flags)
            throws LibvirtException {
        boolean autoConverge = (flags & AUTO_CONVERGE) != 0;
        Integer initial = intParam(params, "auto_converge.initial"), increment = intParam(params, "auto_converge.increment");
        if (!autoConverge && (initial != null || increment != null)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                    "Turn auto convergence on to tune it");
        }
        for (Integer v : new Integer[] {initial, increment}) {
            if (v != null && (v < 1 || v > 99)) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                        "auto_converge.initial and auto_converge.increment must be 1-99, not " + v);
            }
        }
        List<String> methods = new ArrayList<>();
        for (TypedParameter p : params) if (p.field().equals("compression") && p.value() != null) methods.add(p.value().toString());
        boolean compress = (flags & COMPRESSED) != 0 || !methods.isEmpty();
        for (String m : methods) {
            if (!m.equals("xbzrle")) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                        "Migration option '" + m + "' is not supported by jvirt-vmm");
            }
        }
        Long cache = longParam(params, "compression.xbzrle.cache");
        if (cache != null && !compress) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                    "Turn xbzrle compression on to tune cache size");
        }
        for (String unsupported : new String[] {"disks_port", "disks_uri", "compression.mt.level", "compression.mt.threads",
                "compression.mt.dthreads", "compression.zlib.level", "compression.zstd.level", "parallel.connections"}) {
            if (DomainMigration.param(params, unsupported) != null) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                        "Migration parameter '" + unsupported + "' is not supported by jvirt-vmm");
            }
        }
        String copy = (flags & NON_SHARED_DISK) != 0 ? "all" : (flags & NON_SHARED_INC) != 0 ? "inc" : null;
        if (copy == null && DomainMigration.param(params, "migrate_disks") != null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                    "Selecting disks to migrate is only supported with storage migration");
        }
        if (copy != null && DomainMigration.param(params, "migrate_disks") != null) {
            // jvirt-vmm copies every writable disk: a chosen subset would be silently widened
            throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "Migration parameter 'migrate_disks' is not supported by jvirt-vmm: every writable disk is copied");
        }
        return new Command.JvirtMigrate(uri, maxDowntimeMs, bandwidth, autoConverge ? Boolean.TRUE : null, initial, increment,
                compress ? Boolean.TRUE : null, cache, copy);
    }

    private static Integer intParam(List<TypedParameter> params, String field) throws LibvirtException {
        String v = DomainMigration.param(params, field);
        if (v == null) return null;
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU, "invalid " + field + " '" + v + "'");
        }
    }

    private static Long longParam(List<TypedParameter> params, String field) throws LibvirtException {
        String v = DomainMigration.param(params, field);
        if (v == null) return null;
        try {
            long n = Long.parseLong(v);
            if (n < 4096) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU, "invalid " + field + " '" + v + "'");
        }
    }
}
