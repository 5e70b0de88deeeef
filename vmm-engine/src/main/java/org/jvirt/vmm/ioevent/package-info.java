/**
 * Wake-ups for device I/O threads: a {@link org.jvirt.vmm.ioevent.Doorbell} a device thread
 * sleeps on, rung by the guest's queue notification. With KVM the accelerator's
 * {@link org.jvirt.vmm.ioevent.IoEvents} binds the notify address to an eventfd (KVM_IOEVENTFD)
 * so the guest's write rings it without a vCPU exit; elsewhere the MMIO handler rings it.
 */
package org.jvirt.vmm.ioevent;
