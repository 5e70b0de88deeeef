/**
 * The CPU backend seam: {@link org.jvirt.vmm.cpu.Accelerator} (VM-wide: memory, interrupt
 * controller, vCPU creation) and {@link org.jvirt.vmm.cpu.Vcpu} (runs guest code, handles I/O on
 * the buses, returns machine-level exits), plus what is backend-neutral: the per-vCPU thread
 * {@link org.jvirt.vmm.cpu.VcpuRunner} (pause/resume/stop/run-on-thread), boot entry state and
 * CPUID topology. KVM implements it in cpu.kvm; a Java emulator can implement it later.
 */
package org.jvirt.vmm.cpu;
