package org.jvirt.vmm.kvm;

/** A failed KVM call: names the ioctl (or syscall) and the errno with its strerror text. */
public final class KvmException extends RuntimeException {
    private final String call;
    private final int errno;

    public KvmException(String call, int errno) {
        super(call + " failed: " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    public KvmException(String message) {
        super(message);
        this.call = null;
        this.errno = 0;
    }

    /** The ioctl or syscall name, e.g. "KVM_CREATE_VM"; null for a non-errno failure. */
    public String call() { return call; }

    public int errno() { return errno; }
}
