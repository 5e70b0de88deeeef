package org.jvirt.vmm.devices.ps2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The PS/2 keyboard's bytes, each expectation taken from QEMU's hw/input/ps2.c (the commands'
 * replies, the Pause/Print sequences, the translate table) and keycodemapdb's keymaps.csv
 * (the per-set codes: 'A' is set 1 1E, set 2 1C, set 3 1C; keypad Enter set 1 E0 1C, set 2
 * E0 5A, set 3 79; left Ctrl set 1 1D, set 2 14, set 3 11).
 */
class Ps2KeyboardTest {
    private final Ps2Keyboard kbd = new Ps2Keyboard();

    private int[] drain() {
        List<Integer> out = new ArrayList<>();
        while (kbd.hasData()) out.add(kbd.read());
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private int[] tap(int qnum) {
        kbd.key(qnum, true);
        kbd.key(qnum, false);
        return drain();
    }

    /** Writes the bytes one by one, reading the replies after each (a new byte drops unread replies). */
    private int[] command(int... bytes) {
        List<Integer> out = new ArrayList<>();
        for (int b : bytes) {
            kbd.write(b);
            for (int r : drain()) out.add(r);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void setTwoIsTheDefaultWithF0Breaks() {
        assertEquals(2, kbd.scancodeSet());
        assertArrayEquals(new int[] {0x1C, 0xF0, 0x1C}, tap(0x1E));            // 'A'
        assertArrayEquals(new int[] {0xE0, 0x5A, 0xE0, 0xF0, 0x5A}, tap(0x9C)); // keypad Enter (qnum 0x80 | 0x1C)
    }

    @Test
    void setOneBreaksSetBitSeven() {
        assertArrayEquals(new int[] {0xFA, 0xFA}, command(0xF0, 0x01));
        assertArrayEquals(new int[] {0x1E, 0x9E}, tap(0x1E));
        assertArrayEquals(new int[] {0xE0, 0x1C, 0xE0, 0x9C}, tap(0x9C));
    }

    @Test
    void setThreeHasNoPrefixes() {
        command(0xF0, 0x03);
        assertArrayEquals(new int[] {0x1C, 0xF0, 0x1C}, tap(0x1E));
        assertArrayEquals(new int[] {0x79, 0xF0, 0x79}, tap(0x9C));
        assertArrayEquals(new int[] {0x62, 0xF0, 0x62}, tap(0xC6)); // Pause: set 3's own code, no E1 sequence
    }

    @Test
    void translationTurnsSetTwoIntoSetOne() {
        kbd.setTranslate(true);
        // set 2 1C / F0 1C through translate_table: 1C -> 1E, F0 sets bit 7 of the next: 9E
        assertArrayEquals(new int[] {0x1E, 0x9E}, tap(0x1E));
        // E0 passes unchanged (translate_table[0xE0] = 0xE0), 5A -> 1C
        assertArrayEquals(new int[] {0xE0, 0x1C, 0xE0, 0x9C}, tap(0x9C));
        // identify says 41 (translated 83), the current set reads as translate_table[2] = 41
        assertArrayEquals(new int[] {0xFA, 0xAB, 0x41}, command(0xF2));
        assertArrayEquals(new int[] {0xFA, 0xFA, 0x41}, command(0xF0, 0x00));
        kbd.setTranslate(false);
        assertArrayEquals(new int[] {0xFA, 0xAB, 0x83}, command(0xF2));
        assertArrayEquals(new int[] {0xFA, 0xFA, 0x02}, command(0xF0, 0x00));
    }

    @Test
    void pauseAndBreakSequences() {
        // ps2.c: Pause sends its whole make+break at the press, nothing at the release
        kbd.key(0xC6, true);
        assertArrayEquals(new int[] {0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77}, drain());
        kbd.key(0xC6, false);
        assertArrayEquals(new int[0], drain());
        kbd.key(0x1D, true); // with Ctrl it is Break
        assertArrayEquals(new int[] {0x14}, drain());
        assertArrayEquals(new int[] {0xE0, 0x7E, 0xE0, 0xF0, 0x7E}, tap(0xC6));
        command(0xF0, 0x01);
        assertArrayEquals(new int[] {0xE0, 0x46, 0xE0, 0xC6}, tap(0xC6));
        kbd.key(0x1D, false);
        drain();
        assertArrayEquals(new int[] {0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5}, tap(0xC6));
    }

    @Test
    void printScreenSequences() {
        // alone: the fake-shifted E0 12 E0 7C; released E0 F0 7C E0 F0 12 (set 2)
        assertArrayEquals(new int[] {0xE0, 0x12, 0xE0, 0x7C, 0xE0, 0xF0, 0x7C, 0xE0, 0xF0, 0x12}, tap(0x54));
        command(0xF0, 0x01);
        assertArrayEquals(new int[] {0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA}, tap(0xB7));
        kbd.key(0x38, true); // left Alt: SysRq
        drain();
        assertArrayEquals(new int[] {0xB8, 0x38, 0x54, 0xD4, 0xB8, 0x38}, tap(0x54));
    }

    @Test
    void unmappedNumbersAreIgnored() {
        assertArrayEquals(new int[0], tap(0x7F));
        assertArrayEquals(new int[0], tap(0x100));
        assertArrayEquals(new int[0], tap(-1));
    }

    @Test
    void commandsAndTheirReplies() {
        assertArrayEquals(new int[] {0xFA, 0xAA}, command(0xFF));
        assertArrayEquals(new int[] {0xEE}, command(0xEE));
        assertArrayEquals(new int[] {0xFA, 0xFA}, command(0xED, 0x07));
        assertEquals(7, kbd.leds());
        assertArrayEquals(new int[] {0xFA, 0xFA}, command(0xF3, 0x20));
        assertArrayEquals(new int[] {0xFA, 0xFE}, command(0xF0, 0x04)); // no set 4: resend
        assertArrayEquals(new int[] {0xFE}, command(0xEF));             // unknown: resend
        assertArrayEquals(new int[] {0xFA}, command(0x00));
        assertArrayEquals(new int[] {0xFE}, command(0x05));
        assertArrayEquals(new int[] {0xFA}, command(0xF5));              // reset and stop scanning
        assertFalse(kbd.scanning());
        assertArrayEquals(new int[0], tap(0x1E));
        assertArrayEquals(new int[] {0xFA}, command(0xF4));
        assertArrayEquals(new int[] {0x1C, 0xF0, 0x1C}, tap(0x1E));
        command(0xF0, 0x03, 0xED, 0x01);
        assertArrayEquals(new int[] {0xFA, 0xAA}, command(0xFF));         // defaults: set 2, LEDs off
        assertEquals(2, kbd.scancodeSet());
        assertEquals(0, kbd.leds());
    }

    @Test
    void repliesGoAheadOfQueuedKeysAndTheQueueHoldsSixteen() {
        for (int i = 0; i < 10; i++) kbd.key(0x1E, i % 2 == 0); // 1C F0 1C ... : 15 bytes
        kbd.key(0x1E, true);                                    // the 16th
        kbd.key(0x1E, false);                                   // F0 dropped, 1C dropped: full
        kbd.write(0xEE);                                        // the echo goes in front
        int[] out = drain();
        assertEquals(17, out.length);
        assertEquals(0xEE, out[0]);
        assertEquals(0x1C, out[16]);
        assertEquals(0x1C, kbd.read(), "an empty queue repeats the last byte read");
    }

    @Test
    void unreadRepliesAreDroppedByTheNextCommand() {
        kbd.write(0xF2);         // FA AB 83, unread
        kbd.write(0xEE);
        assertArrayEquals(new int[] {0xEE}, drain());
    }

    @Test
    void stateRoundTrip() throws Exception {
        kbd.setTranslate(true);
        command(0xF0, 0x01, 0xED, 0x04);
        kbd.key(0x1D, true);   // Ctrl held: Pause becomes Break after the restore
        kbd.key(0x1E, true);   // queued, unread
        kbd.write(0xF3);       // waits for its parameter
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        kbd.saveState(new DataOutputStream(b));
        Ps2Keyboard copy = new Ps2Keyboard();
        copy.loadState(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
        assertEquals(1, copy.scancodeSet());
        assertEquals(4, copy.leds());
        // F3's ACK in front, then set 1 1D (Ctrl) and 1E ('A') through translate_table: 11, 03
        assertArrayEquals(new int[] {0xFA, 0x11, 0x03}, new int[] {copy.read(), copy.read(), copy.read()});
        assertFalse(copy.hasData());
        copy.write(0x20);
        assertEquals(0xFA, copy.read(), "the parameter of F3");
    }
}
