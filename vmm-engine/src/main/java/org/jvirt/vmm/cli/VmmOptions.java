package org.jvirt.vmm.cli;

import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.protocol.launch.LaunchSpec;

import java.nio.file.Path;

/**
 * The jvirt-vmm command line: the shared launch record it was read into, and the machine built
 * from it. "unix:PATH" and "pty" serial backends are opened by the process, not by the parser
 * (config's serial is then stdio until JvirtVmmMain replaces it).
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
}
