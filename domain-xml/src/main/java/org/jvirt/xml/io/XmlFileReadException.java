package org.jvirt.xml.io;

import java.io.IOException;

/**
 * A file that could not be read, split as libvirt's virFileReadAll splits it: whether opening
 * or reading failed, and the reason in strerror's words ("No such file or directory",
 * "Is a directory", "Value too large for defined data type" for a file over the limit).
 */
public final class XmlFileReadException extends IOException {

    private final boolean opening;
    private final String reason;

    XmlFileReadException(boolean opening, String reason) {
        super((opening ? "Failed to open file: " : "Failed to read file: ") + reason);
        this.opening = opening;
        this.reason = reason;
    }

    /** True when the file could not be opened, false when reading it failed. */
    public boolean opening() { return opening; }

    public String reason() { return reason; }
}
