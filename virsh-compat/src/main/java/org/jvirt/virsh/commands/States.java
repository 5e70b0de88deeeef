package org.jvirt.virsh.commands;

import org.jvirt.driver.api.DomainInfo.DomainState;

/** virsh's words for domain states and reasons (virshDomainStateToString and friends). */
final class States {

    private States() { }

    static String state(DomainState s) {
        return switch (s) {
            case VIR_DOMAIN_RUNNING -> "running";
            case VIR_DOMAIN_BLOCKED -> "idle";
            case VIR_DOMAIN_PAUSED -> "paused";
            case VIR_DOMAIN_SHUTDOWN -> "in shutdown";
            case VIR_DOMAIN_SHUTOFF -> "shut off";
            case VIR_DOMAIN_CRASHED -> "crashed";
            case VIR_DOMAIN_PMSUSPENDED -> "pmsuspended";
            default -> "no state";
        };
    }

    private static final String[] RUNNING = {"unknown", "booted", "migrated", "restored", "from snapshot",
        "unpaused", "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy", "post-copy failed"};
    private static final String[] PAUSED = {"unknown", "user", "migrating", "saving", "dumping", "I/O error",
        "watchdog", "from snapshot", "shutting down", "creating snapshot", "crashed", "starting up", "post-copy",
        "post-copy failed", "api error"};
    private static final String[] SHUTOFF = {"unknown", "shutdown", "destroyed", "crashed", "migrated", "saved",
        "failed", "from snapshot", "daemon"};
    private static final String[] SHUTDOWN = {"unknown", "user"};
    private static final String[] CRASHED = {"unknown", "panicked"};

    static String reason(DomainState s, int reason) {
        String[] names = switch (s) {
            case VIR_DOMAIN_RUNNING -> RUNNING;
            case VIR_DOMAIN_PAUSED -> PAUSED;
            case VIR_DOMAIN_SHUTOFF -> SHUTOFF;
            case VIR_DOMAIN_SHUTDOWN -> SHUTDOWN;
            case VIR_DOMAIN_CRASHED -> CRASHED;
            default -> new String[] {"unknown"};
        };
        return reason >= 0 && reason < names.length ? names[reason] : "unknown";
    }
}
