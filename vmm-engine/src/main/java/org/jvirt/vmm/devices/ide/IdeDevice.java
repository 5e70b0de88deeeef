package org.jvirt.vmm.devices.ide;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The ATA command engine of one device (a hard disk or an ATAPI drive), apart from how its
 * registers are reached: the PIIX IDE channel decodes legacy I/O ports into calls here, and an
 * AHCI port ({@link AtaLink}) feeds its FISes into the same {@link TaskFile},
 * {@link #executeCommand} and data buffer, moving each DRQ block as a whole by DMA.
 *
 * <p>Commands complete at once on the calling thread: the host never sees BSY except during a
 * software reset. PIO moves one DRQ block at a time through {@link #buffer}; a data-in block
 * raises an interrupt when it is ready, a data-out block when it has been taken (the first one
 * has none), as ATA-7's PIO protocols say. A DMA command's blocks raise none: its one interrupt
 * comes when it ends, as ATA-7's DMA protocol says. The engine is not thread-safe: its host adapter
 * serialises every call on {@link #lock()}.
 */
public abstract sealed class IdeDevice permits AtaDisk, AtapiCdrom {

    final TaskFile tf = new TaskFile();
    int status, error;
    /** The data of the current DRQ block, [0, bufferEnd), next word at bufferPos. */
    final byte[] buffer;
    int bufferPos, bufferEnd;
    private boolean dataIn, dataOut;
    private boolean interruptPending;
    private Runnable interruptChanged = () -> { };
    private Object lock = this;
    /** The transfer mode SET FEATURES chose (ATA-7 table 20); PIO default after reset. */
    private int transferMode;
    /** The host adapter has a DMA engine (AHCI, PIIX3 bus master): DMA commands and modes are offered. Configuration, not state. */
    boolean dmaHost;
    /** The command in progress moves its data by DMA (a DMA command, or PACKET with the DMA feature bit). */
    boolean dma;

    IdeDevice(int bufferSize) {
        buffer = new byte[bufferSize];
    }

    /** True for a PACKET (ATAPI) device: its signature is 0x14/0xEB and DRDY is clear after a reset. */
    abstract boolean packetDevice();

    /** Runs a command this kind of device has; false when the common handling (or an abort) applies. */
    abstract boolean command(int command);

    /** The data-in block was read to its end by the host. */
    abstract void dataInDone();

    /** The data-out block was filled by the host. */
    abstract void dataOutDone();

    /** Device-specific state back to its power-on values (multiple count, geometry, packet state). */
    abstract void resetDevice();

    /** Saves the device-specific state (after the common state). */
    abstract void saveDevice(DataOutput out) throws IOException;

    /** Loads what saveDevice wrote; values are checked, a bad one fails with IOException. */
    abstract void loadDevice(DataInput in) throws IOException;

    /** The guest-visible state: registers, the DRQ block in progress, the pending interrupt, then the device's own. */
    final void saveState(DataOutput out) throws IOException {
        tf.save(out);
        out.writeByte(status);
        out.writeByte(error);
        out.writeBoolean(dataIn);
        out.writeBoolean(dataOut);
        out.writeBoolean(interruptPending);
        out.writeByte(transferMode);
        out.writeInt(bufferPos);
        out.writeInt(bufferEnd);
        out.write(buffer, 0, bufferEnd);
        saveDevice(out);
    }

    final void loadState(DataInput in) throws IOException {
        tf.load(in);
        status = in.readUnsignedByte();
        error = in.readUnsignedByte();
        dataIn = in.readBoolean();
        dataOut = in.readBoolean();
        interruptPending = in.readBoolean();
        transferMode = in.readUnsignedByte();
        int pos = in.readInt(), end = in.readInt();
        if (end < 0 || end > buffer.length || pos < 0 || pos > end + 1) throw new IOException("IDE state: bad data buffer position");
        bufferPos = pos;
        bufferEnd = end;
        in.readFully(buffer, 0, end);
        loadDevice(in);
    }

    /** Reads an int of saved state and checks it lies in [min, max]. */
    static int checked(DataInput in, int min, int max, String what) throws IOException {
        int v = in.readInt();
        if (v < min || v > max) throw new IOException("IDE state: bad " + what + " " + v);
        return v;
    }

    /** Attaches the engine to its host adapter: called whenever the interrupt request changes; lock serialises all calls. */
    final void attach(Object hostLock, Runnable onInterruptChange) {
        this.lock = hostLock;
        this.interruptChanged = onInterruptChange;
    }

    /** The monitor every call into this device holds (the host adapter's). */
    final Object lock() { return lock; }

    // ---- The host adapter's view.

    final int status() { return status; }

    /** Reading the status register acknowledges the interrupt. */
    final int readStatus() {
        if (interruptPending) {
            interruptPending = false;
            interruptChanged.run();
        }
        return status;
    }

    final boolean interruptPending() { return interruptPending; }

    final int error() { return error; }

    /** A command register write: commands while BSY or DRQ is set are ignored, except DEVICE RESET. */
    final void executeCommand(int command) {
        command &= 0xFF;
        if ((status & (Ata.BSY | Ata.DRQ)) != 0 && command != Ata.DEVICE_RESET) return;
        error = 0;
        status &= ~Ata.ERR;
        dma = false;
        if (command(command)) return;
        switch (command) {
            case Ata.EXECUTE_DEVICE_DIAGNOSTIC -> {
                hardReset();
                interrupt();
            }
            case Ata.SET_FEATURES -> setFeatures();
            case Ata.IDLE, Ata.IDLE_IMMEDIATE, Ata.STANDBY, Ata.STANDBY_IMMEDIATE,
                 Ata.IDLE_OLD, Ata.IDLE_IMMEDIATE_OLD, Ata.STANDBY_OLD, Ata.STANDBY_IMMEDIATE_OLD -> {
                status = Ata.DRDY; // DSC (obsolete) clear, as QEMU's drive answers these
                interrupt();
            }
            case Ata.CHECK_POWER_MODE, Ata.CHECK_POWER_MODE_OLD -> {
                tf.count = 0xFF; // active or idle: the device never spins down
                complete();
            }
            default -> abort(); // NOP too: it always aborts (ATA-7 6.22)
        }
    }

    /** A 16-bit read of the data register: the next word of a data-in block, else 0xFFFF (nothing driven). */
    final int readData() {
        if (!dataIn) return 0xFFFF;
        int v = (buffer[bufferPos] & 0xFF) | (bufferPos + 1 < bufferEnd ? (buffer[bufferPos + 1] & 0xFF) << 8 : 0);
        bufferPos += 2;
        if (bufferPos >= bufferEnd) {
            dataIn = false;
            status &= ~Ata.DRQ;
            dataInDone();
        }
        return v;
    }

    /** A 16-bit write of the data register: the next word of a data-out block, else ignored. */
    final void writeData(int v) {
        if (!dataOut) return;
        buffer[bufferPos] = (byte) v;
        if (bufferPos + 1 < bufferEnd) buffer[bufferPos + 1] = (byte) (v >>> 8);
        bufferPos += 2;
        if (bufferPos >= bufferEnd) {
            dataOut = false;
            status &= ~Ata.DRQ;
            dataOutDone();
        }
    }

    final boolean dataInPending() { return dataIn; }

    final boolean dataOutPending() { return dataOut; }

    /**
     * The host took (data-in) or filled (data-out) the whole current DRQ block at once, as a
     * FIS-based host adapter moves it; the engine goes on as after the block's last word.
     */
    final void blockTransferred() {
        if (dataIn) {
            bufferPos = bufferEnd;
            dataIn = false;
            status &= ~Ata.DRQ;
            dataInDone();
        } else if (dataOut) {
            bufferPos = bufferEnd;
            dataOut = false;
            status &= ~Ata.DRQ;
            dataOutDone();
        }
    }

    /** A reset (power-on, hardware, SRST, EXECUTE DEVICE DIAGNOSTIC): the signature, diagnostics passed, no transfer. */
    final void hardReset() {
        dataIn = dataOut = false;
        bufferPos = bufferEnd = 0;
        tf.setSignature(packetDevice());
        error = Ata.DIAGNOSTIC_PASSED;
        status = packetDevice() ? 0 : Ata.DRDY | Ata.DSC;
        resetDevice();
    }

    /** SRST set: the device is busy until the host clears it. */
    final void softResetAsserted() {
        dataIn = dataOut = false;
        status = Ata.BSY | Ata.DSC;
    }

    /** Power-on: also forgets SET FEATURES' choices and any pending interrupt. */
    final void powerOnReset() {
        hardReset();
        transferMode = 0;
        interruptPending = false;
    }

    final int transferMode() { return transferMode; }

    // ---- Helpers of the command implementations.

    /** Asks for an interrupt (the host adapter decides whether the line rises: nIEN, selection). */
    final void interrupt() {
        interruptPending = true;
        interruptChanged.run();
    }

    /** Success without data: ready, interrupt. */
    final void complete() {
        status = Ata.DRDY | Ata.DSC;
        interrupt();
    }

    /** Command aborted (ERR + ABRT), interrupt. */
    final void abort() {
        fail(Ata.ABRT);
    }

    final void fail(int errorBits) {
        dataIn = dataOut = false;
        error = errorBits;
        status = Ata.DRDY | Ata.ERR; // DSC clear, as QEMU reports errors (IdeQemuDifferentialTest)
        interrupt();
    }

    /** Offers buffer[0, length) to the host (DRQ) and interrupts. */
    final void startDataIn(int length) {
        bufferPos = 0;
        bufferEnd = length;
        dataIn = true;
        dataOut = false;
        status = Ata.DRDY | Ata.DSC | Ata.DRQ;
        if (!dma) interrupt();
    }

    /** Asks the host for length bytes into buffer (DRQ); interrupt only when the block is not the command's first. */
    final void startDataOut(int length, boolean interrupt) {
        bufferPos = 0;
        bufferEnd = length;
        dataOut = true;
        dataIn = false;
        status = Ata.DRDY | Ata.DSC | Ata.DRQ;
        if (interrupt && !dma) interrupt();
    }

    /** End of a data-in command whose last block the host has read: ready; a PIO command's interrupt came with the block. */
    final void finishDataIn() {
        status = Ata.DRDY | Ata.DSC;
        if (dma) interrupt();
    }

    /**
     * The bus master's table ended before the DMA command's data: the command ends, ready and
     * without an interrupt, as QEMU's ide_dma_cb ends it (the host's driver times out and resets).
     */
    void dmaTableShort() {
        dataIn = dataOut = false;
        status = Ata.DRDY | Ata.DSC;
    }

    private void setFeatures() {
        switch (tf.feature) {
            case Ata.SF_SET_TRANSFER_MODE -> {
                int mode = tf.count;
                // PIO default (0x00, 0x01) or PIO mode 0-4 (0x08-0x0C); multiword DMA 0-2 (0x20-0x22)
                // and Ultra DMA 0-5 (0x40-0x45) only with a DMA engine.
                boolean pio = mode <= 0x01 || (mode >= 0x08 && mode <= 0x0C);
                boolean dmaMode = (mode >= 0x20 && mode <= 0x22) || (mode >= 0x40 && mode <= 0x45);
                if (pio || (dmaHost && dmaMode)) {
                    transferMode = mode;
                    complete();
                } else {
                    abort();
                }
            }
            case Ata.SF_ENABLE_WRITE_CACHE, Ata.SF_DISABLE_WRITE_CACHE -> {
                if (setWriteCache(tf.feature == Ata.SF_ENABLE_WRITE_CACHE)) complete();
                else abort();
            }
            case Ata.SF_ENABLE_READ_LOOKAHEAD, Ata.SF_DISABLE_READ_LOOKAHEAD,
                 Ata.SF_ENABLE_REVERTING, Ata.SF_DISABLE_REVERTING -> complete();
            default -> abort();
        }
    }

    /** SET FEATURES write cache: false when the device has no such setting. */
    boolean setWriteCache(boolean enabled) {
        return false;
    }
}
