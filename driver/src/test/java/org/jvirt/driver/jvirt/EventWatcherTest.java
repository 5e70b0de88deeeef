package org.jvirt.driver.jvirt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.PausedReason;
import org.jvirt.driver.api.DomainStateReason.RunningReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.vmm.control.ControlServer;
import org.jvirt.vmm.control.ControlTarget;
import org.jvirt.vmm.protocol.Event;
import org.jvirt.vmm.protocol.RunState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The event watcher reacts to what a VMM says on its control socket (and to the socket
 * closing) and to files written in the watched directories, without waiting for its fallback
 * comparison: here that comes only after a minute, so every event below is from a cause.
 */
class EventWatcherTest {

    private static final long FALLBACK_NEVER = 60_000;

    /** A domain whose state the test sets, as the status files would say. */
    static final class FakeSource implements EventWatcher.Source {
        final List<EventWatcher.Observed> domains = new CopyOnWriteArrayList<>();
        final List<Path> dirs;

        FakeSource(List<Path> dirs) {
            this.dirs = dirs;
        }

        void set(DomainRef ref, DomainStateReason state, Path monitor) {
            set(ref, state, monitor, false);
        }

        void set(DomainRef ref, DomainStateReason state, Path monitor, boolean settling) {
            domains.removeIf(o -> o.ref().uuid().equals(ref.uuid()));
            domains.add(new EventWatcher.Observed(ref, state, true, monitor, settling));
        }

        @Override public List<EventWatcher.Observed> observe() { return List.copyOf(domains); }

        @Override public List<Path> directories() { return dirs; }
    }

    /** A VMM that does nothing but serve the socket. */
    static final class IdleVm implements ControlTarget {
        public RunState status() { return RunState.RUNNING; }
        public void pause() { }
        public void resume() { }
        public void powerdown() { }
        public void reset() { }
        public void quit() { }
    }

    @Test
    void vmmEventsAndTheSocketClosingAreReportedAtOnce(@TempDir Path dir) throws Exception {
        DomainRef ref = new DomainRef("web", "6f9619ff-8b86-d011-b42d-00c04fc964ff", 1);
        FakeSource source = new FakeSource(List.of());
        ControlServer vmm = ControlServer.start(dir.resolve("web.monitor"), new IdleVm());
        source.set(ref, DomainStateReason.running(RunningReason.BOOTED), vmm.socketPath());
        EventWatcher watcher = new EventWatcher(source, FALLBACK_NEVER);
        List<String> seen = new CopyOnWriteArrayList<>();
        watcher.add((d, event, detail) -> seen.add(d.name() + " " + event + " " + detail));
        try {
            awaitTrue(() -> watcher.subscriptions() == 1, "the watcher subscribes to the running domain's VMM");

            source.set(ref, DomainStateReason.paused(PausedReason.USER), vmm.socketPath());
            vmm.emit(new Event.Stop());
            awaitEvents(seen, List.of("web " + EventWatcher.SUSPENDED + " 0"));

            // the client that resumed it writes the status a little after the VMM's RESUME
            vmm.emit(new Event.Resume());
            Thread.sleep(300);
            source.set(ref, DomainStateReason.running(RunningReason.UNPAUSED), vmm.socketPath());
            awaitEvents(seen, List.of("web " + EventWatcher.SUSPENDED + " 0", "web " + EventWatcher.RESUMED + " 0"));

            // killed: no SHUTDOWN event, only the socket closing; the VMM is found gone a moment later
            vmm.close();
            Thread.sleep(100);
            source.set(ref, DomainStateReason.shutoff(ShutoffReason.CRASHED), null);
            awaitEvents(seen, List.of("web " + EventWatcher.SUSPENDED + " 0", "web " + EventWatcher.RESUMED + " 0",
                    "web " + EventWatcher.STOPPED + " " + EventWatcher.STOPPED_CRASHED));
            awaitTrue(() -> watcher.subscriptions() == 0, "the subscription ends with the VMM");
        } finally {
            watcher.stop();
            vmm.close();
        }
    }

    @Test
    void aStopIsReportedOnceWithTheReasonItIsRecordedWith(@TempDir Path dir) throws Exception {
        DomainRef ref = new DomainRef("tick", "8f9619ff-8b86-d011-b42d-00c04fc964ff", 2);
        FakeSource source = new FakeSource(List.of());
        ControlServer vmm = ControlServer.start(dir.resolve("tick.monitor"), new IdleVm());
        source.set(ref, DomainStateReason.running(RunningReason.BOOTED), vmm.socketPath());
        EventWatcher watcher = new EventWatcher(source, FALLBACK_NEVER);
        List<String> seen = new CopyOnWriteArrayList<>();
        watcher.add((d, event, detail) -> seen.add(d.name() + " " + event + " " + detail));
        try {
            awaitTrue(() -> watcher.subscriptions() == 1, "subscribed");
            // a save: the VMM pauses (STOP), ends, and the saving client reaps it a moment later
            vmm.emit(new Event.Stop());
            vmm.close();
            source.set(ref, DomainStateReason.shutoff(ShutoffReason.UNKNOWN), null, true);
            Thread.sleep(400); // many fast comparisons see it settling
            source.set(ref, DomainStateReason.shutoff(ShutoffReason.SAVED), null);
            awaitEvents(seen, List.of("tick " + EventWatcher.STOPPED + " " + EventWatcher.STOPPED_SAVED));
            Thread.sleep(200);
            assertEquals(List.of("tick " + EventWatcher.STOPPED + " " + EventWatcher.STOPPED_SAVED), seen, "once");
        } finally {
            watcher.stop();
            vmm.close();
        }
    }

    @Test
    void filesWrittenByOtherClientsAreReportedAtOnce(@TempDir Path dir) throws Exception {
        FakeSource source = new FakeSource(List.of(dir));
        EventWatcher watcher = new EventWatcher(source, FALLBACK_NEVER);
        List<String> seen = new CopyOnWriteArrayList<>();
        watcher.add((d, event, detail) -> seen.add(d.name() + " " + event + " " + detail));
        try {
            Thread.sleep(200); // the directory is registered when the watcher thread starts
            DomainRef ref = new DomainRef("db", "7f9619ff-8b86-d011-b42d-00c04fc964ff", -1);
            source.set(ref, DomainStateReason.shutoff(ShutoffReason.UNKNOWN), null);
            Files.writeString(dir.resolve("db.xml"), "<domain/>");
            awaitEvents(seen, List.of("db " + EventWatcher.DEFINED + " " + EventWatcher.DEFINED_ADDED));
        } finally {
            watcher.stop();
        }
    }

    private static void awaitEvents(List<String> seen, List<String> expected) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!seen.equals(expected) && System.nanoTime() < end) Thread.sleep(10);
        assertEquals(expected, seen);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier ok, String what) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!ok.getAsBoolean() && System.nanoTime() < end) Thread.sleep(10);
        assertTrue(ok.getAsBoolean(), what);
    }
}
