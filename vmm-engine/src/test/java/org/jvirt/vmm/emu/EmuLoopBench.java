package org.jvirt.vmm.emu;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.emu.cpu.CpuProfile;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.X86Cpu;
import org.jvirt.vmm.emu.cpu.paging.PageWalker;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.memory.RamRange;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Not a test: an in-process speed probe of the emulator's CPU on two loops in 64-bit mode with
 * 4-level paging over real guest RAM (the EmuPhysicalBus, the PageWalker, the host page cache),
 * timed in the running thread's CPU seconds so other work on the machine matters less.
 * <ul>
 *   <li>{@code insn}: the insn-loop guest's 4-instruction loop (add, xor, sub, jnz);
 *   <li>{@code kernel}: the Debian kernel's multiply-and-subtract loop (vmlinux
 *       0xffffffff815d32f6-337a, 38 instructions a round with a load, a load and a store, four
 *       IMULs, SETcc, MOVZX, CMOVcc and ADC) over 64-word arrays, copied byte for byte.
 * </ul>
 * Usage: {@code java -cp vmm-engine/target/classes:vmm-engine/target/test-classes
 * org.jvirt.vmm.emu.EmuLoopBench [insn|kernel] [seconds]}; prints M guest instructions per CPU
 * second (median of the warm half of 100 M-instruction chunks).
 */
public final class EmuLoopBench {
    private static final long P = 1, RW = 2, PS = 0x80, A = 0x20, D = 0x40;
    private static final long CODE = 0x403200, LOOP = 0x4032f6, SRC = 0x500000, DST = 0x510000;

    /** vmlinux 0xffffffff815d32f6..0xffffffff815d337a (position independent: the JNE is relative). */
    private static final int[] KERNEL_LOOP = {
        0x49, 0x63, 0xc0, 0x4c, 0x29, 0xe0, 0x48, 0x8b, 0x0c, 0xc3, 0x48, 0x8d, 0x3c, 0xc5, 0x00, 0x00, 0x00, 0x00,
        0x48, 0x89, 0xca, 0x89, 0xc9, 0x48, 0xc1, 0xea, 0x20, 0x48, 0x89, 0xc8, 0x49, 0x0f, 0xaf, 0xc1, 0x49, 0x89,
        0xd5, 0x4d, 0x0f, 0xaf, 0xe9, 0x49, 0x0f, 0xaf, 0xca, 0x49, 0x0f, 0xaf, 0xd2, 0x49, 0x89, 0xc6, 0x89, 0xc0,
        0x49, 0xc1, 0xee, 0x20, 0x4c, 0x01, 0xe9, 0x4c, 0x01, 0xf1, 0x49, 0x89, 0xd6, 0x48, 0x01, 0xea, 0x4c, 0x39,
        0xe9, 0x49, 0x89, 0xcd, 0x49, 0x0f, 0x43, 0xd6, 0x48, 0x01, 0xf0, 0x49, 0xc1, 0xe5, 0x20, 0x4c, 0x01, 0xe8,
        0x48, 0x39, 0xf0, 0x40, 0x0f, 0x92, 0xc6, 0x4c, 0x01, 0xdf, 0x48, 0xc1, 0xe9, 0x20, 0x4c, 0x8b, 0x2f, 0x40,
        0x0f, 0xb6, 0xf6, 0x49, 0x29, 0xc5, 0x48, 0x11, 0xce, 0x4c, 0x89, 0x2f, 0x48, 0x01, 0xd6, 0x41, 0x83, 0xc0,
        0x01, 0x0f, 0x85, 0x7b, 0xff, 0xff, 0xff};

