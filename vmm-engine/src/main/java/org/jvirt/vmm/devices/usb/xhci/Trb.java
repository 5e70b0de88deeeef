package org.jvirt.vmm.devices.usb.xhci;

/** One 16-byte TRB as fetched from a ring, with where it was and the ring's cycle state then. */
record Trb(long parameter, int status, int control, long address, boolean ccs) {
    static final int SIZE = 16;
    // types
    static final int NORMAL = 1, SETUP = 2, DATA = 3, STATUS = 4, ISOCH = 5, LINK = 6, EVENT_DATA = 7, TR_NOOP = 8;
    static final int ENABLE_SLOT = 9, DISABLE_SLOT = 10, ADDRESS_DEVICE = 11, CONFIGURE_ENDPOINT = 12, EVALUATE_CONTEXT = 13,
            RESET_ENDPOINT = 14, STOP_ENDPOINT = 15, SET_TR_DEQUEUE = 16, RESET_DEVICE = 17, GET_PORT_BANDWIDTH = 21, NOOP = 23;
    static final int TRANSFER_EVENT = 32, COMMAND_COMPLETE = 33, PORT_STATUS_CHANGE = 34;
    // completion codes
    static final int CC_SUCCESS = 1, CC_TRANSACTION_ERROR = 4, CC_TRB_ERROR = 5, CC_STALL = 6, CC_NO_SLOTS = 9,
            CC_SLOT_NOT_ENABLED = 11, CC_EP_NOT_ENABLED = 12, CC_SHORT_PACKET = 13, CC_CONTEXT_STATE = 19,
            CC_EVENT_RING_FULL = 21, CC_COMMAND_RING_STOPPED = 24, CC_STOPPED = 26;
    // control bits
    static final int C = 1, LINK_TC = 2, ISP = 1 << 2, CH = 1 << 4, IOC = 1 << 5, IDT = 1 << 6, DIR_IN = 1 << 16, BSR_DC = 1 << 9;

    int type() { return (control >>> 10) & 0x3f; }
    int length() { return status & 0x1ffff; }
    int interrupter() { return (status >>> 22) & 0x3ff; }
    int slotId() { return control >>> 24; }
    int endpointId() { return (control >>> 16) & 0x1f; }
}
