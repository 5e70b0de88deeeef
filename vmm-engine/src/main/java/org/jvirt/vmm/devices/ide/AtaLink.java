package org.jvirt.vmm.devices.ide;

/**
 * The host side of one ATA/ATAPI device on a serial link, as an AHCI port drives it: a
 * Register Host-to-Device FIS loads the task file and runs the command, the port moves each
 * DRQ block as a whole between {@link #buffer()} and guest memory (by its DMA engine, whether
 * the command is a PIO or a DMA one), and the Device-to-Host FIS reports the status, error and
 * registers the command left. DMA commands and modes are offered by the device from now on.
 *
 * <p>Not thread-safe: the port calls in on one thread at a time holding {@link #lock()}, which
 * the device's host-side calls (media change) share.
 */
public final class AtaLink {

    private final IdeDevice device;
    private final Object lock = new Object();

    public AtaLink(IdeDevice device) {
        this.device = device;
        synchronized (lock) {
            device.attach(lock, () -> { }); // interrupts are the port's FISes, not the engine's INTRQ
            device.dmaHost = true;
            device.powerOnReset();
        }
    }

    public Object lock() { return lock; }

    public IdeDevice device() { return device; }

    public boolean packetDevice() { return device.packetDevice(); }

    /** Machine reset: the device's power-on state (SET FEATURES choices forgotten). */
    public void powerOnReset() { device.powerOnReset(); }

    /** COMRESET or a software reset through a control FIS: the device's signature, no transfer in progress. */
    public void hardReset() { device.hardReset(); }

    /**
     * The command block of a Register H2D FIS (SATA 1.0 10.3.4): features, LBA, device, the
     * 48-bit halves and the count; its byte 2, the command, is then run with {@link #execute}.
     */
    public void loadRegisters(byte[] fis) {
        TaskFile t = device.tf;
        t.feature = fis[3] & 0xFF;
        t.lbaLow = fis[4] & 0xFF;
        t.lbaMid = fis[5] & 0xFF;
        t.lbaHigh = fis[6] & 0xFF;
        t.device = fis[7] & 0xFF;
        t.hobLbaLow = fis[8] & 0xFF;
        t.hobLbaMid = fis[9] & 0xFF;
        t.hobLbaHigh = fis[10] & 0xFF;
        t.hobFeature = fis[11] & 0xFF;
        t.count = fis[12] & 0xFF;
        t.hobCount = fis[13] & 0xFF;
    }

    public void execute(int command) { device.executeCommand(command); }

    /** The device offers a data-in block: buffer()[0, blockLength()). */
    public boolean dataIn() { return device.dataInPending(); }

    /** The device asks for a data-out block of blockLength() bytes into buffer(). */
    public boolean dataOut() { return device.dataOutPending(); }

    /** The data-out block asked for is a PACKET command's CDB (it comes from the command table, not the PRDT). */
    public boolean awaitingPacket() { return device instanceof AtapiCdrom c && c.awaitingPacket(); }

    public int blockLength() { return device.bufferEnd; }

    public byte[] buffer() { return device.buffer; }

    /** The current block was taken (data-in) or filled (data-out) whole. */
    public void blockTransferred() { device.blockTransferred(); }

    /** The host could not move the block (its PRDT fell short or left RAM): the command aborts. */
    public void abortTransfer() { device.abort(); }

    /** The command in progress (or last run) moves its data by DMA, not by the PIO protocol. */
    public boolean dmaCommand() { return device.dma; }

    public int status() { return device.status(); }

    public int error() { return device.error(); }

    /**
     * Bytes 4-13 of a D2H Register or PIO Setup FIS from the task file: LBA low/mid/high,
     * device, the 48-bit halves, reserved, count and its upper half.
     */
    public void storeRegisters(byte[] fis) {
        TaskFile t = device.tf;
        fis[4] = (byte) t.lbaLow;
        fis[5] = (byte) t.lbaMid;
        fis[6] = (byte) t.lbaHigh;
        fis[7] = (byte) t.device;
        fis[8] = (byte) t.hobLbaLow;
        fis[9] = (byte) t.hobLbaMid;
        fis[10] = (byte) t.hobLbaHigh;
        fis[11] = 0;
        fis[12] = (byte) t.count;
        fis[13] = (byte) t.hobCount;
    }

    /** The signature a reset leaves, as PxSIG holds it: LBA high, mid, low, count from high byte to low. */
    public int signature() {
        return packetDevice() ? 0xEB14_0101 : 0x0000_0101;
    }
}
