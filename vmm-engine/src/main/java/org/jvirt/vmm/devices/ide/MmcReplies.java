package org.jvirt.vmm.devices.ide;

import java.nio.charset.StandardCharsets;

/**
 * The data-in replies of the MMC commands the ATAPI drive answers (SPC-3, MMC-5), written into a
 * zeroed buffer; each returns the reply's full length (the caller cuts it to the allocation
 * length). Big-endian fields throughout.
 */
final class MmcReplies {
    private MmcReplies() { }

    static final int PROFILE_NONE = 0x0000, PROFILE_CD_ROM = 0x0008, PROFILE_DVD_ROM = 0x0010;
    /** Media larger than a CD (about 700 MB) are offered as DVD-ROM. */
    static final long CD_MAX_SECTORS = 400_000;
    /** 704 KB/s (4x CD), what the capabilities page reports as maximum and current speed (QEMU's figure). */
    private static final int SPEED = 704;

    static void be16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void be32(byte[] b, int at, long v) {
        be16(b, at, (int) (v >>> 16));
        be16(b, at + 2, (int) v);
    }

    static int be16(byte[] b, int at) { return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF; }

    static long be32(byte[] b, int at) { return (long) be16(b, at) << 16 | be16(b, at + 2); }

    /** REQUEST SENSE: fixed-format sense data. */
    static int requestSense(byte[] b, Sense s) {
        b[0] = (byte) 0xF0;          // valid, current error, fixed format (as QEMU's drive answers)
        b[2] = (byte) s.key();
        b[7] = 10;                   // additional sense length
        b[12] = (byte) s.asc();
        b[13] = (byte) s.ascq();
        return 18;
    }

    /** Standard INQUIRY data of a removable CD/DVD device. */
    static int inquiry(byte[] b) {
        b[0] = 0x05;                 // peripheral device type: CD/DVD
        b[1] = (byte) 0x80;          // removable
        b[2] = 0x00;                 // no claim to a SCSI version (ATAPI)
        b[3] = 0x21;                 // ATAPI transport version 2, response data format 1
        b[4] = 36 - 5;               // additional length
        ascii(b, 8, 8, Firmware.VENDOR);
        ascii(b, 16, 16, Firmware.CDROM_MODEL);
        ascii(b, 32, 4, Firmware.REVISION);
        return 36;
    }

