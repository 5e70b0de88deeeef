package org.jvirt.daemon.log;

/** libvirt's log priorities: the number used in log_outputs and the word in log lines. */
public enum Level {
    DEBUG(1, "debug"), INFO(2, "info"), WARNING(3, "warning"), ERROR(4, "error");

    private final int number;
    private final String word;

    Level(int number, String word) {
        this.number = number;
        this.word = word;
    }

    public int number() {
        return number;
    }

    public String word() {
        return word;
    }

    /** The level numbered 1..4, or null. */
    public static Level of(int number) {
        for (Level l : values()) {
            if (l.number == number) return l;
        }
        return null;
    }
}
