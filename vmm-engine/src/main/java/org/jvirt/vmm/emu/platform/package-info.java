/**
 * The emulator's PC platform in Java, what KVM keeps in the kernel: the 8259 pair
 * ({@link org.jvirt.vmm.emu.platform.Pic8259Pair}), the 8254 PIT and port 0x61
 * ({@link org.jvirt.vmm.emu.platform.Pit8254}), the IOAPIC ({@link org.jvirt.vmm.emu.platform.IoApic}),
 * one xAPIC per vCPU ({@link org.jvirt.vmm.emu.platform.LocalApic}, the CPU's
 * {@link org.jvirt.vmm.emu.cpu.InterruptSource}) joined by the {@link org.jvirt.vmm.emu.platform.ApicBus},
 * and the {@link org.jvirt.vmm.emu.platform.GuestClock} they count on, assembled by
 * {@link org.jvirt.vmm.emu.platform.EmuPlatform} behind {@link org.jvirt.vmm.platform.Platform}.
 * State travels in the same {@link org.jvirt.vmm.platform.PlatformState} records and 1 KiB LAPIC
 * page as KVM's, with the same field meanings.
 *
 * <h2>Driving time (for the integrator)</h2>
 * Nothing ticks in the background. Counters are computed from the clock when read; interrupts
 * from timers happen in {@code EmuPlatform.advanceTo(guestNanos)}. Two ways to drive it:
 * <ol>
 *   <li>{@code platform.startTimerThread()} once: one daemon thread parks until
 *       {@code nextDeadlineNanos()} (converted to host time by the clock), calls {@code advance()},
 *       and is unparked by every timer reprogramming and every clock pause/resume/set.
 *       {@code close()} stops it. Interrupts then reach a halted vCPU through
 *       {@link org.jvirt.vmm.emu.platform.LocalApic.Listener#wake}.</li>
 *   <li>or the vCPU loop itself calls {@code platform.advance()} (cheap: a few volatile and
 *       uncontended monitor operations, no allocation) every so many instructions and before
 *       halting computes {@code clock().hostNanosUntil(nextDeadlineNanos())} as its sleep bound.</li>
 * </ol>
 * {@code pause()} / {@code resume()} (the clock's) stop and restart guest time: counters freeze,
 * no timer fires, the timer thread parks. Export state only while paused; import the platform
 * (which sets the clock) before the vCPUs' LAPIC pages.
 *
 * <h2>Wiring (for the integrator)</h2>
 * <ul>
 *   <li>{@code Accelerator.interruptLine(gsi)} and {@code msiSink()}: {@code platform.interruptLine(gsi)},
 *       {@code platform.msiSink()}; {@code platform()}: the EmuPlatform.</li>
 *   <li>{@code platform.registerDevices(pio, mmio)} once; each vCPU thread calls
 *       {@code bindCurrentThread(index)} so the shared LAPIC page at 0xFEE00000 reaches its own APIC
 *       (or the vCPU's PhysicalBus routes its APIC page to {@code localApic(index)} directly, which
 *       also follows a relocated IA32_APIC_BASE).</li>
 *   <li>vCPU {@code i}: {@code localApic(i)} is its InterruptSource; set its
 *       {@link org.jvirt.vmm.emu.platform.LocalApic.Listener} (wake a halted thread, INIT, SIPI);
 *       RDMSR/WRMSR IA32_APIC_BASE (0x1B) go to {@code apicBase()/setApicBase()}; RDTSC reads
 *       {@code clock().tsc()} (1 GHz; CPUID must not advertise TSC-deadline or x2APIC);
 *       VcpuState.lapic is {@code exportPage()/importPage()}.</li>
 * </ul>
 *
 * <h2>Locking</h2>
 * One monitor per chip. The only nesting is IOAPIC -> LAPIC (delivery while the IOAPIC holds its
 * lock). Every other call between chips (PIT -> PIC/IOAPIC, LAPIC EOI -> IOAPIC, LAPIC ICR ->
 * LAPICs, PIC INTR -> LAPIC wake, LAPIC INTA -> PIC) happens after the caller released its own
 * lock. Listener callbacks must not call back into the chips.
 */
package org.jvirt.vmm.emu.platform;
