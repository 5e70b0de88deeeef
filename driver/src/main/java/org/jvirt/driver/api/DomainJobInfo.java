package org.jvirt.driver.api;

import java.util.List;

/**
 * A domain's job (virDomainGetJobStats): its type (virDomainJobType: 0 none, 1 bounded,
 * 2 unbounded, 3 completed, 4 failed, 5 cancelled) and the typed statistics.
 */
public record DomainJobInfo(int type, List<TypedParameter> stats) {
    public static final int NONE = 0, BOUNDED = 1, UNBOUNDED = 2, COMPLETED = 3, FAILED = 4, CANCELLED = 5;

    /** libvirt-java's name for the type. */
    public int getType() { return type; }
}
