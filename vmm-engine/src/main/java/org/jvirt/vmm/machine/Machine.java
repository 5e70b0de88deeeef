package org.jvirt.vmm.machine;

import org.jvirt.vmm.boot.BootException;
import org.jvirt.vmm.boot.BootLoader;
import org.jvirt.vmm.boot.BootParams;
import org.jvirt.vmm.boot.MemoryMap;
import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.cpu.Accelerator;
import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.cpu.Vcpu;
import org.jvirt.vmm.cpu.VcpuExit;
import org.jvirt.vmm.cpu.VcpuRunner;
import org.jvirt.vmm.cpu.kvm.KvmAccelerator;
import org.jvirt.vmm.emu.EmuAccelerator;
import org.jvirt.vmm.firmware.FirmwareImage;
import org.jvirt.vmm.firmware.FirmwareLoader;
import org.jvirt.vmm.devices.pflash.SystemFlash;
import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.kvm.KvmException;
import org.jvirt.vmm.memory.DirtyLog;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.platform.PlatformState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A PC-like VM: guest RAM, the accelerator's interrupt controllers, the board's devices on a
 * port-I/O and an MMIO bus, a boot image and one thread per vCPU. Lifecycle requests that come
 * from the guest (reset, power-off, debug exit, errors) arrive on vCPU threads and are carried
 * out on one control thread, so a vCPU never waits for itself.
 */
public final class Machine implements AutoCloseable {
    private static final Duration PAUSE_TIMEOUT = Duration.ofSeconds(10);

    /** Replaced when a disk moves to another image (an external snapshot's overlay). */
    private volatile MachineConfig config;
    private final Accelerator accel;
    private final MmapGuestMemory memory;
    private final IoBus pio = new IoBus("pio");
    private final IoBus mmio = new IoBus("mmio");
    private final PcBoard board;
    private final MemoryMap memoryMap;
    /** The kernel and initrd: read by {@link #create}, or only when first needed on a machine built for a restore. */
    private BootImage bootImage;
    private final List<VcpuRunner> runners = new ArrayList<>();
    private final CpuThrottle throttle = new CpuThrottle(runners);
    private final ExecutorService control;
    private final CompletableFuture<MachineExit> exit = new CompletableFuture<>();
    private volatile int resets;
    private volatile boolean started;
    private volatile boolean startPaused;
    private volatile boolean resetEndsVm;
    private volatile Runnable resetListener = () -> { };

    /** A boot loader for the kernel and what it hands the kernel. */
    private record BootImage(BootLoader loader, BootParams params) { }

