package org.jvirt.vmm.devices.ide;

import java.io.Closeable;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;

import org.jvirt.vmm.block.BlockBackend;

/**
 * An ATAPI CD/DVD-ROM drive (ATA/ATAPI-7 PACKET feature set, MMC-5 commands) with read-only
 * media of 2048-byte sectors (an ISO image) or an empty tray.
 *
 * <p>PACKET: the host writes the 12-byte command, the drive answers in DRQ blocks of at most the
 * byte count limit (rounded down to even) the host put in LBA mid/high, telling the size back
 * there and the phase in the interrupt reason (sector count: CoD, IO). Errors end the command
 * with CHECK CONDITION: ERR in status, the sense key in the error register's high nibble, the
 * sense kept for REQUEST SENSE.
 *
 * <p>Media: the host inserts and ejects them ({@link #insertMedium}, {@link #ejectMedium}, for
 * change-media); the guest opens and closes the tray with START STOP UNIT and may lock it with
 * PREVENT ALLOW MEDIUM REMOVAL. A new medium, or the tray closed on one, is reported as real
 * drives do: the next command (but INQUIRY, REQUEST SENSE, GET CONFIGURATION and GET EVENT STATUS
 * NOTIFICATION) fails with UNIT ATTENTION / MEDIUM MAY HAVE CHANGED, and a polled media event
 * (new media, media removal, eject request) is returned once.
 */
public final class AtapiCdrom extends IdeDevice implements Closeable {

    public static final int SECTOR_SIZE = 2048;
    static final int PACKET_SIZE = 12;
    /** The largest DRQ block: a byte count limit of 0xFFFF rounded down to even. */
    static final int MAX_BLOCK = 0xFFFE;

    static final int TEST_UNIT_READY = 0x00, REQUEST_SENSE = 0x03, INQUIRY = 0x12, START_STOP_UNIT = 0x1B,
            PREVENT_ALLOW_MEDIUM_REMOVAL = 0x1E, READ_CAPACITY = 0x25, READ_10 = 0x28, READ_TOC = 0x43,
            GET_CONFIGURATION = 0x46, GET_EVENT_STATUS_NOTIFICATION = 0x4A, READ_DISC_INFORMATION = 0x51,
            MODE_SENSE_10 = 0x5A, READ_12 = 0xA8, SET_CD_SPEED = 0xBB, MECHANISM_STATUS = 0xBD;
    /** Media event codes of GET EVENT STATUS NOTIFICATION's media class. */
    static final int EVENT_NONE = 0, EVENT_EJECT_REQUEST = 1, EVENT_NEW_MEDIA = 2, EVENT_MEDIA_REMOVAL = 3;

    /** What {@link #ejectMedium} did. */
    public enum EjectResult { EJECTED, ALREADY_EMPTY, LOCKED }

    private final String serial;
    private BlockBackend medium;
    private long mediumSectors;
    private boolean trayOpen, locked, unitAttention;
    private int mediaEvent = EVENT_NONE;
    private Sense sense = Sense.NONE;
    private Consumer<Boolean> trayListener = open -> { };

    private final byte[] cdb = new byte[PACKET_SIZE];
    private final byte[] reply = new byte[256];
    private boolean packetPhase, replying;
    // The data-in reply in progress: bytes still to send, from reply[] or from the medium.
    private boolean fromMedium;
    private long mediumOffset;
    private int replyPos;
    private long left;
    private int blockLimit;

    /** @param medium the ISO image (read-only), or null for an empty tray; closed with the drive */
    public AtapiCdrom(BlockBackend medium, String serial) {
        super(MAX_BLOCK + 1);
        this.serial = serial;
        setMedium(medium);
        powerOnReset();
    }

    private void setMedium(BlockBackend m) {
        medium = m;
        mediumSectors = m == null ? 0 : m.capacity() / SECTOR_SIZE;
    }

