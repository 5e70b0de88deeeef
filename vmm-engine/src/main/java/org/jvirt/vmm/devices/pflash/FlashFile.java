package org.jvirt.vmm.devices.pflash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A writable flash unit's file: each program or erase is written at its offset with one
 * positional write before the guest's write instruction completes (QEMU's pflash_update writes
 * through the same way). Once write(2) returned the bytes are the kernel's page cache, so a
 * VMM killed at any point later loses nothing of them; the guest's own protocol (OVMF's
 * fault-tolerant write over the variable store) covers a kill between two of its writes, as it
 * covers a power cut on real flash. Only a host crash before writeback could lose data: the
 * file is not fsynced per write (neither does QEMU).
 */
public final class FlashFile implements CfiFlash.Store, AutoCloseable {
    private final Path path;
    private final FileChannel channel;

    private FlashFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Opens path for writing (it must exist: libvirt copies the template before the start). */
    public static FlashFile open(Path path) throws IOException {
        return new FlashFile(path, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    @Override
    public void write(byte[] storage, int offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(storage, offset, length);
        long at = offset;
        while (b.hasRemaining()) at += channel.write(b, at);
    }

    public Path path() { return path; }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
