package org.jvirt.vmm.devices.piix;

import static org.junit.jupiter.api.Assertions.*;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.bus.MovableRange;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciHostBridge;
import org.junit.jupiter.api.Test;

/**
 * The PIIX functions at 00:01 as OVMF's PlatformPei and AcpiTimerLib program them on QEMU's pc:
 * read the host bridge's device id, write PMBA (0x40) and set PMREGMISC.PMIOSE (0x80) of 00:01.3,
 * then read the PM timer at PMBA + 8; PIRQ routes at 00:01.0.
 */
class PiixFunctionsTest {
    final IoBus pio = new IoBus("pio");
    final IoBus mmio = new IoBus("mmio");
    final IoDevice pmBlock = new IoDevice() {
        @Override public long read(long offset, int size) { return 0x100 + offset; }
        @Override public void write(long offset, int size, long value) { }
    };
    final MovableRange range = new MovableRange(pio, 0x40, pmBlock);
    final PciHostBridge pci = new PciHostBridge(mmio, pio, 0xE0000000L, 0x1000000, 0xC000, 0x4000, null);
    final Piix4PmFunction pm;

    PiixFunctionsTest() {
        range.moveTo(0x600); // where a board maps it for a kernel boot: the function takes it over
        pci.addFunction(1, 0, new Piix3IsaBridge());
        pm = new Piix4PmFunction(range);
        pci.addFunction(1, 3, pm);
    }

    @Test
    void identitiesAsQemusPc() {
        assertEquals(0x1237, pci.configRead(0, 0, 0, PciConfigSpace.DEVICE_ID, 2), "i440FX: OVMF's PIIX4 path");
        assertEquals(0x70008086L, pci.configRead(0, 1, 0, 0, 4));
        assertEquals(0x060100, pci.configRead(0, 1, 0, 0x08, 4) >>> 8);
        assertEquals(0x71138086L, pci.configRead(0, 1, 3, 0, 4));
        assertEquals(0x06800003L, pci.configRead(0, 1, 3, 0x08, 4));
        assertEquals(0x80, pci.configRead(0, 1, 0, PciConfigSpace.HEADER_TYPE, 1) & 0x80, "00:01 is multi-function");
        for (int i = 0; i < 4; i++) assertEquals(0x80, pci.configRead(0, 1, 0, 0x60 + i, 1), "PIRQ route " + i + " disabled");
    }

    @Test
    void pmbaAndPmioseMapThePmBlock() {
        assertEquals(-1, pm.pmBase(), "unmapped until the guest enables it");
        assertEquals(1, pci.configRead(0, 1, 3, Piix4PmFunction.PMBA, 4), "RTE bit");
        assertEquals(0xffff, pio.read(0x608, 2));
        // PlatformPei: PciAndThenOr32(PMBA, ~0xFFC0, 0xB000); PCICMD.IOSE; PMREGMISC |= PMIOSE
        long v = pci.configRead(0, 1, 3, Piix4PmFunction.PMBA, 4);
        pci.configWrite(0, 1, 3, Piix4PmFunction.PMBA, 4, (v & ~0xFFC0L) | 0xB000);
        assertEquals(-1, pm.pmBase(), "PMBA alone does not decode");
        pci.configWrite(0, 1, 3, Piix4PmFunction.PMREGMISC, 1, pci.configRead(0, 1, 3, Piix4PmFunction.PMREGMISC, 1) | 1);
        assertEquals(0xB000, pm.pmBase());
        assertEquals(0x108, pio.read(0xB008, 4), "the PM timer at PMBA + 8");
        assertEquals(0xB001, pci.configRead(0, 1, 3, Piix4PmFunction.PMBA, 4));
        pci.configWrite(0, 1, 3, Piix4PmFunction.PMBA, 4, 0x1234); // bits 5:1 ignored, RTE stays
        assertEquals(0x1201, pci.configRead(0, 1, 3, Piix4PmFunction.PMBA, 4) & 0xffc1);
        assertEquals(0x1200, pm.pmBase(), "moved with PMBA");
        pci.configWrite(0, 1, 3, Piix4PmFunction.PMREGMISC, 1, 0);
        assertEquals(-1, pm.pmBase());
        pci.configWrite(0, 1, 3, Piix4PmFunction.PMREGMISC, 1, 1);
        pci.reset();
        assertEquals(-1, pm.pmBase(), "a reset unmaps it");
        assertEquals(1, pci.configRead(0, 1, 3, Piix4PmFunction.PMBA, 4));
        pci.configWrite(0, 1, 0, 0x60, 1, 0x0a);
        assertEquals(0x0a, pci.configRead(0, 1, 0, 0x60, 1), "PIRQ routes are stored");
    }
}
