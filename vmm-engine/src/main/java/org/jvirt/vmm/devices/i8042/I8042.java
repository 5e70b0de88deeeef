package org.jvirt.vmm.devices.i8042;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Resettable;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.devices.input.InputSink;
import org.jvirt.vmm.devices.ps2.PointerEvents;
import org.jvirt.vmm.devices.ps2.Ps2Keyboard;
import org.jvirt.vmm.devices.ps2.Ps2Mouse;
import org.jvirt.vmm.irq.InterruptLine;

/**
 * The PC keyboard controller (8042) at ports 0x60 (data) and 0x64 (status/command), with a PS/2
 * keyboard ({@link Ps2Keyboard}) and a PS/2 mouse on the AUX port ({@link Ps2Mouse}) behind it,
 * as QEMU's pc machine has them. {@link #input()} is where host key and pointer events enter.
 *
 * <p>Registration: either two ranges, {@link #dataPort()} at 0x60 length 1 and
 * {@link #commandPort()} at 0x64 length 1 (preferred: ports 0x61-0x63 belong to others,
 * e.g. 0x61 is the PIT/speaker port), or this object itself for 0x60 length 5, where
 * offsets 1-3 read as a floating bus.
 *
 * <p>Output buffer (as QEMU 7.2's pckbd.c): one byte, loaded when the guest has read the last
 * one, from the controller's own reply first (0x20, 0xAA, 0xD2/0xD3 ...), then the keyboard's
 * queue, then the mouse's; a port disabled in the command byte (bits 4/5) delivers nothing.
 * Reading port 0x60 with the buffer empty returns the last byte again.
 *
 * <p>Reset: command 0xFE (pulse the reset line), or writing the output port (0xD1) with
 * bit 0 clear, calls the reset callback on the vCPU thread.
 *
 * <p>Threads: the vCPU thread's port accesses and the host's input events (VNC, send-key)
 * take this object's lock. Interrupt lines are driven as levels: high while a byte for that
 * port waits in the output buffer and its interrupt is enabled in the command byte. The AUX
 * line may be null.
 */
public final class I8042 implements IoDevice, Snapshottable, Resettable {

    // Status register bits.
    private static final int STS_OBF = 0x01, STS_SYS = 0x04, STS_CMD = 0x08, STS_UNLOCKED = 0x10;
    private static final int STS_AUX_OBF = 0x20;
    // Controller command byte (CTR) bits.
    private static final int CTR_KBD_INT = 0x01, CTR_AUX_INT = 0x02, CTR_SYS = 0x04;
    private static final int CTR_KBD_DISABLE = 0x10, CTR_AUX_DISABLE = 0x20, CTR_TRANSLATE = 0x40;
    /** The byte a BIOS leaves: keyboard interrupt on, system flag, scancode translation. */
    private static final int CTR_POWER_ON = CTR_KBD_INT | CTR_SYS | CTR_TRANSLATE;
    // Output port bits.
    private static final int OUTP_RESET_HIGH = 0x01, OUTP_A20 = 0x02;
    /** Whose byte the controller's own reply is: the keyboard port's or (0xD3) the AUX port's. */
    private static final int CTRL_NONE = 0, CTRL_KBD = 1, CTRL_AUX = 2;

    private final InterruptLine kbdIrq;
    private final InterruptLine auxIrq;
    private final Runnable resetCallback;
    private final Ps2Keyboard keyboard = new Ps2Keyboard();
    private final Ps2Mouse mouse = new Ps2Mouse();
    private final PointerEvents pointer = new PointerEvents(mouse);

    private int ctr = CTR_POWER_ON;
    private int outputPort = OUTP_RESET_HIGH | OUTP_A20;
    private int pendingCommand;      // controller command waiting for its data byte, 0 if none
    private boolean lastWriteWasCommand;
    /** The controller's own reply byte and which port it shows as (CTRL_*). */
    private int ctrlData, ctrlPending;
    /** The output buffer: its byte, whether it is full and whether the byte is the AUX port's. */
    private int obData;
    private boolean obFull, obAux;
    private boolean kbdLineHigh, auxLineHigh;

    private final IoDevice dataPort = new IoDevice() {
        @Override public long read(long offset, int size) { return readData(); }
        @Override public void write(long offset, int size, long value) { writeData((int) value & 0xFF); }
    };
    private final IoDevice commandPort = new IoDevice() {
        @Override public long read(long offset, int size) { return readStatus(); }
        @Override public void write(long offset, int size, long value) { writeCommand((int) value & 0xFF); }
    };
    private final InputSink input = new InputSink() {
        @Override public void key(int qnum, boolean down) { I8042.this.key(qnum, down); }
        @Override public void pointer(int x, int y, int buttonMask, int width, int height) { I8042.this.pointer(x, y, buttonMask); }
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
        keyboard.setTranslate(true);
    }

