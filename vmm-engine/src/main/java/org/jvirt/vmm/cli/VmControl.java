package org.jvirt.vmm.cli;

import org.jvirt.vmm.block.qcow2.Qcow2Image;
import org.jvirt.vmm.control.ControlServer;
import org.jvirt.vmm.control.ControlTarget;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineStateFile;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.machine.SaveProgress;
import org.jvirt.vmm.protocol.JobInfo;
import org.jvirt.vmm.protocol.BlockStats;
import org.jvirt.vmm.protocol.Chardev;
import org.jvirt.vmm.protocol.Event;
import org.jvirt.vmm.protocol.RunState;

import java.io.IOException;
import java.nio.file.Path;

import java.util.List;

/**
 * The control socket's view of this process's VM: run state, pause/cont, power button,
 * reset and quit, with the QMP events each causes (STOP, RESUME, POWERDOWN, RESET; SHUTDOWN
 * is sent by {@link JvirtVmmMain} when the VM ends).
 */
final class VmControl implements ControlTarget {

    private final Machine machine;
    private final List<Chardev> chardevs;
    private volatile ControlServer server;
    private volatile boolean paused;
    private volatile boolean quitRequested;
    private volatile boolean saved;
    private volatile boolean migrated;
    /** Set while an incoming migration has not finished: nothing may run the half-loaded machine. */
    private volatile boolean incoming;
    /** An incoming migration of a running guest is held paused here until a cont (query-status: prelaunch). */
    private volatile boolean heldRunning;
    private volatile org.jvirt.vmm.migration.MigrationSource migration;
    private final VmmJob job = new VmmJob();
    private org.jvirt.vmm.devices.input.KeyEventQueue keyEvents;

    VmControl(Machine machine, boolean startPaused, List<Chardev> chardevs) {
        this.machine = machine;
        this.paused = startPaused;
        this.chardevs = chardevs;
        machine.onReset(() -> emit(new Event.Reset()));
        sendTrayEvents();
        sendBalloonEvents();
    }

