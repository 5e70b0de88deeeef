package org.jvirt.vmm.devices.ps2;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A PS/2 mouse on the 8042's AUX port as QEMU's hw/input/ps2.c emulates it: the commands E6/E7
 * (scaling), E8 (resolution), E9 (status: FA, status, resolution, rate), EA/F0 (stream/remote
 * mode), EB (read data), EC/EE (wrap mode), F2 (id), F3 (sample rate; the IntelliMouse knock
 * 200, 100, 80 makes it id 3 with a wheel byte, 200, 200, 80 id 4), F4/F5 (reporting on/off),
 * F6 (defaults), FF (reset: FA AA 00). Other bytes are ignored, as QEMU ignores them.
 *
 * <p>Packets: byte 0 is 0x08 | y sign << 5 | x sign << 4 | buttons (bit 0 left, 1 right,
 * 2 middle), then x and y as two's complement bytes clamped to -127..127 (y up positive), then
 * for ids 3 and 4 the wheel (clamped to -127..127, or -7..7 in the low nibble for id 4). A move
 * larger than a packet holds goes out as several packets while the 16-byte queue has room; what
 * does not fit waits for the next event. Nothing is recorded while reporting is off.
 *
 * <p>Not thread safe: the {@link I8042} calls it under its lock.
 */
public final class Ps2Mouse {
    private static final int ACK = 0xFA;
    private static final int STATUS_REMOTE = 0x40, STATUS_ENABLED = 0x20, STATUS_SCALE21 = 0x10;
    /** PS/2 packet button bits (QEMU's PS2_MOUSE_BUTTON_*). */
    public static final int BUTTON_LEFT = 0x01, BUTTON_RIGHT = 0x02, BUTTON_MIDDLE = 0x04;

    private final Ps2Queue queue = new Ps2Queue();
    private int status, resolution, sampleRate, type, detectState;
    private boolean wrap;
    private int dx, dy, dz, buttons;
    /** The command waiting for its parameter byte (E8 or F3), -1 if none. */
    private int pendingCommand = -1;

    public boolean hasData() { return !queue.isEmpty(); }

    public int read() { return queue.read(); }

    /** The id F2 reports: 0 plain, 3 IntelliMouse (wheel), 4 IntelliMouse Explorer. */
    public int type() { return type; }

    public boolean reporting() { return (status & STATUS_ENABLED) != 0; }

    /** Power-on (QEMU's device reset): everything zero, reporting off. */
    public void reset() {
        queue.reset();
        pendingCommand = -1;
        status = resolution = sampleRate = type = detectState = 0;
        wrap = false;
        dx = dy = dz = buttons = 0;
    }

    /** Relative motion in screen directions (y grows downwards), as QEMU's rel events. */
    public void move(int rx, int ry) {
        if (!reporting()) return;
        dx += rx;
        dy -= ry;
    }

    /** A button (BUTTON_*) pressed or released. */
    public void button(int bit, boolean down) {
        if (!reporting()) return;
        buttons = down ? buttons | bit : buttons & ~bit;
    }

    /** One wheel notch: up (away from the user) is -1 in the packet, down +1, as QEMU's. */
    public void wheel(boolean up) {
        if (!reporting()) return;
        dz += up ? -1 : 1;
    }

    /** The end of one host event: in stream mode, the packets that report it. */
    public void sync() {
        if (!reporting() || (status & STATUS_REMOTE) != 0) return;
        while (sendPacket()) {
            if (dx == 0 && dy == 0 && dz == 0) break;
        }
    }

    private boolean sendPacket() {
        int needed = type != 0 ? 4 : 3;
        if (!queue.hasRoom(needed)) return false;
        int x = clamp(dx, 127), y = clamp(dy, 127);
        int b0 = 0x08 | (y < 0 ? 0x20 : 0) | (x < 0 ? 0x10 : 0) | (buttons & 0x07);
        if (type == 3) {
            int z = clamp(dz, 127);
            queue.add(b0, x & 0xFF, y & 0xFF, z & 0xFF);
            dz -= z;
        } else if (type == 4) {
            int z = clamp(dz, 7);
            queue.add(b0, x & 0xFF, y & 0xFF, (z & 0x0F) | ((buttons & 0x18) << 1));
            dz -= z;
        } else {
            queue.add(b0, x & 0xFF, y & 0xFF);
            dz = 0; // no wheel: its notches are dropped
        }
        dx -= x;
        dy -= y;
        return true;
    }

