package org.jvirt.driver.jvirt;

import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;

/**
 * What a migration on a jvirt URI answers in libvirt's words, where the qemu driver's differ
 * from what the VMM and DomainMigration say: options jvirt-vmm does not honour are refused as
 * qemuMigrationParamsCheck refuses a capability QEMU lacks (never silently ignored); a
 * migration cancelled by domjobabort is "operation aborted: migration out job: canceled by
 * client"; a Finish told that Perform failed answers VIR_ERR_MIGRATE_FINISH_OK, so the client
 * keeps Perform's error (virDomainMigrateVersion3Full).
 */
final class MigrationErrors {
    private MigrationErrors() { }

    /** VIR_MIGRATE_* flags jvirt-vmm does not honour yet, with the QEMU capability libvirt names for each. */
    private static final int RDMA_PIN_ALL = 16384, POSTCOPY = 32768, ZEROCOPY = 1 << 20;
    private static final int[] FLAGS = {RDMA_PIN_ALL, POSTCOPY, ZEROCOPY};
    private static final String[] CAPABILITIES = {"rdma-pin-all", "postcopy-ram", "zero-copy-send"};

    /** The engine's words when domjobabort cancels the migration (MigrationSource). */
    private static final String CANCELED = "canceled by client";

    static void refuseUnhonoured(int flags) throws LibvirtException {
        for (int i = 0; i < FLAGS.length; i++) {
            if ((flags & FLAGS[i]) != 0) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                        "Migration option '" + CAPABILITIES[i] + "' is not supported by jvirt-vmm");
            }
        }
    }

    /** Perform's failure: a cancelled migration as libvirt reports it, any other as it came. */
    static LibvirtException performFailed(LibvirtException e) {
        String m = e.getMessage();
        if (m != null && m.contains(CANCELED)) {
            return new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_ABORTED, ErrorDomain.VIR_FROM_QEMU, "migration out job: " + CANCELED);
        }
        return e;
    }

    /** Finish with cancelled set removed the incoming domain as asked: libvirt's "successfully aborted". */
    static LibvirtException finishCancelled() {
        return new LibvirtException(ErrorNumber.VIR_ERR_MIGRATE_FINISH_OK, ErrorDomain.VIR_FROM_QEMU, null);
    }
}
