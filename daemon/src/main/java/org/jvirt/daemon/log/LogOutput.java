package org.jvirt.daemon.log;

/**
 * One log_outputs entry: the lowest level it takes, where it goes and that place's name (a file's
 * path, syslog's ident; null for stderr and journald).
 */
public record LogOutput(Level level, Destination destination, String name) {
    /** log_outputs destinations, as spelled there. */
    public enum Destination {
        STDERR("stderr"), SYSLOG("syslog"), FILE("file"), JOURNALD("journald");

        private final String word;

        Destination(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        /** Whether the entry carries a name (file path, syslog ident) after the destination. */
        boolean named() {
            return this == SYSLOG || this == FILE;
        }
    }

    public boolean accepts(Level l) {
        return l.number() >= level.number();
    }

    /** The entry as log_outputs writes it: "3:file:/var/log/jvirt/jvirtd.log", "1:stderr". */
    @Override
    public String toString() {
        return level.number() + ":" + destination.word() + (destination.named() ? ":" + name : "");
    }
}
