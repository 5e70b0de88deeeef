package org.jvirt.daemon.log;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * The C library's syslog(3), through JNA (Java has no datagram unix sockets to reach /dev/log
 * itself). One ident per process, as openlog(3) keeps one.
 */
final class Syslog {
    private static final int LOG_PID = 0x01;
    private static final int LOG_DAEMON = 3 << 3;

    interface CLib extends Library {
        void openlog(Memory ident, int option, int facility);

        void syslog(int priority, String format, Object... args);
    }

    private static CLib libc;
    private static Memory ident; // openlog keeps the pointer: it must stay alive

    private Syslog() {
    }

    static synchronized void open(String name) {
        if (libc == null) libc = Native.load("c", CLib.class);
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Memory m = new Memory(b.length + 1);
        m.write(0, b, 0, b.length);
        m.setByte(b.length, (byte) 0);
        libc.openlog(m, LOG_PID, LOG_DAEMON);
        ident = m;
    }

    static synchronized void log(Level level, String message) {
        int priority = switch (level) {
            case DEBUG -> 7;
            case INFO -> 6;
            case WARNING -> 4;
            case ERROR -> 3;
        };
        libc.syslog(LOG_DAEMON | priority, "%s", message);
    }
}
