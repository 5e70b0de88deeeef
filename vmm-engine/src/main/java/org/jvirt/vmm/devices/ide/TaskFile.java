package org.jvirt.vmm.devices.ide;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The command block registers of one device as the host wrote them: features, sector count and
 * LBA low/mid/high each with the previous value behind it (the two-deep FIFO that 48-bit commands
 * read, and that the host reads back with HOB set), and the device register.
 */
final class TaskFile {
    int feature, hobFeature;
    int count, hobCount;
    int lbaLow, hobLbaLow;
    int lbaMid, hobLbaMid;
    int lbaHigh, hobLbaHigh;
    /** Device/head: bit 6 LBA, bit 4 DEV, bits 3-0 head or LBA 27:24 (bits 7 and 5 read as set). */
    int device = 0xA0;

    void writeFeature(int v) { hobFeature = feature; feature = v & 0xFF; }
    void writeCount(int v) { hobCount = count; count = v & 0xFF; }
    void writeLbaLow(int v) { hobLbaLow = lbaLow; lbaLow = v & 0xFF; }
    void writeLbaMid(int v) { hobLbaMid = lbaMid; lbaMid = v & 0xFF; }
    void writeLbaHigh(int v) { hobLbaHigh = lbaHigh; lbaHigh = v & 0xFF; }
    void writeDevice(int v) { device = (v & 0xFF) | 0xA0; }

    boolean lbaMode() { return (device & Ata.LBA_MODE) != 0; }

    /** The 28-bit LBA of a command without EXT. */
    long lba28() {
        return (long) (device & 0x0F) << 24 | lbaHigh << 16 | lbaMid << 8 | lbaLow;
    }

    /** The 48-bit LBA of an EXT command. */
    long lba48() {
        return (long) hobLbaHigh << 40 | (long) hobLbaMid << 32 | (long) hobLbaLow << 24
                | lbaHigh << 16 | lbaMid << 8 | lbaLow;
    }

    /** Sectors of a command without EXT: 0 means 256. */
    int count28() { return count == 0 ? 256 : count; }

    /** Sectors of an EXT command: 0 means 65536. */
    int count48() {
        int n = hobCount << 8 | count;
        return n == 0 ? 65536 : n;
    }

    /** Puts lba in the address registers (of an EXT command when ext, else with bits 27:24 in the device register). */
    void setLba(long lba, boolean ext) {
        lbaLow = (int) lba & 0xFF;
        lbaMid = (int) (lba >>> 8) & 0xFF;
        lbaHigh = (int) (lba >>> 16) & 0xFF;
        if (ext) {
            hobLbaLow = (int) (lba >>> 24) & 0xFF;
            hobLbaMid = (int) (lba >>> 32) & 0xFF;
            hobLbaHigh = (int) (lba >>> 40) & 0xFF;
        } else {
            device = (device & 0xF0) | (int) (lba >>> 24) & 0x0F;
        }
    }

    /** The 16-bit byte count of a PACKET device (LBA mid/high, "cylinder" in older documents). */
    int byteCount() { return lbaHigh << 8 | lbaMid; }

    void setByteCount(int n) {
        lbaMid = n & 0xFF;
        lbaHigh = (n >>> 8) & 0xFF;
    }

    /** The signature a reset leaves: sector count and LBA low 1, LBA mid/high 0x00/0x00 (ATA) or 0x14/0xEB (PACKET). */
    void setSignature(boolean packet) {
        setSignature(packet ? 0x14 : 0, packet ? 0xEB : 0);
    }

    /** What the registers of an absent device read after a reset: 1, 1, 0xFF, 0xFF (no known signature). */
    void setAbsentSignature() {
        setSignature(0xFF, 0xFF);
    }

    private void setSignature(int mid, int high) {
        count = lbaLow = 1;
        hobCount = hobLbaLow = hobLbaMid = hobLbaHigh = feature = hobFeature = 0;
        lbaMid = mid;
        lbaHigh = high;
        device &= Ata.DEV | 0xA0; // the channel resets the selection itself
    }

    void save(DataOutput out) throws IOException {
        for (int v : new int[] {feature, hobFeature, count, hobCount, lbaLow, hobLbaLow, lbaMid, hobLbaMid, lbaHigh,
                hobLbaHigh, device}) {
            out.writeByte(v);
        }
    }

    void load(DataInput in) throws IOException {
        feature = in.readUnsignedByte(); hobFeature = in.readUnsignedByte();
        count = in.readUnsignedByte(); hobCount = in.readUnsignedByte();
        lbaLow = in.readUnsignedByte(); hobLbaLow = in.readUnsignedByte();
        lbaMid = in.readUnsignedByte(); hobLbaMid = in.readUnsignedByte();
        lbaHigh = in.readUnsignedByte(); hobLbaHigh = in.readUnsignedByte();
        device = in.readUnsignedByte() | 0xA0;
    }
}