    /**
     * Told true when the tray opens, false when it closes (QEMU's DEVICE_TRAY_MOVED). Called on the
     * thread that moved the tray (a vCPU's or the host's) with the channel's lock held: it must
     * not block (queue the event, do not send it from there).
     */
    public void setTrayListener(Consumer<Boolean> listener) {
        synchronized (lock()) {
            trayListener = listener;
        }
    }

    public boolean hasMedium() { synchronized (lock()) { return medium != null; } }

    public boolean trayOpen() { synchronized (lock()) { return trayOpen; } }

    public boolean locked() { synchronized (lock()) { return locked; } }

    /** Puts a medium in the (empty) tray and closes it: the guest sees a unit attention and a new-media event. */
    public void insertMedium(BlockBackend m) {
        synchronized (lock()) {
            if (medium != null) throw new IllegalStateException("the drive already holds a medium");
            setMedium(m);
            boolean wasOpen = trayOpen;
            trayOpen = false;
            unitAttention = true;
            mediaEvent = EVENT_NEW_MEDIA;
            if (wasOpen) trayListener.accept(false);
        }
    }

    /**
     * Opens the tray and takes the medium out (and closes it). A tray the guest locked stays shut
     * unless force: the guest is sent an eject request instead, as a drive's eject button does.
     */
    public EjectResult ejectMedium(boolean force) throws IOException {
        BlockBackend removed;
        synchronized (lock()) {
            if (medium == null) {
                if (!trayOpen) openTray();
                return EjectResult.ALREADY_EMPTY;
            }
            if (locked && !force) {
                mediaEvent = EVENT_EJECT_REQUEST;
                return EjectResult.LOCKED;
            }
            locked = false;
            removed = medium;
            setMedium(null);
            if (!trayOpen) openTray();
            else mediaEvent = EVENT_MEDIA_REMOVAL;
        }
        removed.close();
        return EjectResult.EJECTED;
    }

    private void openTray() {
        trayOpen = true;
        mediaEvent = EVENT_MEDIA_REMOVAL;
        trayListener.accept(true);
    }

    private void closeTray() {
        trayOpen = false;
        if (medium != null) {
            unitAttention = true;
            mediaEvent = EVENT_NEW_MEDIA;
        }
        trayListener.accept(false);
    }

    @Override
    public void close() throws IOException {
        BlockBackend m;
        synchronized (lock()) {
            m = medium;
            setMedium(null);
        }
        if (m != null) m.close();
    }

    @Override boolean packetDevice() { return true; }

    @Override
    void resetDevice() {
        packetPhase = replying = false;
        left = 0;
    }

    /** Medium state and the packet in progress; whether a medium is there is the host's configuration, not state. */
    @Override
    void saveDevice(DataOutput out) throws IOException {
        out.writeBoolean(trayOpen);
        out.writeBoolean(locked);
        out.writeBoolean(unitAttention);
        out.writeByte(mediaEvent);
        out.writeByte(sense.key());
        out.writeByte(sense.asc());
        out.writeByte(sense.ascq());
        out.write(cdb);
        out.write(reply);
        out.writeBoolean(packetPhase);
        out.writeBoolean(replying);
        out.writeBoolean(fromMedium);
        out.writeLong(mediumOffset);
        out.writeInt(replyPos);
        out.writeLong(left);
        out.writeInt(blockLimit);
    }

    @Override
    void loadDevice(DataInput in) throws IOException {
        trayOpen = in.readBoolean();
        locked = in.readBoolean();
        unitAttention = in.readBoolean();
        mediaEvent = in.readUnsignedByte() & 0x0F;
        sense = new Sense(in.readUnsignedByte() & 0x0F, in.readUnsignedByte(), in.readUnsignedByte());
        in.readFully(cdb);
        in.readFully(reply);
        packetPhase = in.readBoolean();
        replying = in.readBoolean();
        fromMedium = in.readBoolean();
        mediumOffset = in.readLong();
        replyPos = checked(in, 0, reply.length, "reply position");
        left = in.readLong();
        blockLimit = checked(in, replying ? 2 : 0, MAX_BLOCK, "byte count limit"); // 0 before the first packet
        long mediumBytes = mediumSectors * SECTOR_SIZE;
        boolean fits = fromMedium
                ? medium != null && mediumOffset >= 0 && left >= 0 && mediumOffset <= mediumBytes && left <= mediumBytes - mediumOffset
                : left >= 0 && left <= reply.length - replyPos;
        if (replying && !fits) throw new IOException("IDE state: the reply in progress does not fit the medium");
    }

