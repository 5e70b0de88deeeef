package org.jvirt.vmm.devices.q35;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciDevice;
import org.junit.jupiter.api.Test;

/** MCH and LPC registers, the ECAM window and the ICH9 INTx routing, through the guest's accesses. */
class Q35ChipsetTest {
    final Q35Bench b = new Q35Bench();

    @Test
    void ecamIsOffAtResetAndReadsWhatCf8CfcReadsOnceEnabled() {
        assertEquals(0xB000_0000L, b.cfgRead(0, 0, 0, Q35Host.PCIEXBAR, 4), "QEMU's reset value, disabled");
        assertFalse(b.mmio.isClaimed(0xB000_0000L));
        b.cfgWrite(0, 0, 0, Q35Host.PCIEXBAR, 4, 0xB000_0001L); // SeaBIOS's mch_mmconfig_setup
        assertTrue(b.mmio.isClaimed(0xB000_0000L) && b.mmio.isClaimed(0xBFFF_FFFFL) && !b.mmio.isClaimed(0xC000_0000L));
        int[][] functions = {{0, 0}, {31, 0}, {31, 2}, {31, 3}, {1, 0}, {31, 1}};
        for (int[] f : functions) {
            for (int reg = 0; reg < 256; reg += 4) {
                long viaPorts = b.cfgRead(0, f[0], f[1], reg, 4);
                assertEquals(viaPorts, b.mmio.read(Q35Bench.ecam(0xB000_0000L, 0, f[0], f[1], reg), 4), f[0] + "." + f[1] + " reg " + reg);
                assertEquals(viaPorts >>> 16 & 0xFFFF, b.mmio.read(Q35Bench.ecam(0xB000_0000L, 0, f[0], f[1], reg + 2), 2));
                assertEquals(viaPorts >>> 8 & 0xFF, b.mmio.read(Q35Bench.ecam(0xB000_0000L, 0, f[0], f[1], reg + 1), 1));
            }
            assertEquals(0xFFFF_FFFFL, b.mmio.read(Q35Bench.ecam(0xB000_0000L, 0, f[0], f[1], 0x100), 4), "no extended space");
        }
        assertEquals(0xFFFF_FFFFL, b.mmio.read(Q35Bench.ecam(0xB000_0000L, 1, 0, 0, 0), 4), "no bus 1 yet");
        // a write through ECAM is a config write: it lands where CF8/CFC reads it and takes effect
        b.mmio.write(Q35Bench.ecam(0xB000_0000L, 0, 31, 0, Ich9Lpc.PMBASE), 4, 0x601);
        b.mmio.write(Q35Bench.ecam(0xB000_0000L, 0, 31, 0, Ich9Lpc.ACPI_CNTL), 1, 0x80);
        assertEquals(0x601, b.cfgRead(0, 31, 0, Ich9Lpc.PMBASE, 4));
        assertTrue(b.pio.isClaimed(0x608), "the PM timer decoded");
    }

    @Test
    void slot31IsMultiFunctionWithLpcAndSmbusAndRoomForSata() {
        assertEquals(0x2918_8086L, b.cfgRead(0, 31, 0, 0, 4));
        assertEquals(0x80, b.cfgRead(0, 31, 0, PciConfigSpace.HEADER_TYPE, 1), "function 0 says more functions follow");
        assertEquals(0xFFFF, b.cfgRead(0, 31, 1, 0, 2));
        assertEquals(0xFFFF, b.cfgRead(0, 31, 2, 0, 2), "00:1f.2 is the SATA controller's (not built here)");
        assertEquals(0x2930_8086L, b.cfgRead(0, 31, 3, 0, 4));
        assertEquals(0x0C05_0002L, b.cfgRead(0, 31, 3, 8, 4));
        assertEquals(0x29C0_8086L, b.cfgRead(0, 0, 0, 0, 4));
        assertEquals(0x1100_1AF4L, b.cfgRead(0, 0, 0, PciConfigSpace.SUBSYSTEM_VENDOR_ID, 4));
        assertEquals(0xFFFF, b.cfgRead(0, 1, 0, 0, 2), "nothing else on the bus");
        // the AHCI helper's seam: a function plugged at 1f.2 sits beside the LPC
        PciConfigSpace sata = new PciConfigSpace(0x8086, 0x2922, 0x010601, 2);
        b.pci.addFunction(31, Q35Chipset.SATA_FUNCTION, new PciDevice() {
            @Override public PciConfigSpace config() { return sata; }
            @Override public IoDevice bar(int index) { return null; }
        });
        assertEquals(0x2922_8086L, b.cfgRead(0, 31, 2, 0, 4));
    }

