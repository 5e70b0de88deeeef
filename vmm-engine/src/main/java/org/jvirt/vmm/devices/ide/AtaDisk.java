package org.jvirt.vmm.devices.ide;

import java.io.Closeable;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.jvirt.vmm.block.BlockBackend;

/**
 * An ATA hard disk (ATA/ATAPI-7 general and 48-bit address feature sets) on a {@link BlockBackend}
 * (raw, or qcow2 with its backing chain): IDENTIFY DEVICE, READ/WRITE SECTORS and MULTIPLE (28-
 * and 48-bit, LBA or CHS), READ VERIFY, FLUSH CACHE, SET MULTIPLE MODE, INITIALIZE DEVICE
 * PARAMETERS, with the common commands of {@link IdeDevice}; READ/WRITE DMA (EXT) when the host
 * adapter has a DMA engine (AHCI, the PIIX3 bus master), whose data moves through the same blocks as PIO's.
 *
 * <p>The size is the disk's whole 512-byte sectors. A request past the end fails with IDNF before
 * the backend is touched; a backend failure fails with UNC (read) or ABRT (write), the address
 * registers holding the first sector of the failed block.
 */
public final class AtaDisk extends IdeDevice implements Closeable {

    public static final int SECTOR_SIZE = 512;
    /** The most sectors per DRQ block of READ/WRITE MULTIPLE (IDENTIFY word 47). */
    public static final int MAX_MULTIPLE = 16;
    /** Default (BIOS) geometry; CHS reaches at most 16383 cylinders. */
    static final int HEADS = 16, SECTORS_PER_TRACK = 63, MAX_CYLINDERS = 16383;

    private final BlockBackend disk;
    private final long sectors;
    private final String serial, model;
    private final int cylinders;
    private int multiple = MAX_MULTIPLE;
    private int logicalHeads = HEADS, logicalSectors = SECTORS_PER_TRACK;
    private boolean writeCache = true;

    // The transfer in progress.
    private long nextLba;
    private int remaining, perBlock, blockSectors;
    private boolean ext, writing;

    /**
     * @param disk   the disk, closed with the device; a read-only one aborts writes
     * @param serial the serial number (20 ASCII characters are used)
     * @param model  the model number (40 ASCII characters are used)
     */
    public AtaDisk(BlockBackend disk, String serial, String model) {
        super(MAX_MULTIPLE * SECTOR_SIZE);
        this.disk = disk;
        this.sectors = disk.capacity() / SECTOR_SIZE;
        this.serial = serial;
        this.model = model;
        this.cylinders = (int) Math.max(1, Math.min(MAX_CYLINDERS, sectors / (HEADS * SECTORS_PER_TRACK)));
        powerOnReset();
    }

    public long sectors() { return sectors; }

    public BlockBackend backend() { return disk; }

    @Override public void close() throws IOException { disk.close(); }

    @Override boolean packetDevice() { return false; }

    @Override
    void resetDevice() {
        remaining = 0;
        multiple = MAX_MULTIPLE; // QEMU's ide_reset: READ/WRITE MULTIPLE work before any SET MULTIPLE MODE
    }

    @Override
    void saveDevice(DataOutput out) throws IOException {
        out.writeInt(multiple);
        out.writeInt(logicalHeads);
        out.writeInt(logicalSectors);
        out.writeBoolean(writeCache);
        out.writeLong(nextLba);
        out.writeInt(remaining);
        out.writeInt(perBlock);
        out.writeInt(blockSectors);
        out.writeBoolean(ext);
        out.writeBoolean(writing);
    }

    @Override
    void loadDevice(DataInput in) throws IOException {
        multiple = checked(in, 0, MAX_MULTIPLE, "multiple count");
        logicalHeads = checked(in, 1, 16, "heads");
        logicalSectors = checked(in, 1, 255, "sectors per track");
        writeCache = in.readBoolean();
        nextLba = in.readLong();
        remaining = checked(in, 0, 65536, "sectors to transfer");
        perBlock = checked(in, remaining == 0 ? 0 : 1, MAX_MULTIPLE, "sectors per block");
        blockSectors = checked(in, 0, perBlock, "sectors in the block");
        ext = in.readBoolean();
        writing = in.readBoolean();
        if (remaining > 0 && (nextLba < 0 || !inRange(nextLba, remaining) || bufferEnd > blockSectors * SECTOR_SIZE)) {
            throw new IOException("IDE state: the transfer in progress does not fit the disk");
        }
    }

    @Override
    boolean setWriteCache(boolean enabled) {
        writeCache = enabled;
        return true;
    }

