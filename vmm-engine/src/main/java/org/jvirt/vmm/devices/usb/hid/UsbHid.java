package org.jvirt.vmm.devices.usb.hid;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.jvirt.vmm.devices.input.InputRouter;
import org.jvirt.vmm.devices.input.InputSink;
import org.jvirt.vmm.devices.usb.UsbDevice;

/**
 * QEMU 7.2's usb-tablet, usb-mouse and usb-kbd (hw/usb/dev-hid.c over hw/usb/desc.c): a
 * high-speed HID function with the standard requests QEMU's descriptor layer answers (device,
 * configuration, string and qualifier descriptors, addresses, configuration, status, remote
 * wakeup) and the HID class requests (report descriptor, GET/SET_REPORT, GET/SET_IDLE, and for
 * the keyboard and mouse GET/SET_PROTOCOL); an interrupt IN endpoint 1 that NAKs until there is
 * an event ({@link HidState}).
 * <p>Routing as QEMU's: the keyboard's handler is put in front of the others when created, a
 * pointer's when the guest first polls it or sets its idle rate. Host pointer events become
 * QEMU's input events as its VNC server sends them: the buttons that changed, then the
 * absolute position (tablet) or the motion since the last position (mouse; none for the first
 * event), then a sync when the device had any of them. The serial number string is QEMU's generated one: the kind's number,
 * the controller's PCI address and the port.
 */
public final class UsbHid implements UsbDevice, InputSink {
    public static final int STATE_VERSION = 1;
    private static final int RFB_LEFT = 1, RFB_MIDDLE = 2, RFB_RIGHT = 4, RFB_WHEEL_UP = 8, RFB_WHEEL_DOWN = 16;

    private final HidKind kind;
    private final HidState hid;
    private final String serial;
    private InputRouter.Handler handler;
    private Runnable wakeup = () -> { };
    private int address, configuration;
    private boolean remoteWakeup, pointerActive;
    private int lastX = -1, lastY = -1, lastMask;

    /** pciPath: the controller's "0000:00:SS.F"; port: the device's USB port path ("1"). */
    public UsbHid(HidKind kind, String pciPath, String port) {
        this.kind = Objects.requireNonNull(kind, "kind");
        hid = new HidState(kind);
        serial = HidDescriptors.STRINGS[HidDescriptors.serial(kind)] + "-" + pciPath + "-" + port;
    }

    /** Registers the device's handler in the router (a keyboard's goes in front at once, as QEMU's hid_init). */
    public void connect(InputRouter router) {
        InputRouter.Kind k = switch (kind) {
            case KEYBOARD -> InputRouter.Kind.KEYBOARD;
            case MOUSE -> InputRouter.Kind.RELATIVE_POINTER;
            case TABLET -> InputRouter.Kind.ABSOLUTE_POINTER;
        };
        handler = router.register(k, this);
        if (kind == HidKind.KEYBOARD) handler.activate();
    }

    public HidKind kind() { return kind; }

    @Override public int speed() { return SPEED_HIGH; }
    @Override public synchronized int address() { return address; }
    @Override public void setWakeup(Runnable w) { wakeup = Objects.requireNonNull(w); }

    @Override
    public synchronized void reset() {
        address = 0;
        configuration = 0;
        remoteWakeup = false;
        hid.reset();
    }

    // ---- host events ----

    @Override
    public void key(int qnum, boolean down) {
        if (kind != HidKind.KEYBOARD) return;
        boolean queued;
        synchronized (this) {
            queued = hid.keyEvent(qnum, down);
        }
        if (queued) wakeup.run();
    }

    @Override
    public void pointer(int x, int y, int mask, int width, int height) {
        if (kind == HidKind.KEYBOARD) return;
        boolean visible;
        synchronized (this) {
            int changed = mask ^ lastMask;
            int events = Integer.bitCount(changed & 0x1f);
            // QEMU's button order: left, middle, right, wheel up, wheel down
            if ((changed & RFB_LEFT) != 0) hid.button(1, (mask & RFB_LEFT) != 0, 0);
            if ((changed & RFB_MIDDLE) != 0) hid.button(4, (mask & RFB_MIDDLE) != 0, 0);
            if ((changed & RFB_RIGHT) != 0) hid.button(2, (mask & RFB_RIGHT) != 0, 0);
            if ((changed & RFB_WHEEL_UP) != 0) hid.button(0, (mask & RFB_WHEEL_UP) != 0, -1);
            if ((changed & RFB_WHEEL_DOWN) != 0) hid.button(0, (mask & RFB_WHEEL_DOWN) != 0, 1);
            lastMask = mask;
            if (kind == HidKind.TABLET) {
                hid.absolute(scale(x, width), scale(y, height));
            } else {
                if (lastX != -1) {
                    hid.relative(x - lastX, y - lastY);
                    events += 2;
                }
                lastX = x;
                lastY = y;
            }
            // QEMU's qemu_input_event_sync reaches only a handler that had events: a mouse's first event without a button change has none
            visible = kind == HidKind.TABLET || events > 0 ? hid.sync() : false;
        }
        if (visible) wakeup.run();
    }

