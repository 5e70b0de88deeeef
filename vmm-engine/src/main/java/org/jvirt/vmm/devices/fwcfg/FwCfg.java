package org.jvirt.vmm.devices.fwcfg;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Resettable;

import java.util.Map;

/**
 * The fw_cfg device's I/O ports (register at {@link #PORT}, length {@link #LENGTH}): a 16-bit
 * write to offset 0 selects an item (bit 15, the architecture-local flag, is part of the key;
 * bit 14, the write flag, is not, as in QEMU's lookup) and rewinds it; each byte read from offset 1 returns the item's
 * next byte, 0 past its end or for an unknown key, as QEMU does. Writes to items are ignored
 * (QEMU has made items read-only since 2.4). Other widths read as all ones.
 */
public final class FwCfg implements IoDevice, Resettable {
    public static final int PORT = 0x510, LENGTH = 2;
    private static final byte[] NONE = new byte[0];

    private final Map<Integer, byte[]> items;
    private byte[] current = NONE;
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
        current = items.getOrDefault((int) (value & 0xbfff), NONE);
        offset = 0;
    }

    @Override
    public synchronized void reset() {
        current = NONE;
        offset = 0;
    }
}
