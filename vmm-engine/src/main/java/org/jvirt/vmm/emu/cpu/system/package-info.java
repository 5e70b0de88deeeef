/**
 * The emulated CPU's system side in every operating mode:
 * {@link org.jvirt.vmm.emu.cpu.system.X86SystemUnit} and the parts it is made of (segment loads,
 * interrupt delivery and IRET, far transfers and call gates, task switches, the CPU model's
 * CPUID and MSRs).
 */
package org.jvirt.vmm.emu.cpu.system;
