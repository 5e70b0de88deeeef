package org.jvirt.vmm.devices.display;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;

import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.testutil.HeapGuestMemory;
import org.junit.jupiter.api.Test;

/**
 * virtio-vga's PCI face as QEMU 7.2 builds it (1af4:1050 revision 1, class 0x0300, BAR0 the
 * 8 MiB prefetchable VRAM, BAR2 a 64-bit BAR whose first page is the std VGA's MMIO registers
 * and whose virtio structures the capabilities place from 0x1000), and its state round trip.
 * The guest-visible behaviour against QEMU is in SeaBiosVgaTextQemuTest and VirtioGpuQemuTest.
 */
class VirtioVgaTest {
    private final HeapGuestMemory mem = new HeapGuestMemory(4 << 20);

    @Test
    void configSpaceAndBarsAreQemusVirtioVga() {
        VirtioVga v = new VirtioVga(new byte[3000], mem, (a, d) -> { });
        PciConfigSpace c = v.config();
        assertEquals(0x1af4, c.get16(0));
        assertEquals(0x1050, c.get16(2));
        assertEquals(0x030000, c.get32(8) >>> 8, "class: VGA-compatible display controller");
        assertEquals(1, c.get32(8) & 0xff, "revision");
        assertEquals(0x11001af4, c.get32(0x2c), "subsystem 1af4:1100, as QEMU's virtio-vga");
        assertEquals(VirtioVga.VRAM, c.barSize(0));
        assertEquals(0x8, c.get32(PciConfigSpace.BAR0) & 0xf, "BAR0: 32-bit prefetchable memory");
        assertEquals(PciConfigSpace.BarType.MEMORY64, c.barType(2));
        assertEquals(4096, c.romSize(), "the 3000-byte VGA BIOS in a 4 KiB ROM");
        // every virtio capability names BAR2 and an offset past the VGA's registers
        int caps = 0;
        for (int p = c.get32(0x34) & 0xff; p != 0; p = c.get16(p) >>> 8) {
            if ((c.get16(p) & 0xff) != 0x09) continue;
            caps++;
            assertEquals(2, c.get32(p + 4) & 0xff, "virtio capability at 0x" + Integer.toHexString(p) + ": BAR");
            assertTrue(c.get32(p + 8) >= VirtioVga.VIRTIO_BASE, "virtio capability at 0x" + Integer.toHexString(p) + ": offset");
        }
        assertEquals(4, caps, "common, notify, ISR and device capabilities");
        // BAR2's first page is the VGA's: a DISPI register written at 0x500 + 2*index reads back (index 1: xres)
        v.bar(2).write(0x502, 2, 800);
        assertEquals(800, v.bar(2).read(0x502, 2));
        assertEquals(0xb0c5, v.bar(2).read(0x500, 2), "the DISPI id register (VBE_DISPI_ID5)");
        assertEquals(0x1e1e1e1e, v.bar(2).read(0x604, 4), "QEMU's extended registers: little-endian framebuffer");
    }

    @Test
    void theVgaShowsUntilAScanoutIsSetAndStateRoundTrips() throws Exception {
        VirtioVga v = new VirtioVga(null, mem, (a, d) -> { });
        Frame vgaPicture = v.render();
        v.bar(2).write(0x502, 2, 640); // some VGA state to carry
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        v.saveState(new DataOutputStream(saved));
        VirtioVga copy = new VirtioVga(null, mem, (a, d) -> { });
        copy.loadState(new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
        assertEquals(640, copy.bar(2).read(0x502, 2));
        assertEquals(vgaPicture.width(), copy.render().width());
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        copy.saveState(new DataOutputStream(again));
        assertArrayEquals(saved.toByteArray(), again.toByteArray(), "a restored virtio-vga saves the same state");
    }
}
