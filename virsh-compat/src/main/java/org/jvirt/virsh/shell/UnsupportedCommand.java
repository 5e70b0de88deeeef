package org.jvirt.virsh.shell;

import java.util.regex.Pattern;
import org.jvirt.driver.api.LibvirtException;

/**
 * What jvirsh does for a virsh command it knows (help, options, parsing) but cannot run: the
 * checks virsh's handlers make first in most commands (the domain exists; an integer option
 * is a number), then one error in libvirt's VIR_ERR_NO_SUPPORT form, naming jvirsh and the
 * command rather than blaming the connection's driver, which is not where the gap is.
 */
final class UnsupportedCommand {

    // what virStrToLong_* could read, possibly with a scale suffix (vshCommandOptScaledInt)
    private static final Pattern NUMBER_LIKE = Pattern.compile("\\s*[+-]?[0-9]+[A-Za-z]*");

    private UnsupportedCommand() { }

    static boolean run(Vsh vsh, Cmd cmd) throws LibvirtException {
        OptDef domain = cmd.def().opt("domain");
        if (domain != null && domain.type() == OptType.DATA && cmd.get("domain") != null) {
            vsh.domain(cmd, "domain"); // "failed to get domain 'X'" as virshCommandOptDomain
        }
        for (OptDef o : cmd.def().opts()) {
            String v = cmd.get(o.name());
            if (o.type() == OptType.INT && v != null && !NUMBER_LIKE.matcher(v).matches()) {
                vsh.error("Numeric value '" + v + "' for <" + o.name() + "> option is malformed or out of range");
                return false;
            }
        }
        vsh.error(message(cmd.def().name()));
        return false;
    }

    /** The error for an option of a command that jvirsh does not implement. */
    static String optionMessage(String command, String option) {
        return "this option is not supported by jvirsh: " + command + " --" + option;
    }

    /** The error for a command jvirsh does not implement. */
    static String message(String command) {
        return "this command is not supported by jvirsh: " + command;
    }
}
