package org.jvirt.virsh.shell;

/**
 * One option of a command (vshCmdOptDef). required: the command fails without it (VSH_OFLAG_REQ);
 * namedOnly: it cannot be given positionally (VSH_OFLAG_REQ_OPT). For an ALIAS, help is the
 * option it stands for: "name", or "name=value" for a flag that gives that option a value.
 */
public record OptDef(String name, OptType type, boolean required, boolean namedOnly, String help) {

    public static OptDef bool(String name, String help) {
        return new OptDef(name, OptType.BOOL, false, true, help);
    }

    public static OptDef data(String name, String help) {
        return new OptDef(name, OptType.DATA, true, false, help);
    }

    public static OptDef string(String name, String help) {
        return new OptDef(name, OptType.STRING, false, false, help);
    }

    public static OptDef namedString(String name, String help) {
        return new OptDef(name, OptType.STRING, false, true, help);
    }

    public static OptDef argv(String name, String help) {
        return new OptDef(name, OptType.ARGV, false, false, help);
    }

    /** The standard domain option. */
    public static OptDef domain() {
        return data("domain", "domain name, id or uuid");
    }

    /** Whether a word that is not an option can fill it (vshCmddefOptParse's opts_need_arg). */
    boolean positional() {
        return type != OptType.BOOL && type != OptType.ALIAS && !namedOnly;
    }
}
