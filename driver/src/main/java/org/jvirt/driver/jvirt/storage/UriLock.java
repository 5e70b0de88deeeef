package org.jvirt.driver.jvirt.storage;

import org.jvirt.driver.api.LibvirtException;

/** The URI-wide lock that storage changes hold, so clients in other processes do not interleave. */
public interface UriLock {

    Held acquire() throws LibvirtException;

    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
