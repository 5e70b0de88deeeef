package org.jvirt.vmm.devices.ps2;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * An MF2 PS/2 keyboard as QEMU's hw/input/ps2.c emulates it: key events become scancode set 1,
 * 2 (the default) or 3 bytes, with the E0/E1 prefixes and QEMU's Pause and Print sequences; the commands
 * ED (LEDs), EE (echo), F0 (get/set scancode set), F2 (identify: AB 83, or AB 41 translated),
 * F3 (typematic), F4/F5/F6 (enable, reset and disable/enable scanning), FA, FC, FF (reset:
 * FA AA) are answered as QEMU answers them; any other byte is answered with resend (FE).
 *
 * <p>Translation: when the 8042's command byte has its translate bit on, the set 2 bytes are
 * turned into set 1 on their way out (an F0 break prefix becomes bit 7 of the next byte).
 * QEMU does this here, in the keyboard, rather than in the controller; so does jvirt, with the
 * same table, so the bytes a guest reads are QEMU's in every set and mode.
 *
 * <p>Not thread safe: the {@link I8042} calls it under its lock.
 */
public final class Ps2Keyboard {
    private static final int ACK = 0xFA, RESEND = 0xFE, SELF_TEST_OK = 0xAA, ID = 0xAB, ECHO = 0xEE;

    /** The 8042's set 2 to set 1 translation (the table of ps2.c and of real 8042s). */
    private static final int[] TRANSLATE = decode(
            "ff43413f3d3b3c58644442403e0f295965382a701d10025a66712c1f1e11035b"
            + "672e2d201205045c68392f211413065d693130232215075e6a7232241608095f"
            + "6b332517180b0a606c34352627190c616d7328741a0d626e3a361c1b752b6376"
            + "55567778797a0e7b7c4f7d4b477e7f6f5253504c4d480145574e514a37494654"
            + "808182415485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
            + "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
            + "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
            + "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");

    private final Ps2Queue queue = new Ps2Queue();
    private boolean scanEnabled = true;
    private boolean translate;
    private int scancodeSet = 2;
    private int leds;
    /** Hears the LEDs whenever they are set (QEMU's kbd_put_ledstate from ps2_set_ledstate); called under the 8042's lock. */
    private java.util.function.IntConsumer ledListener = l -> { };
    private int modifiers;
    /** Translating, an F0 was swallowed: the next byte goes out with bit 7 set. */
    private boolean needHighBit;
    /** The command waiting for its parameter byte, -1 if none. */
    private int pendingCommand = -1;

    /** A byte waits to be read. */
    public boolean hasData() { return !queue.isEmpty(); }

    /** The next byte for the controller (the last one again when nothing waits). */
    public int read() { return queue.read(); }

    /** Set by the 8042 from its command byte's translate bit. */
    public void setTranslate(boolean on) { translate = on; }

    public boolean translating() { return translate; }

    public int scancodeSet() { return scancodeSet; }

    public int leds() { return leds; }

    public void setLedListener(java.util.function.IntConsumer listener) {
        ledListener = java.util.Objects.requireNonNull(listener);
    }

    /** QEMU's ps2_set_ledstate: the byte of command ED (bit 0 Scroll, 1 Num, 2 Caps Lock, QEMU's LED bits too). */
    private void setLeds(int v) {
        leds = v;
        ledListener.accept(v);
    }

    public boolean scanning() { return scanEnabled; }

    /** Power-on (QEMU's device reset): set 2, scanning, no translation until the 8042 says so. */
    public void reset() {
        queue.reset();
        pendingCommand = -1;
        scanEnabled = true;
        translate = false;
        scancodeSet = 2;
        modifiers = 0;
        setLeds(0);
        needHighBit = false;
    }

