package org.jvirt.vmm.devices.q35;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.junit.jupiter.api.Test;
import org.jvirt.vmm.testutil.QemuQtest;

/**
 * One guest script against jvirt's q35 chipset and against QEMU 7.2's {@code -machine q35,smm=off}
 * through QEMU's qtest protocol (port and memory accesses, vCPUs stopped): every config register
 * of the MCH, LPC and SMBus at reset, after SeaBIOS's programming (pciinit.c), and after all ones
 * are written to the registers jvirt models (so the write masks agree); the same registers read
 * through the ECAM window SeaBIOS enabled; SMI_EN in the PM block.
 *
 * <p>Left out, on purpose: the SMBus's COMMAND, BAR 4 and INTERRUPT_LINE at reset (jvirt assigns
 * BARs and wires INTx as firmware would, for firmware-less boots, on every function), the
 * SATA function 00:1f.2 (another device), and F_SMBASE (0x9c: QEMU's SMBASE negotiation with
 * OVMF; jvirt reads 0).
 */
class Q35QemuDifferentialTest {

    interface Guest {
        long cfgRead(int slot, int fn, int reg, int size);
        void cfgWrite(int slot, int fn, int reg, int size, long v);
        long memRead(long addr);
        long inl(int port);
    }

    /** QEMU 7.2's q35 with SMM off, stopped, through qtest. */
    static final class Qemu implements Guest, AutoCloseable {
        private final QemuQtest q;

        Qemu() throws IOException {
            q = new QemuQtest("q35,smm=off", "-m", "256");
        }

        @Override public long cfgRead(int slot, int fn, int reg, int size) { return q.cfgRead(slot, fn, reg, size); }
        @Override public void cfgWrite(int slot, int fn, int reg, int size, long v) { q.cfgWrite(slot, fn, reg, size, v); }
        @Override public long memRead(long addr) { return q.readl(addr); }
        @Override public long inl(int port) { return q.in(4, port); }
        @Override public void close() { q.close(); }
    }

    static Guest jvirt(Q35Bench b) {
        return new Guest() {
            @Override public long cfgRead(int slot, int fn, int reg, int size) { return b.cfgRead(0, slot, fn, reg, size); }
            @Override public void cfgWrite(int slot, int fn, int reg, int size, long v) { b.cfgWrite(0, slot, fn, reg, size, v); }
            @Override public long memRead(long addr) { return b.mmio.read(addr, 4); }
            @Override public long inl(int port) { return b.pio.read(port, 4); }
        };
    }

    static final int[][] FUNCTIONS = {{0, 0}, {31, 0}, {31, 3}, {1, 0}, {31, 1}};

    /** The script; one line per observation. */
    static List<String> script(Guest g) {
        List<String> t = new ArrayList<>();
        dump(g, t, "reset");
        // SeaBIOS 1.16 on q35: mch_mmconfig_setup, mch_isa_bridge_setup (PIRQ routes 10,10,11,11), mch_isa_lpc_setup,
        // ich9_smbus_enable
        g.cfgWrite(0, 0, Q35Host.PCIEXBAR, 4, 0);
        g.cfgWrite(0, 0, Q35Host.PCIEXBAR + 4, 4, 0);
        g.cfgWrite(0, 0, Q35Host.PCIEXBAR, 4, 0xB000_0001L);
        int[] irqs = {10, 10, 11, 11};
        for (int i = 0; i < 4; i++) {
            g.cfgWrite(31, 0, Ich9Lpc.PIRQA_ROUT + i, 1, irqs[i]);
            g.cfgWrite(31, 0, Ich9Lpc.PIRQE_ROUT + i, 1, irqs[i]);
        }
        g.cfgWrite(31, 0, Ich9Lpc.PMBASE, 4, 0x601);
        g.cfgWrite(31, 0, Ich9Lpc.ACPI_CNTL, 1, 0x80);
        g.cfgWrite(31, 0, Ich9Lpc.RCBA, 4, 0xFED1_C001L);
        g.cfgWrite(31, 3, 0x20, 4, 0x701);
        g.cfgWrite(31, 3, Ich9Smbus.HOSTC, 1, 1);
        dump(g, t, "seabios");
        for (int[] f : FUNCTIONS) {
            for (int reg = 0; reg < 0x100; reg += 4) {
                if (f[0] == 31 && f[1] == 3 && (reg == PciConfigSpace.COMMAND || reg == PciConfigSpace.INTERRUPT_LINE)) continue;
                t.add(String.format("ecam %02x.%d %02x: %08x", f[0], f[1], reg, g.memRead(Q35Bench.ecam(0xB000_0000L, 0, f[0], f[1], reg))));
            }
        }
        t.add(String.format("ecam bus 1: %08x", g.memRead(Q35Bench.ecam(0xB000_0000L, 1, 0, 0, 0))));
        t.add(String.format("SMI_EN %08x", g.inl(0x630)));
        // all ones into the modelled registers: what sticks is each one's write mask
        int[][] writes = {{0, 0, 0x04}, {0, 0, 0x50}, {0, 0, 0x90}, {0, 0, 0x94}, {0, 0, 0x9d}, {0, 0, 0x9e}, {0, 0, 0xa0},
                {31, 0, 0x04}, {31, 0, 0x40}, {31, 0, 0x44}, {31, 0, 0x60}, {31, 0, 0x68}, {31, 0, 0xf0},
                {31, 3, 0x40}, {31, 3, 0x3c}};
        for (int[] w : writes) {
            g.cfgWrite(w[0], w[1], w[2], 1, 0xFF);
            t.add(String.format("write ff %02x.%d %02x: %02x", w[0], w[1], w[2], g.cfgRead(w[0], w[1], w[2], 1)));
        }
        g.cfgWrite(0, 0, Q35Host.PCIEXBAR + 4, 4, 0xFFFF_FFFFL);
        t.add(String.format("PCIEXBAR high all ones: %08x", g.cfgRead(0, 0, Q35Host.PCIEXBAR + 4, 4)));
        g.cfgWrite(31, 0, Ich9Lpc.PMBASE, 4, 0xFFFF_FFFFL);
        t.add(String.format("PMBASE all ones: %08x", g.cfgRead(31, 0, Ich9Lpc.PMBASE, 4)));
        return t;
    }

    private static void dump(Guest g, List<String> t, String when) {
        for (int[] f : FUNCTIONS) {
            for (int reg = 0; reg < 0x100; reg += 4) {
                if (reg == F_SMBASE_DWORD && f[0] == 0) continue;
                boolean smbus = f[0] == 31 && f[1] == 3;
                if (smbus && when.equals("reset") && (reg == PciConfigSpace.COMMAND || reg == 0x20 || reg == PciConfigSpace.INTERRUPT_LINE)) continue;
                if (smbus && reg == PciConfigSpace.COMMAND || smbus && reg == PciConfigSpace.INTERRUPT_LINE) continue;
                t.add(String.format("%s %02x.%d %02x: %08x", when, f[0], f[1], reg, g.cfgRead(f[0], f[1], reg, 4)));
            }
        }
    }

    static final int F_SMBASE_DWORD = Q35Host.F_SMBASE & ~3;

    @Test
    void jvirtsQ35ChipsetAnswersAsQemus() throws Exception {
        assumeTrue(new java.io.File("/usr/bin/qemu-system-x86_64").canExecute(), "skipped: qemu-system-x86_64 is not installed");
        List<String> expected;
        try (Qemu q = new Qemu()) {
            expected = script(q);
        }
        List<String> actual = script(jvirt(new Q35Bench()));
        assertEquals(String.join("\n", expected), String.join("\n", actual));
    }
}
