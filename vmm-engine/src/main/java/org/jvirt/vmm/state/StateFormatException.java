package org.jvirt.vmm.state;

/**
 * A state file or section that cannot be used: wrong magic or format version, truncated,
 * corrupted, or a section this build cannot read. The message names what is wrong and where
 * (file, section id, byte offset), so it can be shown to a user as it is.
 */
public class StateFormatException extends RuntimeException {
    public StateFormatException(String message) {
        super(message);
    }

    public StateFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
