package org.jvirt.vmm.devices.usb.xhci;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** One interrupter's registers and event ring position (QEMU's XHCIInterrupter; one segment only, as QEMU). */
final class Interrupter {
    static final int IMAN_IP = 1, IMAN_IE = 2, ERDP_EHB = 8;
    int iman, imod, erstsz, erstbaLow, erstbaHigh, erdpLow, erdpHigh;
    long erStart;
    int erSize, enqueue;
    boolean pcs = true;

    long erdp() { return (erdpLow & 0xFFFF_FFFFL) | (long) erdpHigh << 32; }
    long erstba() { return (erstbaLow & 0xFFFF_FFFFL) | (long) erstbaHigh << 32; }

    void reset() {
        iman = imod = erstsz = erstbaLow = erstbaHigh = erdpLow = erdpHigh = 0;
        erStart = 0;
        erSize = enqueue = 0;
        pcs = true;
    }

    void save(DataOutput out) throws IOException {
        for (int v : new int[] {iman, imod, erstsz, erstbaLow, erstbaHigh, erdpLow, erdpHigh, erSize, enqueue}) out.writeInt(v);
        out.writeLong(erStart);
        out.writeBoolean(pcs);
    }

    void load(DataInput in) throws IOException {
        iman = in.readInt();
        imod = in.readInt();
        erstsz = in.readInt();
        erstbaLow = in.readInt();
        erstbaHigh = in.readInt();
        erdpLow = in.readInt();
        erdpHigh = in.readInt();
        erSize = in.readInt();
        enqueue = in.readInt();
        erStart = in.readLong();
        pcs = in.readBoolean();
        if (erSize < 0 || erSize > 4096 || enqueue < 0 || enqueue > Math.max(erSize, 0)) throw new IOException("xhci: bad event ring " + erSize + "/" + enqueue);
    }
}
