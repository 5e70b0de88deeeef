package org.jvirt.vmm.devices.q35;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Resettable;
import org.jvirt.vmm.devices.Snapshottable;

/**
 * SMI_EN (PMBASE+0x30) and SMI_STS (+0x34) of the ICH9 PM block, as QEMU's q35 with smm=off has
 * them: SMI_EN resets to APMC_EN, which tells SeaBIOS that SMM is already set up, so it never
 * writes the APM control port to enter SMM (jvirt has no SMM). Both are stored; nothing raises
 * an SMI.
 */
public final class Ich9SmiRegisters implements IoDevice, Resettable, Snapshottable {
    public static final int OFFSET = 0x30, LENGTH = 8;
    public static final int SMI_EN_APMC_EN = 1 << 5;

    private int smiEnable = SMI_EN_APMC_EN, smiStatus;

    @Override
    public synchronized long read(long offset, int size) {
        long both = (smiEnable & 0xFFFF_FFFFL) | (long) smiStatus << 32;
        long v = both >>> (offset * 8);
        return size >= 8 ? v : v & ((1L << (size * 8)) - 1);
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        for (int i = 0; i < size && offset + i < LENGTH; i++) {
            int at = (int) offset + i;
            int shift = (at & 3) * 8;
            int b = (int) (value >>> (8 * i)) & 0xFF;
            if (at < 4) smiEnable = smiEnable & ~(0xFF << shift) | b << shift;
            else smiStatus &= ~(b << shift); // write 1 to clear
        }
    }

    @Override
    public synchronized void reset() {
        smiEnable = SMI_EN_APMC_EN;
        smiStatus = 0;
    }

    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeInt(smiEnable);
        out.writeInt(smiStatus);
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        smiEnable = in.readInt();
        smiStatus = in.readInt();
    }
}
