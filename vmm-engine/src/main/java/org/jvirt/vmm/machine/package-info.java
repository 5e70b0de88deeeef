/**
 * A whole VM: {@link org.jvirt.vmm.machine.MachineConfig} in, {@link org.jvirt.vmm.machine.Machine}
 * (start, pause, resume, reset, power button, stop, awaitExit) and
 * {@link org.jvirt.vmm.machine.MachineExit} out; {@link org.jvirt.vmm.machine.PcBoard} places the
 * PC devices.
 */
package org.jvirt.vmm.machine;
