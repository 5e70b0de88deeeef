package org.jvirt.vmm.devices.virtio;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import org.jvirt.vmm.devices.display.VirtioGpu;
import org.junit.jupiter.api.Test;

/**
 * virtio-gpu against hostile requests (the well-behaved ones are compared with QEMU in
 * VirtioGpuQemuTest): backing outside RAM, too many entries, rectangles whose sums wrap in 32
 * bits, resources beyond the host-memory bound, and seeded random requests; the device answers
 * each in QEMU's error codes, never touches memory it was not given, and keeps answering.
 */
class VirtioGpuTest {
    private static final long REQ = 0x30000, RESP = 0x31000, BACKING = 0x100000;

    private final VirtioGpu gpu = new VirtioGpu();
    private final VirtioTestDriver d = new VirtioTestDriver(gpu);
    private int done;

    /** Sends the request words (the header's type first, the rest of the header zero) and returns the answer's type. */
    private int request(int type, int... body) {
        d.mem.writeInt(REQ, type);
        for (int i = 1; i < 6; i++) d.mem.writeInt(REQ + 4L * i, 0);
        for (int i = 0; i < body.length; i++) d.mem.writeInt(REQ + 24 + 4L * i, body[i]);
        d.submit(new long[] {REQ, 24 + 4L * body.length, 0}, new long[] {RESP, 1056, 1});
        d.kick(0);
        assertEquals(++done, d.usedIdx(), "answered");
        return d.mem.readInt(RESP);
    }

    @Test
    void hostileRequestsGetQemusErrors() {
        assertEquals(0xF, d.initialize(VirtioDevice.F_VERSION_1));
        assertEquals(0x1101, request(0x100));
        assertEquals(1280, d.mem.readInt(RESP + 24 + 8));
        assertEquals(0x1201, request(0x101, 1, 2, 65535, 65535), "beyond 256 MiB of host copies");
        assertEquals(0x1100, request(0x101, 1, 2, 64, 64));
        assertEquals(0x1200, request(0x106, 1, 1, (int) (d.mem.size() - 8), 0, 64, 0), "backing past the end of RAM");
        assertEquals(0x1200, request(0x106, 1, 16385), "too many entries");
        assertEquals(0x1203, request(0x105, 0, 0, 64, 64, 0, 0, 1, 0), "no backing yet");
        assertEquals(0x1100, request(0x106, 1, 1, (int) BACKING, 0, 64 * 64 * 4, 0));
        assertEquals(0x1205, request(0x105, 0xffffffff, 0, 2, 2, 0, 0, 1, 0), "x + width wraps in 32 bits");
        assertEquals(0x1205, request(0x103, 0, 0xfffffff0, 16, 32, 0, 1), "y + height wraps");
        d.mem.writeInt(BACKING, 0x00ff0000);
        assertEquals(0x1100, request(0x105, 0, 0, 64, 64, 0, 0, 1, 0));
        assertEquals(0x1100, request(0x105, 0, 0, 64, 64, -1, 0x7fffffff, 1, 0), "an offset past the backing copies nothing");
        assertEquals(0x1100, request(0x103, 0, 0, 64, 64, 0, 1));
        assertEquals(0xff0000, gpu.render().pixel(0, 0), "B8G8R8X8: bytes 00 00 ff 00 are red");
        java.io.ByteArrayOutputStream saved = new java.io.ByteArrayOutputStream();
        assertDoesNotThrow(() -> gpu.saveState(new java.io.DataOutputStream(saved)));
        VirtioGpu copy = new VirtioGpu();
        copy.attachMemory(d.mem);
        assertDoesNotThrow(() -> copy.loadState(new java.io.DataInputStream(new java.io.ByteArrayInputStream(saved.toByteArray()))));
        assertArrayEquals(gpu.render().rgb(), copy.render().rgb(), "resources, backing and scanout survive save and load");
        byte[] bad = saved.toByteArray();
        bad[bad.length - 12 + 3] = (byte) 0xff; // the last field is the backing entry (address, length): the address moves past RAM
        VirtioGpu other = new VirtioGpu();
        other.attachMemory(d.mem);
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> other.loadState(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bad))));
        assertEquals("virtio-gpu backing outside RAM", e.getMessage());
        assertEquals(0x1100, request(0x102, 1, 0));
        assertEquals(0x1203, request(0x104, 0, 0, 64, 64, 1, 0), "gone");
    }

    @Test
    void randomRequestsNeverEscapeTheDevice() {
        assertEquals(0xF, d.initialize(VirtioDevice.F_VERSION_1));
        Random rnd = new Random(0x6e0);
        int[] types = {0x100, 0x101, 0x102, 0x103, 0x104, 0x105, 0x106, 0x107, 0x10a, 0x999};
        for (int round = 0; round < 2000; round++) {
            int[] body = new int[rnd.nextInt(12)];
            for (int i = 0; i < body.length; i++) {
                body[i] = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextInt();
                    case 1 -> rnd.nextInt(4);
                    case 2 -> rnd.nextInt(300);
                    default -> (int) (BACKING + rnd.nextInt(1 << 20));
                };
            }
            int answer = request(types[rnd.nextInt(types.length)], body);
            assertTrue(answer >= 0x1100 && answer <= 0x1205, Integer.toHexString(answer));
            gpu.render();
        }
        assertEquals(0x1101, request(0x100), "still answering");
    }
}
