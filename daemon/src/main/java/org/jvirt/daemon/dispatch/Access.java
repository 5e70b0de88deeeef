package org.jvirt.daemon.dispatch;

/** What a procedure needs of the session before it runs. */
enum Access {
    /** Allowed before CONNECT_OPEN (authentication, feature probes, the open itself). */
    NO_CONNECTION,
    /** Needs an open connection; allowed to read-only clients. */
    READ,
    /** Changes something: refused to read-only clients by the daemon itself. */
    WRITE
}
