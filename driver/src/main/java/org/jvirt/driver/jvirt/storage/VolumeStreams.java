package org.jvirt.driver.jvirt.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;

/**
 * The streams of vol-upload and vol-download on a file volume (libvirt's virFDStreamOpenBlockDevice):
 * the file from an offset, at most a length of bytes when one is given (0: up to the end).
 */
final class VolumeStreams {

    private VolumeStreams() { }

    static OutputStream upload(Path file, long offset, long length) throws LibvirtException {
        FileChannel ch = open(file, offset, StandardOpenOption.WRITE);
        OutputStream out = Channels.newOutputStream(ch);
        return new OutputStream() {
            private long left = length == 0 ? Long.MAX_VALUE : length;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                // libvirt's fd stream stops at the length asked; more data is an error of the stream
                if (len > left) throw new IOException("Request written more data than allowed");
                out.write(b, off, len);
                left -= len;
            }

            @Override
            public void close() throws IOException {
                ch.force(false);
                ch.close();
            }
        };
    }

    static InputStream download(Path file, long offset, long length) throws LibvirtException {
        FileChannel ch = open(file, offset, StandardOpenOption.READ);
        return new InputStream() {
            private long left = length == 0 ? Long.MAX_VALUE : length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) return -1;
                int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)));
                if (n > 0) left -= n;
                return n;
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    private static FileChannel open(Path file, long offset, StandardOpenOption mode) throws LibvirtException {
        try {
            FileChannel ch = FileChannel.open(file, mode);
            ch.position(offset);
            return ch;
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_STORAGE,
                    "Unable to open " + file + ": " + e.getMessage());
        }
    }
}
