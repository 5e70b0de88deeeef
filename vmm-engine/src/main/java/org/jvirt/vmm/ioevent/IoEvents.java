package org.jvirt.vmm.ioevent;

/**
 * An accelerator's way to turn a guest write at an MMIO address into a doorbell ring without
 * leaving the guest (KVM_IOEVENTFD). Doorbells bound here come from {@link #newDoorbell}.
 */
public interface IoEvents {

    /** A doorbell that {@link #bindMmioWrite} accepts. */
    Doorbell newDoorbell();

    /** From now on a guest write of len bytes at addr rings bell instead of exiting. Throws when refused. */
    void bindMmioWrite(Doorbell bell, long addr, int len);

    /** Undoes {@link #bindMmioWrite} with the same arguments. */
    void unbindMmioWrite(Doorbell bell, long addr, int len);
}