    private static int clamp(int v, int max) {
        return Math.max(-max, Math.min(max, v));
    }

    /** A byte the guest sent to the mouse (controller command 0xD4, then port 0x60). */
    public void write(int v) {
        int cmd = pendingCommand;
        pendingCommand = -1;
        if (cmd == 0xF3) {
            sampleRate = v;
            detectIntelliMouse(v);
            queue.add(ACK);
            return;
        }
        if (cmd == 0xE8) {
            resolution = v;
            queue.add(ACK);
            return;
        }
        if (wrap) {
            if (v == 0xEC) { wrap = false; queue.add(ACK); return; }
            if (v != 0xFF) { queue.add(v); return; } // wrap mode echoes every byte but reset
        }
        switch (v) {
            case 0xE6 -> { status &= ~STATUS_SCALE21; queue.add(ACK); }
            case 0xE7 -> { status |= STATUS_SCALE21; queue.add(ACK); }
            case 0xEA -> { status &= ~STATUS_REMOTE; queue.add(ACK); }
            case 0xEE -> { wrap = true; queue.add(ACK); }
            case 0xF0 -> { status |= STATUS_REMOTE; queue.add(ACK); }
            case 0xF2 -> queue.add(ACK, type);
            case 0xE8, 0xF3 -> { pendingCommand = v; queue.add(ACK); }
            case 0xE9 -> queue.add(ACK, status, resolution, sampleRate);
            case 0xEB -> { queue.add(ACK); sendPacket(); }
            case 0xF4 -> { status |= STATUS_ENABLED; queue.add(ACK); }
            case 0xF5 -> { status &= ~STATUS_ENABLED; queue.add(ACK); }
            case 0xF6 -> { sampleRate = 100; resolution = 2; status = 0; queue.add(ACK); }
            case 0xFF -> {
                sampleRate = 100;
                resolution = 2;
                status = 0;
                type = 0;
                queue.reset();
                queue.add(ACK, 0xAA, type);
            }
            default -> { } // QEMU answers nothing
        }
    }

    /** The sample-rate knocks: 200, 100, 80 -> IntelliMouse (3); 200, 200, 80 -> Explorer (4). */
    private void detectIntelliMouse(int rate) {
        detectState = switch (detectState) {
            case 1 -> rate == 100 ? 2 : rate == 200 ? 3 : 0;
            case 2 -> { if (rate == 80) type = 3; yield 0; }
            case 3 -> { if (rate == 80) type = 4; yield 0; }
            default -> rate == 200 ? 1 : 0;
        };
    }


    /** A byte from jvirt's first i8042 state (which kept one queue for the controller), queued as it was. */
    public void adoptQueuedByte(int b) { queue.add(b); }

    public void saveState(DataOutput o) throws IOException {
        queue.save(o);
        o.writeByte(status);
        o.writeByte(resolution);
        o.writeByte(sampleRate);
        o.writeByte(type);
        o.writeByte(detectState);
        o.writeBoolean(wrap);
        o.writeInt(dx);
        o.writeInt(dy);
        o.writeInt(dz);
        o.writeByte(buttons);
        o.writeShort(pendingCommand);
    }

    public void loadState(DataInput in) throws IOException {
        queue.load(in);
        status = in.readUnsignedByte() & (STATUS_REMOTE | STATUS_ENABLED | STATUS_SCALE21);
        resolution = in.readUnsignedByte();
        sampleRate = in.readUnsignedByte();
        int t = in.readUnsignedByte();
        if (t != 0 && t != 3 && t != 4) throw new IOException("mouse id " + t + " is not 0, 3 or 4");
        type = t;
        int d = in.readUnsignedByte();
        if (d > 3) throw new IOException("mouse knock state " + d + " is above 3");
        detectState = d;
        wrap = in.readBoolean();
        dx = in.readInt();
        dy = in.readInt();
        dz = in.readInt();
        buttons = in.readUnsignedByte() & 0x1F;
        int cmd = in.readShort();
        if (cmd != -1 && cmd != 0xE8 && cmd != 0xF3) throw new IOException("mouse command 0x" + Integer.toHexString(cmd & 0xFFFF) + " takes no parameter");
        pendingCommand = cmd;
    }
}
