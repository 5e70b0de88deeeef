package org.jvirt.vmm.devices.i8042;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Resettable;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.irq.InterruptLine;

/**
 * The PC keyboard controller (8042) at ports 0x60 (data) and 0x64 (status/command), with a
 * minimal keyboard behind it that acknowledges every command but never types: enough for
 * Linux's i8042/atkbd drivers to probe quickly and for the guest to reset the machine.
 *
 * <p>Registration: either two ranges, {@link #dataPort()} at 0x60 length 1 and
 * {@link #commandPort()} at 0x64 length 1 (preferred: ports 0x61-0x63 belong to others,
 * e.g. 0x61 is the PIT/speaker port), or this object itself for 0x60 length 5, where
 * offsets 1-3 read as a floating bus.
 *
 * <p>Reset: command 0xFE (pulse the reset line), or writing the output port (0xD1) with
 * bit 0 clear, calls the reset callback on the vCPU thread. There is no mouse: the AUX
 * port's internal loopback (0xD3) works, but bytes written to the mouse (0xD4) are answered
 * with a time-out, as a controller with nothing plugged in does.
 *
 * <p>Interrupt lines are driven as levels: high while a byte for that port waits in the
 * output buffer and its interrupt is enabled in the command byte. The AUX line may be null.
 */
public final class I8042 implements IoDevice, Snapshottable, Resettable {

    // Status register bits.
    private static final int STS_OBF = 0x01, STS_SYS = 0x04, STS_CMD = 0x08, STS_UNLOCKED = 0x10;
    private static final int STS_AUX_OBF = 0x20, STS_TIMEOUT = 0x40;
    // Controller command byte (CTR) bits.
    private static final int CTR_KBD_INT = 0x01, CTR_AUX_INT = 0x02, CTR_SYS = 0x04;
    private static final int CTR_KBD_DISABLE = 0x10, CTR_AUX_DISABLE = 0x20, CTR_TRANSLATE = 0x40;
    /** The byte a BIOS leaves: keyboard interrupt on, system flag, scancode translation. */
    private static final int CTR_POWER_ON = CTR_KBD_INT | CTR_SYS | CTR_TRANSLATE;
    // Output port bits.
    private static final int OUTP_RESET_HIGH = 0x01, OUTP_A20 = 0x02;

    // Keyboard replies.
    private static final int KBD_ACK = 0xFA, KBD_SELFTEST_OK = 0xAA, KBD_ECHO = 0xEE, KBD_ID = 0xAB;

    private static final int OUT_QUEUE = 32;
    private static final int FLAG_AUX = 0x100, FLAG_TIMEOUT = 0x200;

    private final InterruptLine kbdIrq;
    private final InterruptLine auxIrq;
    private final Runnable resetCallback;

    /** Output buffer entries: byte | FLAG_AUX | FLAG_TIMEOUT. */
    private final int[] out = new int[OUT_QUEUE];
    private int outHead, outCount;
    private int lastData;
    private int ctr = CTR_POWER_ON;
    private int outputPort = OUTP_RESET_HIGH | OUTP_A20;
    private int pendingCommand;      // controller command waiting for its data byte, 0 if none
    private int pendingKbdCommand;   // keyboard command waiting for its parameter, 0 if none
    private boolean lastWriteWasCommand;
    private boolean kbdLineHigh, auxLineHigh;

    private final IoDevice dataPort = new IoDevice() {
        @Override public long read(long offset, int size) { return readData(); }
        @Override public void write(long offset, int size, long value) { writeData((int) value & 0xFF); }
    };
    private final IoDevice commandPort = new IoDevice() {
        @Override public long read(long offset, int size) { return readStatus(); }
        @Override public void write(long offset, int size, long value) { writeCommand((int) value & 0xFF); }
    };

    /**
     * @param kbdIrq IRQ 1 (may be null: polled only)
     * @param auxIrq IRQ 12 (may be null)
     * @param resetCallback called when the guest pulses the CPU reset line
     */
    public I8042(InterruptLine kbdIrq, InterruptLine auxIrq, Runnable resetCallback) {
        this.kbdIrq = kbdIrq;
        this.auxIrq = auxIrq;
        this.resetCallback = Objects.requireNonNull(resetCallback, "resetCallback");
    }

