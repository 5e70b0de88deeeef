package org.jvirt.vmm.cpu.kvm;

import org.jvirt.vmm.ioevent.Doorbell;
import org.jvirt.vmm.ioevent.IoEvents;
import org.jvirt.vmm.kvm.EventFd;
import org.jvirt.vmm.kvm.VmFd;

/** KVM_IOEVENTFD: a guest MMIO write at a bound address signals an eventfd inside the kernel. */
final class KvmIoEvents implements IoEvents {
    private final VmFd vm;

    KvmIoEvents(VmFd vm) { this.vm = vm; }

    @Override
    public Doorbell newDoorbell() { return EventFd.create(); }

    @Override
    public void bindMmioWrite(Doorbell bell, long addr, int len) {
        vm.ioeventfd(addr, len, false, null, eventFd(bell).fd(), false);
    }

    @Override
    public void unbindMmioWrite(Doorbell bell, long addr, int len) {
        vm.ioeventfd(addr, len, false, null, eventFd(bell).fd(), true);
    }

    private static EventFd eventFd(Doorbell bell) {
        if (bell instanceof EventFd e) return e;
        throw new IllegalArgumentException("not a doorbell of this accelerator: " + bell);
    }
}
