package org.jvirt.driver.remote;

import org.jvirt.rpc.XdrException;
import org.jvirt.rpc.XdrReader;

/** Reads a procedure's ret structure from a successful reply. */
@FunctionalInterface
interface ReplyDecoder<T> {
    T decode(XdrReader r) throws XdrException;

    /** For procedures whose reply is empty. */
    ReplyDecoder<Void> NONE = r -> null;
}