    /** A key pressed or released; qnum is QEMU's key number (numbers QEMU maps to no key are ignored). */
    public void key(int qnum, boolean down) {
        if (!scanEnabled || qnum < 0 || qnum > 0xFF) return;
        int kind = ScancodeTable.KIND[qnum];
        int mod = kind & ~(ScancodeTable.PAUSE | ScancodeTable.PRINT);
        modifiers = down ? modifiers | mod : modifiers & ~mod;
        boolean ctrl = (modifiers & (ScancodeTable.MOD_CTRL_L | ScancodeTable.MOD_CTRL_R)) != 0;
        boolean pause = (kind & ScancodeTable.PAUSE) != 0;
        if ((kind & ScancodeTable.PRINT) != 0 && scancodeSet != 3) {
            print(down);
            return;
        }
        switch (scancodeSet) {
            case 1 -> {
                if (pause) {
                    // Pause has no break code; with Ctrl it is Break (E0 46)
                    if (down && ctrl) put(0xE0, 0x46, 0xE0, 0xC6);
                    else if (down) put(0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5);
                    return;
                }
                int code = ScancodeTable.SET1[qnum];
                if (code == 0) return;
                if ((code & 0xFF00) != 0) put(code >> 8);
                put((code & 0xFF) | (down ? 0 : 0x80));
            }
            case 2 -> {
                if (pause) {
                    if (down && ctrl) put(0xE0, 0x7E, 0xE0, 0xF0, 0x7E);
                    else if (down) put(0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77);
                    return;
                }
                int code = ScancodeTable.SET2[qnum];
                if (code == 0) return;
                if ((code & 0xFF00) != 0) put(code >> 8);
                if (!down) put(0xF0);
                put(code & 0xFF);
            }
            default -> {
                int code = ScancodeTable.SET3[qnum];
                if (code == 0) return;
                if (!down) put(0xF0); // set 3 keys all make/break here, as QEMU's
                put(code);
            }
        }
    }

    /**
     * Print Screen, as QEMU sends it: with Alt it is SysRq (set 1 54), with Shift or Ctrl the
     * bare E0 37 (set 2 E0 7C), alone the fake-shifted E0 2A E0 37 (set 2 E0 12 E0 7C).
     */
    private void print(boolean down) {
        boolean set1 = scancodeSet == 1;
        if ((modifiers & ScancodeTable.MOD_ALT_L) != 0) {
            if (set1) put(down ? new int[] {0xB8, 0x38, 0x54} : new int[] {0xD4, 0xB8, 0x38});
            else put(down ? new int[] {0xF0, 0x11, 0x11, 0x84} : new int[] {0xF0, 0x84, 0xF0, 0x11, 0x11});
        } else if ((modifiers & ScancodeTable.MOD_ALT_R) != 0) {
            if (set1) put(down ? new int[] {0xE0, 0xB8, 0xE0, 0x38, 0x54} : new int[] {0xD4, 0xE0, 0xB8, 0xE0, 0x38});
            else put(down ? new int[] {0xE0, 0xF0, 0x11, 0xE0, 0x11, 0x84} : new int[] {0xF0, 0x84, 0xE0, 0xF0, 0x11, 0xE0, 0x11});
        } else if ((modifiers & (ScancodeTable.MOD_SHIFT_L | ScancodeTable.MOD_CTRL_L | ScancodeTable.MOD_SHIFT_R | ScancodeTable.MOD_CTRL_R)) != 0) {
            if (set1) put(down ? new int[] {0xE0, 0x37} : new int[] {0xE0, 0xB7});
            else put(down ? new int[] {0xE0, 0x7C} : new int[] {0xE0, 0xF0, 0x7C});
        } else {
            if (set1) put(down ? new int[] {0xE0, 0x2A, 0xE0, 0x37} : new int[] {0xE0, 0xB7, 0xE0, 0xAA});
            else put(down ? new int[] {0xE0, 0x12, 0xE0, 0x7C} : new int[] {0xE0, 0xF0, 0x7C, 0xE0, 0xF0, 0x12});
        }
    }

