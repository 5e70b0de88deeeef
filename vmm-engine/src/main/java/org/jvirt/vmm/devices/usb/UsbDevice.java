package org.jvirt.vmm.devices.usb;

import org.jvirt.vmm.devices.Snapshottable;

/**
 * A USB function as a host controller drives it (QEMU's USBDevice with its usb_desc layer):
 * control requests on endpoint 0, IN transfers on its other endpoints, a bus reset. Calls come
 * from the controller under its own lock; a device with new data calls the wakeup callback
 * without holding its own lock (lock order: controller, then device).
 */
public interface UsbDevice extends Snapshottable {
    /** A request the device refuses: the controller reports a stall. */
    int STALL = -1;
    /** No data yet on an interrupt endpoint: the controller retries when woken. */
    int NAK = -2;

    /** xHCI's speed ids (PORTSC port speed). */
    int SPEED_FULL = 1, SPEED_LOW = 2, SPEED_HIGH = 3, SPEED_SUPER = 4;

    int speed();

    /** USB bus reset (QEMU's usb_device_reset): address 0, unconfigured, the function's own reset. */
    void reset();

    /** The device's address (SET_ADDRESS), 0 after a reset. */
    int address();

    /**
     * A control request (QEMU's usb_device_handle_control): for an IN request the answer goes
     * into data and the result is its length (the caller truncates to the request's length); for
     * an OUT request data holds what the host sent and the result is the length to report.
     * STALL when refused.
     */
    int control(int requestType, int request, int value, int index, int length, byte[] data);

    /** An IN transfer of at most len bytes on endpoint number ep into buf: its length, NAK or STALL. */
    int dataIn(int ep, byte[] buf, int len);

    /** Where the device reports that it has data (QEMU's usb_wakeup on its interrupt endpoint). */
    void setWakeup(Runnable wakeup);

    /** The interrupt IN endpoint's number (the only one the HID devices have). */
    default int interruptEndpoint() { return 1; }
}