    /** QEMU's qemu_input_scale_axis from 0..size to 0..0x7fff. */
    static int scale(int value, int size) {
        if (size < 1) return 0x7fff / 2;
        return (int) ((long) value * 0x7fff / size);
    }

    private void activatePointer() {
        if (pointerActive || kind == HidKind.KEYBOARD) return;
        pointerActive = true;
        if (handler != null) handler.activate();
    }

    // ---- requests ----

    @Override
    public synchronized int control(int requestType, int request, int value, int index, int length, byte[] data) {
        int r = (requestType & 0xff) << 8 | (request & 0xff);
        switch (r) {
            case 0x8006: return descriptor(value, length, data);
            case 0x0005: address = value & 0x7f; return 0;
            case 0x0009:
                if ((value & 0xff) > 1) return STALL;
                configuration = value & 0xff;
                return 0;
            case 0x8008: data[0] = (byte) configuration; return 1;
            case 0x8000:
                data[0] = (byte) (remoteWakeup ? 2 : 0);
                data[1] = 0;
                return 2;
            case 0x0001: case 0x0003:
                if (value != 1) return STALL; // only DEVICE_REMOTE_WAKEUP
                remoteWakeup = r == 0x0003;
                return 0;
            case 0x810a: data[0] = 0; return 1;      // GET_INTERFACE
            case 0x010b: return value == 0 && index == 0 ? 0 : STALL; // SET_INTERFACE
            default: break;
        }
        switch (r) {
            case 0x8106:
                if (value >> 8 != 0x22) return STALL;
                byte[] rep = HidDescriptors.report(kind);
                System.arraycopy(rep, 0, data, 0, Math.min(rep.length, data.length));
                return rep.length;
            case 0xa101: // GET_REPORT
                return kind == HidKind.KEYBOARD ? hid.keyboardPoll(data, length) : pointerPoll(data, length);
            case 0x2109: // SET_REPORT
                if (kind != HidKind.KEYBOARD) return STALL;
                int leds = hid.keyboardWrite(data, length);
                if (leds >= 0 && handler != null) handler.putLeds(leds);
                return 0;
            case 0xa103: // GET_PROTOCOL
                if (kind == HidKind.TABLET) return STALL;
                data[0] = (byte) hid.protocol;
                return 1;
            case 0x210b: // SET_PROTOCOL
                if (kind == HidKind.TABLET) return STALL;
                hid.protocol = value;
                return 0;
            case 0xa102: data[0] = (byte) hid.idle; return 1;
            case 0x210a:
                hid.idle = (value >> 8) & 0xff;
                activatePointer();
                return 0;
            default:
                return STALL;
        }
    }

    private int pointerPoll(byte[] buf, int len) {
        activatePointer();
        return hid.pointerPoll(buf, len);
    }

    /** QEMU's usb_desc_get_descriptor: the whole descriptor (the caller truncates), 0 bytes for an unknown string. */
    private int descriptor(int value, int length, byte[] data) {
        int type = value >> 8, index = value & 0xff;
        byte[] d;
        switch (type) {
            case 1 -> d = HidDescriptors.device(kind);
            case 2 -> {
                if (index != 0) return STALL;
                d = HidDescriptors.config(kind);
            }
            case 3 -> d = string(index);
            case 6 -> d = HidDescriptors.QUALIFIER;
            default -> { return STALL; }
        }
        System.arraycopy(d, 0, data, 0, Math.min(d.length, data.length));
        return d.length;
    }

    private byte[] string(int index) {
        if (index == 0) return new byte[] {4, 3, 0x09, 0x04};
        String s = index == HidDescriptors.serial(kind) ? serial
                : index < HidDescriptors.STRINGS.length ? HidDescriptors.STRINGS[index] : null;
        if (s == null) return new byte[0];
        byte[] chars = s.getBytes(StandardCharsets.UTF_16LE);
        int len = Math.min(chars.length + 2, 254);
        byte[] d = new byte[len];
        d[0] = (byte) len;
        d[1] = 3;
        System.arraycopy(chars, 0, d, 2, len - 2);
        return d;
    }

    @Override
    public synchronized int dataIn(int ep, byte[] buf, int len) {
        if (ep != 1) return STALL;
        activatePointer();
        if (!hid.hasEvents()) return NAK;
        return kind == HidKind.KEYBOARD ? hid.keyboardPoll(buf, len) : hid.pointerPoll(buf, len);
    }

    // ---- state ----

    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeByte(kind.ordinal());
        out.writeByte(address);
        out.writeByte(configuration);
        out.writeBoolean(remoteWakeup);
        out.writeBoolean(pointerActive);
        out.writeInt(lastX);
        out.writeInt(lastY);
        out.writeByte(lastMask);
        hid.save(out);
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        int k = in.readUnsignedByte();
        if (k != kind.ordinal()) throw new IOException("usb hid: state of another kind (" + k + ")");
        address = in.readUnsignedByte() & 0x7f;
        configuration = in.readUnsignedByte();
        remoteWakeup = in.readBoolean();
        pointerActive = in.readBoolean();
        lastX = in.readInt();
        lastY = in.readInt();
        lastMask = in.readUnsignedByte();
        hid.load(in);
        if (handler != null && (pointerActive || kind == HidKind.KEYBOARD)) handler.activate();
    }
}