    /** One byte at a time, as QEMU's ps2_put_keycode: each dropped alone when the queue is full. */
    private void put(int... codes) {
        for (int c : codes) {
            if (!translate) {
                queue.add(c);
            } else if (c == 0xF0) {
                needHighBit = true;
            } else if (needHighBit) {
                queue.add(TRANSLATE[c] | 0x80);
                needHighBit = false;
            } else {
                queue.add(TRANSLATE[c]);
            }
        }
    }

    /** A byte the guest sent to the keyboard (port 0x60 without a controller command). */
    public void write(int v) {
        queue.dropReplies();
        int cmd = pendingCommand;
        pendingCommand = -1;
        switch (cmd) {
            case 0xF0 -> { // get/set scancode set
                if (v == 0) queue.reply(ACK, translate ? TRANSLATE[scancodeSet] : scancodeSet);
                else if (v >= 1 && v <= 3) { scancodeSet = v; queue.reply(ACK); }
                else queue.reply(RESEND);
            }
            case 0xED -> { setLeds(v); queue.reply(ACK); }
            case 0xF3, 0xFC -> queue.reply(ACK); // typematic rate, make/break of a key: accepted
            default -> command(v);
        }
    }

    private void command(int v) {
        switch (v) {
            case 0x00 -> queue.reply(ACK);
            case 0x05 -> queue.reply(RESEND);
            case 0xF2 -> queue.reply(ACK, ID, translate ? 0x41 : 0x83);
            case ECHO -> queue.reply(ECHO);
            case 0xF4 -> { scanEnabled = true; queue.reply(ACK); }
            case 0xF0, 0xED, 0xF3, 0xFC -> { pendingCommand = v; queue.reply(ACK); }
            case 0xF5 -> { resetKeyboard(); scanEnabled = false; queue.reply(ACK); }
            case 0xF6 -> { resetKeyboard(); queue.reply(ACK); }
            case 0xFF -> { resetKeyboard(); queue.reply(ACK, SELF_TEST_OK); }
            case 0xFA -> queue.reply(ACK);
            default -> queue.reply(RESEND);
        }
    }

    /** The keyboard's own reset (FF, F5, F6): defaults, an empty queue, LEDs off. */
    private void resetKeyboard() {
        scanEnabled = true;
        scancodeSet = 2;
        queue.reset();
        setLeds(0);
    }


    /** A byte from jvirt's first i8042 state (which kept one queue for the controller), queued as it was. */
    public void adoptQueuedByte(int b) { queue.add(b); }

    /** jvirt's first i8042 state's keyboard command awaiting a parameter (0 if none). */
    public void adoptPendingCommand(int cmd) {
        pendingCommand = cmd == 0xF0 || cmd == 0xED || cmd == 0xF3 ? cmd : -1;
    }

    public void saveState(DataOutput o) throws IOException {
        queue.save(o);
        o.writeBoolean(scanEnabled);
        o.writeBoolean(translate);
        o.writeByte(scancodeSet);
        o.writeByte(leds);
        o.writeByte(modifiers);
        o.writeBoolean(needHighBit);
        o.writeShort(pendingCommand);
    }

    public void loadState(DataInput in) throws IOException {
        queue.load(in);
        scanEnabled = in.readBoolean();
        translate = in.readBoolean();
        int set = in.readUnsignedByte();
        if (set < 1 || set > 3) throw new IOException("keyboard scancode set " + set + " is not 1, 2 or 3");
        scancodeSet = set;
        setLeds(in.readUnsignedByte()); // as QEMU's ps2_kbd_ledstate_post_load tells the displays
        modifiers = in.readUnsignedByte() & 0x3F;
        needHighBit = in.readBoolean();
        int cmd = in.readShort();
        if (cmd != -1 && cmd != 0xF0 && cmd != 0xED && cmd != 0xF3 && cmd != 0xFC) {
            throw new IOException("keyboard command 0x" + Integer.toHexString(cmd & 0xFFFF) + " cannot wait for a parameter");
        }
        pendingCommand = cmd;
    }

    private static int[] decode(String hex) {
        String h = hex;
        int[] t = new int[h.length() / 2];
        for (int i = 0; i < t.length; i++) t[i] = Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        return t;
    }
}
