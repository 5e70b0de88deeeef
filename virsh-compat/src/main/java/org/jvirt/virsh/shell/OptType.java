package org.jvirt.virsh.shell;

/** virsh's option types (vshCmdOptType). */
public enum OptType {
    /** A flag: --name. */
    BOOL,
    /** A string value: --name VALUE, or positionally. */
    STRING,
    /** An integer value. */
    INT,
    /** Positional data such as the domain: [--name] VALUE. */
    DATA,
    /** The remaining positional words. */
    ARGV,
    /** Another spelling of a later option (undocumented in help); its help is "name" or "name=value". */
    ALIAS
}