    @Override
    boolean command(int command) {
        switch (command) {
            case Ata.IDENTIFY_PACKET_DEVICE -> {
                System.arraycopy(identifyPacket(), 0, buffer, 0, 512);
                startDataIn(512);
            }
            case Ata.IDENTIFY_DEVICE -> {
                // A PACKET device aborts IDENTIFY DEVICE and shows its signature (how hosts tell it apart).
                tf.setSignature(true);
                abort();
            }
            case Ata.DEVICE_RESET -> {
                hardReset(); // no interrupt (ATA-7 6.10)
                error = Ata.DIAGNOSTIC_PASSED;
            }
            case Ata.PACKET -> packet();
            default -> { return false; }
        }
        return true;
    }

    private void packet() {
        if ((tf.feature & 0x01) != 0) { // DMA: the reply moves by DMA, the byte count limit does not apply
            if (!dmaHost) { // no DMA engine behind the drive
                abort();
                return;
            }
            dma = true;
            blockLimit = MAX_BLOCK;
        } else {
            // SeaBIOS gives 0 for commands without data; should one send data, 0 means no limit (as 0xFFFF).
            int limit = tf.byteCount();
            blockLimit = limit == 0 ? MAX_BLOCK : Math.max(2, limit & ~1);
        }
        packetPhase = true;
        tf.count = (tf.count & ~0x07) | Ata.IR_COD;
        startDataOut(PACKET_SIZE, false);
    }

    @Override
    void dmaTableShort() {
        left = 0;
        replying = false;
        super.dmaTableShort();
    }

    /** The drive waits for the 12 bytes of a PACKET command (the first data-out block). */
    boolean awaitingPacket() { return packetPhase && dataOutPending(); }

    @Override
    void dataOutDone() {
        if (!packetPhase) return;
        packetPhase = false;
        System.arraycopy(buffer, 0, cdb, 0, PACKET_SIZE);
        runCdb();
    }

    @Override
    void dataInDone() {
        if (!replying) finishDataIn(); // IDENTIFY PACKET DEVICE
        else if (left > 0) nextBlock();
        else good();
    }

    // ---- Command phases.

    private void good() {
        sense = Sense.NONE;
        left = 0;
        replying = false;
        tf.count = (tf.count & ~0x07) | Ata.IR_IO | Ata.IR_COD;
        complete();
    }

    private void checkCondition(Sense s) {
        sense = s;
        left = 0;
        replying = false;
        tf.count = (tf.count & ~0x07) | Ata.IR_IO | Ata.IR_COD;
        fail(s.key() << 4);
    }

    /** Sends reply[0, min(length, allocation)) to the host, or completes at once when that is empty. */
    private void sendReply(int length, long allocation) {
        fromMedium = false;
        replyPos = 0;
        left = Math.min(length, allocation);
        if (left == 0) good();
        else nextBlock();
    }

    private void sendSectors(long lba, long count) {
        if (count == 0) {
            good();
            return;
        }
        fromMedium = true;
        mediumOffset = lba * SECTOR_SIZE;
        left = count * SECTOR_SIZE; // READ(12) may ask 2^32 sectors: the range check bounded it by the medium
        nextBlock();
    }

