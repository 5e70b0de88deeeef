package org.jvirt.vmm.devices.serial;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Resettable;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.irq.InterruptLine;

/**
 * A 16550A UART (8 registers, e.g. COM1 at port 0x3f8 on IRQ 4), enough for Linux's 8250
 * driver to probe it as a 16550A (scratch, loopback and FIFO probes) and run it by interrupts.
 *
 * <p>Transmission is instantaneous: a byte written to THR goes straight to the backend, so
 * THR and the shift register are always empty again when the guest looks. Host input waits in
 * a queue; the receive FIFO is its first 16 bytes (1 byte with FIFOs disabled), so the guest
 * sees a real FIFO while the host is back-pressured instead of losing bytes.
 *
 * <p>Interrupts: the line level follows "an interrupt is pending and MCR.OUT2 is set", as
 * on a PC where OUT2 gates the IRQ; the controller sees an edge whenever a new one becomes
 * pending after the previous was serviced. Receive interrupts are raised as soon as one byte
 * is available (no trigger level, no character timeout), which the 8250 driver handles.
 *
 * <p>Threading: the vCPU thread calls read/write, a backend thread calls receive; all state is
 * guarded by this object's monitor. Nothing is allocated per access.
 */
public final class Uart16550 implements IoDevice, SerialInput, Snapshottable, Resettable {

    /** Bytes of host input held back when the guest is not reading. */
    public static final int INPUT_QUEUE_SIZE = 4096;
    private static final int FIFO_SIZE = 16;

    // Register offsets.
    private static final int DATA = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

    // IER bits.
    private static final int IER_RDA = 0x01, IER_THRE = 0x02, IER_RLS = 0x04, IER_MS = 0x08;
    // IIR values (interrupt identification, highest priority first).
    private static final int IIR_NONE = 0x01, IIR_RLS = 0x06, IIR_RDA = 0x04, IIR_THRE = 0x02, IIR_MS = 0x00;
    private static final int IIR_FIFO_ENABLED = 0xC0;
    // FCR bits.
    private static final int FCR_ENABLE = 0x01, FCR_CLEAR_RX = 0x02;
    // LCR/MCR bits.
    private static final int LCR_DLAB = 0x80;
    private static final int MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10;
    // LSR bits.
    private static final int LSR_DR = 0x01, LSR_OE = 0x02, LSR_THRE = 0x20, LSR_TEMT = 0x40;
    private static final int LSR_ERRORS = 0x1E; // OE, PE, FE, BI
    // MSR bits.
    private static final int MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80;
    private static final int MSR_TERI = 0x04;
    /** With a host connected the lines read as "carrier, data set and clear-to-send present". */
    private static final int MSR_CONNECTED = MSR_DCD | MSR_DSR | MSR_CTS;

    private final InterruptLine irq;
    private final SerialBackend backend;

    private final byte[] queue = new byte[INPUT_QUEUE_SIZE];
    private int queueHead, queueCount;

    private int divisor = 12; // 9600 baud, the power-on value firmware would leave
    private int ier, lcr = 0x03, mcr, lsrErrors, msr = MSR_CONNECTED, scr, fcr;
    private boolean thrInterruptPending;
    private boolean lineHigh;
    private boolean inputWaiter;

    public Uart16550(InterruptLine irq, SerialBackend backend) {
        this.irq = Objects.requireNonNull(irq, "irq");
        this.backend = Objects.requireNonNull(backend, "backend");
        backend.attach(this);
    }

    public SerialBackend backend() {
        return backend;
    }