    @Override
    boolean command(int command) {
        switch (command) {
            case Ata.IDENTIFY_DEVICE -> {
                System.arraycopy(identify(), 0, buffer, 0, 512);
                startDataIn(512);
            }
            case Ata.READ_SECTORS, Ata.READ_SECTORS_NORETRY -> transfer(false, false, 1);
            case Ata.READ_SECTORS_EXT -> transfer(false, true, 1);
            case Ata.WRITE_SECTORS, Ata.WRITE_SECTORS_NORETRY -> transfer(true, false, 1);
            case Ata.WRITE_SECTORS_EXT -> transfer(true, true, 1);
            case Ata.READ_DMA, Ata.READ_DMA_NORETRY, Ata.READ_DMA_EXT, Ata.WRITE_DMA, Ata.WRITE_DMA_NORETRY, Ata.WRITE_DMA_EXT -> {
                if (!dmaHost) return false; // no DMA engine: abort
                dma = true;
                transfer(command == Ata.WRITE_DMA || command == Ata.WRITE_DMA_NORETRY || command == Ata.WRITE_DMA_EXT,
                        command == Ata.READ_DMA_EXT || command == Ata.WRITE_DMA_EXT, MAX_MULTIPLE);
            }
            case Ata.READ_MULTIPLE -> transfer(false, false, multiple);
            case Ata.READ_MULTIPLE_EXT -> transfer(false, true, multiple);
            case Ata.WRITE_MULTIPLE -> transfer(true, false, multiple);
            case Ata.WRITE_MULTIPLE_EXT -> transfer(true, true, multiple);
            case Ata.READ_VERIFY, Ata.READ_VERIFY_NORETRY, Ata.READ_VERIFY_EXT -> {
                boolean e = command == Ata.READ_VERIFY_EXT;
                long lba = startLba(e);
                if (lba >= 0 && inRange(lba, e ? tf.count48() : tf.count28())) complete();
                else fail(Ata.IDNF);
            }
            case Ata.SET_MULTIPLE_MODE -> {
                int n = tf.count;
                if (n > MAX_MULTIPLE || (n & (n - 1)) != 0) {
                    abort();
                } else {
                    multiple = n; // 0 disables READ/WRITE MULTIPLE
                    complete();
                }
            }
            case Ata.INITIALIZE_DEVICE_PARAMETERS -> {
                if (tf.count == 0) {
                    abort();
                } else {
                    logicalSectors = tf.count;
                    logicalHeads = (tf.device & 0x0F) + 1;
                    complete();
                }
            }
            case Ata.FLUSH_CACHE, Ata.FLUSH_CACHE_EXT -> {
                try {
                    if (!disk.readOnly()) disk.flush();
                    complete();
                } catch (IOException e) {
                    abort();
                }
            }
            default -> { return false; } // PACKET, IDENTIFY PACKET DEVICE, DEVICE RESET abort here
        }
        return true;
    }

    /** The command's first sector: its LBA, or its CHS address translated with the logical geometry; -1 when CHS is invalid. */
    private long startLba(boolean ext48) {
        if (ext48) return tf.lba48();
        if (tf.lbaMode()) return tf.lba28();
        int cylinder = tf.lbaHigh << 8 | tf.lbaMid, head = tf.device & 0x0F, sector = tf.lbaLow;
        if (sector == 0 || sector > logicalSectors || head >= logicalHeads) return -1;
        return ((long) cylinder * logicalHeads + head) * logicalSectors + sector - 1;
    }

    private boolean inRange(long lba, long count) {
        return lba >= 0 && lba <= sectors && count <= sectors - lba;
    }

    private void transfer(boolean write, boolean ext48, int sectorsPerBlock) {
        if (sectorsPerBlock == 0) { // READ/WRITE MULTIPLE before SET MULTIPLE MODE
            abort();
            return;
        }
        long lba = startLba(ext48);
        int count = ext48 ? tf.count48() : tf.count28();
        if (lba < 0 || !inRange(lba, count)) {
            fail(Ata.IDNF);
            return;
        }
        if (write && disk.readOnly()) {
            abort();
            return;
        }
        nextLba = lba;
        remaining = count;
        perBlock = sectorsPerBlock;
        ext = ext48;
        writing = write;
        if (write) {
            blockSectors = Math.min(remaining, perBlock);
            startDataOut(blockSectors * SECTOR_SIZE, false);
        } else {
            readBlock();
        }
    }

    private void readBlock() {
        blockSectors = Math.min(remaining, perBlock);
        try {
            disk.read(nextLba * SECTOR_SIZE, buffer, 0, blockSectors * SECTOR_SIZE);
        } catch (IOException e) {
            failAt(Ata.UNC);
            return;
        }
        reportProgress(nextLba + blockSectors, remaining - blockSectors);
        startDataIn(blockSectors * SECTOR_SIZE);
    }

