/**
 * The pure-Java x86-64 emulator as a CPU backend beside KVM: what joins the emulator's CPU
 * (org.jvirt.vmm.emu.cpu, .fpu, .platform) to the machine. Here today: the physical bus
 * ({@link org.jvirt.vmm.emu.EmuPhysicalBus}, with the code-page watch and the dirty log
 * {@link org.jvirt.vmm.emu.EmuDirtyLog}), the state mapping to the backend-neutral VcpuState
 * ({@link org.jvirt.vmm.emu.CpuStateMapping}), the boot entry
 * ({@link org.jvirt.vmm.emu.EmuBootEntry}) and each vCPU's local-APIC page
 * ({@link org.jvirt.vmm.emu.LocalApicWindow}), and the accelerator and vCPU
 * ({@link org.jvirt.vmm.emu.EmuAccelerator}, {@link org.jvirt.vmm.emu.EmuVcpu}) built to this
 * design. Where they differ from it: the TSC is the clock's guest nanoseconds plus the CPU's own
 * offset (no TSC deadline: the platform's LAPIC has none); the vCPU also fires due timers
 * itself between instruction chunks; the x87/SSE unit is plugged in by
 * {@code EmuVcpu.newExtensionUnit} ({@code emu.fpu.X87Sse}; CpuStateMapping exports a reset FPU image for a vCPU without one).
 *
 * <h2>EmuAccelerator implements Accelerator</h2>
 * <ul>
 * <li>{@code create(int vcpuCount)}: one {@code EmuPlatform} (Pic8259Pair, Pit8254, IoApic, one
 *   LocalApic per vCPU, GuestClock). Machine.create's {@code case EMU} calls it, and
 *   {@code MachineConfig.Accel.implemented()} returns true for EMU: that one switch turns on the
 *   driver's type='qemu', {@code --accel emu} and the qemu virt type in capabilities.</li>
 * <li>{@code attachMemory}: keeps the memory and makes the {@code EmuDirtyLog(memory)} that
 *   {@code dirtyLog()} returns; the first {@code createVcpu} (it brings the shared pio and
 *   mmio buses) builds the one {@code EmuPhysicalBus(memory, mmio, pio, dirtyLog)} all vCPUs share,
 *   and registers the PIC (0x20, 0xA0, ELCR 0x4D0), PIT (0x40-0x43, 0x61) and IOAPIC (0xFEC00000)
 *   on those buses, the devices KVM keeps in the kernel.</li>
 * <li>The LAPIC page (0xFEE00000, or wherever IA32_APIC_BASE puts it) is per vCPU, so it cannot be
 *   one device of the shared MMIO bus: each vCPU's PhysicalBus is a
 *   {@link org.jvirt.vmm.emu.LocalApicWindow}{@code (sharedBus, state, localApicAsIoDevice)}.</li>
 * <li>{@code interruptLine(gsi)}: GSI 0-15 drive the PIC input and the IOAPIC pin of that number
 *   (KVM's default routing, which KvmAccelerator uses), 16-23 the IOAPIC; the PIT's IRQ 0 must
 *   also reach IOAPIC pin 2, where the MADT's override (AcpiTables: IRQ0 -> GSI2) tells the
 *   guest to find it; {@code msiSink()} decodes the
 *   MSI address/data to a LocalApic (destination, vector, delivery mode); {@code ioEvents()}
 *   null (the device I/O threads then take notify writes through the bus, as without
 *   ioeventfd); {@code platform()} the EmuPlatform (its state sections are the ones KvmPlatform
 *   writes: PicState, IoApicState, PitState, so a state file moves between backends).</li>
 * <li>Device writes to RAM (virtio DMA, loaders) bypass the bus: building the bus must call
 *   {@code memory.setWriteListener(bus::noteExternalWrite)} (and close() set it back to null),
 *   or code the guest reads from disk into a page it ran before would run stale decoded
 *   instructions. noteExternalWrite also marks those pages in the dirty log (KVM's log leaves
 *   device writes out; marking more is harmless for snapshots).</li>
 * </ul>
 *
 * <h2>EmuVcpu implements Vcpu</h2>
 * <ul>
 * <li>Owns a CpuState, {@code X86Cpu(state, vcpuBus, CpuProfile.X86_64)} with
 *   {@code X86SystemUnit(state, cpu.linearMemory(), pageWalker, clock::tsc)},
 *   {@code PageWalker(state, vcpuBus)}, {@code X87Sse(state)} as extension unit, its LocalApic as
 *   interrupt source. All built once: the run loop allocates nothing.</li>
 * <li>{@code run()}: loop { a kick pending: clear it, return INTERRUPTED; events another backend
 *   left ({@code CpuStateMapping.Loaded.events()}): deliver them once through the system unit;
 *   waiting for SIPI: park on the LocalApic until INIT/SIPI or a kick; {@code cpu.run(budget)}
 *   (about 100k instructions): BUDGET: loop; HALTED: park on the LocalApic until it has an
 *   interrupt (or an NMI/INIT/SIPI) or a kick, then loop (HLT never reaches Machine, which
 *   treats a HALTED exit as an error); STOPPED (a kick's {@code requestStop}): return
 *   INTERRUPTED; SHUTDOWN (triple fault): return SHUTDOWN, which Machine turns into a reset }.
 *   Power-off and reset requested by devices (ACPI PM S5, i8042 command 0xFE) already
 *   reach Machine through PcBoard's events on the vCPU thread; Machine then kicks every vCPU,
 *   so the loop only has to honour kicks promptly. An unexpected RuntimeException from the
 *   core becomes ERROR with {@code errorDetail()} naming the vCPU, RIP and the exception.</li>
 * <li>{@code kick()}: set the volatile kick flag, {@code cpu.requestStop()}, wake the LocalApic
 *   wait. Pause, resume and save then work as with KVM (VcpuRunner is unchanged).</li>
 * <li>Timers: the GuestClock (System.nanoTime based, stopped while the machine is paused, so
 *   guest time does not jump over a pause or a save) gives the TSC and the PIT/LAPIC timer
 *   deadlines. One platform timer thread sleeps until the next deadline, then raises the PIT's
 *   IRQ 0 or the LAPIC timer's LVT vector and wakes the target vCPU; the CPU sees the interrupt
 *   at its next instruction boundary through {@code InterruptSource.hasInterrupt()}, so timer
 *   accuracy does not depend on the instruction budget.</li>
 * <li>{@code reset(boot)}: {@link org.jvirt.vmm.emu.EmuBootEntry#apply} (boot processor with
 *   the boot state; an AP with null, then wait-for-SIPI with apicBase 0xFEE00800, the BSP flag
 *   clear), {@code X87Sse.reset()}, LocalApic power-on (LINT0 ExtINT on the BSP, LINT1 NMI, as
 *   KvmVcpu.initLapic), TLB flush, {@code bus.invalidateAllCode()}.</li>
 * <li>INIT/SIPI: an ICR write on the sender's thread hands INIT or SIPI to the target
 *   LocalApic, which records it and wakes the target. The target, on its own thread: INIT
 *   resets as an AP and waits; SIPI with vector v starts at CS selector v&lt;&lt;8, base
 *   v&lt;&lt;12, RIP 0, real mode.</li>
 * <li>{@code exportState()}: {@code CpuStateMapping.export(state, x87sse, lapic.page(),
 *   clock.tsc() + state.tscOffset, Map.of(0x6E0, lapic.tscDeadline()), mp)}, mp = UNINITIALIZED
 *   while waiting for SIPI, else {@code mpStateOf(state)}. {@code importState(v)}:
 *   {@code CpuStateMapping.load}, then the LocalApic page and TSC deadline from the result,
 *   tscOffset = tsc - clock.tsc(), the MP state (UNINITIALIZED / INIT_RECEIVED: wait for SIPI),
 *   pending events kept for the next run, TLB flush, {@code bus.invalidateAllCode()}. CR8 and
 *   the LAPIC TPR must agree (CR8 = TPR[7:4]) after the import.</li>
 * <li>{@code registers()}: read from CpuState (the vCPU is stopped or it is the vCPU's thread).</li>
 * </ul>
 */
package org.jvirt.vmm.emu;