    private EmuLoopBench() { }

    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "kernel";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        try (MmapGuestMemory ram = MmapGuestMemory.anonymous(List.of(new RamRange(0, 16 << 20)))) {
            EmuPhysicalBus bus = new EmuPhysicalBus(ram, new IoBus("mmio"), new IoBus("pio"));
            CpuState st = longModePaging(bus);
            X86Cpu cpu = new X86Cpu(st, bus, CpuProfile.X86_64);
            cpu.setTranslator(new PageWalker(st, bus));
            EmuVcpu.attachBlockTranslator(cpu); // as the emulator's vCPUs (-Djvirt.emu.jit=false: interpreter only)
            if (which.equals("insn")) insnLoop(bus, st); else kernelLoop(bus, st);
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long t0 = mx.getCurrentThreadCpuTime(), end = t0 + (long) (seconds * 1e9);
            java.util.List<Double> rates = new java.util.ArrayList<>();
            while (true) {
                long a = mx.getCurrentThreadCpuTime();
                long before = cpu.instructionsRetired();
                for (int i = 0; i < 1000; i++) cpu.run(100_000);
                long b = mx.getCurrentThreadCpuTime();
                rates.add((cpu.instructionsRetired() - before) / ((b - a) / 1e3));
                if (b > end) break;
            }
            // the first half is warm-up (interpreter, C1, C2)
            java.util.List<Double> warm = new java.util.ArrayList<>(rates.subList(rates.size() / 2, rates.size()));
            java.util.Collections.sort(warm);
            System.out.printf("%s: median %.1f M instructions per CPU second over the last %d of %d chunks (min %.1f max %.1f)%n",
                    which, warm.get(warm.size() / 2), warm.size(), rates.size(), warm.get(0), warm.get(warm.size() - 1));
            System.out.printf("%s: state rsi=%x r8=%x dst[0]=%x%n", which, st.gpr[CpuState.RSI], st.gpr[8], bus.read64(DST));
        }
    }

    /** Long mode at CPL 0, the first 16 MiB identity-mapped by 2 MiB pages. */
    private static CpuState longModePaging(EmuPhysicalBus bus) {
        bus.write64(0x1000, 0x2000 | P | RW | A);
        bus.write64(0x2000, 0x3000 | P | RW | A);
        for (int i = 0; i < 8; i++) bus.write64(0x3000 + 8L * i, ((long) i << 21) | P | RW | PS | A | D);
        CpuState st = new CpuState();
        st.reset();
        st.cr0 = CpuState.CR0_PE | CpuState.CR0_PG | CpuState.CR0_ET | CpuState.CR0_WP;
        st.cr3 = 0x1000;
        st.cr4 = CpuState.CR4_PAE;
        st.efer = CpuState.EFER_LME | CpuState.EFER_LMA;
        for (int i = 0; i < 6; i++) {
            st.seg[i].reset(i == CpuState.CS ? 8 : 16, 0, i == CpuState.CS);
            st.seg[i].limit = 0xffffffffL;
            st.seg[i].db = i != CpuState.CS;
            st.seg[i].granularity = true;
        }
        st.seg[CpuState.CS].longMode = true;
        st.gpr[CpuState.RSP] = 0x8000;
        return st;
    }

    private static void put(EmuPhysicalBus bus, long at, int... bytes) {
        for (int b : bytes) bus.write8(at++, b);
    }

    private static void insnLoop(EmuPhysicalBus bus, CpuState st) {
        // 1: add rbx,rax; xor rcx,rbx; sub rcx,1; jnz 1b; then mov rcx,-1 (count wraps) and back
        put(bus, CODE, 0x48, 0x01, 0xd8, 0x48, 0x31, 0xcb, 0x48, 0x83, 0xe9, 0x01, 0x75, 0xf4,
                0x48, 0xc7, 0xc1, 0xff, 0xff, 0xff, 0xff, 0xeb, 0xe5);
        st.rip = CODE;
        st.gpr[CpuState.RAX] = 1;
        st.gpr[CpuState.RBX] = 0x9e3779b97f4a7c15L;
        st.gpr[CpuState.RCX] = -1;
    }

    private static void kernelLoop(EmuPhysicalBus bus, CpuState st) {
        // CODE: mov r8,-64; mov r12,r8; xor esi,esi; jmp LOOP; after the loop: jmp CODE
        put(bus, CODE, 0x49, 0xc7, 0xc0, 0xc0, 0xff, 0xff, 0xff, 0x4d, 0x89, 0xc4, 0x31, 0xf6);
        long at = CODE + 12;
        int rel = (int) (LOOP - (at + 5));
        put(bus, at, 0xe9, rel & 0xff, (rel >> 8) & 0xff, (rel >> 16) & 0xff, (rel >>> 24));
        put(bus, LOOP, KERNEL_LOOP);
        long after = LOOP + KERNEL_LOOP.length;
        rel = (int) (CODE - (after + 5));
        put(bus, after, 0xe9, rel & 0xff, (rel >> 8) & 0xff, (rel >> 16) & 0xff, (rel >>> 24));
        long x = 0x9e3779b97f4a7c15L;
        for (int i = 0; i < 64; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            bus.write64(SRC + 8L * i, x);
            bus.write64(DST + 8L * i, x ^ (x >>> 29));
        }
        st.rip = CODE;
        st.gpr[CpuState.RBX] = SRC;
        st.gpr[11] = DST;
        st.gpr[9] = 0x12345677L;
        st.gpr[10] = 0x7edcba98L;
        st.gpr[CpuState.RBP] = 0x100000000L;
    }
}
