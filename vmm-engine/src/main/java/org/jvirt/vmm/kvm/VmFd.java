package org.jvirt.vmm.kvm;

import static org.jvirt.vmm.kvm.KvmLayout.*;

/** A KVM VM file descriptor: memory slots, the in-kernel irqchip and PIT, interrupts, vCPUs. */
public final class VmFd extends Fd {
    private final int vcpuMmapSize;
    /** Per-thread argument buffers for calls devices make from any thread (IRQ lines, MSIs). */
    private final ThreadLocal<NativeBuffer> irqArg = ThreadLocal.withInitial(() -> NativeBuffer.allocate(IRQ_LEVEL_SIZE));
    private final ThreadLocal<NativeBuffer> msiArg = ThreadLocal.withInitial(() -> NativeBuffer.allocate(MSI_SIZE));

    VmFd(int fd, int vcpuMmapSize) {
        super(fd);
        this.vcpuMmapSize = vcpuMmapSize;
    }

    /** KVM_SET_USER_MEMORY_REGION; size 0 deletes the slot. flags: MEM_LOG_DIRTY_PAGES, MEM_READONLY. */
    public void setUserMemoryRegion(int slot, int flags, long guestPhysAddr, long size, long hostAddress) {
        try (NativeBuffer b = NativeBuffer.allocate(MEM_REGION_SIZE)) {
            var bb = b.buffer();
            bb.putInt(MEM_SLOT, slot);
            bb.putInt(MEM_FLAGS, flags);
            bb.putLong(MEM_GUEST_PHYS_ADDR, guestPhysAddr);
            bb.putLong(MEM_MEMORY_SIZE, size);
            bb.putLong(MEM_USERSPACE_ADDR, hostAddress);
            ioctl(KvmIoctls.KVM_SET_USER_MEMORY_REGION, b.address());
        }
    }

    public void setTssAddr(long address) { ioctl(KvmIoctls.KVM_SET_TSS_ADDR, address); }

    public void setIdentityMapAddr(long address) {
        try (NativeBuffer b = NativeBuffer.allocate(8)) {
            b.buffer().putLong(0, address);
            ioctl(KvmIoctls.KVM_SET_IDENTITY_MAP_ADDR, b.address());
        }
    }

    /** KVM_CREATE_IRQCHIP: in-kernel PIC pair, IOAPIC and local APICs. */
    public void createIrqchip() { ioctl(KvmIoctls.KVM_CREATE_IRQCHIP, 0); }

    /** KVM_CREATE_PIT2 with flags (e.g. PIT_SPEAKER_DUMMY). */
    public void createPit2(int flags) {
        try (NativeBuffer b = NativeBuffer.allocate(PIT_CONFIG_SIZE)) {
            b.buffer().putInt(PIT_CONFIG_FLAGS, flags);
            ioctl(KvmIoctls.KVM_CREATE_PIT2, b.address());
        }
    }

    /** KVM_IRQ_LINE: drives GSI to a level. Safe from any thread; allocation-free after a thread's first call. */
    public void irqLine(int gsi, boolean high) {
        NativeBuffer b = irqArg.get();
        b.buffer().putInt(IRQ_LEVEL_IRQ, gsi);
        b.buffer().putInt(IRQ_LEVEL_LEVEL, high ? 1 : 0);
        ioctl(KvmIoctls.KVM_IRQ_LINE, b.address());
    }

    /** KVM_SIGNAL_MSI; returns &gt;0 when delivered, 0 when the guest blocked it. */
    public int signalMsi(long address, int data) {
        NativeBuffer b = msiArg.get();
        var bb = b.buffer();
        bb.putInt(MSI_ADDRESS_LO, (int) address);
        bb.putInt(MSI_ADDRESS_HI, (int) (address >>> 32));
        bb.putInt(MSI_DATA, data);
        bb.putInt(MSI_FLAGS, 0);
        bb.putInt(MSI_DEVID, 0);
        return ioctl(KvmIoctls.KVM_SIGNAL_MSI, b.address());
    }

