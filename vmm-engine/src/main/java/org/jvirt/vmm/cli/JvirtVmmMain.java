package org.jvirt.vmm.cli;

import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineException;
import org.jvirt.vmm.machine.MachineExit;

/**
 * The jvirt-vmm command: builds one VM from the command line, runs it and exits with the
 * guest's status as QEMU does. Errors are one line on stderr, never a stack trace.
 * (A control socket for the driver will be served next to {@link #run}: create, start, then
 * serve requests until awaitExit returns.)
 */
public final class JvirtVmmMain {
    private JvirtVmmMain() { }

    public static final int EXIT_ERROR = 1, EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the process exit status. */
    public static int run(String[] args) {
        MachineConfig config;
        try {
            config = CliArguments.parse(args);
        } catch (CliArguments.UsageException e) {
            System.err.println("jvirt-vmm: " + e.getMessage());
            System.err.println("try 'jvirt-vmm --help'");
            return EXIT_USAGE;
        }
        if (config == null) {
            System.out.println(CliArguments.USAGE);
            return 0;
        }
        try (Machine machine = Machine.create(config)) {
            Thread hook = new Thread(machine::stop, "jvirt-vmm-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            machine.start();
            MachineExit exit = machine.awaitExit();
            System.out.flush();
            if (exit.kind() == MachineExit.Kind.ERROR) System.err.println("jvirt-vmm: " + exit.message());
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
            return exit.exitStatus();
        } catch (MachineException e) {
            System.err.println("jvirt-vmm: " + e.getMessage());
            return EXIT_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_ERROR;
        } catch (RuntimeException e) {
            System.err.println("jvirt-vmm: internal error: " + e);
            return EXIT_ERROR;
        }
    }
}