    private Machine(MachineConfig config, Accelerator accel, MmapGuestMemory memory, byte[] kernel, byte[] initrd,
                    FirmwareImage firmware) {
        this.config = config;
        this.accel = accel;
        this.memory = memory;
        accel.attachMemory(memory);
        this.board = new PcBoard(config, accel, memory, pio, mmio, new BoardEvents());
        this.memoryMap = MemoryMap.forRam(config.ramRanges());
        board.reserveFirmwareRanges(memoryMap);
        if (firmware != null) {
            board.attachFirmware(firmware, config.ramRanges(), config.vcpus(), accel, pio, mmio, firmwareDebugLog());
            this.bootImage = new BootImage(new FirmwareLoader(firmware), bootParams(null));
        } else if (config.bootsFlash()) {
            SystemFlash flash = openFlash(config.pflash());
            board.attachFlash(flash, config.ramRanges(), config.vcpus(), accel, pio, mmio, firmwareDebugLog());
            this.bootImage = new BootImage(new FirmwareLoader(flash.units().get(0).flash().contents()), bootParams(null));
        } else if (kernel != null) {
            this.bootImage = bootImage(kernel, initrd);
        }
        this.control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jvirt-machine-control");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < config.vcpus(); i++) {
            Vcpu v = accel.createVcpu(i, config.vcpus(), pio, mmio);
            runners.add(new VcpuRunner(v, new RunnerEvents(), "jvirt-vcpu-" + i));
        }
    }

    /** Builds the VM (nothing runs yet). Fails with a one-line MachineException. */
    public static Machine create(MachineConfig config) {
        if (config.bootsFlash()) return build(config, null, null, null);
        if (config.bootsFirmware()) return build(config, null, null, readFirmware(config.firmware()));
        byte[] kernel = readFile(config.kernel(), "kernel");
        byte[] initrd = config.initrd() == null ? null : readFile(config.initrd(), "initrd");
        try {
            BootLoader.forImage(kernel); // reject a bad image before touching KVM
        } catch (BootException e) {
            throw new MachineException(config.kernel() + ": " + e.getMessage());
        }
        return build(config, kernel, initrd, null);
    }

    /**
     * Builds the VM for a restore ({@link #startForRestore}, then {@link MachineStateFile#restore}):
     * its kernel and initrd are not read (they need not exist) until a guest reset boots them.
     */
    public static Machine createForRestore(MachineConfig config) {
        return build(config, null, null, config.firmware() != null ? readFirmware(config.firmware()) : null);
    }

    private static FirmwareImage readFirmware(Path p) {
        try {
            return FirmwareImage.read(p);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "No such file or directory" : e.getMessage();
            throw new MachineException("cannot read firmware " + p + ": " + why, e);
        } catch (IllegalArgumentException e) {
            throw new MachineException(e.getMessage(), e);
        }
    }

    /** The flash units (UEFI code and variable store); a bad or missing file is a one-line MachineException. */
    private static SystemFlash openFlash(List<MachineConfig.Pflash> units) {
        List<SystemFlash.UnitSpec> specs = new ArrayList<>();
        for (MachineConfig.Pflash u : units) specs.add(new SystemFlash.UnitSpec(u.path(), u.readOnly()));
        try {
            return SystemFlash.open(specs);
        } catch (IOException | IllegalArgumentException e) {
            throw new MachineException(e.getMessage(), e);
        }
    }

    /** Where SeaBIOS's debug port (0x402) writes, if anywhere: -Djvirt.firmware.debuglog=FILE (a diagnostic aid). */
    private static Path firmwareDebugLog() {
        String p = System.getProperty("jvirt.firmware.debuglog");
        return p == null || p.isEmpty() ? null : Path.of(p);
    }

    private static Machine build(MachineConfig config, byte[] kernel, byte[] initrd, FirmwareImage firmware) {
        Accelerator accel = switch (config.accel()) {
            case EMU -> EmuAccelerator.create(config.vcpus());
            case KVM -> createKvm();
        };
        MmapGuestMemory memory = null;
        try {
            memory = MmapGuestMemory.anonymous(config.ramRanges());
            return new Machine(config, accel, memory, kernel, initrd, firmware);
        } catch (BootException | KvmException | IllegalArgumentException e) {
            if (memory != null) memory.close();
            accel.close();
            throw new MachineException(e.getMessage(), e);
        } catch (RuntimeException e) {
            if (memory != null) memory.close();
            accel.close();
            throw e;
        }
    }

    private static Accelerator createKvm() {
        try {
            return KvmAccelerator.create();
        } catch (KvmException e) {
            throw AcceleratorUnavailableException.hostCannot(MachineConfig.Accel.KVM, "KVM is not usable: " + e.getMessage(), e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new MachineException("cannot load the native bridge (JNA) for KVM: " + e.getMessage(), e);
        }
    }

    private static byte[] readFile(Path p, String what) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new MachineException("cannot read " + what + " " + p + ": " + e.getMessage(), e);
        }
    }

    public MachineConfig config() { return config; }
    public MmapGuestMemory memory() { return memory; }
    /** The accelerator's log of guest-written RAM pages (enable it first). */
    public DirtyLog dirtyLog() { return accel.dirtyLog(); }
    public IoBus pioBus() { return pio; }
    public IoBus mmioBus() { return mmio; }
    public PcBoard board() { return board; }
    /** How many guest resets have been carried out. */
    public int resetCount() { return resets; }

    /**
     * What a guest-initiated reset does: restart the guest (the default, libvirt's
     * on_reboot='restart'), or end the VM with {@link MachineExit.Kind#GUEST_RESET}
     * (on_reboot='destroy', QEMU's -no-reboot). Host resets ({@link #reset()}) always restart.
     */
    public void setResetEndsVm(boolean endsVm) { this.resetEndsVm = endsVm; }

    /** Called (on the control thread) after each completed guest or host reset. */
    public void onReset(Runnable listener) { this.resetListener = listener == null ? () -> { } : listener; }

    /** Loads the boot image and starts all vCPUs (the BSP at the kernel entry, APs waiting for SIPI). */
    public synchronized void start() {
        start(false);
    }

    /** As {@link #start()}; paused: the vCPUs are set up but wait for {@link #resume()}. */
    public synchronized void start(boolean paused) {
        startVcpus(paused, loadImage());
    }

    /**
     * Starts the vCPU threads paused at power-on state without loading the boot image: a
     * restore ({@link MachineStateFile#restore}) then gives RAM and every vCPU its state.
     */
    public synchronized void startForRestore() {
        startVcpus(true, null);
    }

    private void startVcpus(boolean paused, BootCpuState boot) {
        if (started) throw new IllegalStateException("already started");
        started = true;
        startPaused = paused;
        for (VcpuRunner r : runners) r.start(true);
        try {
            resetVcpusAndResume(boot);
        } catch (Exception e) {
            finish(MachineExit.error("start failed: " + e.getMessage()));
            throw new MachineException("start failed: " + e.getMessage(), e);
        }
    }

    private BootCpuState loadImage() {
        try {
            BootImage image = bootImage();
            return image.loader().load(memory, image.params());
        } catch (BootException e) {
            throw new MachineException(config.kernel() + ": " + e.getMessage(), e);
        }
    }

    private synchronized BootImage bootImage() {
        if (bootImage == null) {
            byte[] kernel = readFile(config.kernel(), "kernel");
            bootImage = bootImage(kernel, config.initrd() == null ? null : readFile(config.initrd(), "initrd"));
        }
        return bootImage;
    }

    private BootImage bootImage(byte[] kernel, byte[] initrd) {
        return new BootImage(BootLoader.forImage(kernel), bootParams(initrd));
    }

    private BootParams bootParams(byte[] initrd) {
        return new BootParams(config.cmdline(), initrd, board.rsdpAddress(), memoryMap.entries());
    }

    private void resetVcpusAndResume(BootCpuState boot) throws InterruptedException, TimeoutException {
        for (VcpuRunner r : runners) r.pause(PAUSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        for (VcpuRunner r : runners) {
            Vcpu v = r.vcpu();
            r.runPaused(() -> v.reset(v.index() == 0 ? boot : null));
        }
        if (startPaused) {
            startPaused = false; // only the first boot stays paused
            board.quiesceIo(); // paused as by pause(): no disk I/O until resume()
            accel.platform().pause();
            return;
        }
        if (!exit.isDone()) for (VcpuRunner r : runners) r.resume();
    }

    /** Pauses all vCPUs (waits until each is out of the guest), then quiesces the disks' I/O threads. */
    public void pause() throws InterruptedException, TimeoutException {
        for (VcpuRunner r : runners) r.pause(PAUSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        board.quiesceIo(); // a paused machine does no I/O and its device state is stable for a save
        accel.platform().pause();
    }

    /** Slows every vCPU to (100 - percent)% of host time; 0 ends it (see {@link CpuThrottle}). */
    public void setCpuThrottle(int percent) {
        throttle.set(percent);
    }

    public int cpuThrottle() {
        return throttle.percent();
    }

    public void resume() {
        if (exit.isDone()) throw new IllegalStateException("the VM has ended");
        accel.platform().resume();
        board.resumeIo();
        for (VcpuRunner r : runners) r.resume();
    }

    /**
     * The state of each vCPU in index order, each read on its own thread. Only while the machine
     * is paused ({@link #pause}); the vCPUs stay paused.
     */
    public List<VcpuState> exportVcpuStates() throws InterruptedException {
        List<VcpuState> out = new ArrayList<>();
        for (VcpuRunner r : runners) {
            AtomicReference<VcpuState> s = new AtomicReference<>();
            r.runPaused(() -> s.set(r.vcpu().exportState()));
            out.add(s.get());
        }
        return out;
    }

    /** Replaces every vCPU's state (one per vCPU, index order); only while paused. Import the platform first. */
    public void importVcpuStates(List<VcpuState> states) throws InterruptedException {
        if (states.size() != runners.size()) {
            throw new IllegalArgumentException(states.size() + " vCPU states for " + runners.size() + " vCPUs");
        }
        for (int i = 0; i < runners.size(); i++) {
            VcpuRunner r = runners.get(i);
            VcpuState s = states.get(i);
            r.runPaused(() -> r.vcpu().importState(s));
        }
    }

    /** The interrupt controllers, PIT and clock; only while paused. */
    public PlatformState exportPlatformState() {
        requirePaused();
        return accel.platform().exportState();
    }

    /** Replaces the interrupt controllers', PIT's and clock's state; only while paused, before the vCPUs'. */
    public void importPlatformState(PlatformState state) {
        requirePaused();
        accel.platform().importState(state);
    }

    void requirePaused() {
        for (VcpuRunner r : runners) {
            if (!r.isPaused()) throw new IllegalStateException("vCPU " + r.vcpu().index() + " is not paused");
        }
        if (!board.ioQuiesced()) throw new IllegalStateException("the disks' I/O is not quiesced (pause the machine)");
    }

    /**
     * Moves disk INDEX to another image (an external snapshot's overlay, whose backing chain
     * holds the old image) of the same size: opened, put behind the virtio-blk device, the old
     * image closed. Only while paused; the machine's configuration names the new image after it,
     * so that a later save describes the machine as it is.
     */
    public synchronized void switchDisk(int index, MachineConfig.Disk next) throws IOException {
        requirePaused();
        if (index < 0 || index >= board.disks().size()) throw new IllegalArgumentException("no disk " + index);
        org.jvirt.vmm.block.BlockBackend opened = org.jvirt.vmm.block.chain.DiskImages.open(next.path(), next.format(), next.readOnly());
        org.jvirt.vmm.block.BlockBackend old;
        try {
            old = board.disks().get(index).replaceBackend(opened);
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        old.close();
        java.util.List<MachineConfig.Disk> disks = new java.util.ArrayList<>(config.disks());
        disks.set(index, next);
        config = config.withDisks(disks);
    }

    /**
     * Puts change(backend) behind every disk for which it returns another backend (live storage
     * migration's write tracking, and back), with the disks' I/O quiesced meanwhile so that no
     * request is in flight on the old one; the vCPUs run on.
     */
    public synchronized void rewrapDisks(java.util.function.BiFunction<Integer, org.jvirt.vmm.block.BlockBackend,
            org.jvirt.vmm.block.BlockBackend> change) throws IOException, InterruptedException {
        boolean wasQuiesced = board.ioQuiesced();
        if (!wasQuiesced) board.quiesceIo();
        try {
            for (int i = 0; i < board.disks().size(); i++) {
                org.jvirt.vmm.block.BlockBackend now = board.disks().get(i).backend(), next = change.apply(i, now);
                if (next != now) board.disks().get(i).replaceBackend(next);
            }
        } finally {
            if (!wasQuiesced) board.resumeIo();
        }
    }

    /** Hard reset of the guest, as the reset button: RAM kept, boot image reloaded, CPUs re-initialised. */
    public void reset() {
        try {
            control.execute(this::doReset);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the VM is closing: nothing to reset
        }
    }

    private void guestReset() {
        if (resetEndsVm) finish(MachineExit.guestReset());
        else reset();
    }

    /** Presses the ACPI power button (the guest decides whether to power off). */
    public void requestPowerButton() {
        board.pressPowerButton();
    }

    /** Ends the VM from the host. */
    public void stop() {
        finish(MachineExit.stopped());
    }

    /** Waits for the VM to end and returns how. */
    public MachineExit awaitExit() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            return MachineExit.error(String.valueOf(e.getCause()));
        }
    }

    /** Waits at most timeout; null if the VM is still running. */
    public MachineExit awaitExit(Duration timeout) throws InterruptedException {
        try {
            return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            return MachineExit.error(String.valueOf(e.getCause()));
        }
    }

    public boolean isRunning() { return started && !exit.isDone(); }

    private void doReset() {
        if (exit.isDone()) return;
        try {
            for (VcpuRunner r : runners) r.pause(PAUSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            accel.platform().reset();
            board.reset();
            BootCpuState boot = loadImage();
            resets++;
            board.resumeIo(); // the vCPUs resume after a reset (even a paused machine's): so does disk I/O
            accel.platform().resume();
            resetVcpusAndResume(boot);
            resetListener.run();
        } catch (Exception e) {
            finish(MachineExit.error("guest reset failed: " + e.getMessage()));
        }
    }

    /** Records the first way the VM ended and stops the vCPU threads (on the control thread). */
    void finish(MachineExit how) {
        if (!exit.complete(how)) return;
        try {
            control.execute(this::stopVcpus);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // already closing
        }
    }

    private void stopVcpus() {
        for (VcpuRunner r : runners) {
            try {
                r.stop(PAUSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        finish(MachineExit.stopped());
        throttle.close();
        control.shutdown();
        try {
            control.awaitTermination(PAUSE_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopVcpus();
        boolean allStopped = runners.stream().noneMatch(VcpuRunner::isAlive);
        if (!allStopped) return; // never unmap memory a vCPU thread may still run on
        for (VcpuRunner r : runners) r.vcpu().close();
        board.close();
        accel.close();
        memory.close();
    }

    /** Guest requests coming from devices (on vCPU threads). */
    private final class BoardEvents implements PcBoard.Events {
        @Override public void resetRequested() { guestReset(); }
        @Override public void powerOffRequested() { finish(MachineExit.powerOff()); }
        @Override public void debugExit(int value) { finish(MachineExit.debugExit(value)); }
        @Override public void deviceFailed(String message) { finish(MachineExit.error(message)); }
    }

    private final class RunnerEvents implements VcpuRunner.Listener {
        @Override
        public void onExit(VcpuRunner runner, VcpuExit why) {
            switch (why) {
                case SHUTDOWN, RESET -> guestReset(); // a triple fault resets a PC, as QEMU does
                case POWER_OFF -> finish(MachineExit.powerOff());
                case HALTED -> finish(MachineExit.error("vCPU " + runner.vcpu().index() + " halted with no interrupt controller to wake it"));
                case ERROR -> finish(MachineExit.error(runner.vcpu().errorDetail()));
                default -> { }
            }
        }

        @Override
        public void onFailure(VcpuRunner runner, Throwable failure) {
            finish(MachineExit.error("vCPU " + runner.vcpu().index() + " failed: " + failure));
        }
    }
}
