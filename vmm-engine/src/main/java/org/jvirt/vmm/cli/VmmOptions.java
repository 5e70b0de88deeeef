package org.jvirt.vmm.cli;

import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.protocol.launch.LaunchSpec;

import java.nio.file.Path;

/**
 * The jvirt-vmm command line: the shared launch record it was read into, and the machine built
 * from it. "unix:PATH" and "pty" serial backends are opened by the process, not by the parser
 * (config's serial is then stdio until JvirtVmmMain replaces it). config is null for
 * "--restore FILE" without --kernel: the machine is then the one FILE describes.
 */
record VmmOptions(MachineConfig config, LaunchSpec launch) {

    /** The --serial value, as the command line spells it. */
    String serialSpec() { return launch.serial().toArg(); }

    String name() { return launch.name(); }

    Path control() { return launch.control(); }

    boolean paused() { return launch.paused(); }

    Path pidFile() { return launch.pidFile(); }

    String startToken() { return launch.startToken(); }

    Path exitFile() { return launch.exitFile(); }

    boolean resetEndsVm() { return launch.onReboot() == LaunchSpec.OnReboot.DESTROY; }

    Path restore() { return launch.restore(); }

    /** --incoming tcp:HOST:PORT, or null. */
    String incoming() { return launch.incoming(); }

    /** The machine to build: from the command line, or (config null) from the state file with this command line's serial port and backend. */
    MachineConfig machineConfig() throws java.io.IOException {
        if (config != null) return config;
        return org.jvirt.vmm.machine.MachineStateFile.savedMachine(restore(), CliArguments.serial(launch.serial()),
                MachineConfig.Accel.valueOf(launch.accel().name()));
    }
}