    /** BALLOON_CHANGE when the guest changes its balloon's actual (sent from a thread of its own: the device tells under its lock). */
    private void sendBalloonEvents() {
        org.jvirt.vmm.devices.balloon.VirtioBalloon b = machine.board().balloon();
        if (b == null) return;
        java.util.concurrent.ExecutorService sender = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "control-balloon-events");
            t.setDaemon(true);
            return t;
        });
        b.setActualListener(bytes -> sender.execute(() -> emit(new Event.BalloonChange(bytes))));
    }

    /**
     * DEVICE_TRAY_MOVED for each CD-ROM (named as RemovableMedia names them). A drive tells its
     * listener under its channel's lock, so the event is sent from a thread of its own.
     */
    private void sendTrayEvents() {
        java.util.concurrent.ExecutorService events = null;
        for (int position = 0; position < 4 + 6; position++) { // IDE positions 0..3, then AHCI ports 0..5
            org.jvirt.vmm.devices.ide.AtapiCdrom cd = position < 4 ? machine.board().cdrom(position) : machine.board().sataCdrom(position - 4);
            if (cd == null) continue;
            if (events == null) {
                events = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "control-tray-events");
                    t.setDaemon(true);
                    return t;
                });
            }
            String device = position < 4 ? RemovableMedia.name(position) : RemovableMedia.sataName(position - 4);
            java.util.concurrent.ExecutorService sender = events;
            cd.setTrayListener(open -> sender.execute(() -> emit(new Event.DeviceTrayMoved(device, open))));
        }
    }

    void serveOn(ControlServer s) {
        this.server = s;
    }

    /** True once the machine's state was saved and the VM ended for it (exit reason "saved"). */
    boolean saved() {
        return saved;
    }

    /** True once the guest runs on a migration's destination and this VM ends for it (exit reason "migrated"). */
    boolean migrated() {
        return migrated;
    }

    /**
     * What ends an incoming migration here, before the source hears of it: the guest runs if it
     * ran there, or stays paused as it was there; hold (--paused): it stays paused in any case,
     * query-status saying prelaunch if it ran there, until a cont. The RESUME event is the
     * caller's to send once the source has its answer ({@link #arrivedRunning}): its first
     * serialization in a fresh VMM costs milliseconds of downtime otherwise.
     */
    org.jvirt.vmm.migration.Arrival arrival(boolean hold) {
        return sourceRan -> {
            synchronized (this) {
                incoming = false;
                if (sourceRan && !hold) {
                    machine.resume();
                    paused = false;
                    return true;
                }
                paused = true;
                heldRunning = sourceRan;
                return false;
            }
        };
    }

    /** The incoming guest runs here (after {@link #arrival}): event RESUME. */
    void arrivedRunning() {
        emit(new org.jvirt.vmm.protocol.Event.Resume());
    }

    boolean quitRequested() {
        return quitRequested;
    }

    void emit(Event event) {
        ControlServer s = server;
        if (s != null) s.emit(event);
    }

    /** The VMM waits for an incoming migration: query-status says inmigrate and cont is refused until it ends. */
    void awaitingMigration() {
        incoming = true;
    }

    @Override
    public RunState status() {
        if (!machine.isRunning()) return RunState.SHUTDOWN;
        if (incoming) return RunState.INMIGRATE;
        if (heldRunning) return RunState.PRELAUNCH;
        return paused ? RunState.PAUSED : RunState.RUNNING;
    }

    @Override
    public synchronized void pause() throws Exception {
        heldRunning = false; // a held incoming guest paused by the user stays paused when continued... by the user
        if (paused) return;
        org.jvirt.vmm.migration.MigrationSource m = migration;
        if (m != null) m.pauseGuest(); // the migration goes on; the guest arrives paused
        else machine.pause();
        paused = true;
        emit(new Event.Stop());
    }

    @Override
    public synchronized void resume() {
        if (incoming) throw new IllegalStateException("an incoming migration has not finished");
        migrated = false; // running here again: a later end is not a migration's
        heldRunning = false;
        if (!paused) return;
        org.jvirt.vmm.migration.MigrationSource m = migration;
        if (m != null) m.resumeGuest();
        else machine.resume();
        paused = false;
        emit(new Event.Resume());
    }

    @Override
    public void powerdown() {
        machine.requestPowerButton();
        emit(new Event.Powerdown());
    }

    @Override
    public void reset() {
        machine.reset();
    }

    /**
     * A VM that ended, or whose state was saved (it ends once the save is answered), takes no
     * more saves or snapshots: a second request queued behind a save would otherwise write a
     * second image of a VM that is about to stop.
     */
    private void requireNotEnded() {
        if (!machine.isRunning() || saved) throw new IllegalStateException("the VM has ended");
        if (migrated) throw new IllegalStateException("the VM was migrated: it waits to be ended or continued");
        requireNoMigration();
    }

    /** Not synchronized: answers while a save holds this object's lock. */
    @Override
    public JobInfo job() {
        return job.info();
    }

    @Override
    public List<Chardev> chardevs() {
        return chardevs;
    }

    @Override
    public List<BlockStats> blockstats() {
        List<BlockStats> out = new java.util.ArrayList<>();
        List<org.jvirt.vmm.devices.virtio.VirtioBlock> disks = machine.board().disks();
        for (int i = 0; i < disks.size(); i++) {
            out.add(new BlockStats("jvirt-disk" + i, disks.get(i).counters().toStats()));
        }
        return out;
    }

    /**
     * Pauses (a STOP event only if it was running), writes the state file (atomically: a
     * failure leaves no file, or the old one); the VM ends once the answer is sent; on failure a VM that was
     * running runs on.
     */
    @Override
    public synchronized Runnable saveAndStop(Path file, String domainXml, Boolean running, boolean bypassCache) throws Exception {
        requireNotEnded();
        MachineStateFile.requireSavable(machine.config());
        boolean wasPaused = paused;
        SaveProgress progress = job.begin("save", machine.memory().size());
        try {
            pause();
            MachineStateFile.save(machine, file, domainXml, running != null ? running : !wasPaused, progress);
            if (bypassCache) dropFromPageCache(file);
        } catch (Exception e) {
            job.end(e);
            if (!wasPaused) resume();
            throw new IOException("cannot save the VM state to " + file + ": " + e.getMessage(), e);
        }
        job.end(null);
        saved = true;
        return machine::stop;
    }

    /**
     * Live migration (see org.jvirt.vmm.migration): connects to the destination, sends RAM while
     * the guest runs, then pauses (a STOP event), sends the rest; once the destination runs the
     * guest, this VM stays paused for the manager's Confirm: quit ends it as "migrated", cont
     * runs it again (a migration cancelled after all). On failure a VM that was running runs on.
     */
    @Override
    public org.jvirt.vmm.protocol.MigrationStats migrate(Command.JvirtMigrate request) throws Exception {
        MachineStateFile.requireSavable(machine.config()); // before any RAM is sent
        org.jvirt.vmm.protocol.launch.Incoming to = org.jvirt.vmm.protocol.launch.Incoming.parse(request.uri());
        org.jvirt.vmm.migration.MigrationProgress mp = new org.jvirt.vmm.migration.MigrationProgress();
        org.jvirt.vmm.migration.MigrationSource source;
        boolean wasPaused;
        // not holding this object's lock while the migration runs: a pause (virsh suspend,
        // --timeout) or a cancel must reach it meanwhile; other jobs are refused until it ends
        synchronized (this) {
            requireNotEnded(); // and no migration already running
            wasPaused = paused;
            long ramSize = machine.memory().size();
            job.begin("migration-out", ramSize, mp.ramTransferred::get, () -> migrationFigures(mp, ramSize));
            source = new org.jvirt.vmm.migration.MigrationSource(machine, migrationParams(request), mp);
            migration = source;
        }
        try (java.net.Socket s = java.nio.channels.SocketChannel.open().socket()) { // a channel: pages go straight from RAM
            s.connect(new java.net.InetSocketAddress(to.host(), to.port()), 10_000);
            s.setTcpNoDelay(true);
            source.run(s, !wasPaused);
        } catch (Exception e) {
            synchronized (this) {
                migration = null;
                job.end(e);
            }
            throw new IOException("migration to " + request.uri() + " failed: " + e.getMessage(), e);
        }
        synchronized (this) {
            migration = null;
            if (!paused) emit(new org.jvirt.vmm.protocol.Event.Stop());
            paused = true;
            job.end(null);
            migrated = true;
        }
        return new org.jvirt.vmm.protocol.MigrationStats(mp.downtimeMillis.get(), (System.nanoTime() - mp.startNanos.get()) / 1_000_000,
                mp.ramTransferred.get(), mp.rounds.get(), mp.zeroPagesSkipped.get(), mp.pausedAtEpochMillis.get());
    }

    private static org.jvirt.vmm.migration.MigrationParams migrationParams(Command.JvirtMigrate r) {
        org.jvirt.vmm.migration.MigrationParams p = new org.jvirt.vmm.migration.MigrationParams(
                r.maxDowntimeMs() == null ? org.jvirt.vmm.migration.MigrationParams.DEFAULT_MAX_DOWNTIME_MS : r.maxDowntimeMs(),
                r.bandwidth() == null ? 0 : r.bandwidth(), Boolean.TRUE.equals(r.autoConverge()),
                r.autoConvergeInitial() == null ? org.jvirt.vmm.migration.MigrationParams.THROTTLE_INITIAL : r.autoConvergeInitial(),
                r.autoConvergeIncrement() == null ? org.jvirt.vmm.migration.MigrationParams.THROTTLE_INCREMENT : r.autoConvergeIncrement(), 0,
                r.copyStorage() == null ? org.jvirt.vmm.migration.MigrationParams.StorageCopy.NONE
                        : r.copyStorage().equals("inc") ? org.jvirt.vmm.migration.MigrationParams.StorageCopy.INCREMENTAL
                        : org.jvirt.vmm.migration.MigrationParams.StorageCopy.ALL);
        if (!Boolean.TRUE.equals(r.compress())) return p;
        return p.compressed(r.compressCacheBytes() == null ? org.jvirt.vmm.migration.MigrationParams.DEFAULT_COMPRESSION_CACHE : r.compressCacheBytes());
    }

    /** Refuses a job while a migration runs (libvirt's drivers refuse it as a job already running). */
    private void requireNoMigration() {
        if (migration != null) throw new IllegalStateException("a migration is running");
    }

    /**
     * What query-jvirt-job reports of a running migration: in the first pass the RAM not yet
     * gone through (sent or skipped as zero), then the dirty pages the last round found.
     */
    private static VmmJob.Migration migrationFigures(org.jvirt.vmm.migration.MigrationProgress mp, long ramSize) {
        long page = 4096; // the migration stream's page (MigrationStream.PAGE)
        long rounds = mp.rounds.get(), sent = mp.pagesSent.get(), zero = mp.zeroPagesSkipped.get();
        long firstPass = Math.max(0, ramSize - (sent + zero) * page);
        long remaining = rounds == 0 && mp.ramRemaining.get() == 0 ? firstPass : mp.ramRemaining.get();
        return new VmmJob.Migration(remaining, new JobInfo.MigrationRam(mp.bytesPerSecond.get(), rounds + 1, zero, sent, page,
                (int) mp.throttlePercent.get()));
    }

    /** Stops the running migration at its next record. */
    @Override
    public void cancelMigration() {
        org.jvirt.vmm.migration.MigrationSource m = migration;
        if (m != null) m.cancel();
    }

    /** After the file is complete: a failure here must not undo the save, so it is only logged (the domain log). */
    private static void dropFromPageCache(Path file) {
        try {
            PageCache.drop(file);
        } catch (IOException e) {
            System.err.println("jvirt-vmm: warning: " + e.getMessage());
        }
    }

    @Override
    public synchronized void snapshot(Path file, String domainXml, String name) throws Exception {
        requireNotEnded();
        MachineStateFile.requireSavable(machine.config()); // before the disks get snapshots
        boolean wasPaused = paused;
        SaveProgress progress = job.begin("snapshot", machine.memory().size());
        List<Qcow2Image> done = new java.util.ArrayList<>();
        try {
            pause(); // the disks' I/O is quiesced: their images are consistent with the saved device state
            for (org.jvirt.vmm.devices.virtio.VirtioBlock d : machine.board().disks()) {
                if (d.backend() instanceof Qcow2Image q && !q.readOnly()) {
                    // as QEMU's savevm, a snapshot of the same name is replaced: the driver's
                    // metadata allows no duplicate, so it can only be one a killed client left behind
                    if (q.snapshots().stream().anyMatch(s -> name.equals(s.name()))) q.deleteSnapshot(name);
                    q.createSnapshot(name, 0);
                    done.add(q);
                }
            }
            MachineStateFile.save(machine, file, domainXml, !wasPaused, progress);
            job.end(null);
        } catch (Exception e) {
            job.end(e);
            for (Qcow2Image q : done) {
                try {
                    q.deleteSnapshot(name);
                } catch (IOException ignored) {
                    // best effort: the snapshot failed either way
                }
            }
            throw new IOException("cannot snapshot the VM to " + file + ": " + e.getMessage(), e);
        } finally {
            if (!wasPaused) resume();
        }
    }

    @Override
    public synchronized void loadSnapshot(Path file, String name, boolean running) throws Exception {
        requireNotEnded();
        MachineStateFile.savedDomain(file); // the whole file is checked before anything changes
        List<Qcow2Image> images = new java.util.ArrayList<>();
        for (org.jvirt.vmm.devices.virtio.VirtioBlock d : machine.board().disks()) {
            if (d.backend() instanceof Qcow2Image q && !q.readOnly()) {
                if (q.snapshots().stream().noneMatch(s -> name.equals(s.name()))) {
                    throw new IOException("a disk has no internal snapshot '" + name + "'");
                }
                images.add(q);
            }
        }
        boolean wasPaused = paused;
        pause();
        try {
            for (Qcow2Image q : images) q.applySnapshot(name);
            MachineStateFile.restore(machine, file);
        } catch (Exception e) {
            if (!wasPaused) resume();
            throw new IOException("cannot load snapshot '" + name + "': " + e.getMessage(), e);
        }
        if (running) resume();
    }

    @Override
    public synchronized void snapshotExternal(List<Command.DiskOverlay> overlays, Path memoryFile, String domainXml) throws Exception {
        requireNotEnded();
        if (memoryFile != null) MachineStateFile.requireSavable(machine.config()); // before the disks move onto overlays
        boolean wasPaused = paused;
        SaveProgress progress = job.begin("snapshot", machine.memory().size());
        List<MachineConfig.Disk> before = machine.config().disks();
        List<Integer> moved = new java.util.ArrayList<>();
        try {
            pause(); // disk I/O quiesced: the old images are complete, and stay as the snapshot has them
            if (memoryFile != null) MachineStateFile.save(machine, memoryFile, domainXml, !wasPaused, progress);
            for (Command.DiskOverlay o : overlays) {
                MachineConfig.Disk old = before.get(o.index());
                machine.switchDisk(o.index(), new MachineConfig.Disk(Path.of(o.file()), old.readOnly(), ImageFormat.parse(o.format()),
                        old.bootIndex(), old.serial(), old.address())); // the same device, where it was
                moved.add(o.index());
            }
            job.end(null);
        } catch (Exception e) {
            job.end(e);
            for (int i : moved) {
                try {
                    machine.switchDisk(i, before.get(i));
                } catch (IOException ignored) {
                    // best effort: the error reported is the one that stopped the snapshot
                }
            }
            if (memoryFile != null) java.nio.file.Files.deleteIfExists(memoryFile);
            throw new IOException("cannot take the external snapshot: " + e.getMessage(), e);
        } finally {
            if (!wasPaused) resume();
        }
    }

    @Override
    public void setLink(String name, boolean up) {
        for (org.jvirt.vmm.devices.net.VirtioNet n : machine.board().nics()) {
            if (n.id().equals(name)) {
                n.setLink(up);
                return;
            }
        }
        throw new IllegalArgumentException("Device '" + name + "' not found"); // QEMU's words
    }

    /** The machine's virtio-balloon as the control socket drives it, or null. */
    @Override
    public org.jvirt.vmm.control.BalloonControl balloon() {
        org.jvirt.vmm.devices.balloon.VirtioBalloon b = machine.board().balloon();
        if (b == null) return null;
        return new org.jvirt.vmm.control.BalloonControl() {
            @Override public void setTarget(long bytes) { b.setTarget(bytes); }
            @Override public long actualBytes() { return b.actualBytes(); }
            @Override public long lastUpdate() { return b.guestStats().lastUpdate(); }
            @Override public long[] stats() { return b.guestStats().values(); }
            @Override public long pollInterval() { return b.pollInterval(); }
            @Override public void setPollInterval(long seconds) { b.setPollInterval(seconds); }
        };
    }

    /** QMP's send-key: the presses and releases on the key event thread; returns at once, as QEMU does. */
    @Override
    public void sendKey(List<Integer> keys, int holdMs) {
        org.jvirt.vmm.devices.input.KeyEventQueue q;
        synchronized (this) {
            if (keyEvents == null) keyEvents = new org.jvirt.vmm.devices.input.KeyEventQueue(machine.board().input(), "control-send-key");
            q = keyEvents;
        }
        q.sendKeys(keys, holdMs);
    }

    /** QMP's screendump: the display's picture now, as a P6 PPM; QEMU 7.2's words when there is no display or the file cannot be written. */
    @Override
    public void screendump(String file) {
        org.jvirt.vmm.devices.display.Display display = machine.board().display();
        if (display == null) throw new IllegalArgumentException("There is no console to take a screendump from");
        try {
            display.render().writePpm(java.nio.file.Path.of(file));
        } catch (java.io.IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "No such file or directory"
                    : e instanceof java.nio.file.AccessDeniedException ? "Permission denied" : e.getMessage();
            throw new IllegalArgumentException("failed to open file '" + file + "': " + why);
        }
    }

    @Override
    public synchronized void eject(String device, boolean force) throws Exception {
        requireNotEnded();
        RemovableMedia.eject(machine.board(), device, force);
    }

    @Override
    public synchronized void changeMedium(String device, String file, String format, boolean force) throws Exception {
        requireNotEnded();
        RemovableMedia.change(machine.board(), device, java.nio.file.Path.of(file), format, force);
    }

    @Override
    public synchronized void deleteSnapshot(String name) throws Exception {
        requireNotEnded();
        boolean wasPaused = paused;
        pause(); // no guest I/O while the images' tables change
        try {
            for (org.jvirt.vmm.devices.virtio.VirtioBlock d : machine.board().disks()) {
                if (d.backend() instanceof Qcow2Image q && !q.readOnly()
                        && q.snapshots().stream().anyMatch(s -> name.equals(s.name()))) {
                    q.deleteSnapshot(name);
                }
            }
        } finally {
            if (!wasPaused) resume();
        }
    }

    private volatile org.jvirt.vmm.vnc.VncServer vnc;

    void serveVnc(org.jvirt.vmm.vnc.VncServer server) {
        this.vnc = server;
    }

    /** QMP's set_password for "vnc" (only connected=keep, as QEMU 7.2 for VNC), with QEMU's words for the rest. */
    @Override
    public void setPassword(String protocol, String password, String connected) {
        checkProtocol(protocol);
        if (connected != null && !connected.equals("keep")) throw new IllegalArgumentException("Invalid parameter 'connected'");
        if (password == null) throw new IllegalArgumentException("Parameter 'password' is missing");
        org.jvirt.vmm.vnc.VncServer v = vnc;
        if (v == null) throw new IllegalArgumentException("Could not set password");
        v.setPassword(password);
    }

    @Override
    public void expirePassword(String protocol, String time) {
        checkProtocol(protocol);
        if (time == null) throw new IllegalArgumentException("Parameter 'time' is missing");
        org.jvirt.vmm.vnc.VncServer v = vnc;
        if (v == null) throw new IllegalArgumentException("Could not set password expire time.");
        v.expirePassword(time);
    }

    private static void checkProtocol(String protocol) {
        if (protocol == null) throw new IllegalArgumentException("Parameter 'protocol' is missing");
        if (protocol.equals("spice")) throw new IllegalArgumentException("SPICE is not in use");
        if (!protocol.equals("vnc")) throw new IllegalArgumentException("Parameter 'protocol' does not accept value '" + protocol + "'");
    }

    @Override
    public org.jvirt.vmm.protocol.VncInfo queryVnc() {
        org.jvirt.vmm.vnc.VncServer v = vnc;
        return v == null ? new org.jvirt.vmm.protocol.VncInfo(false, null, null, null, null, null) : v.info();
    }

    @Override
    public void quit() {
        quitRequested = true;
        machine.stop();
    }
}
