package org.jvirt.vmm.boot;

/** A kernel or initrd that cannot be booted (bad format, does not fit in guest RAM, ...). */
public final class BootException extends RuntimeException {
    public BootException(String message) {
        super(message);
    }
}