    /** KVM_IRQFD: signalling eventfd raises gsi (deassign removes the binding). */
    public void irqfd(int eventFd, int gsi, boolean deassign) {
        try (NativeBuffer b = NativeBuffer.allocate(IRQFD_SIZE)) {
            b.buffer().putInt(IRQFD_FD, eventFd);
            b.buffer().putInt(IRQFD_GSI, gsi);
            b.buffer().putInt(IRQFD_FLAGS, deassign ? IRQFD_FLAG_DEASSIGN : 0);
            ioctl(KvmIoctls.KVM_IRQFD, b.address());
        }
    }

    /** KVM_IOEVENTFD: a guest write of len bytes at addr (PIO or MMIO) signals eventFd without an exit. */
    public void ioeventfd(long addr, int len, boolean pio, Long datamatch, int eventFd, boolean deassign) {
        try (NativeBuffer b = NativeBuffer.allocate(IOEVENTFD_SIZE)) {
            var bb = b.buffer();
            int flags = (pio ? IOEVENTFD_FLAG_PIO : 0) | (deassign ? IOEVENTFD_FLAG_DEASSIGN : 0);
            if (datamatch != null) {
                flags |= IOEVENTFD_FLAG_DATAMATCH;
                bb.putLong(IOEVENTFD_DATAMATCH, datamatch);
            }
            bb.putLong(IOEVENTFD_ADDR, addr);
            bb.putInt(IOEVENTFD_LEN, len);
            bb.putInt(IOEVENTFD_FD, eventFd);
            bb.putInt(IOEVENTFD_FLAGS, flags);
            ioctl(KvmIoctls.KVM_IOEVENTFD, b.address());
        }
    }

    /** KVM_GET_IRQCHIP into state (a RawStruct of IRQCHIP_SIZE) for chip IRQCHIP_PIC_MASTER/SLAVE/IOAPIC. */
    public void getIrqchip(int chipId, RawStruct state) {
        state.u32(IRQCHIP_CHIP_ID, chipId);
        ioctl(KvmIoctls.KVM_GET_IRQCHIP, state);
    }

    public void setIrqchip(RawStruct state) { ioctl(KvmIoctls.KVM_SET_IRQCHIP, state); }

    public void getPit2(RawStruct state) { ioctl(KvmIoctls.KVM_GET_PIT2, state); }
    public void setPit2(RawStruct state) { ioctl(KvmIoctls.KVM_SET_PIT2, state); }

    /** KVM_GET_CLOCK: the kvmclock value in ns. */
    public long getClock() {
        try (NativeBuffer b = NativeBuffer.allocate(CLOCK_DATA_SIZE)) {
            ioctl(KvmIoctls.KVM_GET_CLOCK, b.address());
            return b.buffer().getLong(CLOCK_CLOCK);
        }
    }

    public void setClock(long nanos) {
        try (NativeBuffer b = NativeBuffer.allocate(CLOCK_DATA_SIZE)) {
            b.buffer().putLong(CLOCK_CLOCK, nanos);
            ioctl(KvmIoctls.KVM_SET_CLOCK, b.address());
        }
    }

    /**
     * KVM_GET_DIRTY_LOG for slot into bitmap (one bit per 4 KiB page, at least slotPages/8 bytes
     * rounded up to 8); reading clears the log.
     */
    public void getDirtyLog(int slot, NativeBuffer bitmap) {
        try (NativeBuffer b = NativeBuffer.allocate(DIRTY_LOG_SIZE)) {
            b.buffer().putInt(DIRTY_LOG_SLOT, slot);
            b.buffer().putLong(DIRTY_LOG_BITMAP, bitmap.address());
            ioctl(KvmIoctls.KVM_GET_DIRTY_LOG, b.address());
        }
    }

    public int checkExtension(int capability) { return ioctl(KvmIoctls.KVM_CHECK_EXTENSION, capability); }

    /** KVM_CREATE_VCPU with the given APIC id, and mmaps its kvm_run. */
    public VcpuFd createVcpu(int id) {
        int vcpufd = ioctl(KvmIoctls.KVM_CREATE_VCPU, id);
        long addr = LibC.mmap(0, vcpuMmapSize, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, vcpufd, 0);
        if (addr == LibC.MAP_FAILED) {
            int e = LibC.errno();
            LibC.close(vcpufd);
            throw new KvmException("mmap(kvm_run)", e);
        }
        return new VcpuFd(vcpufd, id, addr, vcpuMmapSize);
    }
}