    /** The registers name the first sector the table had no room for, and its count, as QEMU's after a short table. */
    @Override
    void dmaTableShort() {
        reportProgress(nextLba, remaining);
        remaining = 0;
        super.dmaTableShort();
    }

    private void failAt(int errorBits) {
        tf.setLba(nextLba, ext);
        remaining = 0;
        fail(errorBits);
    }

    @Override
    void dataInDone() {
        if (writing || remaining == 0) return;
        advance();
        if (remaining > 0) readBlock();
        else finishDataIn();
    }

    @Override
    void dataOutDone() {
        if (!writing || remaining == 0) return;
        try {
            disk.write(nextLba * SECTOR_SIZE, buffer, 0, blockSectors * SECTOR_SIZE);
            if (!writeCache) disk.flush();
        } catch (IOException e) {
            failAt(Ata.ABRT);
            return;
        }
        advance();
        reportProgress(nextLba, remaining);
        if (remaining > 0) {
            blockSectors = Math.min(remaining, perBlock);
            startDataOut(blockSectors * SECTOR_SIZE, true);
        } else {
            complete();
        }
    }

    /**
     * The address and count registers follow the transfer as QEMU's do: the next sector and the
     * sectors left, once a block is read from (or written to) the disk.
     */
    private void reportProgress(long lba, int left) {
        tf.setLba(lba, ext);
        tf.count = left & 0xFF;
        if (ext) tf.hobCount = (left >>> 8) & 0xFF;
    }

    private void advance() {
        nextLba += blockSectors;
        remaining -= blockSectors;
    }

    private byte[] identify() {
        IdentifyData id = identifyPio();
        if (dmaHost) dmaModes(id, transferMode());
        return id.withIntegrityWord();
    }

    /** Words 49, 53, 63 and 88 of a device behind a DMA engine: multiword DMA 0-2, Ultra DMA 0-5, the selected mode. */
    static void dmaModes(IdentifyData id, int transferMode) {
        id.word(49, id.wordAt(49) | 1 << 8).word(53, id.wordAt(53) | 0x0004);
        int mwdma = transferMode >= 0x20 && transferMode <= 0x22 ? 1 << (8 + transferMode - 0x20) : 0;
        int udma = transferMode >= 0x40 && transferMode <= 0x45 ? 1 << (8 + transferMode - 0x40) : 0;
        id.word(63, 0x0007 | mwdma).word(88, 0x003F | udma);
    }

    private IdentifyData identifyPio() {
        long lba28 = Math.min(sectors, 0x0FFF_FFFF);
        long chsSectors = (long) cylinders * HEADS * SECTORS_PER_TRACK;
        int currentCylinders = (int) Math.min(0xFFFF, Math.min(sectors, chsSectors) / ((long) logicalHeads * logicalSectors));
        IdentifyData id = new IdentifyData()
                .word(0, 0x0040)                     // fixed, not removable, ATA
                .word(1, cylinders).word(3, HEADS).word(6, SECTORS_PER_TRACK)
                .string(10, 10, serial)
                .string(23, 4, Firmware.REVISION)
                .string(27, 20, model)
                .word(47, 0x8000 | MAX_MULTIPLE)
                .word(49, 1 << 11 | 1 << 9)          // IORDY, LBA (DMA added by dmaModes behind a DMA engine)
                .word(50, 0x4000)
                .word(51, 0x0200)                    // PIO timing mode 2 (obsolete word)
                .word(53, 0x0003)                    // words 54-58 and 64-70 valid
                .word(54, currentCylinders).word(55, logicalHeads).word(56, logicalSectors)
                .dword(57, (long) currentCylinders * logicalHeads * logicalSectors)
                .word(59, multiple == 0 ? 0 : 0x0100 | multiple)
                .dword(60, lba28)
                .word(64, 0x0003)                    // PIO modes 3 and 4
                .word(65, 120).word(66, 120).word(67, 120).word(68, 120)
                .word(80, 0x00F0)                    // ATA/ATAPI-4 to -7
                .word(82, 1 << 14 | 1 << 5)          // NOP, write cache
                .word(83, 1 << 14 | 1 << 13 | 1 << 12 | 1 << 10) // FLUSH CACHE EXT, FLUSH CACHE, 48-bit address
                .word(84, 1 << 14)
                .word(85, 1 << 14 | (writeCache ? 1 << 5 : 0))
                .word(86, 1 << 13 | 1 << 12 | 1 << 10)
                .word(87, 1 << 14)
                .word(93, 1 << 14 | 1 << 13 | 1)     // hardware reset result: device 0 passed, cable id
                .qword(100, sectors);
        return id;
    }
}
