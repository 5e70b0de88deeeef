package org.jvirt.driver.spi;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A domain's console opened for a client (virDomainOpenConsole's stream): bytes from the guest
 * on {@link #input()}, bytes to the guest on {@link #output()}. Closing detaches the client;
 * the guest keeps running.
 */
public interface ConsoleStream extends AutoCloseable {
    InputStream input();

    OutputStream output();

    @Override
    void close();
}
