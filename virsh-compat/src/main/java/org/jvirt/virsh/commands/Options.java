package org.jvirt.virsh.commands;

import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.Vsh;

/** virsh's option checks (VSH_EXCLUSIVE_OPTIONS, VSH_REQUIRE_OPTION, vshCommandOpt*), with its messages. */
final class Options {

    private Options() { }

    /** False (after virsh's error) when both options were given. */
    static boolean exclusive(Vsh vsh, Cmd cmd, String a, String b) {
        if (cmd.flag(a) && cmd.flag(b)) {
            vsh.error("Options --" + a + " and --" + b + " are mutually exclusive");
            return false;
        }
        return true;
    }

    /** The state a saved domain comes back in: --running / --paused as virDomainSaveRestoreFlags bits. */
    static int runOrPause(Cmd cmd) {
        return (cmd.flag("running") ? org.jvirt.driver.api.Flags.Save.RUNNING : 0)
                | (cmd.flag("paused") ? org.jvirt.driver.api.Flags.Save.PAUSED : 0);
    }

    /** False (after virsh's error) when option was given without the one it needs. */
    static boolean requires(Vsh vsh, Cmd cmd, String option, String needed) {
        if (cmd.flag(option) && !cmd.flag(needed)) {
            vsh.error("Option --" + needed + " is required by option --" + option);
            return false;
        }
        return true;
    }

    /** A string value as vshCommandOptStringReq: null when absent; an empty one is an error. */
    static String string(Vsh vsh, Cmd cmd, String name) throws Invalid {
        String v = cmd.get(name);
        if (v != null && v.isEmpty()) {
            vsh.error("Failed to get option '" + name + "': Option argument is empty");
            throw new Invalid();
        }
        return v;
    }

    /** An int option as vshCommandOptInt (virStrToLong_i): dflt when absent. */
    static int integer(Vsh vsh, Cmd cmd, String name, int dflt) throws Invalid {
        String v = cmd.get(name);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v.stripLeading().startsWith("+") ? v.stripLeading().substring(1) : v.stripLeading());
        } catch (NumberFormatException e) {
            vsh.error("Numeric value '" + v + "' for <" + name + "> option is malformed or out of range");
            throw new Invalid();
        }
    }

    /** An option that virsh has already reported as invalid. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid() {
            super(null, null, false, false);
        }
    }
}
