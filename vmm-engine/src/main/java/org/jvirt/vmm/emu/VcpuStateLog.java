package org.jvirt.vmm.emu;

import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.PhysicalBus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A diagnostic aid for guests that hang without output: with -Djvirt.emu.vcpulog=FILE each
 * emulated vCPU appends one line to FILE every few seconds, written on its own thread (running
 * or halted): RIP, CS base, flags, halted, waiting for SIPI, the general registers and, while
 * paging is off (firmware, boot loaders), the code bytes around RIP and the top of the stack. A thread dump shows only that the emulator runs;
 * this shows where the guest spins (SeaBIOS's SMP lock was found so). Off by default: then
 * {@link #due} is one field read.
 */
final class VcpuStateLog {
    private static final Path FILE = path(System.getProperty("jvirt.emu.vcpulog"));
    private static final long PERIOD_NANOS = 5_000_000_000L;

    private long last = System.nanoTime();

    private static Path path(String p) { return p == null || p.isEmpty() ? null : Path.of(p); }

    boolean due() { return FILE != null && System.nanoTime() - last >= PERIOD_NANOS; }

    /** Appends the vCPU's line (memory read through the physical bus: only without paging, so no walk sets accessed bits). */
    void write(int index, CpuState s, boolean waitingForSipi, PhysicalBus bus) {
        last = System.nanoTime();
        long rip = s.seg[CpuState.CS].base + s.rip, sp = s.seg[CpuState.SS].base + s.gpr[CpuState.RSP];
        long[] g = s.gpr;
        StringBuilder b = new StringBuilder(String.format(
                "%tT vCPU %d rip=%x (cs base %x) rflags=%x cr0=%x halted=%b wait-for-sipi=%b "
                        + "rax=%x rbx=%x rcx=%x rdx=%x rsi=%x rdi=%x rsp=%x rbp=%x code ",
                System.currentTimeMillis(), index, s.rip, s.seg[CpuState.CS].base, s.rflags(), s.cr0, s.halted, waitingForSipi,
                g[CpuState.RAX], g[CpuState.RBX], g[CpuState.RCX], g[CpuState.RDX], g[CpuState.RSI], g[CpuState.RDI],
                g[CpuState.RSP], g[CpuState.RBP]));
        if ((s.cr0 & CpuState.CR0_PG) != 0) b.append("(paging)");
        else try {
            for (int i = -8; i < 16; i++) b.append(i == 0 ? "|" : "").append(String.format("%02x", bus.read8(rip + i)));
            b.append(" stack");
            for (int i = 0; i < 4; i++) b.append(String.format(" %08x", bus.read32(sp + 4L * i)));
        } catch (RuntimeException e) {
            b.append(e);
        }
        b.append('\n');
        synchronized (VcpuStateLog.class) {
            try {
                Files.writeString(FILE, b, StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                // a diagnostic: never the guest's problem
            }
        }
    }
}
