package org.jvirt.vmm.devices.usb.xhci;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/** An enabled endpoint of a slot (QEMU's XHCIEPContext, without streams): its ring and its context's address. */
final class Endpoint {
    static final int DISABLED = 0, RUNNING = 1, HALTED = 2, STOPPED = 3;
    static final int TYPE_CONTROL = 4, TYPE_INTR_IN = 7;

    final int epid;
    int type, state, maxPacket;
    long context, dequeue;
    boolean ccs;
    /** A NAKed interrupt transfer, retried when the device has data (QEMU's epctx->retry), or null. */
    List<Trb> retry;

    Endpoint(int epid) {
        this.epid = epid;
    }

    void save(DataOutput out) throws IOException {
        out.writeByte(epid);
        out.writeByte(type);
        out.writeByte(state);
        out.writeInt(maxPacket);
        out.writeLong(context);
        // a NAKed transfer is fetched again from the ring after a load: the ring position before it
        out.writeLong(retry != null ? retry.get(0).address() : dequeue);
        out.writeBoolean(retry != null ? retry.get(0).ccs() : ccs);
    }

    static Endpoint load(DataInput in) throws IOException {
        Endpoint e = new Endpoint(in.readUnsignedByte());
        if (e.epid < 1 || e.epid > 31) throw new IOException("xhci: bad endpoint " + e.epid);
        e.type = in.readUnsignedByte() & 7;
        e.state = in.readUnsignedByte() & 7;
        e.maxPacket = in.readInt();
        e.context = in.readLong();
        e.dequeue = in.readLong();
        e.ccs = in.readBoolean();
        return e;
    }
}