    /** The data port, for registration at 0x60 length 1. */
    public IoDevice dataPort() {
        return dataPort;
    }

    /** The status/command port, for registration at 0x64 length 1. */
    public IoDevice commandPort() {
        return commandPort;
    }

    /** Who hears the keyboard's LEDs when the guest sets them (the board's input router); called under this object's lock. */
    public void setLedListener(java.util.function.IntConsumer listener) {
        keyboard.setLedListener(listener);
    }

    /** Host key and pointer events for the keyboard and mouse; callable from any thread. */
    public InputSink input() {
        return input;
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
        ctr = CTR_POWER_ON;
        outputPort = OUTP_RESET_HIGH | OUTP_A20;
        pendingCommand = 0;
        lastWriteWasCommand = false;
        ctrlData = ctrlPending = obData = 0;
        obFull = obAux = false;
        keyboard.reset();
        keyboard.setTranslate((ctr & CTR_TRANSLATE) != 0);
        mouse.reset();
        pointer.reset();
        update();
    }

    /** A host key event (QEMU key number), to the keyboard. */
    public synchronized void key(int qnum, boolean down) {
        keyboard.key(qnum, down);
        update();
    }

    /** A host pointer event (RFB button mask), to the mouse as motion since the last one. */
    public synchronized void pointer(int x, int y, int buttonMask) {
        pointer.event(x, y, buttonMask);
        update();
    }

    /** Whether the guest left the A20 gate enabled (output port bit 1). */
    public synchronized boolean a20Enabled() {
        return (outputPort & OUTP_A20) != 0;
    }

    // ---- ports ----

    private synchronized int readStatus() {
        int s = STS_UNLOCKED | (ctr & CTR_SYS) | (lastWriteWasCommand ? STS_CMD : 0);
        if (obFull) s |= STS_OBF | (obAux ? STS_AUX_OBF : 0);
        return s;
    }

    private synchronized int readData() {
        int v = obData; // an empty buffer re-reads the last byte, like the real part
        if (obFull) {
            obFull = false;
            // the line drops with the read even when the next byte moves in at once, so an
            // edge-triggered PIC input sees a new edge per byte (as QEMU's kbd_read_data does):
            // Linux's i8042 handler takes one byte per interrupt
            setLines(false, false);
            update();
        }
        return v;
    }

    private void writeCommand(int cmd) {
        boolean reset;
        synchronized (this) {
            lastWriteWasCommand = true;
            pendingCommand = 0;
            reset = controllerCommand(cmd);
            update();
        }
        if (reset) resetCallback.run(); // outside the lock: the callback may tear the machine down
    }

    /** Returns true when the command pulses the reset line. */
    private boolean controllerCommand(int cmd) {
        switch (cmd) {
            case 0x20 -> reply(ctr, CTRL_KBD);                         // read command byte
            case 0x60, 0xD1, 0xD2, 0xD3, 0xD4 -> pendingCommand = cmd; // take a data byte next
            case 0xA7 -> ctr |= CTR_AUX_DISABLE;
            case 0xA8 -> ctr &= ~CTR_AUX_DISABLE;
            case 0xA9, 0xAB -> reply(0x00, CTRL_KBD);                 // interface tests: no error
            case 0xAA -> { ctr |= CTR_SYS; reply(0x55, CTRL_KBD); }   // controller self-test passed
            case 0xAD -> ctr |= CTR_KBD_DISABLE;
            case 0xAE -> ctr &= ~CTR_KBD_DISABLE;
            case 0xC0 -> reply(0x00, CTRL_KBD);                       // input port
            case 0xD0 -> reply(outputPort, CTRL_KBD);
            case 0xDD -> outputPort &= ~OUTP_A20;
            case 0xDF -> outputPort |= OUTP_A20;
            default -> {
                // 0xF0-0xFF pulse the output lines whose bit is clear; bit 0 is CPU reset.
                if (cmd >= 0xF0 && (cmd & 0x01) == 0) return true;
            }
        }
        return false;
    }

    /** The controller's own byte: one at a time (a new one replaces an unread one), ahead of the devices'. */
    private void reply(int b, int port) {
        ctrlData = b & 0xFF;
        ctrlPending = port;
    }

    private void writeData(int v) {
        boolean reset = false;
        synchronized (this) {
            lastWriteWasCommand = false;
            int cmd = pendingCommand;
            pendingCommand = 0;
            switch (cmd) {
                case 0x60 -> {
                    ctr = v & 0x77;
                    keyboard.setTranslate((ctr & CTR_TRANSLATE) != 0);
                }
                case 0xD1 -> {
                    outputPort = v;
                    reset = (v & OUTP_RESET_HIGH) == 0;
                }
                case 0xD2 -> reply(v, CTRL_KBD);
                case 0xD3 -> reply(v, CTRL_AUX);
                case 0xD4 -> mouse.write(v);
                default -> {
                    keyboard.write(v);
                    ctr &= ~CTR_KBD_DISABLE; // writing to the keyboard enables its interface
                }
            }
            update();
        }
        if (reset) resetCallback.run();
    }

