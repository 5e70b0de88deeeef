package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.jvirt.driver.api.DomainStateReason.PausedReason;
import org.jvirt.driver.api.DomainStateReason.RunningReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.vmm.protocol.Chardevs;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.protocol.RunState;
import org.jvirt.vmm.protocol.StatusInfo;

/**
 * Makes a domain's files agree with its VMM when a client died half-way (kill -9 during start
 * or destroy): the VMM's pid file lock is the proof of life, the status file is what clients
 * read. A start recorded ({@code starting}) whose VMM holds the lock is adopted (running or
 * paused, as the VMM says); one whose VMM does not is cancelled, so that VMM can never come
 * alive later (shut off, failed). A VMM holding the lock of a domain with no usable status is
 * adopted with the domain's config. A running status whose VMM is gone is reaped. Always
 * called under the domain's lock ({@link DomainLocks}).
 */
final class VmmReconciler {

    private final DomainStore store;
    private final JvirtPaths paths;

    VmmReconciler(DomainStore store) {
        this.store = store;
        this.paths = store.paths();
    }

    /**
     * The live status of domain NAME once reconciled, or null when it does not run.
     * RECORDED is its parsed status file (null if none or damaged), CONFIG its config (null if none or damaged).
     */
    DomainStatus reconcile(String name, DomainStatus recorded, DomainDefinition config) throws IOException, LibvirtException {
        Path pidFile = paths.pidFile(name);
        boolean held = VmmPidFile.held(pidFile);
        if (recorded != null && !recorded.isStarting()) {
            if (held) return withHolderPid(recorded, pidFile);
            if (DomainStore.alive(recorded)) return recorded; // a VMM from before pid file locks
            store.reap(name, null);
            return null;
        }
        if (recorded != null) {
            if (!held && VmmPidFile.cancel(pidFile)) {
                abandoned(name, ShutoffReason.FAILED);
                return null;
            }
            DomainDefinition def = DomainDefinition.of(StoredDomain.parseStored(recorded.liveXml()));
            return adopt(name, recorded.id(), recorded.persistent(), def, recorded.consoleType(), recorded.consolePath());
        }
        if (!held) {
            Files.deleteIfExists(pidFile); // left by a start given up on: no VMM can use it any more
            return null;
        }
        if (config == null) {
            // a VMM nobody can describe (its transient domain's status is damaged): stop it
            VmmPidFile.killHolder(pidFile, DomainLifecycle.DESTROY_GRACE);
            return null;
        }
        return adopt(name, store.nextId(), true, config, null, null);
    }

    /**
     * After a start that failed (its VMM exited, or was killed on time-out): no VMM of that
     * start may come alive later; the domain stays as it was before (its shutoff reason kept).
     */
    void startFailed(String name) {
        try {
            VmmPidFile.cancel(paths.pidFile(name));
            AtomicFiles.delete(paths.status(name));
            if (!VmmPidFile.held(paths.pidFile(name))) Files.deleteIfExists(paths.pidFile(name));
        } catch (IOException e) {
            // the start's own error is the one to report; the next client reconciles what is left
        }
    }

    /** Removes what a start given up on left (status, pid file) and records why the domain is off. */
    void abandoned(String name, ShutoffReason reason) throws IOException {
        AtomicFiles.write(paths.shutoffFile(name), reason.name() + "\n");
        AtomicFiles.delete(paths.status(name));
        if (!VmmPidFile.held(paths.pidFile(name))) Files.deleteIfExists(paths.pidFile(name));
    }

    private static DomainStatus withHolderPid(DomainStatus st, Path pidFile) throws IOException {
        if (DomainStore.alive(st)) return st;
        long pid = VmmPidFile.holderPid(pidFile, Duration.ofSeconds(2));
        return pid == 0 ? st : st.withPid(pid, startMillis(pid));
    }

    /**
     * Takes over the VMM holding the lock: waits until its control socket answers (it may still
     * be setting up), asks for its console pty and run state, and records it. A VMM that dies
     * meanwhile leaves the domain shut off (failed); one that never answers is killed.
     */
    private DomainStatus adopt(String name, int id, boolean persistent, DomainDefinition def, String consoleType, String consolePath)
            throws IOException, LibvirtException {
        Path pidFile = paths.pidFile(name);
        Path socket = paths.monitor(name);
        long deadline = System.nanoTime() + VmmLauncher.START_TIMEOUT.toNanos();
        Chardevs chardevs = null;
        StatusInfo status = null;
        while (status == null) {
            // gone before it answered: cancel, so no VMM of this start still on its way can run
            if (!VmmPidFile.held(pidFile) && VmmPidFile.cancel(pidFile)) {
                abandoned(name, ShutoffReason.FAILED);
                return null;
            }
            if (System.nanoTime() > deadline) {
                VmmPidFile.killHolder(pidFile, DomainLifecycle.DESTROY_GRACE);
                VmmPidFile.cancel(pidFile);
                abandoned(name, ShutoffReason.FAILED);
                return null;
            }
            if (Files.exists(socket)) {
                try (ControlClient c = ControlClient.connect(socket, Duration.ofSeconds(5))) {
                    chardevs = c.call(new Command.QueryChardev());
                    status = c.call(new Command.QueryStatus());
                } catch (IOException e) {
                    // not listening yet
                }
            }
            if (status == null) sleep(20);
        }
        long pid = VmmPidFile.holderPid(pidFile, Duration.ofSeconds(2));
        String pty = chardevs.ptyPath();
        if (consoleType == null && pty != null) consoleType = "pty";
        if ("pty".equals(consoleType)) consolePath = pty;
        boolean paused = status.status() == RunState.PAUSED;
        DomainStatus st = new DomainStatus(id, paused ? "paused" : "running",
                paused ? PausedReason.USER.ordinal() : RunningReason.BOOTED.ordinal(), pid, startMillis(pid),
                socket.toString(), consolePath == null ? null : consoleType, consolePath, persistent,
                LiveXml.of(def, id, consolePath, consoleType));
        AtomicFiles.write(paths.status(name), st.format());
        Files.deleteIfExists(paths.shutoffFile(name));
        return st;
    }

    private static long startMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).map(Instant::toEpochMilli).orElse(0L);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
