package org.jvirt.vmm.kvm;

/** Shared ioctl plumbing of the KVM file descriptors: negative results become KvmException. */
abstract class Fd implements AutoCloseable {
    protected final int fd;
    private volatile boolean closed;

    Fd(int fd) { this.fd = fd; }

    public int fd() { return fd; }

    /** ioctl that must succeed; returns its non-negative result. */
    protected final int ioctl(long request, long arg) {
        int rc = LibC.ioctl(fd, request, arg);
        if (rc < 0) throw new KvmException(KvmIoctls.name(request), LibC.errno());
        return rc;
    }

    protected final int ioctl(long request, StructView arg) {
        return ioctl(request, arg.address());
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}
