package org.jvirt.vmm.kvm;

import static org.jvirt.vmm.kvm.KvmLayout.*;

/**
 * A KVM vCPU file descriptor and its mmap'ed kvm_run. All calls must come from the one thread
 * that runs this vCPU (KVM's rule), except {@link #kick}.
 */
public final class VcpuFd extends Fd {
    private final int id;
    private final long runAddress;
    private final int runSize;
    private final KvmRun run;
    private final NativeBuffer mpState = NativeBuffer.allocate(MP_STATE_SIZE);

    VcpuFd(int fd, int id, long runAddress, int runSize) {
        super(fd);
        this.id = id;
        this.runAddress = runAddress;
        this.runSize = runSize;
        this.run = new KvmRun(NativeBuffer.wrap(runAddress, runSize));
    }

    public int id() { return id; }

    public KvmRun kvmRun() { return run; }

    /**
     * KVM_RUN. Returns true when the vCPU exited with an exit reason to handle, false when it was
     * interrupted (EINTR: a kick or immediate_exit; EAGAIN). Other failures throw.
     * Allocates nothing.
     */
    public boolean run() {
        int rc = LibC.ioctl(fd, KvmIoctls.KVM_RUN, 0);
        if (rc >= 0) return true;
        int errno = LibC.errno();
        if (errno == Errno.EINTR || errno == Errno.EAGAIN) return false;
        throw new KvmException("KVM_RUN", errno);
    }

    public void getRegs(KvmRegs r) { ioctl(KvmIoctls.KVM_GET_REGS, r); }
    public void setRegs(KvmRegs r) { ioctl(KvmIoctls.KVM_SET_REGS, r); }
    public void getSregs(KvmSregs s) { ioctl(KvmIoctls.KVM_GET_SREGS, s); }
    public void setSregs(KvmSregs s) { ioctl(KvmIoctls.KVM_SET_SREGS, s); }
    public void getFpu(RawStruct fpu) { ioctl(KvmIoctls.KVM_GET_FPU, fpu); }
    public void setFpu(RawStruct fpu) { ioctl(KvmIoctls.KVM_SET_FPU, fpu); }
    public void getXsave(RawStruct xsave) { ioctl(KvmIoctls.KVM_GET_XSAVE, xsave); }
    public void setXsave(RawStruct xsave) { ioctl(KvmIoctls.KVM_SET_XSAVE, xsave); }
    /** KVM_GET_XSAVE2: for an XSAVE area larger than 4 KiB (size from KVM_CAP_XSAVE2). */
    public void getXsave2(RawStruct xsave) { ioctl(KvmIoctls.KVM_GET_XSAVE2, xsave); }
    public void getXcrs(RawStruct xcrs) { ioctl(KvmIoctls.KVM_GET_XCRS, xcrs); }
    public void setXcrs(RawStruct xcrs) { ioctl(KvmIoctls.KVM_SET_XCRS, xcrs); }
    public void getDebugRegs(RawStruct d) { ioctl(KvmIoctls.KVM_GET_DEBUGREGS, d); }
    public void setDebugRegs(RawStruct d) { ioctl(KvmIoctls.KVM_SET_DEBUGREGS, d); }
    public void getLapic(KvmLapic l) { ioctl(KvmIoctls.KVM_GET_LAPIC, l); }
    public void setLapic(KvmLapic l) { ioctl(KvmIoctls.KVM_SET_LAPIC, l); }
    public void getVcpuEvents(KvmVcpuEvents e) { ioctl(KvmIoctls.KVM_GET_VCPU_EVENTS, e); }
    public void setVcpuEvents(KvmVcpuEvents e) { ioctl(KvmIoctls.KVM_SET_VCPU_EVENTS, e); }
    public void setCpuid2(KvmCpuid c) { ioctl(KvmIoctls.KVM_SET_CPUID2, c); }

    /** KVM_GET_CPUID2: c.count() must be its capacity on entry; on return it is the entry count. */
    public void getCpuid2(KvmCpuid c) {
        c.count(c.capacity());
        ioctl(KvmIoctls.KVM_GET_CPUID2, c);
    }

    /** KVM_GET_MSRS for the first m.count() indices; returns how many were read. */
    public int getMsrs(KvmMsrs m) { return ioctl(KvmIoctls.KVM_GET_MSRS, m); }

    /** KVM_SET_MSRS; throws unless all m.count() entries were accepted. */
    public void setMsrs(KvmMsrs m) {
        int n = ioctl(KvmIoctls.KVM_SET_MSRS, m);
        if (n != m.count()) {
            throw new KvmException(String.format("KVM_SET_MSRS accepted %d of %d MSRs (first rejected: 0x%x)",
                    n, m.count(), m.index(n)));
        }
    }

    public int getMpState() {
        ioctl(KvmIoctls.KVM_GET_MP_STATE, mpState.address());
        return mpState.buffer().getInt(0);
    }

    public void setMpState(int state) {
        mpState.buffer().putInt(0, state);
        ioctl(KvmIoctls.KVM_SET_MP_STATE, mpState.address());
    }

    /**
     * Forces the vCPU out of KVM_RUN from another thread: immediate_exit makes a KVM_RUN that is
     * about to start return at once; the signal interrupts one already in the kernel.
     * threadId is the pthread_self() of the vCPU thread, signal a real-time signal with a no-op handler.
     */
    public void kick(long threadId, int signal) {
        run.immediateExit(true);
        if (threadId != 0) LibC.pthread_kill(threadId, signal);
    }

    @Override
    public void close() {
        LibC.munmap(runAddress, runSize);
        mpState.close();
        super.close();
    }
}
