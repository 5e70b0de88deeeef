package org.jvirt.vmm.devices.virtio;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.ioevent.Doorbell;
import org.jvirt.vmm.ioevent.IoEvents;
import org.jvirt.vmm.ioevent.MonitorDoorbell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the transport binds its notify registers to the I/O thread's doorbell (KVM_IOEVENTFD in
 * a real VM): only while the driver runs with BAR0 decoded, at BAR0's current address, and never
 * left behind after a reset, a BAR move or the thread's end (a stale binding would swallow writes).
 */
class VirtioIoEventBindingTest {
    @TempDir Path dir;

    /** Records the bindings an accelerator would hold. */
    static final class RecordingIoEvents implements IoEvents {
        final List<String> bound = new ArrayList<>();
        boolean refuse;

        @Override public Doorbell newDoorbell() { return new MonitorDoorbell(); }
        @Override public synchronized void bindMmioWrite(Doorbell bell, long addr, int len) {
            if (refuse) throw new IllegalStateException("refused");
            String b = Long.toHexString(addr) + "/" + len;
            assertFalse(bound.contains(b), "bound twice: " + b);
            bound.add(b);
        }
        @Override public synchronized void unbindMmioWrite(Doorbell bell, long addr, int len) {
            assertTrue(bound.remove(Long.toHexString(addr) + "/" + len), "unbinding what was not bound");
        }
    }

    @Test
    void bindingFollowsTheDriverAndTheBar() throws Exception {
        Path image = dir.resolve("a.img");
        Files.write(image, new byte[64 * 512]);
        RecordingIoEvents events = new RecordingIoEvents();
        try (VirtioBlock blk = new VirtioBlock(image, false, "bind")) {
            VirtioTestDriver d = new VirtioTestDriver(blk);
            VirtioIoThread io = VirtioIoThread.start(d.dev, events, "bind-io");
            try {
                assertEquals(List.of(), events.bound, "nothing bound before the driver runs");
                assertEquals(0xF, d.initialize());
                String notify = Long.toHexString(d.notify);
                assertEquals(List.of(notify + "/2", notify + "/4"), events.bound);
                assertTrue(d.dev.notifyBypassesVcpu());

                d.setStatus(0); // driver reset
                assertEquals(List.of(), events.bound, "a reset unbinds");
                assertEquals(0xF, d.initialize());

                d.cfgWrite(0x04, 2, d.cfgRead(0x04, 2) & ~0x2); // memory decoding off, BAR moved, decoding on
                assertEquals(List.of(), events.bound, "no binding while BAR0 is not decoded");
                long moved = d.bar0 + 0x10_0000;
                d.cfgWrite(0x10, 4, moved & 0xFFFF_FFF0L | (d.cfgRead(0x10, 4) & 0xF));
                d.cfgWrite(0x04, 2, d.cfgRead(0x04, 2) | 0x2);
                String movedNotify = Long.toHexString(moved + VirtioPciDevice.NOTIFY);
                assertEquals(List.of(movedNotify + "/2", movedNotify + "/4"), events.bound, "rebound at the new address");

                d.dev.reset(); // machine reset
                assertEquals(List.of(), events.bound);
            } finally {
                io.close();
            }
            assertEquals(List.of(), events.bound, "closing the thread unbinds");
        }
    }

    @Test
    void aRefusedBindingLeavesTheMmioExitPathWorking() throws Exception {
        Path image = dir.resolve("b.img");
        Files.write(image, new byte[64 * 512]);
        RecordingIoEvents events = new RecordingIoEvents();
        events.refuse = true;
        try (VirtioBlock blk = new VirtioBlock(image, false, "refused")) {
            VirtioTestDriver d = new VirtioTestDriver(blk);
            try (VirtioIoThread io = VirtioIoThread.start(d.dev, events, "refused-io")) {
                assertEquals(0xF, d.initialize());
                assertFalse(d.dev.notifyBypassesVcpu());
                d.header(0x20000, VirtioBlock.T_FLUSH, 0);
                d.submit(new long[] {0x20000, 16, 0}, new long[] {0x21000, 1, 1});
                d.kick(0); // an MMIO exit: the handler rings the I/O thread
                long end = System.nanoTime() + 10_000_000_000L;
                while (d.usedIdx() != 1 && System.nanoTime() < end) Thread.sleep(2);
                assertEquals(1, d.usedIdx());
            }
        }
    }
}
