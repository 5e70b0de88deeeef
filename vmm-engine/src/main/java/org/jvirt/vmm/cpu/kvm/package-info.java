/**
 * The KVM implementation of the CPU backend: in-kernel irqchip and PIT, memory slots, vCPUs with
 * CPUID/MSR/LAPIC set up as Linux expects, and the allocation-free exit loop.
 */
package org.jvirt.vmm.cpu.kvm;
