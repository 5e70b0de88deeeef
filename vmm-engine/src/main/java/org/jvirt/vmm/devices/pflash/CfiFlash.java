package org.jvirt.vmm.devices.pflash;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Resettable;
import org.jvirt.vmm.devices.Snapshottable;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One flash unit as QEMU's pc machine builds it (hw/block/pflash_cfi01.c with width 1, no
 * device width, ids 0, 4 KiB sectors): reads return the array (command 0x00/0xFF), the status
 * register (after 0x70 and during program, erase, lock and write-buffer cycles), the device ids
 * (0x90: 0) or the CFI table (0x98); 0x10/0x40 program the next write's bytes, 0x20 erases the
 * sector of its address to 0xFF (at once, as QEMU, confirmed by 0xD0), 0x50 clears the status.
 * A read-only unit refuses programs (status bit 0x10) and erases (0x20). Every change is handed
 * to the {@link Store} before the guest's write completes, so the file holds whatever the guest
 * wrote once its write instruction retires.
 *
 * <p>Its state is the command state machine and, for a writable unit (the variable store), the
 * contents, as QEMU migrates a pflash unit's memory: a restored or migrated guest finds the
 * variables it wrote, and they are written to this unit's file. A read-only unit's contents are
 * the firmware's code, the same file on either side.
 */
public final class CfiFlash implements IoDevice, Resettable, Snapshottable {
    public static final int SECTOR = 4096;
    public static final int STATUS_READY = 0x80, STATUS_ERASE_ERROR = 0x20, STATUS_PROGRAM_ERROR = 0x10;
    static final int CMD_READ_ARRAY = 0x00;
    /** QEMU's write buffer: 2^0x08 bytes for a bank width of 1 (CFI byte 0x2A). */
    static final int WRITE_BUFFER = 1 << 8;

    /** Where changed bytes go (the vars file); called with the changed range. */
    public interface Store {
        void write(byte[] storage, int offset, int length) throws IOException;
    }

    private final byte[] storage;
    private final boolean readOnly;
    private final Store store;
    private final byte[] cfi;
    private int cmd = CMD_READ_ARRAY, wcycle, status = STATUS_READY;
    private long counter;

    /** storage: the unit's contents (kept, not copied); store: null for a unit nothing persists. */
    public CfiFlash(byte[] storage, boolean readOnly, Store store) {
        if (storage.length == 0 || storage.length % SECTOR != 0) {
            throw new IllegalArgumentException("a flash unit is a multiple of " + SECTOR + " bytes, not " + storage.length);
        }
        this.storage = storage;
        this.readOnly = readOnly;
        this.store = store;
        this.cfi = cfiTable(storage.length);
    }

    public int length() { return storage.length; }

    public boolean readOnly() { return readOnly; }

    /** The unit's current contents (for tests and the KVM read-only mapping). */
    public byte[] contents() { return storage; }

    @Override
    public synchronized long read(long offset, int size) {
        if (size == 8) return (read(offset, 4) & 0xffffffffL) | read(offset + 4, 4) << 32; // as two 4-byte accesses (QEMU's limit)
        switch (cmd) {
            case CMD_READ_ARRAY:
                return array(offset, size);
            case 0x10, 0x20, 0x28, 0x40, 0x50, 0x60, 0x70, 0xe8:
                return size > 2 ? status | (long) status << 16 : status;
            case 0x90:
                return 0; // manufacturer and device id 0 (QEMU's pc gives none), block lock status 0
            case 0x98: {
                int boff = (int) (offset & 0xff);
                return boff < cfi.length ? cfi[boff] & 0xff : 0;
            }
            default: // cannot happen: only the commands above are ever stored
                wcycle = 0;
                cmd = CMD_READ_ARRAY;
                return array(offset, size);
        }
    }

