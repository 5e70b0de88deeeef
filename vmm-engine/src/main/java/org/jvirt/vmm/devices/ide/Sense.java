package org.jvirt.vmm.devices.ide;

/** A SCSI sense: key, additional sense code and qualifier (SPC-3 4.5, the codes MMC drives report). */
record Sense(int key, int asc, int ascq) {
    static final int NO_SENSE = 0x0, NOT_READY = 0x2, MEDIUM_ERROR = 0x3, ILLEGAL_REQUEST = 0x5, UNIT_ATTENTION = 0x6;

    static final Sense NONE = new Sense(NO_SENSE, 0, 0);
    static final Sense MEDIUM_NOT_PRESENT = new Sense(NOT_READY, 0x3A, 0x01);         // tray closed
    static final Sense MEDIUM_NOT_PRESENT_TRAY_OPEN = new Sense(NOT_READY, 0x3A, 0x02);
    static final Sense UNRECOVERED_READ_ERROR = new Sense(MEDIUM_ERROR, 0x11, 0x00);
    static final Sense INVALID_OPCODE = new Sense(ILLEGAL_REQUEST, 0x20, 0x00);
    static final Sense LBA_OUT_OF_RANGE = new Sense(ILLEGAL_REQUEST, 0x21, 0x00);
    static final Sense INVALID_FIELD_IN_CDB = new Sense(ILLEGAL_REQUEST, 0x24, 0x00);
    static final Sense SAVING_PARAMETERS_NOT_SUPPORTED = new Sense(ILLEGAL_REQUEST, 0x39, 0x00);
    static final Sense MEDIUM_REMOVAL_PREVENTED = new Sense(ILLEGAL_REQUEST, 0x53, 0x02);
    /** NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED. */
    static final Sense MEDIUM_MAY_HAVE_CHANGED = new Sense(UNIT_ATTENTION, 0x28, 0x00);
}
