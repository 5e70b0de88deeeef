package org.jvirt.vmm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jvirt-vmm command with --vga std answers QMP's screendump on its control socket with a
 * P6 PPM of the screen (the vga guest's VBE 640x480x32 picture, checked at known pixels); a VM
 * without a display and an unwritable file fail with QEMU's words.
 */
class JvirtVmmScreendumpTest {
    @TempDir
    Path dir;

    @Test
    void screendumpWritesThePictureAsPpm() throws Exception {
        VmmProcessFixture vmm = new VmmProcessFixture(dir);
        Path control = dir.resolve("control.sock");
        Process p = vmm.startWithArgs(dir.resolve("out.log"), "--kernel", GuestImages.require("vga").toString(), "--append", "vga=1",
                "--vga", "std", "--accel", "emu", "--control", control.toString());
        try (ControlClient c = VmmProcessFixture.connect(control, p)) {
            c.call(new Command.QmpCapabilities());
            vmm.awaitSerial("vga: drawn");
            Path ppm = dir.resolve("screen.ppm");
            c.call(new Command.Screendump(ppm.toString()));
            byte[] b = Files.readAllBytes(ppm);
            byte[] header = "P6\n640 480\n255\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            assertArrayEquals(header, java.util.Arrays.copyOf(b, header.length));
            assertEquals(header.length + 640 * 480 * 3, b.length);
            // the guest's pattern: red grows with x, green with y; the box at (200, 150) is grey
            assertArrayEquals(new byte[] {0, 0, 0}, java.util.Arrays.copyOfRange(b, header.length, header.length + 3));
            int at = header.length + 3 * (479 * 640 + 639);
            assertEquals(0xff, b[at] & 0xff, "red at the bottom right");
            assertEquals(0xff, b[at + 1] & 0xff, "green at the bottom right");
            int box = header.length + 3 * (150 * 640 + 200);
            int grey = 0xff - ((200 * 7 + 150 * 3) & 0x3f);
            assertArrayEquals(new byte[] {(byte) grey, (byte) grey, (byte) grey}, java.util.Arrays.copyOfRange(b, box, box + 3));

            ControlClient.CommandFailed e = assertThrows(ControlClient.CommandFailed.class,
                    () -> c.call(new Command.Screendump(dir.resolve("no/such/dir/x.ppm").toString())));
            assertEquals("failed to open file '" + dir.resolve("no/such/dir/x.ppm") + "': No such file or directory", e.getMessage());
            c.call(new Command.Quit());
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutADisplayScreendumpFailsAsQemu() throws Exception {
        VmmProcessFixture vmm = new VmmProcessFixture(dir);
        Path control = dir.resolve("control.sock");
        Process p = vmm.startWithArgs(dir.resolve("out.log"), "--kernel", GuestImages.require("ticker").toString(), "--accel", "emu",
                "--paused", "--control", control.toString());
        try (ControlClient c = VmmProcessFixture.connect(control, p)) {
            c.call(new Command.QmpCapabilities());
            ControlClient.CommandFailed e = assertThrows(ControlClient.CommandFailed.class, () -> c.call(new Command.Screendump(dir.resolve("x.ppm").toString())));
            assertEquals("There is no console to take a screendump from", e.getMessage());
            assertTrue(Files.notExists(dir.resolve("x.ppm")));
            c.call(new Command.Quit());
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