    @Test
    void pciexbarMovesResizesAndDisablesTheWindow() {
        b.cfgWrite(0, 0, 0, Q35Host.PCIEXBAR, 4, 0xC000_0001L);
        assertTrue(b.mmio.isClaimed(0xC000_0000L));
        assertFalse(b.mmio.isClaimed(0xB000_0000L), "moved away");
        assertEquals(0x29C0_8086L, b.mmio.read(0xC000_0000L, 4));
        b.cfgWrite(0, 0, 0, Q35Host.PCIEXBAR, 4, 0xB400_0000L | 2 << 1 | 1); // 64 MiB: 64 buses, base bits 35:26
        assertTrue(b.mmio.isClaimed(0xB400_0000L) && b.mmio.isClaimed(0xB7FF_FFFFL));
        assertFalse(b.mmio.isClaimed(0xB800_0000L) || b.mmio.isClaimed(0xC000_0000L));
        assertEquals(0x2918_8086L, b.mmio.read(Q35Bench.ecam(0xB400_0000L, 0, 31, 0, 0), 4));
        b.cfgWrite(0, 0, 0, Q35Host.PCIEXBAR, 4, 0xB000_0000L | 3 << 1 | 1); // reserved length: no window
        assertFalse(b.mmio.isClaimed(0xB000_0000L) || b.mmio.isClaimed(0xB400_0000L));
        b.cfgWrite(0, 0, 0, Q35Host.PCIEXBAR, 4, 0xB000_0001L);
        assertTrue(b.mmio.isClaimed(0xB000_0000L));
        b.mmio.write(0xB000_0000L + Q35Host.PCIEXBAR, 4, 0xB000_0000L); // disabled through the window itself
        assertFalse(b.mmio.isClaimed(0xB000_0000L));
        b.cfgWrite(0, 0, 0, Q35Host.PCIEXBAR, 4, 0xB000_0001L);
        b.pci.reset();
        assertFalse(b.mmio.isClaimed(0xB000_0000L), "a reset disables it again (firmware programs it)");
    }

    @Test
    void kernelBootProgrammingIsThePowerOnState() {
        b.chipset.programAsFirmware(b.pci, 0x600);
        assertTrue(b.mmio.isClaimed(0xB000_0000L));
        assertTrue(b.pio.isClaimed(0x600) && b.pio.isClaimed(0x630));
        b.cfgWrite(0, 31, 0, Ich9Lpc.ACPI_CNTL, 1, 0);
        b.cfgWrite(0, 0, 0, Q35Host.PCIEXBAR, 4, 0);
        assertFalse(b.mmio.isClaimed(0xB000_0000L) || b.pio.isClaimed(0x600));
        b.pci.reset();
        assertTrue(b.mmio.isClaimed(0xB000_0000L) && b.pio.isClaimed(0x608), "back as jvirt's ACPI tables describe them");
    }

