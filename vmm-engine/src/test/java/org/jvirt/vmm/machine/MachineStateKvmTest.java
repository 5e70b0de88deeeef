package org.jvirt.vmm.machine;

import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.cpu.state.VcpuStateSection;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.platform.PlatformState;
import org.jvirt.vmm.platform.PlatformStateSection;
import org.jvirt.vmm.state.StateReader;
import org.jvirt.vmm.state.StateWriter;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The ticker guest (PIT at 100 Hz through the in-kernel PIC, "tick N" every 10 interrupts) is
 * paused, its vCPU and platform state and RAM written to a state file, and a second machine
 * started paused from the same image takes that state and RAM: the ticks go on from where
 * they were, with no reboot and no tick repeated or lost in the joined serial output.
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

    @Test
    void theTickerKeepsCountingInANewMachineRestoredFromAStateFile() throws Exception {
        Path elf = GuestImages.require("ticker");
        Path file = dir.resolve("ticker.state");
        MachineConfig cfg = MachineConfig.of(elf).withMemory(MEMORY);
        InMemorySerialBackend first = new InMemorySerialBackend();
        int savedAt;
        try (Machine a = Machine.create(cfg.withSerial(new MachineConfig.Serial.Custom(first)))) {
            a.start();
            assertTrue(await(first, "tick 3\n"), "no ticks: " + text(first));
            a.pause();
            List<VcpuState> cpus = a.exportVcpuStates();
            PlatformState platform = a.exportPlatformState();
            try (StateWriter w = StateWriter.create(file)) {
                w.section(PlatformStateSection.ID, PlatformStateSection.VERSION, out -> PlatformStateSection.write(out, platform));
                for (int i = 0; i < cpus.size(); i++) {
                    VcpuState s = cpus.get(i);
                    w.section(VcpuStateSection.id(i), VcpuStateSection.VERSION, out -> VcpuStateSection.write(out, s));
                }
                w.rawSection("ram", 1, a.memory().size(), sink -> {
                    for (MmapGuestMemory.Region r : a.memory().regions()) {
                        byte[] b = new byte[(int) r.size()];
                        a.memory().read(r.start(), b, 0, b.length);
                        sink.write(ByteBuffer.wrap(b));
                    }
                });
                w.commit();
            }
            savedAt = lastTick(text(first));
        }
        String before = text(first);
        assertTrue(savedAt >= 3, before);

        InMemorySerialBackend second = new InMemorySerialBackend();
        try (Machine b = Machine.create(cfg.withSerial(new MachineConfig.Serial.Custom(second)));
             StateReader r = StateReader.open(file)) {
            b.start(true); // the image is loaded and the vCPUs reset, then everything is replaced
            List<VcpuState> cpus = new ArrayList<>();
            for (int i = 0; r.has(VcpuStateSection.id(i)); i++) cpus.add(VcpuStateSection.read(r.section(VcpuStateSection.id(i))));
            long at = 0;
            for (MmapGuestMemory.Region reg : b.memory().regions()) {
                ByteBuffer buf = ByteBuffer.allocate((int) reg.size());
                r.readRaw("ram", at, buf);
                b.memory().write(reg.start(), buf.array(), 0, buf.capacity());
                at += reg.size();
            }
            b.importPlatformState(PlatformStateSection.read(r.section(PlatformStateSection.ID)));
            b.importVcpuStates(cpus);
            b.resume();
            String target = "tick " + (savedAt + 3) + "\n";
            assertTrue(await(second, target),
                    "the restored ticker did not go on; second machine printed: " + text(second));
        }
        String after = text(second);
        assertFalse(after.contains("ticker: running"), "the restored guest must not boot again: " + after);
        // the joined output counts 1, 2, 3, ... (a line cut by the pause is completed by the new machine)
        String joined = before + after;
        Matcher m = TICK.matcher(joined.substring(joined.indexOf("ticker: running")));
        int expect = 1;
        while (m.find()) assertEquals(expect++, Integer.parseInt(m.group(1)), joined);
        assertTrue(expect > savedAt + 3, joined);
    }
}
