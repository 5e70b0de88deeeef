package org.jvirt.driver.api;

/**
 * A domain state with its reason (virDomainGetState). The reason is libvirt's number for the
 * state's reason enum: {@link RunningReason}, {@link PausedReason}, {@link ShutoffReason}...
 */
public record DomainStateReason(DomainInfo.DomainState state, int reason) {

    /** virDomainRunningReason. */
    public enum RunningReason { UNKNOWN, BOOTED, MIGRATED, RESTORED, FROM_SNAPSHOT, UNPAUSED,
        MIGRATION_CANCELED, SAVE_CANCELED, WAKEUP, CRASHED, POSTCOPY, POSTCOPY_FAILED }

    /** virDomainPausedReason. */
    public enum PausedReason { UNKNOWN, USER, MIGRATION, SAVE, DUMP, IOERROR, WATCHDOG, FROM_SNAPSHOT,
        SHUTTING_DOWN, SNAPSHOT, CRASHED, STARTING_UP, POSTCOPY, POSTCOPY_FAILED, API_ERROR }

    /** virDomainShutoffReason. */
    public enum ShutoffReason { UNKNOWN, SHUTDOWN, DESTROYED, CRASHED, MIGRATED, SAVED, FAILED,
        FROM_SNAPSHOT, DAEMON }

    public static DomainStateReason running(RunningReason r) {
        return new DomainStateReason(DomainInfo.DomainState.VIR_DOMAIN_RUNNING, r.ordinal());
    }

    public static DomainStateReason paused(PausedReason r) {
        return new DomainStateReason(DomainInfo.DomainState.VIR_DOMAIN_PAUSED, r.ordinal());
    }

    public static DomainStateReason shutoff(ShutoffReason r) {
        return new DomainStateReason(DomainInfo.DomainState.VIR_DOMAIN_SHUTOFF, r.ordinal());
    }

    public boolean isActive() {
        return state != DomainInfo.DomainState.VIR_DOMAIN_SHUTOFF;
    }
}
