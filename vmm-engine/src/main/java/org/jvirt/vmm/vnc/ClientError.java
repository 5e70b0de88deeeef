package org.jvirt.vmm.vnc;

/** A client broke the protocol (or its time): its connection is closed with one log line. */
final class ClientError extends Exception {
    ClientError(String message) {
        super(message, null, false, false);
    }
}
