/**
 * KVM bindings (the kvm-ioctls layer): {@link org.jvirt.vmm.kvm.Kvm} (/dev/kvm),
 * {@link org.jvirt.vmm.kvm.VmFd} (a VM) and {@link org.jvirt.vmm.kvm.VcpuFd} (a vCPU and its
 * mmap'ed kvm_run), over libc through JNA direct mapping ({@link org.jvirt.vmm.kvm.LibC}).
 * KVM structs are views at fixed offsets of reusable native buffers (no JNA Structure); their
 * layouts and the ioctl numbers are checked against linux/kvm.h by KvmLayoutTest. A failing
 * call throws {@link org.jvirt.vmm.kvm.KvmException} naming the ioctl and errno.
 */
package org.jvirt.vmm.kvm;
