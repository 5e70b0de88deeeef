/**
 * The emulator's x86 CPU: register file ({@link org.jvirt.vmm.emu.cpu.CpuState}), the seams
 * between the instruction core and the system side ({@link org.jvirt.vmm.emu.cpu.SystemUnit},
 * {@link org.jvirt.vmm.emu.cpu.AddressTranslator}), and the physical bus the CPU reaches memory
 * and ports through ({@link org.jvirt.vmm.emu.cpu.PhysicalBus}). Nothing here knows KVM.
 */
package org.jvirt.vmm.emu.cpu;