    @Test
    void lpcPlacesThePmBlockAndSmiRegisters() {
        assertEquals(1, b.cfgRead(0, 31, 0, Ich9Lpc.PMBASE, 4));
        assertFalse(b.pio.isClaimed(0x600), "not decoded before ACPI_EN");
        b.cfgWrite(0, 31, 0, Ich9Lpc.PMBASE, 4, 0x601);
        assertFalse(b.pio.isClaimed(0x600));
        b.cfgWrite(0, 31, 0, Ich9Lpc.ACPI_CNTL, 1, Ich9Lpc.ACPI_EN);
        assertTrue(b.pio.isClaimed(0x600) && b.pio.isClaimed(0x608));
        assertEquals(Ich9SmiRegisters.SMI_EN_APMC_EN, b.pio.read(0x630, 4), "SMM looks set up: SeaBIOS leaves it (smm=off)");
        b.cfgWrite(0, 31, 0, Ich9Lpc.PMBASE, 2, 0xB07F); // low bits beyond the mask are dropped: 128-byte aligned
        assertEquals(0xB001 | 0x06, b.cfgRead(0, 31, 0, Ich9Lpc.PMBASE, 2));
        assertTrue(b.pio.isClaimed(0xB000) && b.pio.isClaimed(0xB030));
        assertFalse(b.pio.isClaimed(0x600) || b.pio.isClaimed(0x630));
        b.cfgWrite(0, 31, 0, Ich9Lpc.ACPI_CNTL, 1, 0);
        assertFalse(b.pio.isClaimed(0xB000) || b.pio.isClaimed(0xB030));
    }

    @Test
    void pirqRoutingFollowsQemuAndSeaBios() {
        for (int slot = 0; slot < 32; slot++) {
            for (int pin = 1; pin <= 4; pin++) {
                // SeaBIOS's mch_pci_slot_get_irq picks link (pin - 1 + slot) & 3 for slots 0-24 and (pin - 1) & 3
                // above; it programs PIRQ A-D and E-H alike, and QEMU's DSDT uses E-H for slots 0-24
                int link = slot <= 24 ? (pin - 1 + slot) & 3 : (pin - 1) & 3;
                int expected = slot <= 24 ? 4 + link : slot == 30 ? 4 + pin - 1 : link;
                assertEquals(expected, Ich9IrqRouting.pirq(slot, pin - 1), "slot " + slot + " pin " + pin);
                assertEquals(16 + expected, Ich9IrqRouting.gsi(slot, pin - 1));
            }
        }
        assertEquals(0x8080_8080L, b.cfgRead(0, 31, 0, Ich9Lpc.PIRQA_ROUT, 4));
        assertEquals(0x8080_8080L, b.cfgRead(0, 31, 0, Ich9Lpc.PIRQE_ROUT, 4));
        // the SMBus (slot 31, INTA) is wired to PIRQA = GSI 16
        assertEquals(16, b.cfgRead(0, 31, 3, PciConfigSpace.INTERRUPT_LINE, 1));
    }

    @Test
    void smramLockFreezesTheSmramRegisters() {
        assertEquals(0x02, b.cfgRead(0, 0, 0, Q35Host.SMRAM, 1));
        assertEquals(0x38, b.cfgRead(0, 0, 0, Q35Host.ESMRAMC, 1));
        b.cfgWrite(0, 0, 0, Q35Host.SMRAM, 1, 0x08 | 0x10); // G_SMRAME | D_LCK
        assertEquals(0x1A, b.cfgRead(0, 0, 0, Q35Host.SMRAM, 1));
        b.cfgWrite(0, 0, 0, Q35Host.SMRAM, 1, 0);
        assertEquals(0x1A, b.cfgRead(0, 0, 0, Q35Host.SMRAM, 1), "locked until reset");
        b.cfgWrite(0, 0, 0, Q35Host.ESMRAMC, 1, 0);
        assertEquals(0x38, b.cfgRead(0, 0, 0, Q35Host.ESMRAMC, 1));
        b.pci.reset();
        b.cfgWrite(0, 0, 0, Q35Host.SMRAM, 1, 0);
        assertEquals(0x02, b.cfgRead(0, 0, 0, Q35Host.SMRAM, 1));
    }

