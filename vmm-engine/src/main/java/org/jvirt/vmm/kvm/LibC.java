package org.jvirt.vmm.kvm;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The few libc calls the VMM needs, bound by JNA direct mapping (Native.register): arguments
 * are primitives so a call costs ~100 ns and allocates nothing. Errors are read with
 * {@link Native#getLastError()} after a negative return, never thrown here.
 */
public final class LibC {
    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private LibC() { }

    public static final int O_RDONLY = 0, O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;
    public static final int PROT_READ = 1, PROT_WRITE = 2;
    public static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
            MAP_NORESERVE = 0x4000;
    public static final long MAP_FAILED = -1L;
    public static final int EFD_CLOEXEC = 0x80000, EFD_NONBLOCK = 0x800;
    /** lseek whence: the next data or hole at or after the offset (Linux 3.1+; -1 with ENXIO past the last data). */
    public static final int SEEK_DATA = 3, SEEK_HOLE = 4;
    public static final int ENXIO = 6;

    public static native int ioctl(int fd, long request, long arg);
    public static native int open(String path, int flags);
    public static native int close(int fd);
    public static native int posix_fadvise(int fd, long offset, long len, int advice);
    public static native long lseek(int fd, long offset, int whence);
    public static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);
    public static native int munmap(long addr, long length);
    public static native int eventfd(int initval, int flags);
    public static native long read(int fd, long buf, long count);
    public static native long write(int fd, long buf, long count);
    public static native long pthread_self();
    public static native int pthread_kill(long thread, int sig);
    public static native Pointer signal(int sig, Pointer handler);
    public static native String strerror(int errnum);
    public static native int __libc_current_sigrtmin();

    /** errno of this thread's last failed native call (valid only right after a call returned < 0). */
    public static int errno() {
        return Native.getLastError();
    }

    /**
     * A native function that ignores its argument and is async-signal-safe: used as the handler
     * of the kick signal, so a signal only interrupts KVM_RUN and never runs JVM code.
     */
    static Pointer noOpSignalHandler() {
        return Function.getFunction("c", "getpid");
    }
}
