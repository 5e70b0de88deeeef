package org.jvirt.vmm.migration;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.devices.virtio.VirtioBlock;
import org.jvirt.vmm.machine.Machine;

/**
 * The receiving side of live storage migration: checks the source's disks against this
 * machine's (same index, same size, writable here), then writes their blocks into this
 * machine's images (paused, no guest I/O), and flushes them at the end.
 */
final class DiskReceiver {
    private final Machine machine;
    private final Set<Integer> announced = new HashSet<>();
    private final byte[] buf = new byte[DiskCopy.CHUNK];

    DiskReceiver(Machine machine) {
        this.machine = machine;
    }

    void readLayout(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > machine.board().disks().size()) {
            throw new MigrationException("the source copies " + n + " disks; this machine has " + machine.board().disks().size());
        }
        for (int i = 0; i < n; i++) {
            int index = in.readInt();
            long capacity = in.readLong();
            BlockBackend disk = disk(index, false);
            if (disk.capacity() != capacity) {
                throw new MigrationException("disk " + index + " has " + disk.capacity() + " bytes here, " + capacity + " on the source");
            }
            if (disk.readOnly()) throw new MigrationException("disk " + index + " is read-only here: its copy cannot be written");
            announced.add(index);
        }
    }

    private BlockBackend disk(int index, boolean mustBeAnnounced) throws MigrationException {
        if (index < 0 || index >= machine.board().disks().size()) throw new MigrationException("no disk " + index + " here");
        if (mustBeAnnounced && !announced.contains(index)) throw new MigrationException("blocks for disk " + index + ", which the source did not announce");
        VirtioBlock d = machine.board().disks().get(index);
        return d.backend();
    }

    void readBlocks(DataInputStream in) throws IOException {
        BlockBackend disk = disk(in.readInt(), true);
        long at = in.readLong();
        int len = in.readInt();
        if (len <= 0 || len > DiskCopy.CHUNK) throw new MigrationException("bad disk block run of " + len + " bytes");
        BlockBackend.checkRange(disk, at, len);
        in.readFully(buf, 0, len);
        disk.write(at, buf, 0, len);
    }

    void readZeroes(DataInputStream in) throws IOException {
        BlockBackend disk = disk(in.readInt(), true);
        long at = in.readLong();
        int len = in.readInt();
        if (len <= 0 || len > DiskCopy.CHUNK) throw new MigrationException("bad disk zero run of " + len + " bytes");
        BlockBackend.checkRange(disk, at, len);
        disk.writeZeroes(at, len, true);
    }

    void flush() throws IOException {
        for (int index : announced) disk(index, true).flush();
    }
}