    @Test
    void savedChipsetStateRestoresThePlacements() throws Exception {
        b.cfgWrite(0, 0, 0, Q35Host.PCIEXBAR, 4, 0xB000_0001L);
        b.cfgWrite(0, 31, 0, Ich9Lpc.PMBASE, 4, 0x601);
        b.cfgWrite(0, 31, 0, Ich9Lpc.ACPI_CNTL, 1, 0x80);
        b.pio.write(0x630, 4, 0x21);
        ByteArrayOutputStream host = new ByteArrayOutputStream(), lpc = new ByteArrayOutputStream(), smi = new ByteArrayOutputStream();
        b.pci.saveState(new DataOutputStream(host));
        b.chipset.lpc().saveState(new DataOutputStream(lpc));
        b.chipset.smiRegisters().saveState(new DataOutputStream(smi));

        Q35Bench c = new Q35Bench();
        c.pci.loadState(new DataInputStream(new ByteArrayInputStream(host.toByteArray())));
        c.chipset.lpc().loadState(new DataInputStream(new ByteArrayInputStream(lpc.toByteArray())));
        c.chipset.smiRegisters().loadState(new DataInputStream(new ByteArrayInputStream(smi.toByteArray())));
        c.pci.refreshMappings();
        assertTrue(c.mmio.isClaimed(0xB000_0000L) && c.pio.isClaimed(0x608));
        assertEquals(0x21, c.pio.read(0x630, 4));
        assertEquals(0x2918_8086L, c.mmio.read(Q35Bench.ecam(0xB000_0000L, 0, 31, 0, 0), 4));
    }

    /**
     * Seeded random guest accesses (CF8/CFC, the ECAM window wherever PCIEXBAR puts it, the PM
     * and SMI ports), biased to the chipset registers: nothing throws, and the window is mapped
     * exactly where PCIEXBAR says.
     */
    @Test
    void randomGuestAccessesKeepTheWindowWherePciexbarSays() {
        java.util.Random r = new java.util.Random(35);
        int[] regs = {Q35Host.PCIEXBAR, Q35Host.PCIEXBAR + 4, Q35Host.SMRAM, Q35Host.ESMRAMC, Q35Host.EXT_TSEG_MBYTES, 0x04, 0x10, 0x20};
        int[] lpcRegs = {Ich9Lpc.PMBASE, Ich9Lpc.ACPI_CNTL, Ich9Lpc.PIRQA_ROUT, Ich9Lpc.RCBA, 0x04};
        for (int i = 0; i < 200_000; i++) {
            int size = 1 << r.nextInt(3);
            long value = r.nextBoolean() ? r.nextLong() : (r.nextBoolean() ? 0xB000_0001L : 0x601);
            switch (r.nextInt(6)) {
                case 0 -> b.cfgWrite(0, 0, 0, regs[r.nextInt(regs.length)] & -size, size, value);
                case 1 -> b.cfgWrite(0, 31, r.nextBoolean() ? 0 : 3, lpcRegs[r.nextInt(lpcRegs.length)] & -size, size, value);
                case 2 -> b.cfgRead(r.nextInt(3), r.nextInt(32), r.nextInt(8), r.nextInt(256) & -size, size);
                case 3 -> {
                    long base = ((Q35Host) b.chipset.hostBridge()).mappedEcamBase();
                    if (base >= 0) {
                        long at = base + (r.nextLong() & 0x0FFF_FFFFL & -size) % ((Q35Host) b.chipset.hostBridge()).ecamLength();
                        if (r.nextBoolean()) b.mmio.read(at, size); else b.mmio.write(at, size, value);
                    }
                }
                case 4 -> {
                    int port = b.chipset.lpc().pmBase() < 0 ? 0x600 : b.chipset.lpc().pmBase();
                    int off = r.nextInt(0x40) & -size;
                    if (r.nextBoolean()) b.pio.read(port + off, size); else if (off < 8 || off >= 0x30) b.pio.write(port + off, size, value & ~0x2000L);
                }
                default -> b.pio.write(0xCF8 + r.nextInt(8), size, value);
            }
            Q35Host mch = b.chipset.mch();
            long want = mch.ecamBase();
            long at = mch.mappedEcamBase();
            assertTrue(at == want || at == -1 && want >= 0 && b.mmio.isClaimed(want), "window at " + at + ", PCIEXBAR says " + want);
        }
    }
}
