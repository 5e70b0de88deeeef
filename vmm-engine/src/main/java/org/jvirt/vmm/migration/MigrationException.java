package org.jvirt.vmm.migration;

import java.io.IOException;

/** A migration that cannot go on: a broken stream, a refusal by the other side, a timeout. */
public final class MigrationException extends IOException {
    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
