package org.jvirt.vmm.kvm;

/**
 * The real-time signal used to kick vCPU threads out of KVM_RUN (SIGRTMIN+6, unused by
 * HotSpot), with a native no-op handler so the default action (terminate) never runs and no JVM
 * code runs in signal context.
 */
public final class KickSignal {
    private KickSignal() { }

    /** Installs the no-op handler (idempotent) and returns the signal number. */
    public static int install() {
        int sig = LibC.__libc_current_sigrtmin() + 6;
        LibC.signal(sig, LibC.noOpSignalHandler());
        return sig;
    }
}