    private static void ascii(byte[] b, int at, int len, String s) {
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < len; i++) b[at + i] = i < a.length ? a[i] : (byte) ' ';
    }

    /** READ CAPACITY: last LBA and block length. */
    static int readCapacity(byte[] b, long sectors) {
        be32(b, 0, Math.min(0xFFFF_FFFFL, sectors - 1));
        be32(b, 4, AtapiCdrom.SECTOR_SIZE);
        return 8;
    }

    /** An address of READ TOC: LBA, or MSF (minute, second, frame, 150 frames of lead-in) when msf. */
    private static void address(byte[] b, int at, long lba, boolean msf) {
        if (msf) {
            long f = lba + 150;
            b[at] = 0;
            b[at + 1] = (byte) Math.min(0xFF, f / 75 / 60);
            b[at + 2] = (byte) (f / 75 % 60);
            b[at + 3] = (byte) (f % 75);
        } else {
            be32(b, at, lba);
        }
    }

    /** READ TOC format 0 (formatted TOC) of a one-track data disc; -1 when startTrack names no track. */
    static int tocFormatted(byte[] b, long sectors, boolean msf, int startTrack) {
        if (startTrack > 1 && startTrack != 0xAA) return -1;
        b[2] = 1;                    // first track
        b[3] = 1;                    // last track
        int at = 4;
        if (startTrack <= 1) {
            at = trackDescriptor(b, at, 1, 0, msf);
        }
        at = trackDescriptor(b, at, 0xAA, sectors, msf); // lead-out
        b[at - 7] = 0x16;            // the lead-out's control as QEMU's drive reports it
        be16(b, 0, at - 2);
        return at;
    }

    private static int trackDescriptor(byte[] b, int at, int track, long lba, boolean msf) {
        b[at + 1] = 0x14;            // ADR 1 (position), control 4 (data track, copy prohibited)
        b[at + 2] = (byte) track;
        address(b, at + 4, lba, msf);
        return at + 8;
    }

    /** READ TOC format 1 (multi-session information): one session, starting at track 1. */
    static int tocSessions(byte[] b, boolean msf) {
        be16(b, 0, 0x0A);
        b[2] = 1;                    // first session
        b[3] = 1;                    // last session
        trackDescriptor(b, 4, 1, 0, msf);
        return 12;
    }

    /** GET CONFIGURATION: the profile list, core and removable-medium features, from startFeature on (rt 2: that one only). */
    static int configuration(byte[] b, int currentProfile, int rt, int startFeature) {
        int at = 8;
        if (rt == 2 ? startFeature == 0x0000 : startFeature <= 0x0000) {
            be16(b, at, 0x0000);
            b[at + 2] = 0x03;        // persistent, current
            b[at + 3] = 8;
            be16(b, at + 4, PROFILE_DVD_ROM);
            b[at + 6] = (byte) (currentProfile == PROFILE_DVD_ROM ? 1 : 0);
            be16(b, at + 8, PROFILE_CD_ROM);
            b[at + 10] = (byte) (currentProfile == PROFILE_CD_ROM ? 1 : 0);
            at += 12;
        }
        if (rt == 2 ? startFeature == 0x0001 : startFeature <= 0x0001) {
            be16(b, at, 0x0001);
            b[at + 2] = 0x07;        // version 1, persistent, current
            b[at + 3] = 8;
            be32(b, at + 4, 2);      // physical interface: ATAPI
            at += 12;
        }
        if (rt == 2 ? startFeature == 0x0003 : startFeature <= 0x0003) {
            be16(b, at, 0x0003);
            b[at + 2] = 0x03;
            b[at + 3] = 4;
            b[at + 4] = 0x29;        // tray loading mechanism, eject, lock
            at += 8;
        }
        be32(b, 0, at - 4);
        be16(b, 6, currentProfile);
        return at;
    }

    /** GET EVENT STATUS NOTIFICATION: the media class event, or "no event available" when that class is not asked for. */
    static int eventStatus(byte[] b, int requestedClasses, int mediaEvent, boolean mediaPresent, boolean trayOpen) {
        b[3] = 0x10;                 // supported classes: media
        if ((requestedClasses & 0x10) == 0) {
            b[2] = (byte) 0x80;      // NEA: no event data follows the header
            be16(b, 0, 0);
            return 4;
        }
        b[2] = 0x04;                 // media class
        b[4] = (byte) mediaEvent;
        b[5] = (byte) ((mediaPresent ? 0x02 : 0) | (trayOpen ? 0x01 : 0));
        be16(b, 0, 4);               // event data length: the bytes after the 4-byte header
        return 8;
    }

    /** MODE SENSE(10) of page (0x01, 0x2A or 0x3F for all); -1 for another page. */
    static int modeSense(byte[] b, int page, boolean locked) {
        int at = 8;
        if (page == 0x01 || page == 0x3F) {
            b[at] = 0x01;            // read/write error recovery
            b[at + 1] = 0x06;
            b[at + 3] = 0x05;        // read retry count
            at += 8;
        }
        if (page == 0x2A || page == 0x3F) {
            b[at] = 0x2A;            // CD/DVD capabilities and mechanical status
            b[at + 1] = 0x14;
            b[at + 2] = 0x3B;        // reads CD-R, CD-RW, method 2, DVD-ROM...
            b[at + 4] = 0x71;        // audio play, multi-session, mode 2 forms
            b[at + 5] = 0x60;
            b[at + 6] = (byte) (0x29 | (locked ? 0x02 : 0)); // tray, eject, lock (and its state)
            be16(b, at + 8, SPEED);  // maximum read speed
            be16(b, at + 10, 2);     // volume levels
            be16(b, at + 12, 512);   // buffer size (KB)
            be16(b, at + 14, SPEED); // current read speed
            at += 22;
        }
        if (at == 8) return -1;
        be16(b, 0, at - 2);
        b[2] = 0x70;                 // medium type code of an MMC drive
        return at;
    }

    /** READ DISC INFORMATION of a finished single-session disc. */
    static int discInformation(byte[] b) {
        be16(b, 0, 32);
        b[2] = 0x0E;                 // last session complete, disc finalized
        b[3] = 1;                    // first track
        b[4] = 1;                    // sessions
        b[5] = 1;                    // first track of the last session
        b[6] = 1;                    // last track of the last session
        b[7] = 0x20;                 // unrestricted use
        return 34;
    }

    /** MECHANISM STATUS: no changer, idle, door open or closed. */
    static int mechanismStatus(byte[] b, boolean trayOpen) {
        b[1] = (byte) (trayOpen ? 0x10 : 0);
        b[5] = 1;                    // slots: the one tray (as QEMU's drive reports)
        return 8;
    }
}