    @Override
    public synchronized long read(long offset, int size) {
        long value;
        switch ((int) offset) {
            case DATA -> value = (lcr & LCR_DLAB) != 0 ? divisor & 0xFF : readRbr();
            case IER -> value = (lcr & LCR_DLAB) != 0 ? (divisor >>> 8) & 0xFF : ier;
            case IIR_FCR -> value = readIir();
            case LCR -> value = lcr;
            case MCR -> value = mcr;
            case LSR -> value = readLsr();
            case MSR -> value = readMsr();
            case SCR -> value = scr;
            default -> value = 0xFF;
        }
        updateInterrupt();
        return value;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        int v = (int) value & 0xFF;
        switch ((int) offset) {
            case DATA -> {
                if ((lcr & LCR_DLAB) != 0) divisor = (divisor & 0xFF00) | v;
                else transmit(v);
            }
            case IER -> {
                if ((lcr & LCR_DLAB) != 0) {
                    divisor = (divisor & 0x00FF) | (v << 8);
                } else {
                    // Enabling the THRE interrupt while THR is empty raises it at once (16550 behaviour,
                    // which Linux's THRE test relies on).
                    if ((v & IER_THRE) != 0 && (ier & IER_THRE) == 0) thrInterruptPending = true;
                    ier = v & 0x0F;
                }
            }
            case IIR_FCR -> writeFcr(v);
            case LCR -> lcr = v;
            case MCR -> writeMcr(v & 0x1F);
            case LSR, MSR -> { } // read-only (factory test registers on real parts)
            case SCR -> scr = v;
            default -> { }
        }
        updateInterrupt();
    }

    /**
     * Machine reset: registers back to their initial values (9600 baud 8N1, as firmware would
     * leave them), the receive FIFO emptied; host input queued behind the FIFO stays.
     */
    @Override
    public synchronized void reset() {
        dropFifo((fcr & FCR_ENABLE) != 0 ? FIFO_SIZE : 1);
        divisor = 12;
        ier = 0;
        lcr = 0x03;
        mcr = 0;
        fcr = 0;
        lsrErrors = 0;
        msr = MSR_CONNECTED;
        thrInterruptPending = false;
        updateInterrupt();
    }

    // ---- host input ----

    @Override
    public synchronized int receive(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        int n = Math.min(len, INPUT_QUEUE_SIZE - queueCount);
        for (int i = 0; i < n; i++) enqueue(data[off + i]);
        if (n > 0) updateInterrupt();
        return n;
    }

    @Override
    public synchronized void receiveFully(byte[] data, int off, int len) throws InterruptedException {
        Objects.checkFromIndexSize(off, len, data.length);
        while (len > 0) {
            int n = receive(data, off, len);
            off += n;
            len -= n;
            if (len > 0) {
                inputWaiter = true;
                wait();
            }
        }
    }

    /** Bytes of host input not yet read by the guest. */
    public synchronized int pendingInput() {
        return queueCount;
    }

    // ---- registers ----

    private int readRbr() {
        if (queueCount == 0) return 0;
        int b = queue[queueHead] & 0xFF;
        queueHead = (queueHead + 1) % INPUT_QUEUE_SIZE;
        queueCount--;
        if (inputWaiter) {
            inputWaiter = false;
            notifyAll();
        }
        return b;
    }

    private int readIir() {
        int id = pendingInterrupt();
        // Reading IIR while it reports THRE acknowledges that interrupt.
        if (id == IIR_THRE) thrInterruptPending = false;
        return id | ((fcr & FCR_ENABLE) != 0 ? IIR_FIFO_ENABLED : 0);
    }

    private int readLsr() {
        int v = LSR_THRE | LSR_TEMT | lsrErrors;
        if (queueCount > 0) v |= LSR_DR;
        lsrErrors = 0; // error bits clear on read
        return v;
    }

    private int readMsr() {
        int v = msr;
        msr &= 0xF0; // delta bits clear on read
        return v;
    }

    private void writeFcr(int v) {
        boolean wasEnabled = (fcr & FCR_ENABLE) != 0;
        boolean enabled = (v & FCR_ENABLE) != 0;
        // Toggling the FIFO enable, or the clear bit, empties the receive FIFO (not the host queue behind it).
        if (wasEnabled != enabled || (v & FCR_CLEAR_RX) != 0) dropFifo(wasEnabled ? FIFO_SIZE : 1);
        fcr = v & 0xC9; // enable, DMA mode, trigger level; clear bits self-reset
    }

