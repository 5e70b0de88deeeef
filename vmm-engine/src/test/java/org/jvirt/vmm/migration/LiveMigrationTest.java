package org.jvirt.vmm.migration;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.kvm.Kvm;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.Test;

/**
 * The ticker guest (it rewrites 4 MiB while it ticks) migrates live between two machines of
 * this process over loopback TCP: on the emulator (every machine), on KVM where usable, and from
 * KVM to the emulator. Its ticks go on in the target with none repeated and none lost, the
 * dirty rounds converge under the default 300 ms downtime, and the downtime is reported.
 */
class LiveMigrationTest {
    static final long MEMORY = 64L << 20;
    static final Pattern TICK = Pattern.compile("tick (\\d+)\n");

    private static String text(InMemorySerialBackend s) {
        return s.output().replace("\r\n", "\n");
    }

    private static List<Integer> ticks(String out) {
        List<Integer> t = new ArrayList<>();
        Matcher m = TICK.matcher(out);
        while (m.find()) t.add(Integer.parseInt(m.group(1)));
        return t;
    }

    private static void awaitTicks(InMemorySerialBackend s, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (ticks(text(s)).size() < n) {
            if (System.nanoTime() > deadline) fail("only " + ticks(text(s)).size() + " ticks: " + text(s));
            Thread.sleep(20);
        }
    }

    private static MachineConfig config(Path elf, MachineConfig.Accel accel, InMemorySerialBackend serial) {
        return MachineConfig.of(elf).withMemory(MEMORY).withAccel(accel).withSerial(new MachineConfig.Serial.Custom(serial));
    }

    private static boolean kvm() {
        return Kvm.isPresent() && !Boolean.getBoolean("jvirt.test.emu");
    }

    private void migrate(MachineConfig.Accel from, MachineConfig.Accel to) throws Exception {
        Path elf = GuestImages.require("ticker");
        InMemorySerialBackend serialA = new InMemorySerialBackend();
        InMemorySerialBackend serialB = new InMemorySerialBackend();
        MigrationProgress out = new MigrationProgress();
        MigrationProgress in = new MigrationProgress();
        try (Machine a = Machine.create(config(elf, from, serialA));
             Machine b = Machine.createForRestore(config(elf, to, serialB));
             ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            a.start();
            awaitTicks(serialA, 3);
            b.startForRestore();
            CompletableFuture<Void> target = CompletableFuture.runAsync(() -> {
                try (Socket s = listener.accept()) {
                    MigrationTarget.receive(b, s, in);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                new MigrationSource(a, MigrationParams.defaults(), out).run(s, true);
            }
            target.get();
            a.stop(); // the source ends once the target runs
            List<Integer> before = ticks(text(serialA));
            int last = before.get(before.size() - 1);
            awaitTicks(serialB, 3);
            List<Integer> after = ticks(text(serialB));
            assertEquals(last + 1, after.get(0), "the target's first tick follows the source's last: " + before + " / " + after);
            for (int i = 1; i < after.size(); i++) assertEquals(after.get(i - 1) + 1, after.get(i), "ticks in order: " + after);
            assertTrue(out.downtimeMillis.get() >= 0 && out.downtimeMillis.get() < 5_000, "downtime " + out.downtimeMillis.get() + " ms");
            assertTrue(out.zeroPagesSkipped.get() > 0, "zero pages are not sent");
            assertTrue(out.ramTransferred.get() >= 4L << 20, "the dirtied 4 MiB went over: " + out.ramTransferred.get());
            System.out.printf("migrated %s -> %s: %d rounds, %d pages sent, %d zero pages skipped, downtime %d ms%n", from, to,
                    out.rounds.get(), out.pagesSent.get(), out.zeroPagesSkipped.get(), out.downtimeMillis.get());
        }
    }

    @Test
    void onTheEmulator() throws Exception {
        migrate(MachineConfig.Accel.EMU, MachineConfig.Accel.EMU);
    }

    @Test
    void onKvm() throws Exception {
        assumeTrue(kvm(), "/dev/kvm is not usable here");
        migrate(MachineConfig.Accel.KVM, MachineConfig.Accel.KVM);
    }

    @Test
    void fromKvmToTheEmulator() throws Exception {
        assumeTrue(kvm(), "/dev/kvm is not usable here");
        migrate(MachineConfig.Accel.KVM, MachineConfig.Accel.EMU);
    }
}
