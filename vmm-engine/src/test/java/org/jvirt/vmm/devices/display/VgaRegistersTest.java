package org.jvirt.vmm.devices.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The VGA register file behind 0x3b0-0x3df, as QEMU's vga_ioport_read/write keep it. */
class VgaRegistersTest {
    private final VgaRegisters r = new VgaRegisters();

    @Test
    void attributeControllerAlternatesIndexAndDataUntilInputStatusIsRead() {
        r.write(0x3c2, 0x01); // colour: input status 1 at 0x3da
        r.write(0x3c0, 0x31); // index 0x11, PAS set
        r.write(0x3c0, 0x2a); // overscan
        assertEquals(0x2a, r.ar[0x11]);
        assertTrue(r.displayEnabled());
        r.write(0x3c0, 0x05); // now an index again
        r.read(0x3da);        // resets the flip-flop: the next write is an index too
        r.write(0x3c0, 0x02);
        r.write(0x3c0, 0xff);
        assertEquals(0x3f, r.ar[2], "palette entries are 6 bits");
        assertEquals(0x02, r.read(0x3c0), "the index reads back while the flip-flop points at it");
        assertEquals(0x3f, r.read(0x3c1));
    }

    @Test
    void sequencerAndGraphicsRegistersKeepTheirWritableBits() {
        r.write(0x3c4, 0x0c); // index masked to 0..7
        r.write(0x3c5, 0xff);
        assertEquals(0x0e, r.sr[4]);
        r.write(0x3ce, 0x15);
        r.write(0x3cf, 0xff);
        assertEquals(0x7b, r.gr[5]);
        assertEquals(0x7b, r.read(0x3cf));
    }

    @Test
    void crtcIndexFollowsTheColourBitAndCr0To7CanBeLocked() {
        r.write(0x3c2, 0x67); // colour: CRTC at 0x3d4
        r.write(0x3b4, 0x01);
        assertEquals(0xff, r.read(0x3b5), "mono ports are not decoded in colour mode");
        r.write(0x3d4, 0x11);
        r.write(0x3d5, 0x80); // lock CR0-7
        r.write(0x3d4, 0x07);
        r.write(0x3d5, 0xff);
        assertEquals(0x10, r.cr[7], "only bit 4 of CR7 passes the lock");
        r.write(0x3d4, 0x01);
        r.write(0x3d5, 0x4f);
        assertEquals(0, r.cr[1]);
        assertEquals(0x67, r.read(0x3cc));
    }

    @Test
    void dacWritesAndReadsTriplesWithAutoIncrement() {
        r.write(0x3c8, 0xff);
        for (int v : new int[] {1, 2, 3, 4, 5, 6}) r.write(0x3c9, v);
        assertEquals(1, r.palette[0xff * 3]);
        assertEquals(4, r.palette[0], "the write index wrapped to 0");
        r.write(0x3c7, 0xff);
        assertEquals(3, r.read(0x3c7), "DAC state: reading");
        int[] got = new int[6];
        for (int i = 0; i < 6; i++) got[i] = r.read(0x3c9);
        assertEquals("[1, 2, 3, 4, 5, 6]", java.util.Arrays.toString(got));
    }

    @Test
    void inputStatusTogglesRetraceForPollers() {
        assertEquals(0xff, r.read(0x3da), "after reset the VGA is mono: 0x3da is not decoded");
        r.write(0x3c2, 0x01);
        int a = r.read(0x3da), b = r.read(0x3da);
        assertEquals(0x09, a ^ b);
    }
}
