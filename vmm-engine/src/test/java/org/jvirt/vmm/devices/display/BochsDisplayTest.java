package org.jvirt.vmm.devices.display;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;

import org.jvirt.vmm.bus.IoDevice;
import org.junit.jupiter.api.Test;

/** The bochs-display's registers, modes and state, as QEMU's hw/display/bochs-display.c has them. */
class BochsDisplayTest {
    private final BochsDisplay bochs = new BochsDisplay(null, 1 << 20);
    private final IoDevice mmio = bochs.bar(2), fb = bochs.bar(0);

    private void dispi(int index, int value) {
        mmio.write(BochsDisplay.DISPI + 2L * index, 2, value);
    }

    @Test
    void registersReadAsQemusDo() {
        assertEquals(0xb0c5, mmio.read(BochsDisplay.DISPI, 2), "ID5 whatever is written");
        dispi(1, 800);
        dispi(2, 600);
        assertEquals(800 | 600L << 16, mmio.read(BochsDisplay.DISPI + 2, 4), "a 32-bit read is two registers");
        assertEquals(0x20, mmio.read(BochsDisplay.DISPI + 2, 1), "a byte read gives the register's low byte");
        assertEquals(16, mmio.read(BochsDisplay.DISPI + 20, 2), "VRAM in 64 KiB units");
        assertEquals(8, mmio.read(BochsDisplay.QEXT, 4));
        assertEquals(0x1e1e1e1eL, mmio.read(BochsDisplay.QEXT + 4, 4));
        assertEquals(0, mmio.read(BochsDisplay.QEXT, 2), "the extended registers take 32-bit accesses only");
        assertEquals(0xffffffffL, mmio.read(0x400, 4), "nothing at the VGA ports' place");
        assertEquals(0x00ffffffffffff00L, mmio.read(0, 8) & 0x00ffffffffffff00L, "the EDID header");
    }

    @Test
    void modesRenderAndAnInvalidOneKeepsTheLastPicture() {
        dispi(1, 64);
        dispi(2, 64);
        dispi(3, 32);
        dispi(4, 1);
        fb.write(0, 4, 0x00123456);
        Frame f = bochs.render();
        assertEquals(64, f.width());
        assertEquals(0x123456, f.pixel(0, 0));
        mmio.write(BochsDisplay.QEXT + 4, 4, 0xbebebebeL);
        assertEquals(0x341200, bochs.render().pixel(0, 0), "big-endian x8r8g8b8: bytes X R G B");
        mmio.write(BochsDisplay.QEXT + 4, 4, 0x1e1e1e1eL);
        dispi(3, 16);
        fb.write(0, 2, 0xf81f); // r5g6b5 magenta
        assertEquals(0xff00ff, bochs.render().pixel(0, 0));
        assertEquals(0x08 << 16 | 0x04 << 8 | 0x08, BochsDisplay.rgb565(1 << 11 | 1 << 5 | 1), "low bits repeat the high ones");
        Frame before = bochs.render();
        dispi(1, 32); // too narrow
        assertSame(before, bochs.render());
        dispi(1, 1024);
        dispi(2, 1024); // 1024*1024*2 bytes > 1 MiB of VRAM
        assertSame(before, bochs.render());
    }

    @Test
    void stateRoundTrips() throws Exception {
        dispi(1, 128);
        dispi(2, 96);
        dispi(3, 32);
        dispi(4, 1);
        fb.write(4 * 200, 4, 0xabcdef);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bochs.saveState(new DataOutputStream(bytes));
        BochsDisplay copy = new BochsDisplay(null, 1 << 20);
        copy.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertArrayEquals(bochs.render().rgb(), copy.render().rgb());
        assertEquals(0xabcdef, copy.render().pixel(200 % 128, 200 / 128));
    }
}
