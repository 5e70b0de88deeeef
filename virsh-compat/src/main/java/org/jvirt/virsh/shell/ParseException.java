package org.jvirt.virsh.shell;

/** A command line virsh refuses before running anything; the message follows "error: ". */
public final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public ParseException(String message) {
        super(message);
    }
}