    /** The data port, for registration at 0x60 length 1. */
    public IoDevice dataPort() {
        return dataPort;
    }

    /** The status/command port, for registration at 0x64 length 1. */
    public IoDevice commandPort() {
        return commandPort;
    }

    /** As one range at 0x60 length 5: offset 0 is data, offset 4 status/command. */
    @Override
    public long read(long offset, int size) {
        if (offset == 0) return readData();
        if (offset == 4) return readStatus();
        return 0xFF;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset == 0) writeData((int) value & 0xFF);
        else if (offset == 4) writeCommand((int) value & 0xFF);
    }

    @Override
    public synchronized void reset() {
        outHead = outCount = 0;
        lastData = 0;
        ctr = CTR_POWER_ON;
        outputPort = OUTP_RESET_HIGH | OUTP_A20;
        pendingCommand = pendingKbdCommand = 0;
        lastWriteWasCommand = false;
        updateInterrupts();
    }

    /** Queues a scancode byte from a (future) host keyboard, as if a key was pressed. */
    public synchronized void queueKeyboardByte(int b) {
        push(b & 0xFF);
        updateInterrupts();
    }

    /**
     * Types Ctrl+Alt+Del (press, then release) as scancodes: set 1 when the guest left translation
     * on (the usual case), set 2 otherwise. Linux then reboots (or runs its ctrl-alt-del handler).
     */
    public synchronized void pressCtrlAltDel() {
        if ((ctr & CTR_TRANSLATE) != 0) {
            pushAll(0x1D, 0x38, 0xE0, 0x53, 0xE0, 0xD3, 0xB8, 0x9D);
        } else {
            pushAll(0x14, 0x11, 0xE0, 0x71, 0xE0, 0xF0, 0x71, 0xF0, 0x11, 0xF0, 0x14);
        }
        updateInterrupts();
    }

    private void pushAll(int... bytes) {
        for (int b : bytes) push(b);
    }

    /** Whether the guest left the A20 gate enabled (output port bit 1). */
    public synchronized boolean a20Enabled() {
        return (outputPort & OUTP_A20) != 0;
    }

    // ---- ports ----

    private synchronized int readStatus() {
        int s = STS_UNLOCKED | (ctr & CTR_SYS) | (lastWriteWasCommand ? STS_CMD : 0);
        if (outCount > 0) {
            int e = out[outHead];
            s |= STS_OBF;
            if ((e & FLAG_AUX) != 0) s |= STS_AUX_OBF;
            if ((e & FLAG_TIMEOUT) != 0) s |= STS_TIMEOUT;
        }
        return s;
    }

    private synchronized int readData() {
        if (outCount > 0) {
            lastData = out[outHead] & 0xFF;
            outHead = (outHead + 1) % OUT_QUEUE;
            outCount--;
            updateInterrupts();
        }
        return lastData; // an empty buffer re-reads the last byte, like the real part
    }

    private void writeCommand(int cmd) {
        boolean reset;
        synchronized (this) {
            lastWriteWasCommand = true;
            pendingCommand = 0;
            reset = controllerCommand(cmd);
            updateInterrupts();
        }
        if (reset) resetCallback.run(); // outside the lock: the callback may tear the machine down
    }

    /** Returns true when the command pulses the reset line. */
    private boolean controllerCommand(int cmd) {
        switch (cmd) {
            case 0x20 -> push(ctr);                                   // read command byte
            case 0x60, 0xD1, 0xD2, 0xD3, 0xD4 -> pendingCommand = cmd; // take a data byte next
            case 0xA7 -> ctr |= CTR_AUX_DISABLE;
            case 0xA8 -> ctr &= ~CTR_AUX_DISABLE;
            case 0xA9, 0xAB -> push(0x00);                            // interface tests: no error
            case 0xAA -> { ctr |= CTR_SYS; push(0x55); }              // controller self-test passed
            case 0xAD -> ctr |= CTR_KBD_DISABLE;
            case 0xAE -> ctr &= ~CTR_KBD_DISABLE;
            case 0xC0 -> push(0x00);                                  // input port
            case 0xD0 -> push(outputPort);
            case 0xDD -> outputPort &= ~OUTP_A20;
            case 0xDF -> outputPort |= OUTP_A20;
            default -> {
                // 0xF0-0xFF pulse the output lines whose bit is clear; bit 0 is CPU reset.
                if (cmd >= 0xF0 && (cmd & 0x01) == 0) return true;
            }
        }
        return false;
    }

    private void writeData(int v) {
        boolean reset = false;
        synchronized (this) {
            lastWriteWasCommand = false;
            int cmd = pendingCommand;
            pendingCommand = 0;
            switch (cmd) {
                case 0x60 -> ctr = v & 0x77;
                case 0xD1 -> {
                    outputPort = v;
                    reset = (v & OUTP_RESET_HIGH) == 0;
                }
                case 0xD2 -> push(v);
                case 0xD3 -> push(v | FLAG_AUX);
                case 0xD4 -> push(0xFE | FLAG_AUX | FLAG_TIMEOUT); // no mouse answers
                default -> keyboardCommand(v);
            }
            updateInterrupts();
        }
        if (reset) resetCallback.run();
    }

    /** The minimal keyboard: acknowledges everything, identifies as an MF2 keyboard. */
    private void keyboardCommand(int v) {
        ctr &= ~CTR_KBD_DISABLE; // writing to the keyboard enables its interface
        if (pendingKbdCommand != 0) {
            int cmd = pendingKbdCommand;
            pendingKbdCommand = 0;
            push(KBD_ACK);
            if (cmd == 0xF0 && v == 0) push((ctr & CTR_TRANSLATE) != 0 ? 0x41 : 0x02); // current set 2
            return;
        }
        switch (v) {
            case 0xFF -> { push(KBD_ACK); push(KBD_SELFTEST_OK); }
            case 0xF2 -> { push(KBD_ACK); push(KBD_ID); push((ctr & CTR_TRANSLATE) != 0 ? 0x41 : 0x83); }
            case 0xEE -> push(KBD_ECHO);
            case 0xED, 0xF0, 0xF3 -> { push(KBD_ACK); pendingKbdCommand = v; }
            default -> push(KBD_ACK);
        }
    }

    private void push(int entry) {
        if (outCount == OUT_QUEUE) return; // the guest is not reading: drop, like a full buffer
        out[(outHead + outCount) % OUT_QUEUE] = entry;
        outCount++;
    }

    private void updateInterrupts() {
        boolean kbd = false, aux = false;
        if (outCount > 0) {
            boolean isAux = (out[outHead] & FLAG_AUX) != 0;
            kbd = !isAux && (ctr & CTR_KBD_INT) != 0;
            aux = isAux && (ctr & CTR_AUX_INT) != 0;
        }
        if (kbd != kbdLineHigh) {
            kbdLineHigh = kbd;
            if (kbdIrq != null) kbdIrq.setLevel(kbd);
        }
        if (aux != auxLineHigh) {
            auxLineHigh = aux;
            if (auxIrq != null) auxIrq.setLevel(aux);
        }
    }

    // ---- snapshot ----

    @Override
    public synchronized void saveState(DataOutput o) throws IOException {
        o.writeByte(ctr);
        o.writeByte(outputPort);
        o.writeByte(lastData);
        o.writeByte(pendingCommand);
        o.writeByte(pendingKbdCommand);
        o.writeBoolean(lastWriteWasCommand);
        o.writeByte(outCount);
        for (int i = 0; i < outCount; i++) o.writeShort(out[(outHead + i) % OUT_QUEUE]);
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        ctr = in.readUnsignedByte();
        outputPort = in.readUnsignedByte();
        lastData = in.readUnsignedByte();
        pendingCommand = in.readUnsignedByte();
        pendingKbdCommand = in.readUnsignedByte();
        lastWriteWasCommand = in.readBoolean();
        int n = in.readUnsignedByte();
        if (n > OUT_QUEUE) throw new IOException("i8042 output queue of " + n + " entries exceeds " + OUT_QUEUE);
        outHead = 0;
        outCount = n;
        for (int i = 0; i < n; i++) out[i] = in.readUnsignedShort() & 0x3FF;
        updateInterrupts();
    }
}
