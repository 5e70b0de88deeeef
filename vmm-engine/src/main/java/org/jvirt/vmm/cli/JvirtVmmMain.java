package org.jvirt.vmm.cli;

import org.jvirt.vmm.control.ControlServer;
import org.jvirt.vmm.devices.serial.UnixSocketSerialBackend;
import org.jvirt.vmm.machine.JitQuiet;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineException;
import org.jvirt.vmm.machine.MachineExit;
import org.jvirt.vmm.machine.MachineStateFile;
import org.jvirt.vmm.machine.StateCodeWarmup;
import org.jvirt.vmm.protocol.Chardev;
import org.jvirt.vmm.protocol.Event;
import org.jvirt.vmm.protocol.ExitReason;
import org.jvirt.vmm.protocol.launch.ExitRecord;
import org.jvirt.vmm.protocol.launch.LaunchSpec;
import org.jvirt.vmm.state.StateFormatException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The jvirt-vmm command: builds one VM from the command line, runs it and exits with the
 * guest's status as QEMU does. Errors are one line on stderr, never a stack trace.
 * With --control it serves the QMP-style control socket (the driver's way in); the socket
 * answers only once the VM is set up, so a greeting means "started".
 */
public final class JvirtVmmMain {
    private JvirtVmmMain() { }

    public static final int EXIT_ERROR = 1, EXIT_USAGE = 2;
    /**
     * How many times an incoming VMM loads its own state before it listens, so that the
     * stop-and-copy's load runs compiled (MachineStateFile#primeIncoming(Machine, int)): about
     * 0.1-0.3 s of start-up, against 2-4 ms of every migration's downtime.
     */
    static final int INCOMING_PRIME_LOADS = 300;
    /** The longest an incoming VMM waits for the JIT to finish compiling what the priming made hot. */
    static final long INCOMING_JIT_WAIT_MS = 1000;

    public static void main(String[] args) {
        Path logDir = InternalErrorLog.defaultDir(System.getenv());
        // a helper thread (control socket, console) dying: one line too, not the JVM's trace
        Thread.setDefaultUncaughtExceptionHandler((t, e) ->
                System.err.println("jvirt-vmm: " + InternalErrorLog.report(logDir, "jvirt-vmm", e)));
        System.exit(run(args, logDir));
    }

    /** Runs the command; returns the process exit status. */
    public static int run(String[] args) {
        return run(args, InternalErrorLog.defaultDir(System.getenv()));
    }

    /**
     * The same, with anything unexpected (a bug, OutOfMemoryError...) as one line on stderr
     * (which the driver sends to the domain's log) and its stack trace in {@code logDir/jvirt-vmm.log}.
     */
    static int run(String[] args, Path logDir) {
        try {
            return runVm(args);
        } catch (RuntimeException | Error e) {
            System.out.flush();
            System.err.println("jvirt-vmm: " + InternalErrorLog.report(logDir, "jvirt-vmm", e));
            return EXIT_ERROR;
        }
    }

    private static int runVm(String[] args) {
        VmmOptions options;
        try {
            options = CliArguments.parseOptions(args);
        } catch (CliArguments.UsageException e) {
            System.err.println("jvirt-vmm: " + e.getMessage());
            System.err.println("try 'jvirt-vmm --help'");
            return EXIT_USAGE;
        }
        if (options == null) {
            System.out.println(CliArguments.USAGE);
            return 0;
        }
        // first of all: the pid file lock says whether this VM may run at all; a VMM refused
        // here touches nothing (control socket, console, exit file belong to the one running)
        if (options.pidFile() != null) {
            try {
                PidFileLock.acquire(options.pidFile(), options.startToken());
            } catch (PidFileLock.Refused e) {
                System.err.println("jvirt-vmm: " + e.getMessage());
                return EXIT_ERROR;
            } catch (IOException e) {
                System.err.println("jvirt-vmm: cannot lock pid file " + options.pidFile() + ": " + e);
                return EXIT_ERROR;
            }
        }
        ExitReason reason = ExitReason.CRASHED;
        int status = EXIT_ERROR;
        AutoCloseable serialBackend = null;
        org.jvirt.vmm.vnc.VncServer vnc = null;
        try {
            MachineConfig config = options.machineConfig();
            List<Chardev> chardevs = List.of();
            LaunchSpec.Serial serial = options.launch().serial();
            if (serial instanceof LaunchSpec.Serial.Pty) {
                PtySerialBackend pty = PtySerialBackend.open();
                serialBackend = pty;
                config = config.withSerial(new MachineConfig.Serial.Custom(pty));
                chardevs = List.of(Chardev.pty("serial0", pty.slavePath().toString()));
                System.err.println("char device redirected to " + pty.slavePath() + " (label serial0)");
            } else if (serial instanceof LaunchSpec.Serial.Unix u) {
                UnixSocketSerialBackend unix = new UnixSocketSerialBackend(u.path());
                serialBackend = unix;
                config = config.withSerial(new MachineConfig.Serial.Custom(unix));
                chardevs = List.of(Chardev.unixServer("serial0", unix.path().toString()));
            }
            boolean forRestore = options.restore() != null || options.incoming() != null;
            try (Machine machine = forRestore ? Machine.createForRestore(config) : Machine.create(config)) {
                machine.setResetEndsVm(options.resetEndsVm());
                VmControl control = new VmControl(machine, options.paused() || options.incoming() != null, chardevs);
                vnc = startVnc(options, machine); // bound before the guest runs, as QEMU's -vnc
                control.serveVnc(vnc);
                Thread hook = new Thread(machine::stop, "jvirt-vmm-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                if (options.incoming() != null) {
                    machine.startForRestore(); // RAM and state come from the migration, after the control socket is up
                    MachineStateFile.primeIncoming(machine, INCOMING_PRIME_LOADS);
                    JitQuiet.await(INCOMING_JIT_WAIT_MS); // the priming's compilations done before a migration can come
                    control.awaitingMigration();
                } else if (options.restore() == null) {
                    machine.start(options.paused());
                    StateCodeWarmup.startInBackground(config); // the first save, snapshot or migration then runs warm
                } else {
                    // set up paused without the boot image, then the saved state replaces RAM,
                    // platform, devices and vCPUs before any of them has run
                    machine.startForRestore();
                    MachineStateFile.primeRestore(machine);
                    long t0 = System.nanoTime();
                    MachineStateFile.restore(machine, options.restore());
                    if (!options.paused()) machine.resume();
                    // the load request to the vCPUs running again (or ready to, paused): the figure Firecracker reports
                    System.err.printf("jvirt-vmm: restored %s in %.3f ms%n", options.restore(), (System.nanoTime() - t0) / 1e6);
                }
                ControlServer server = options.control() == null ? null : ControlServer.start(options.control(), control);
                control.serveOn(server);
                if (options.incoming() != null && IncomingMigration.receive(machine, options.incoming(), control.arrival(options.paused()))) {
                    control.arrivedRunning();
                }
                MachineExit exit = machine.awaitExit();
                System.out.flush();
                if (exit.kind() == MachineExit.Kind.ERROR) System.err.println("jvirt-vmm: " + exit.message());
                reason = switch (exit.kind()) {
                    case POWER_OFF, DEBUG_EXIT, GUEST_RESET -> ExitReason.SHUTDOWN;
                    case STOPPED -> control.saved() ? ExitReason.SAVED : control.migrated() ? ExitReason.MIGRATED : ExitReason.DESTROYED;
                    case ERROR -> ExitReason.CRASHED;
                };
                status = exit.exitStatus();
                writeExitFile(options.exitFile(), reason, status, exit.message());
                if (server != null) {
                    server.emit(new Event.Shutdown(exit.kind() != MachineExit.Kind.STOPPED, reason));
                    server.close();
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down already
                }
                return status;
            }
        } catch (MachineException e) {
            System.err.println("jvirt-vmm: " + e.getMessage());
            writeExitFile(options.exitFile(), ExitReason.FAILED, EXIT_ERROR, e.getMessage());
            return EXIT_ERROR;
        } catch (IOException | StateFormatException e) {
            System.err.println("jvirt-vmm: " + e.getMessage());
            writeExitFile(options.exitFile(), ExitReason.FAILED, EXIT_ERROR, e.getMessage());
            return EXIT_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_ERROR;
        } catch (RuntimeException | Error e) {
            writeExitFile(options.exitFile(), ExitReason.CRASHED, EXIT_ERROR, "internal error: " + InternalErrorLog.shortMessage(e));
            throw e;
        } finally {
            if (vnc != null) vnc.close();
            if (serialBackend != null) {
                try {
                    serialBackend.close();
                } catch (Exception ignored) {
                    // exiting anyway
                }
            }
        }
    }

    /** The VNC server of --vnc, or null; a bind failure is QEMU's words after the option, as QEMU reports it. */
    private static org.jvirt.vmm.vnc.VncServer startVnc(VmmOptions options, Machine machine) throws MachineException {
        LaunchSpec.Vnc spec = options.launch().vnc();
        if (spec == null) return null;
        org.jvirt.vmm.devices.display.Display display = machine.board().display();
        if (display == null) throw new MachineException("--vnc needs a display: add --vga std");
        try {
            org.jvirt.vmm.vnc.VncServer server = org.jvirt.vmm.vnc.VncServer.start(spec, options.name(), display::render, machine.board().input());
            server.followLeds(machine.board().input());
            return server;
        } catch (IOException e) {
            throw new MachineException("--vnc " + spec.toArg() + ": " + e.getMessage());
        }
    }

    /** How the VM ended (the exit file's record), for whoever finds this process gone. */
    private static void writeExitFile(Path file, ExitReason reason, int status, String message) {
        if (file == null) return;
        try {
            new ExitRecord(reason, status, message).write(file);
        } catch (IOException e) {
            System.err.println("jvirt-vmm: cannot write " + file + ": " + e.getMessage());
        }
    }
}
