package org.jvirt.vmm.devices.fwcfg;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Resettable;
import org.jvirt.vmm.devices.Snapshottable;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;

/**
 * The fw_cfg device's I/O ports (register at {@link #PORT}, length {@link #LENGTH}): a 16-bit
 * write to offset 0 selects an item (bit 15, the architecture-local flag, is part of the key;
 * bit 14, the write flag, is not, as in QEMU's lookup) and rewinds it; each byte read from offset 1 returns the item's
 * next byte, 0 past its end or for an unknown key, as QEMU does. Writes to items are ignored
 * (QEMU has made items read-only since 2.4). Other widths read as all ones.
 *
 * <p>Its state is the selected key and the read position (the items are the machine's
 * configuration, rebuilt from it on a restore, as QEMU's fw_cfg migrates only cur_entry and
 * cur_offset).
 */
public final class FwCfg implements IoDevice, Resettable, Snapshottable {
    public static final int PORT = 0x510, LENGTH = 2;
    private static final byte[] NONE = new byte[0];

    private final Map<Integer, byte[]> items;
    private byte[] current = NONE;
    /** The key last selected (-1: none since reset). */
    private int key = -1;
    private int offset;

    public FwCfg(FwCfgItems items) {
        this.items = Map.copyOf(items.build());
    }

    @Override
    public synchronized long read(long at, int size) {
        if (at != 1 || size != 1) return size >= 8 ? -1L : (1L << (8 * size)) - 1;
        return offset < current.length ? current[offset++] & 0xff : 0;
    }

    @Override
    public synchronized void write(long at, int size, long value) {
        if (at != 0 || size != 2) return;
        key = (int) (value & 0xbfff);
        current = items.getOrDefault(key, NONE);
        offset = 0;
    }

    @Override
    public synchronized void reset() {
        current = NONE;
        key = -1;
        offset = 0;
    }

    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeInt(key);
        out.writeInt(offset);
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        int k = in.readInt(), at = in.readInt();
        if (k < -1 || k > 0xbfff || at < 0) throw new IOException("fw_cfg state: bad key " + k + " or offset " + at);
        key = k;
        current = k < 0 ? NONE : items.getOrDefault(k, NONE);
        offset = at; // past the end reads 0, as before the save
    }
}