    /** Loads the output buffer when it is empty and something may be delivered, then sets the lines. */
    private void update() {
        if (!obFull) {
            if (ctrlPending != CTRL_NONE) {
                obData = ctrlData;
                obAux = ctrlPending == CTRL_AUX;
                ctrlPending = CTRL_NONE;
                obFull = true;
            } else if (keyboard.hasData() && (ctr & CTR_KBD_DISABLE) == 0) {
                obData = keyboard.read();
                obAux = false;
                obFull = true;
            } else if (mouse.hasData() && (ctr & CTR_AUX_DISABLE) == 0) {
                obData = mouse.read();
                obAux = true;
                obFull = true;
            }
        }
        boolean kbd = obFull && !obAux && (ctr & CTR_KBD_INT) != 0 && (ctr & CTR_KBD_DISABLE) == 0;
        boolean aux = obFull && obAux && (ctr & CTR_AUX_INT) != 0;
        setLines(kbd, aux);
    }

    private void setLines(boolean kbd, boolean aux) {
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

    /** The version of the state {@link #saveState} writes: 2 adds the keyboard and mouse; 1 still loads. */
    public static final int STATE_VERSION = 2;

    @Override
    public synchronized void saveState(DataOutput o) throws IOException {
        o.writeByte(ctr);
        o.writeByte(outputPort);
        o.writeByte(pendingCommand);
        o.writeBoolean(lastWriteWasCommand);
        o.writeByte(ctrlPending);
        o.writeByte(ctrlData);
        o.writeBoolean(obFull);
        o.writeBoolean(obAux);
        o.writeByte(obData);
        keyboard.saveState(o);
        mouse.saveState(o);
    }

    @Override
    public void loadState(DataInput in) throws IOException {
        loadState(in, STATE_VERSION);
    }

    @Override
    public synchronized void loadState(DataInput in, int version) throws IOException {
        if (version == 1) {
            loadVersion1(in);
        } else {
            ctr = in.readUnsignedByte() & 0x77;
            outputPort = in.readUnsignedByte();
            pendingCommand = checkedCommand(in.readUnsignedByte());
            lastWriteWasCommand = in.readBoolean();
            int port = in.readUnsignedByte();
            if (port > CTRL_AUX) throw new IOException("i8042 reply port " + port + " is not 0, 1 or 2");
            ctrlPending = port;
            ctrlData = in.readUnsignedByte();
            obFull = in.readBoolean();
            obAux = in.readBoolean();
            obData = in.readUnsignedByte();
            keyboard.loadState(in);
            mouse.loadState(in);
        }
        pointer.reset();
        kbdLineHigh = auxLineHigh = false;
        if (kbdIrq != null) kbdIrq.setLevel(false);
        if (auxIrq != null) auxIrq.setLevel(false);
        update();
    }

    /**
     * jvirt's first i8042 state (a keyboard that never typed, no mouse): its output queue of
     * byte | 0x100 (AUX) | 0x200 (time-out) entries becomes the output buffer plus the rest in
     * the keyboard's and mouse's queues; both devices start from power-on otherwise.
     */
    private void loadVersion1(DataInput in) throws IOException {
        ctr = in.readUnsignedByte() & 0x77;
        outputPort = in.readUnsignedByte();
        obData = in.readUnsignedByte();
        pendingCommand = checkedCommand(in.readUnsignedByte());
        int kbdCommand = in.readUnsignedByte();
        lastWriteWasCommand = in.readBoolean();
        int n = in.readUnsignedByte();
        if (n > 32) throw new IOException("i8042 output queue of " + n + " entries exceeds 32");
        keyboard.reset();
        keyboard.setTranslate((ctr & CTR_TRANSLATE) != 0);
        mouse.reset();
        ctrlPending = CTRL_NONE;
        obFull = false;
        for (int i = 0; i < n; i++) {
            int e = in.readUnsignedShort();
            boolean aux = (e & 0x100) != 0;
            if (i == 0) {
                obData = e & 0xFF;
                obAux = aux;
                obFull = true;
            } else if (aux) {
                mouse.adoptQueuedByte(e & 0xFF);
            } else {
                keyboard.adoptQueuedByte(e & 0xFF);
            }
        }
        keyboard.adoptPendingCommand(kbdCommand);
    }

    private static int checkedCommand(int cmd) throws IOException {
        if (cmd != 0 && cmd != 0x60 && cmd != 0xD1 && cmd != 0xD2 && cmd != 0xD3 && cmd != 0xD4) {
            throw new IOException("i8042 command 0x" + Integer.toHexString(cmd) + " takes no data byte");
        }
        return cmd;
    }
}
