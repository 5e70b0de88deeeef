package org.jvirt.driver.api;

import java.io.IOException;
import java.io.InputStream;

/**
 * A data stream (libvirt-java's Stream, virStream): made by {@link Connect#streamNew(int)},
 * given to a call that fills it ({@link Domain#screenshot(Stream, int)}), then read with
 * {@link #receive(byte[])} until it returns 0, and ended with {@link #finish()} (or
 * {@link #abort()}).
 */
public class Stream implements AutoCloseable {

    private final Connect conn;
    private InputStream source;

    Stream(Connect conn) {
        this.conn = conn;
    }

    Connect conn() { return conn; }

    /** Where the stream's data comes from; set by the call that opens it. */
    void attach(InputStream in) throws LibvirtException {
        if (source != null) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_OPERATION_INVALID, Error.ErrorDomain.VIR_FROM_STREAMS,
                    "stream is already in use");
        }
        source = in;
    }

    /** virStreamRecv: up to data.length bytes; 0 at the end of the stream. */
    public int receive(byte[] data) throws LibvirtException {
        InputStream in = opened();
        try {
            int n = in.read(data, 0, data.length);
            return n < 0 ? 0 : n;
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** The stream's data as an InputStream (read it to the end, then {@link #finish()}). */
    public InputStream getInputStream() throws LibvirtException {
        return opened();
    }

    /** virStreamFinish: the data was read to its end. */
    public int finish() throws LibvirtException {
        InputStream in = opened();
        try {
            in.close();
        } catch (IOException e) {
            throw failed(e);
        }
        return 0;
    }

    /** virStreamAbort: the rest of the data is dropped. */
    public int abort() throws LibvirtException {
        try {
            opened().close();
        } catch (IOException e) {
            // aborting: nothing more to report
        }
        return 0;
    }

    @Override
    public void close() {
        if (source != null) {
            try {
                source.close();
            } catch (IOException e) {
                // already ended
            }
        }
    }

    private InputStream opened() throws LibvirtException {
        if (source == null) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_OPERATION_INVALID, Error.ErrorDomain.VIR_FROM_STREAMS,
                    "stream is not open");
        }
        return source;
    }

    private static LibvirtException failed(IOException e) {
        return new LibvirtException(Error.ErrorNumber.VIR_ERR_RPC, Error.ErrorDomain.VIR_FROM_STREAMS, e.getMessage());
    }
}
