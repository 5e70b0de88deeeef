package org.jvirt.vmm.devices.ahci;

import java.io.IOException;

import org.jvirt.vmm.block.BlockBackend;

/** A disk in a byte array that remembers which thread last read or wrote it (the AHCI tests' backend). */
final class MemoryDisk implements BlockBackend {
    final byte[] data;
    private final boolean readOnly;
    volatile String lastThread;

    MemoryDisk(int size, boolean readOnly) {
        this.data = new byte[size];
        this.readOnly = readOnly;
    }

    @Override public long capacity() { return data.length; }
    @Override public boolean readOnly() { return readOnly; }

    @Override
    public void read(long offset, byte[] buf, int off, int len) throws IOException {
        BlockBackend.checkRange(this, offset, len);
        lastThread = Thread.currentThread().getName();
        System.arraycopy(data, (int) offset, buf, off, len);
    }

    @Override
    public void write(long offset, byte[] buf, int off, int len) throws IOException {
        if (readOnly) throw new IOException("read-only");
        BlockBackend.checkRange(this, offset, len);
        lastThread = Thread.currentThread().getName();
        System.arraycopy(buf, off, data, (int) offset, len);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap) throws IOException {
        BlockBackend.checkRange(this, offset, length);
        java.util.Arrays.fill(data, (int) offset, (int) (offset + length), (byte) 0);
    }

    @Override public void flush() { }
    @Override public void close() { }
}
