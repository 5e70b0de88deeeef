/**
 * Platform devices, pure Java and unaware of the CPU backend. Each is an
 * {@link org.jvirt.vmm.bus.IoDevice} (offsets relative to its registered range) and a
 * {@link org.jvirt.vmm.devices.Snapshottable}. The PC layout the machine is expected to wire:
 * <pre>
 *   device                      bus   base        length  interrupt
 *   serial.Uart16550 (COM1)     PIO   0x3f8       8       IRQ 4 (edge; line level = pending &amp;&amp; OUT2)
 *   i8042.I8042 dataPort()      PIO   0x60        1       IRQ 1 keyboard, IRQ 12 mouse (optional)
 *   i8042.I8042 commandPort()   PIO   0x64        1       reset callback on 0xFE
 *   rtc.CmosRtc                 PIO   0x70        2       none (IRQ 8 not driven)
 *   acpi.AcpiPm                 PIO   0x600       12      SCI = IRQ 9, level, active-high
 *   pci.PciHostBridge           PIO   0xcf8       8       INTx: slot N pin P -> GSI 16 + (N+P)%8
 *   PCI BARs                    MMIO  0xE0000000-0xFEBFFFFF (window given to the bridge)
 * </pre>
 * The i8042 has a ps2.Ps2Keyboard and a ps2.Ps2Mouse behind it; host input reaches them
 * through {@code I8042.input()} ({@link org.jvirt.vmm.devices.input.InputSink}).
 * {@code org.jvirt.vmm.acpi.AcpiTables} describes exactly this layout to the guest.
 * Devices synchronize internally; interrupt lines are driven with setLevel only on changes.
 * Every device is {@link org.jvirt.vmm.devices.Snapshottable} (saveState/loadState) and, except the
 * console backends, {@link org.jvirt.vmm.devices.Resettable} for a guest reboot (for PCI, reset the
 * {@code PciHostBridge}: it resets every function and restores their preassigned BARs).
 */
package org.jvirt.vmm.devices;
