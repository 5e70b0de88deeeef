package org.jvirt.rpc;

/** A payload that does not decode: truncated, a count or length past its limit, or bytes left over. */
public final class XdrException extends Exception {
    public XdrException(String message) {
        super(message);
    }
}
