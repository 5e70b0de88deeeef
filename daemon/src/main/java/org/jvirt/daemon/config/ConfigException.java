package org.jvirt.daemon.config;

/**
 * A config file that cannot be used. The message is worded as libvirt's error for the same
 * file, category prefix included ("configuration file syntax error: FILE:3: expecting a name",
 * "internal error: FILE: expected a bool for 'listen_tcp' parameter").
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** The line libvirtd logs when it cannot use its config file: "Can't load config file: MSG: FILE". */
    public String daemonMessage(String file) {
        return "Can't load config file: " + getMessage() + ": " + file;
    }
}
