package org.jvirt.vmm.devices.ide;

/** Register bits and command codes of ATA/ATAPI-7 (volume 1 and 2) used by the IDE devices. */
final class Ata {
    private Ata() { }

    // Status register.
    static final int BSY = 0x80, DRDY = 0x40, DF = 0x20, DSC = 0x10, DRQ = 0x08, ERR = 0x01;
    // Error register.
    static final int ABRT = 0x04, IDNF = 0x10, UNC = 0x40;
    /** The error register after a reset or EXECUTE DEVICE DIAGNOSTIC: device 0 passed (device 1 passed or absent). */
    static final int DIAGNOSTIC_PASSED = 0x01;
    // Device control register.
    static final int NIEN = 0x02, SRST = 0x04, HOB = 0x80;
    // Device register.
    static final int LBA_MODE = 0x40, DEV = 0x10;
    // Interrupt reason (the sector count register of a PACKET device).
    static final int IR_COD = 0x01, IR_IO = 0x02;

    static final int NOP = 0x00, DEVICE_RESET = 0x08,
            READ_SECTORS = 0x20, READ_SECTORS_NORETRY = 0x21, READ_SECTORS_EXT = 0x24, READ_MULTIPLE_EXT = 0x29,
            WRITE_SECTORS = 0x30, WRITE_SECTORS_NORETRY = 0x31, WRITE_SECTORS_EXT = 0x34, WRITE_MULTIPLE_EXT = 0x39,
            READ_VERIFY = 0x40, READ_VERIFY_NORETRY = 0x41, READ_VERIFY_EXT = 0x42,
            EXECUTE_DEVICE_DIAGNOSTIC = 0x90, INITIALIZE_DEVICE_PARAMETERS = 0x91,
            PACKET = 0xA0, IDENTIFY_PACKET_DEVICE = 0xA1,
            READ_MULTIPLE = 0xC4, WRITE_MULTIPLE = 0xC5, SET_MULTIPLE_MODE = 0xC6,
            STANDBY_IMMEDIATE = 0xE0, IDLE_IMMEDIATE = 0xE1, STANDBY = 0xE2, IDLE = 0xE3, CHECK_POWER_MODE = 0xE5,
            FLUSH_CACHE = 0xE7, FLUSH_CACHE_EXT = 0xEA, IDENTIFY_DEVICE = 0xEC, SET_FEATURES = 0xEF,
            // ATA-1 codes of the power commands, still sent by old software.
            STANDBY_IMMEDIATE_OLD = 0x94, IDLE_IMMEDIATE_OLD = 0x95, STANDBY_OLD = 0x96, IDLE_OLD = 0x97,
            CHECK_POWER_MODE_OLD = 0x98,
            // DMA commands: only a host adapter with a DMA engine (AHCI) offers them.
            READ_DMA_EXT = 0x25, WRITE_DMA_EXT = 0x35, READ_DMA = 0xC8, READ_DMA_NORETRY = 0xC9,
            WRITE_DMA = 0xCA, WRITE_DMA_NORETRY = 0xCB;

    // SET FEATURES subcommands (features register).
    static final int SF_ENABLE_WRITE_CACHE = 0x02, SF_SET_TRANSFER_MODE = 0x03, SF_DISABLE_READ_LOOKAHEAD = 0x55,
            SF_DISABLE_REVERTING = 0x66, SF_DISABLE_WRITE_CACHE = 0x82, SF_ENABLE_READ_LOOKAHEAD = 0xAA,
            SF_ENABLE_REVERTING = 0xCC;
}