    private void writeMcr(int v) {
        int oldStatus = modemStatusLines();
        mcr = v;
        int newStatus = modemStatusLines();
        int delta = 0;
        if (((oldStatus ^ newStatus) & MSR_CTS) != 0) delta |= 0x01;
        if (((oldStatus ^ newStatus) & MSR_DSR) != 0) delta |= 0x02;
        if ((oldStatus & MSR_RI) != 0 && (newStatus & MSR_RI) == 0) delta |= MSR_TERI;
        if (((oldStatus ^ newStatus) & MSR_DCD) != 0) delta |= 0x08;
        msr = newStatus | (msr & 0x0F) | delta;
    }

    /** The MSR status bits: looped back from MCR in loopback mode, else a connected host. */
    private int modemStatusLines() {
        if ((mcr & MCR_LOOP) == 0) return MSR_CONNECTED;
        int v = 0;
        if ((mcr & MCR_RTS) != 0) v |= MSR_CTS;
        if ((mcr & MCR_DTR) != 0) v |= MSR_DSR;
        if ((mcr & MCR_OUT1) != 0) v |= MSR_RI;
        if ((mcr & MCR_OUT2) != 0) v |= MSR_DCD;
        return v;
    }

    private void transmit(int b) {
        if ((mcr & MCR_LOOP) != 0) {
            // Loopback: the byte appears in our own receive FIFO, or overruns it.
            if (queueCount < fifoCapacity()) enqueue((byte) b);
            else lsrErrors |= LSR_OE;
        } else {
            backend.write(b);
        }
        thrInterruptPending = true; // THR is empty again immediately
    }

    private int pendingInterrupt() {
        if ((ier & IER_RLS) != 0 && lsrErrors != 0) return IIR_RLS;
        if ((ier & IER_RDA) != 0 && queueCount > 0) return IIR_RDA;
        if ((ier & IER_THRE) != 0 && thrInterruptPending) return IIR_THRE;
        if ((ier & IER_MS) != 0 && (msr & 0x0F) != 0) return IIR_MS;
        return IIR_NONE;
    }

    private void updateInterrupt() {
        // In loopback mode the interrupt output is disconnected from the pin.
        boolean high = pendingInterrupt() != IIR_NONE && (mcr & MCR_OUT2) != 0 && (mcr & MCR_LOOP) == 0;
        if (high != lineHigh) {
            lineHigh = high;
            irq.setLevel(high);
        }
    }

    private int fifoCapacity() {
        return (fcr & FCR_ENABLE) != 0 ? FIFO_SIZE : 1;
    }

    private void enqueue(byte b) {
        queue[(queueHead + queueCount) % INPUT_QUEUE_SIZE] = b;
        queueCount++;
    }

    private void dropFifo(int n) {
        int k = Math.min(n, queueCount);
        queueHead = (queueHead + k) % INPUT_QUEUE_SIZE;
        queueCount -= k;
        if (k > 0 && inputWaiter) {
            inputWaiter = false;
            notifyAll();
        }
    }

    // ---- snapshot ----

    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeShort(divisor);
        out.writeByte(ier);
        out.writeByte(lcr);
        out.writeByte(mcr);
        out.writeByte(lsrErrors);
        out.writeByte(msr);
        out.writeByte(scr);
        out.writeByte(fcr);
        out.writeBoolean(thrInterruptPending);
        out.writeShort(queueCount);
        for (int i = 0; i < queueCount; i++) out.writeByte(queue[(queueHead + i) % INPUT_QUEUE_SIZE]);
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        divisor = in.readUnsignedShort();
        ier = in.readUnsignedByte() & 0x0F;
        lcr = in.readUnsignedByte();
        mcr = in.readUnsignedByte() & 0x1F;
        lsrErrors = in.readUnsignedByte() & LSR_ERRORS;
        msr = in.readUnsignedByte();
        scr = in.readUnsignedByte();
        fcr = in.readUnsignedByte() & 0xC9;
        thrInterruptPending = in.readBoolean();
        int n = in.readUnsignedShort();
        if (n > INPUT_QUEUE_SIZE) throw new IOException("UART input queue of " + n + " bytes exceeds " + INPUT_QUEUE_SIZE);
        queueHead = 0;
        queueCount = 0;
        for (int i = 0; i < n; i++) enqueue(in.readByte());
        updateInterrupt();
    }
}
