package org.jvirt.vmm.devices.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Random;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.junit.jupiter.api.Test;

/**
 * Seeded random guest accesses (ports 0x3b0-0x3df and 0x1ce/0x1cf, the 0xa0000 window, both
 * BARs, the ROM, config space) and renderings never fail: every guest-controlled index and
 * offset is bounds-checked. The state they leave survives a save and load unchanged.
 * -Djvirt.vga.fuzz=N runs N operations per seed (default 200000).
 */
class StdVgaFuzzTest {
    private static final int OPS = Integer.getInteger("jvirt.vga.fuzz", 200_000);

    @Test
    void randomAccessesNeverFail() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            Random r = new Random(seed);
            StdVga vga = new StdVga(new byte[39936], 1 << 20); // a small VRAM makes VBE limits bite
            IoBus pio = new IoBus("pio"), mmio = new IoBus("mmio");
            vga.attachLegacy(pio, mmio);
            for (int i = 0; i < OPS; i++) {
                long v = r.nextLong();
                int size = 1 << r.nextInt(4);
                switch (r.nextInt(9)) {
                    case 0 -> pio.write(0x3b0 + r.nextInt(0x30), size, v);
                    case 1 -> pio.read(0x3b0 + r.nextInt(0x30), size);
                    case 2 -> pio.write(0x1ce + r.nextInt(2), 2, r.nextBoolean() ? r.nextInt(12) : v);
                    case 3 -> pio.read(0x1ce + r.nextInt(2), 2);
                    case 4 -> mmio.write(0xa0000 + r.nextInt(0x20000), size, v);
                    case 5 -> mmio.read(0xa0000 + r.nextInt(0x20000), size);
                    case 6 -> vga.bar(2).write(r.nextInt(0x1400) - 0x100, size, v);
                    case 7 -> vga.bar(r.nextBoolean() ? 0 : 2).read(r.nextLong() >>> r.nextInt(64), size);
                    default -> {
                        vga.config().write(r.nextInt(64) & ~3, 4, (int) v);
                        vga.rom().read(r.nextInt(1 << 17) - 100, size);
                    }
                }
                if (i % 5000 == 0) {
                    Frame f = vga.render();
                    assertTrue(f.width() > 0 && f.height() > 0);
                }
            }
            Frame before = vga.render();
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            vga.saveState(new DataOutputStream(saved));
            StdVga copy = new StdVga(new byte[39936], 1 << 20);
            copy.loadState(new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            copy.saveState(new DataOutputStream(again));
            assertTrue(java.util.Arrays.equals(saved.toByteArray(), again.toByteArray()), "seed " + seed + ": the state survives a load");
            Frame after = copy.render();
            if (after.width() == before.width() && after.height() == before.height()) { // a blank screen keeps the size shown last
                assertTrue(java.util.Arrays.equals(before.rgb(), after.rgb()), "seed " + seed + ": the restored VGA shows the same picture");
            }
        }
    }

    @Test
    void vbeModeSurvivesSaveAndLoadAndAHostileStateIsRefused() throws Exception {
        StdVga vga = new StdVga(null);
        IoBus pio = new IoBus("pio"), mmio = new IoBus("mmio");
        vga.attachLegacy(pio, mmio);
        int[][] mode = {{1, 64}, {2, 48}, {3, 32}, {4, 0x41}};
        for (int[] m : mode) { pio.write(0x1ce, 2, m[0]); pio.write(0x1cf, 2, m[1]); }
        for (int i = 0; i < 64 * 48; i++) vga.bar(0).write(4L * i, 4, 0x00102030 + i);
        pio.read(0x3da, 1);
        pio.write(0x3c0, 1, 0x20);
        Frame f = vga.render();
        assertEquals(64, f.width());
        assertEquals(0x102030 + 65, f.pixel(1, 1));
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        vga.saveState(new DataOutputStream(saved));
        byte[] bytes = saved.toByteArray();
        StdVga copy = new StdVga(null);
        copy.loadState(new DataInputStream(new ByteArrayInputStream(bytes)));
        assertTrue(java.util.Arrays.equals(f.rgb(), copy.render().rgb()));
        assertEquals(PciConfigSpace.BAR0, 0x10);

        // a VRAM length past the end of VRAM is refused with a one-line IOException
        int at = bytes.length - 64 * 48 * 4 - 4; // the "used" count
        bytes[at] = 0x7f;
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> new StdVga(null).loadState(new DataInputStream(new ByteArrayInputStream(bytes))));
        assertTrue(e.getMessage().contains("VRAM"), e.getMessage());
    }
}
