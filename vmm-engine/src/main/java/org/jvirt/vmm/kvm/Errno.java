package org.jvirt.vmm.kvm;

/** Symbolic names of the errno values KVM ioctls return, for readable error messages. */
public final class Errno {
    private Errno() { }

    public static final int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, EBADF = 9,
            EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, ENODEV = 19,
            EINVAL = 22, ENOTTY = 25, ENOSPC = 28, ENOSYS = 38, EOPNOTSUPP = 95;

    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM"; case ENOENT -> "ENOENT"; case EINTR -> "EINTR"; case EIO -> "EIO";
            case ENXIO -> "ENXIO"; case E2BIG -> "E2BIG"; case EBADF -> "EBADF"; case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM"; case EACCES -> "EACCES"; case EFAULT -> "EFAULT"; case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST"; case ENODEV -> "ENODEV"; case EINVAL -> "EINVAL"; case ENOTTY -> "ENOTTY";
            case ENOSPC -> "ENOSPC"; case ENOSYS -> "ENOSYS"; case EOPNOTSUPP -> "EOPNOTSUPP";
            default -> "errno " + errno;
        };
    }

    /** "EINVAL (Invalid argument)". */
    public static String describe(int errno) {
        String text;
        try {
            text = LibC.strerror(errno);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            text = null;
        }
        return text == null ? name(errno) : name(errno) + " (" + text + ")";
    }
}