    private long array(long offset, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            long at = offset + i;
            int b = at >= 0 && at < storage.length ? storage[(int) at] & 0xff : 0xff;
            v |= (long) b << (8 * i);
        }
        return v;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (size == 8) {
            write(offset, 4, value & 0xffffffffL);
            write(offset + 4, 4, value >>> 32);
            return;
        }
        if (offset < 0 || offset >= storage.length) return;
        int c = (int) (value & 0xff);
        switch (wcycle) {
            case 0 -> firstCycle(offset, c);
            case 1 -> secondCycle(offset, size, value, c);
            case 2 -> bufferCycle(offset, size, value);
            case 3 -> {
                if (cmd == 0xe8 && c == 0xd0) {
                    wcycle = 0;
                    status |= STATUS_READY;
                } else {
                    readArray(); // aborting a buffered write: the data is already written (as QEMU)
                }
            }
            default -> readArray();
        }
    }

    private void firstCycle(long offset, int c) {
        switch (c) {
            case 0x10, 0x40, 0x60, 0x98 -> { }
            case 0x20 -> {
                int sector = (int) (offset & ~(long) (SECTOR - 1));
                if (!readOnly) {
                    java.util.Arrays.fill(storage, sector, sector + SECTOR, (byte) 0xff);
                    persist(sector, SECTOR);
                } else {
                    status |= STATUS_ERASE_ERROR;
                }
                status |= STATUS_READY;
            }
            case 0x50 -> {
                status = 0;
                readArray();
                return;
            }
            case 0x70, 0x90 -> {
                cmd = c;
                return; // no second cycle: reads answer until another command
            }
            case 0xe8 -> status |= STATUS_READY;
            default -> { // 0x00, 0xF0 (AMD probe), 0xFF: read array; anything else is ignored the same way
                readArray();
                return;
            }
        }
        wcycle = 1;
        cmd = c;
    }

    private void secondCycle(long offset, int size, long value, int c) {
        switch (cmd) {
            case 0x10, 0x40 -> {
                program(offset, size, value);
                wcycle = 0; // cmd stays: reads return the status until the guest asks for the array
            }
            case 0x20, 0x28 -> {
                if (c == 0xd0) {
                    wcycle = 0;
                    status |= STATUS_READY;
                } else {
                    readArray(); // 0xFF, or a sequence QEMU does not know
                }
            }
            case 0x60 -> {
                if (c == 0xd0 || c == 0x01) {
                    wcycle = 0;
                    status |= STATUS_READY;
                } else {
                    readArray();
                }
            }
            case 0x98 -> {
                if (c == 0xff) readArray(); // other writes leave query mode on (as QEMU)
            }
            case 0xe8 -> {
                counter = value & 0xff; // bank width 1: the byte count - 1
                wcycle = 2;
            }
            default -> readArray();
        }
    }

    /** Write-to-buffer data: written straight to the array as QEMU does, counter + 1 writes. */
    private void bufferCycle(long offset, int size, long value) {
        if (cmd != 0xe8) {
            readArray();
            return;
        }
        program(offset, size, value);
        if (counter == 0) wcycle = 3;
        counter--;
    }

    /** Programs size bytes of value (little-endian) at offset, or flags the error on a read-only unit. */
    private void program(long offset, int size, long value) {
        if (!readOnly) {
            int n = (int) Math.min(size, storage.length - offset);
            for (int i = 0; i < n; i++) storage[(int) offset + i] = (byte) (value >>> (8 * i));
            persist((int) offset, n);
        } else {
            status |= STATUS_PROGRAM_ERROR;
        }
        status |= STATUS_READY;
    }

    private void readArray() {
        wcycle = 0;
        cmd = CMD_READ_ARRAY;
    }

    private void persist(int offset, int length) {
        if (store == null || length <= 0) return;
        try {
            store.write(storage, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the flash file: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void reset() {
        readArray();
        status = STATUS_READY;
    }

    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeByte(cmd);
        out.writeByte(wcycle);
        out.writeByte(status);
        out.writeLong(counter);
        out.writeBoolean(!readOnly);
        if (!readOnly) {
            out.writeInt(storage.length);
            out.write(storage);
        }
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        int c = in.readUnsignedByte(), w = in.readUnsignedByte(), st = in.readUnsignedByte();
        long n = in.readLong();
        if (!KNOWN_COMMANDS.contains(c) || w > 3 || n < -1 || n > 0xff) {
            throw new IOException("flash state: bad command state " + c + "/" + w + "/" + n);
        }
        boolean withContents = in.readBoolean();
        if (withContents == readOnly) throw new IOException("flash state: " + (readOnly ? "contents for a read-only unit" : "no contents for the variable store"));
        if (withContents) {
            int length = in.readInt();
            if (length != storage.length) throw new IOException("flash state: " + length + " bytes for a unit of " + storage.length);
            in.readFully(storage);
            persist(0, storage.length);
        }
        cmd = c;
        wcycle = w;
        status = st;
        counter = n;
    }

    /** The commands the state machine ever stores (see read's switch). */
    private static final java.util.Set<Integer> KNOWN_COMMANDS = java.util.Set.of(CMD_READ_ARRAY, 0x10, 0x20, 0x28, 0x40, 0x50, 0x60, 0x70,
            0x90, 0x98, 0xe8);

    /** QEMU's CFI table for a uniform-sector part of size bytes (Intel command set, "PRI" 1.0). */
    static byte[] cfiTable(int size) {
        byte[] t = new byte[0x52];
        int blocks = size / SECTOR;
        t[0x10] = 'Q'; t[0x11] = 'R'; t[0x12] = 'Y';
        t[0x13] = 0x01; // Intel command set
        t[0x15] = 0x31; // primary extended table at 0x31
        t[0x1B] = 0x45; t[0x1C] = 0x55; // Vcc min/max
        t[0x1F] = 0x07; t[0x20] = 0x07; t[0x21] = 0x0a;
        t[0x23] = 0x04; t[0x24] = 0x04; t[0x25] = 0x04;
        t[0x27] = (byte) Integer.numberOfTrailingZeros(size); // device size 2^n (exact for power-of-two units)
        t[0x28] = 0x02; // x8/x16 interface
        t[0x2A] = 0x08; // write buffer 2^8 bytes
        t[0x2C] = 0x01; // one erase block region
        t[0x2D] = (byte) (blocks - 1); t[0x2E] = (byte) ((blocks - 1) >> 8);
        t[0x2F] = (byte) (SECTOR >> 8); t[0x30] = (byte) (SECTOR >> 16);
        t[0x31] = 'P'; t[0x32] = 'R'; t[0x33] = 'I'; t[0x34] = '1'; t[0x35] = '0';
        t[0x3f] = 0x01;
        return t;
    }
}
