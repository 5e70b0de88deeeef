package org.jvirt.vmm.protocol.launch;

import org.jvirt.vmm.protocol.ExitReason;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The exit file (--exit-file): how a VMM ended, for whoever finds the process gone. Written by
 * the VMM, read by the driver, both through this class. The text stays "reason=R\nstatus=N\n
 * message=M\n" (readable by people and by older readers).
 *
 * @param reason null when the file names a reason this build does not know
 */
public record ExitRecord(ExitReason reason, int status, String message) {

    public String format() {
        String m = message == null ? "" : message.replace('\n', ' ');
        return "reason=" + (reason == null ? "" : reason.wire()) + "\nstatus=" + status + "\nmessage=" + m + "\n";
    }

    /** Tolerant: missing or bad fields are null reason, status 0, empty message. */
    public static ExitRecord parse(String text) {
        ExitReason reason = null;
        int status = 0;
        String message = "";
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) continue;
            String v = line.substring(eq + 1);
            switch (line.substring(0, eq)) {
                case "reason" -> reason = ExitReason.ofWire(v);
                case "status" -> {
                    try {
                        status = Integer.parseInt(v.trim());
                    } catch (NumberFormatException e) {
                        status = 0;
                    }
                }
                case "message" -> message = v;
                default -> { }
            }
        }
        return new ExitRecord(reason, status, message);
    }

    /** The record in file, or null when there is none. */
    public static ExitRecord read(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Writes file atomically (a reader sees the old file or the whole new one). */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, format(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