    /** The next DRQ block of the reply: at most the byte count limit. */
    private void nextBlock() {
        int n = (int) Math.min(left, blockLimit);
        if (fromMedium) {
            try {
                medium.read(mediumOffset, buffer, 0, n);
            } catch (IOException e) {
                checkCondition(Sense.UNRECOVERED_READ_ERROR);
                return;
            }
            mediumOffset += n;
        } else {
            System.arraycopy(reply, replyPos, buffer, 0, n);
            replyPos += n;
        }
        left -= n;
        replying = true;
        if (!dma) { // a DMA reply leaves the byte count and the interrupt reason as the packet left them (QEMU's)
            tf.setByteCount(n);
            tf.count = (tf.count & ~0x07) | Ata.IR_IO;
        }
        startDataIn(n);
        if (dma && fromMedium) status |= Ata.BSY; // a medium read by DMA reads busy until it is done, as QEMU's
    }

    private void runCdb() {
        int op = cdb[0] & 0xFF;
        boolean reportsAttention = op != INQUIRY && op != REQUEST_SENSE && op != GET_CONFIGURATION
                && op != GET_EVENT_STATUS_NOTIFICATION;
        if (unitAttention && reportsAttention) {
            unitAttention = false;
            checkCondition(Sense.MEDIUM_MAY_HAVE_CHANGED);
            return;
        }
        boolean needsMedium = op == TEST_UNIT_READY || op == READ_CAPACITY || op == READ_10 || op == READ_12
                || op == READ_TOC || op == READ_DISC_INFORMATION;
        if (needsMedium && (medium == null || trayOpen)) {
            checkCondition(trayOpen ? Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN : Sense.MEDIUM_NOT_PRESENT);
            return;
        }
        Arrays.fill(reply, (byte) 0);
        switch (op) {
            case TEST_UNIT_READY, SET_CD_SPEED -> good();
            case REQUEST_SENSE -> {
                Sense s = sense;
                if (unitAttention) { // a pending attention is what the sense reports (and clears)
                    unitAttention = false;
                    s = Sense.MEDIUM_MAY_HAVE_CHANGED;
                }
                int n = MmcReplies.requestSense(reply, s);
                sendReply(n, cdb[4] & 0xFF);
            }
            case INQUIRY -> {
                if ((cdb[1] & 0x01) != 0) checkCondition(Sense.INVALID_FIELD_IN_CDB); // no vital product data pages
                else sendReply(MmcReplies.inquiry(reply), MmcReplies.be16(cdb, 3));
            }
            case READ_CAPACITY -> sendReply(MmcReplies.readCapacity(reply, mediumSectors), 8);
            case READ_10 -> read(MmcReplies.be32(cdb, 2), MmcReplies.be16(cdb, 7));
            case READ_12 -> read(MmcReplies.be32(cdb, 2), MmcReplies.be32(cdb, 6));
            case READ_TOC -> readToc();
            case GET_CONFIGURATION -> {
                int rt = cdb[1] & 0x03;
                if (rt == 3) {
                    checkCondition(Sense.INVALID_FIELD_IN_CDB);
                    return;
                }
                int n = MmcReplies.configuration(reply, currentProfile(), rt, MmcReplies.be16(cdb, 2));
                sendReply(n, MmcReplies.be16(cdb, 7));
            }
            case GET_EVENT_STATUS_NOTIFICATION -> {
                if ((cdb[1] & 0x01) == 0) { // only polled operation
                    checkCondition(Sense.INVALID_FIELD_IN_CDB);
                    return;
                }
                int classes = cdb[4] & 0xFF;
                int n = MmcReplies.eventStatus(reply, classes, mediaEvent, medium != null && !trayOpen, trayOpen);
                if ((classes & 0x10) != 0) mediaEvent = EVENT_NONE;
                sendReply(n, MmcReplies.be16(cdb, 7));
            }
            case MODE_SENSE_10 -> {
                int control = (cdb[2] & 0xFF) >>> 6;
                if (control == 3) {
                    checkCondition(Sense.SAVING_PARAMETERS_NOT_SUPPORTED);
                    return;
                }
                int n = MmcReplies.modeSense(reply, cdb[2] & 0x3F, locked);
                if (n < 0) checkCondition(Sense.INVALID_FIELD_IN_CDB);
                else sendReply(n, MmcReplies.be16(cdb, 7));
            }
            case START_STOP_UNIT -> startStop(cdb[4] & 0x03);
            case PREVENT_ALLOW_MEDIUM_REMOVAL -> {
                locked = (cdb[4] & 0x01) != 0;
                good();
            }
            case READ_DISC_INFORMATION -> {
                if ((cdb[1] & 0x07) != 0) checkCondition(Sense.INVALID_FIELD_IN_CDB); // only standard disc information
                else sendReply(MmcReplies.discInformation(reply), MmcReplies.be16(cdb, 7));
            }
            case MECHANISM_STATUS -> sendReply(MmcReplies.mechanismStatus(reply, trayOpen), MmcReplies.be16(cdb, 8));
            default -> checkCondition(Sense.INVALID_OPCODE);
        }
    }

