package org.jvirt.virsh.shell;

/**
 * One option of a command (vshCmdOptDef). required: the command fails without it;
 * namedOnly: it cannot be given positionally (VSH_OFLAG_REQ_OPT).
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

    /** How SYNOPSIS shows the option. */
    String synopsis() {
        return switch (type) {
            case BOOL -> "[--" + name + "]";
            case INT -> required ? "<" + name + ">" : "[--" + name + " <number>]";
            case STRING -> "[--" + name + " <string>]";
            case DATA -> required ? "<" + name + ">" : "[<" + name + ">]";
            case ARGV -> required ? "<" + name + ">..." : "[<" + name + ">]...";
        };
    }

    /** How SYNOPSIS shows an ARGV option after one that can be given positionally. */
    String shortSynopsis() {
        return required ? "{[--" + name + "] <string>}..." : "[[--" + name + "] <string>]...";
    }

    /** How OPTIONS lists the option. */
    String usage() {
        return switch (type) {
            case BOOL -> "--" + name;
            case INT -> required ? "[--" + name + "] <number>" : "--" + name + " <number>";
            case STRING -> "--" + name + " <string>";
            case DATA -> "[--" + name + "] <string>";
            case ARGV -> required ? "[--" + name + "] <string>" : "[--" + name + "] <string>";
        };
    }
}
