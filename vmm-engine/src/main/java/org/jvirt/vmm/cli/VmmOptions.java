package org.jvirt.vmm.cli;

import org.jvirt.vmm.machine.MachineConfig;

import java.nio.file.Path;

/**
 * The jvirt-vmm command line: the machine, plus how the process serves it (control socket,
 * pid file (and the start token a manager expects in it), exit file, start paused, what a guest
 * reset does, a state file to restore before any vCPU runs). serialSpec is the --serial value
 * as given; "unix:PATH" and "pty" backends are opened by the process, not by the parser.
 */
record VmmOptions(MachineConfig config, String serialSpec, String name, Path control, boolean paused,
                  Path pidFile, String startToken, Path exitFile, boolean resetEndsVm,
                  Path restore) { }
