/**
 * A vCPU's complete architectural state as plain values ({@link org.jvirt.vmm.cpu.state.VcpuState}),
 * with no backend types in it, and its versioned state-file section
 * ({@link org.jvirt.vmm.cpu.state.VcpuStateSection}). KVM exports and imports it today; a Java
 * emulator can later, so a machine can move between backends.
 */
package org.jvirt.vmm.cpu.state;
