package org.jvirt.driver.api;

import java.util.List;

/**
 * A domain's job (virDomainGetJobStats): its type (virDomainJobType: 0 none, 1 bounded,
 * 2 unbounded, 3 completed, 4 failed, 5 cancelled) and the typed statistics. The getters of
 * libvirt-java's DomainJobInfo (virDomainGetJobInfo's fields) read the statistics of the same
 * names, 0 where there is none.
 */
public record DomainJobInfo(int type, List<TypedParameter> stats) {
    public static final int NONE = 0, BOUNDED = 1, UNBOUNDED = 2, COMPLETED = 3, FAILED = 4, CANCELLED = 5;

    /** libvirt-java's name for the type. */
    public int getType() { return type; }

    public long getTimeElapsed() { return number("time_elapsed"); }
    public long getTimeRemaining() { return number("time_remaining"); }
    public long getDataTotal() { return number("data_total"); }
    public long getDataProcessed() { return number("data_processed"); }
    public long getDataRemaining() { return number("data_remaining"); }
    public long getMemTotal() { return number("memory_total"); }
    public long getMemProcessed() { return number("memory_processed"); }
    public long getMemRemaining() { return number("memory_remaining"); }
    public long getFileTotal() { return number("disk_total"); }
    public long getFileProcessed() { return number("disk_processed"); }
    public long getFileRemaining() { return number("disk_remaining"); }

    /** The numeric statistic FIELD, or 0 when absent (as virDomainGetJobInfo leaves the field). */
    public long number(String field) {
        for (TypedParameter p : stats) {
            if (p.field().equals(field) && p.value() instanceof Number n) return n.longValue();
        }
        return 0;
    }

    /** Whether the statistic FIELD is there (virTypedParamsGet* answering 1). */
    public boolean has(String field) {
        for (TypedParameter p : stats) if (p.field().equals(field)) return true;
        return false;
    }

    /** The string statistic FIELD, or null. */
    public String string(String field) {
        for (TypedParameter p : stats) {
            if (p.field().equals(field) && p.value() instanceof String s) return s;
        }
        return null;
    }
}
