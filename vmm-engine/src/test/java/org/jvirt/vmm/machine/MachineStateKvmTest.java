package org.jvirt.vmm.machine;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.state.StateFormatException;
import org.jvirt.vmm.state.StateReader;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The ticker guest (PIT at 100 Hz through the in-kernel PIC, "tick N" every 10 interrupts) is
 * paused and saved with {@link MachineStateFile}; a second machine started paused from the same
 * image restores the file: the ticks go on from where they were, with no reboot and no tick
 * repeated or lost in the joined serial output. A file for another machine shape is refused
 * before anything is touched.
 */
@RequiresKvm
class MachineStateKvmTest {
    static final long MEMORY = 64L << 20;
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Pattern TICK = Pattern.compile("tick (\\d+)\n");

    @TempDir
    Path dir;

    private static String text(InMemorySerialBackend s) { return s.output().replace("\r\n", "\n"); }

    private static int lastTick(String out) {
        Matcher m = TICK.matcher(out);
        int last = 0;
        while (m.find()) last = Integer.parseInt(m.group(1));
        return last;
    }

    /** Waits until the serial output (line ends normalized) contains text. */
    private static boolean await(InMemorySerialBackend s, String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!text(s).contains(text)) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(20);
        }
        return true;
    }

    /** Disk space a file really takes (stat's block count), less than its size when it is sparse. */
    static long allocatedBytes(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        String[] out = new String(p.getInputStream().readAllBytes()).trim().split(" ");
        assertEquals(0, p.waitFor(), String.join(" ", out));
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }

    private static MachineConfig config(Path elf, long memory, int vcpus, InMemorySerialBackend serial) {
        return MachineConfig.of(elf).withMemory(memory).withVcpus(vcpus).withSerial(new MachineConfig.Serial.Custom(serial));
    }

    /** Runs the ticker to "tick 3", pauses, saves; returns the serial output so far. */
    private String saveTicker(Path elf, Path file) throws Exception {
        InMemorySerialBackend serial = new InMemorySerialBackend();
        try (Machine a = Machine.create(config(elf, MEMORY, 1, serial))) {
            a.start();
            assertTrue(await(serial, "tick 3\n"), "no ticks: " + text(serial));
            a.pause();
            MachineStateFile.save(a, file);
            return text(serial);
        }
    }

    @Test
    void theTickerKeepsCountingInANewMachineRestoredFromAStateFile() throws Exception {
        Path elf = GuestImages.require("ticker");
        Path file = dir.resolve("ticker.state");
        String before = saveTicker(elf, file);
        int savedAt = lastTick(before);
        assertTrue(savedAt >= 3, before);
        try (StateReader r = StateReader.open(file)) {
            assertEquals(0, r.raw("ram").payloadOffset() % 4096);
            assertEquals(MEMORY, r.raw("ram").length());
        }
        long allocated = allocatedBytes(file);
        assertTrue(allocated < MEMORY / 4, "zero pages are holes: " + allocated + " bytes allocated for " + MEMORY + " of RAM");

        InMemorySerialBackend second = new InMemorySerialBackend();
        try (Machine b = Machine.create(config(elf, MEMORY, 1, second))) {
            b.start(true); // the image is loaded and the vCPUs reset, then everything is replaced
            MachineStateFile.restore(b, file);
            b.resume();
            String target = "tick " + (savedAt + 3) + "\n";
            assertTrue(await(second, target), "the restored ticker did not go on; second machine printed: " + text(second));
            // the ACPI PM block's state (PWRBTN_EN, SCI_EN) came along: the guest answers the button
            b.requestPowerButton();
            MachineExit exit = b.awaitExit(WAIT);
            assertNotNull(exit, "the restored ticker ignored the power button: " + text(second));
            assertEquals(MachineExit.Kind.POWER_OFF, exit.kind(), exit.toString());
            assertTrue(text(second).contains("ticker: power button\n"), text(second));
        }
        String after = text(second).replace("ticker: power button\n", "");
        assertFalse(after.contains("ticker: running"), "the restored guest must not boot again: " + after);
        // the joined output counts 1, 2, 3, ... (a line cut by the pause is completed by the new machine)
        String joined = before + after;
        Matcher m = TICK.matcher(joined.substring(joined.indexOf("ticker: running")));
        int expect = 1;
        while (m.find()) assertEquals(expect++, Integer.parseInt(m.group(1)), joined);
        assertTrue(expect > savedAt + 3, joined);
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** The file /proc/self/maps names for the mapping that starts at address, or "" for anonymous memory. */
    private static String mappedFile(long address) throws Exception {
        String prefix = Long.toHexString(address) + "-";
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (!line.startsWith(prefix)) continue;
            String[] f = line.split("\\s+", 6);
            return f.length < 6 ? "" : f[5];
        }
        return "no mapping at 0x" + Long.toHexString(address);
    }

    private static Object inode(Path file) throws Exception {
        return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    }

    /**
     * The restored guest runs on the file's RAM mapped copy-on-write: its writes (and the host's)
     * never reach the file; saving it again to the same path writes a new file (a new inode)
     * while the old one stays mapped, the guest keeps running, and the new file restores.
     */
    @Test
    void theRestoredGuestNeverWritesItsFileAndASecondSaveToThePathReplacesIt() throws Exception {
        Path elf = GuestImages.require("ticker");
        Path file = dir.resolve("ticker.state");
        int savedAt = lastTick(saveTicker(elf, file));
        String hash = sha256(file);
        var mtime = Files.getLastModifiedTime(file);
        Object firstInode = inode(file);
        long marker = MEMORY - 0x1000; // a page the ticker does not use (a hole in the file)

        InMemorySerialBackend second = new InMemorySerialBackend();
        try (Machine b = Machine.create(config(elf, MEMORY, 1, second))) {
            b.start(true);
            MachineStateFile.restore(b, file);
            assertEquals(file.toRealPath().toString(), mappedFile(b.memory().regions().get(0).hostAddress()),
                    "guest RAM is the file mapped, not a copy");
            assertEquals(0, b.memory().readLong(marker), "the file's zero page");
            b.memory().writeLong(marker, 0x0123456789abcdefL);
            b.resume();
            assertTrue(await(second, "tick " + (savedAt + 3) + "\n"), text(second));
            b.pause();
            assertEquals(hash, sha256(file), "guest and host writes after restore left the file's bytes alone");
            assertEquals(mtime, Files.getLastModifiedTime(file));

            MachineStateFile.save(b, file); // the same path, while b runs on the old file's pages
            assertNotEquals(firstInode, inode(file), "a new file was renamed into place");
            assertEquals(file.toRealPath() + " (deleted)", mappedFile(b.memory().regions().get(0).hostAddress()),
                    "the running guest keeps the old file's pages");
            int secondAt = lastTick(text(second));
            b.resume();
            assertTrue(await(second, "tick " + (secondAt + 3) + "\n"), "the guest stopped after the second save: " + text(second));

            InMemorySerialBackend third = new InMemorySerialBackend();
            try (Machine c = Machine.create(config(elf, MEMORY, 1, third))) {
                c.start(true);
                MachineStateFile.restore(c, file);
                assertEquals(0x0123456789abcdefL, c.memory().readLong(marker), "the second file holds the restored guest's writes");
                c.resume();
                assertTrue(await(third, "tick " + (secondAt + 3) + "\n"), "the second file does not restore: " + text(third));
                assertFalse(text(third).contains("ticker: running"), text(third));
            }
            assertTrue(await(second, "tick " + (secondAt + 6) + "\n"), text(second));
        }
    }

    @Test
    void aFileForAnotherMachineShapeIsRefusedBeforeAnythingIsTouched() throws Exception {
        Path elf = GuestImages.require("ticker");
        Path file = dir.resolve("ticker.state");
        saveTicker(elf, file);
        try (Machine big = Machine.create(config(elf, 2 * MEMORY, 1, new InMemorySerialBackend()))) {
            big.start(true);
            big.memory().writeLong(0x800000, 0x1122334455667788L);
            StateFormatException e = assertThrows(StateFormatException.class, () -> MachineStateFile.restore(big, file));
            assertEquals("state file " + file + ": its RAM layout (0x0+0x4000000) differs from this machine's (0x0+0x8000000)",
                    e.getMessage());
            assertEquals(0x1122334455667788L, big.memory().readLong(0x800000), "RAM untouched");
        }
        try (Machine two = Machine.create(config(elf, MEMORY, 2, new InMemorySerialBackend()))) {
            two.start(true);
            StateFormatException e = assertThrows(StateFormatException.class, () -> MachineStateFile.restore(two, file));
            assertEquals("state file " + file + " holds 1 vCPUs, this machine has 2", e.getMessage());
        }
        Path disk = GuestImagesKvmTest.makeDisk(dir.resolve("disk.img"));
        try (Machine withDisk = Machine.create(config(elf, MEMORY, 1, new InMemorySerialBackend())
                .withDisks(java.util.List.of(new MachineConfig.Disk(disk, false))))) {
            withDisk.start(true);
            withDisk.memory().writeLong(0x800000, 0x55aa55aa55aa55aaL);
            StateFormatException e = assertThrows(StateFormatException.class, () -> MachineStateFile.restore(withDisk, file));
            assertEquals("state file " + file + " has no section 'virtio-blk0'", e.getMessage());
            assertEquals(0x55aa55aa55aa55aaL, withDisk.memory().readLong(0x800000), "RAM untouched");
        }
        byte[] b = Files.readAllBytes(file);
        b[40] ^= 1; // inside the platform section
        Files.write(file, b);
        try (Machine same = Machine.create(config(elf, MEMORY, 1, new InMemorySerialBackend()))) {
            same.start(true);
            assertThrows(StateFormatException.class, () -> MachineStateFile.restore(same, file));
        }
    }
}