    private int currentProfile() {
        if (medium == null || trayOpen) return MmcReplies.PROFILE_NONE;
        return mediumSectors > MmcReplies.CD_MAX_SECTORS ? MmcReplies.PROFILE_DVD_ROM : MmcReplies.PROFILE_CD_ROM;
    }

    private void read(long lba, long count) {
        if (lba > mediumSectors || count > mediumSectors - lba) checkCondition(Sense.LBA_OUT_OF_RANGE);
        else sendSectors(lba, count);
    }

    private void readToc() {
        boolean msf = (cdb[1] & 0x02) != 0;
        int format = cdb[2] & 0x0F;
        if (format == 0 && (cdb[9] & 0xC0) != 0) format = (cdb[9] & 0xFF) >>> 6; // the older (SFF-8020) place of the format
        int n = switch (format) {
            case 0 -> MmcReplies.tocFormatted(reply, mediumSectors, msf, cdb[6] & 0xFF);
            case 1 -> MmcReplies.tocSessions(reply, msf);
            default -> -1;
        };
        if (n < 0) checkCondition(Sense.INVALID_FIELD_IN_CDB);
        else sendReply(n, MmcReplies.be16(cdb, 7));
    }

    /** START STOP UNIT with LoEj: start 0 opens the tray (refused while locked), start 1 closes it. */
    private void startStop(int loejStart) {
        switch (loejStart) {
            case 0x02 -> {
                if (locked) {
                    checkCondition(Sense.MEDIUM_REMOVAL_PREVENTED);
                    return;
                }
                if (!trayOpen) openTray();
                good();
            }
            case 0x03 -> {
                if (trayOpen) closeTray();
                good();
            }
            default -> good(); // spin up or down: nothing to do
        }
    }

    private byte[] identifyPacket() {
        IdentifyData id = identifyPacketPio();
        if (dmaHost) AtaDisk.dmaModes(id, transferMode());
        return id.withIntegrityWord();
    }

    private IdentifyData identifyPacketPio() {
        return new IdentifyData()
                .word(0, 0x85C0)          // ATAPI, CD-ROM, removable, 50 us DRQ, 12-byte packets
                .string(10, 10, serial)
                .string(23, 4, Firmware.REVISION)
                .string(27, 20, Firmware.CDROM_MODEL)
                .word(49, 1 << 11 | 1 << 9) // IORDY, LBA (no DMA without the bus-master function)
                .word(53, 0x0002)          // words 64-70 valid
                .word(64, 0x0003)          // PIO modes 3 and 4
                .word(65, 120).word(66, 120).word(67, 120).word(68, 120)
                .word(71, 30).word(72, 30) // packet and service release times
                .word(80, 0x001E)          // ATA/ATAPI-1 to -4
                .word(82, 1 << 14 | 1 << 4) // NOP, PACKET
                .word(85, 1 << 14 | 1 << 4)
                .word(93, 1 << 14 | 1 << 13 | 1);
    }
}
