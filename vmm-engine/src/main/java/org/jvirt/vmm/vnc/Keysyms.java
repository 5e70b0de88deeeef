package org.jvirt.vmm.vnc;

import java.util.HashMap;
import java.util.Map;

/**
 * X keysyms (RFB KeyEvent) to QEMU key numbers (XT scancode set 1, 0x80 | code for the
 * 0xE0-prefixed keys) for the US layout, as QEMU's en-us keymap turns them: a shifted
 * character is the key that types it ('!' is the 1 key, 'A' the a key), the keypad keys in
 * either numlock state are the same key. Checked against QEMU 7.2's own mapping (its
 * vnc_key_event_map trace) by VncKeysQemuTest.
 */
final class Keysyms {
    private Keysyms() { }

    private static final Map<Integer, Integer> MAP = new HashMap<>();

    private static void keys(String chars, int firstCode) {
        for (int i = 0; i < chars.length(); i++) MAP.put((int) chars.charAt(i), firstCode + i);
    }

    private static void key(int keysym, int qnum) { MAP.put(keysym, qnum); }

    static {
        keys("1234567890-=", 0x02);
        keys("!@#$%^&*()_+", 0x02);
        keys("qwertyuiop[]", 0x10);
        keys("QWERTYUIOP{}", 0x10);
        keys("asdfghjkl;'`", 0x1e);
        keys("ASDFGHJKL:\"~", 0x1e);
        keys("\\zxcvbnm,./", 0x2b);
        keys("|ZXCVBNM<>?", 0x2b);
        key('<', 0x56); // en-us puts "less" on the 102nd key (QEMU sends 0x56 for it), '>' stays on '.'

        key(' ', 0x39);
        key(0xff1b, 0x01); // Escape
        key(0xff08, 0x0e); // BackSpace
        key(0xff09, 0x0f); // Tab
        // ISO_Left_Tab (0xfe20) has no key in QEMU's en-us map: it warns and sends nothing
        key(0xff0d, 0x1c); // Return
        key(0xffe3, 0x1d); // Control_L
        key(0xffe4, 0x9d); // Control_R
        key(0xffe1, 0x2a); // Shift_L
        key(0xffe2, 0x36); // Shift_R
        key(0xffe9, 0x38); // Alt_L
        key(0xffe7, 0x38); // Meta_L
        key(0xffea, 0xb8); // Alt_R
        key(0xffe8, 0xb8); // Meta_R
        key(0xfe03, 0xb8); // ISO_Level3_Shift (AltGr)
        key(0xffeb, 0xdb); // Super_L
        key(0xffec, 0xdc); // Super_R
        key(0xff67, 0xdd); // Menu
        key(0xffe5, 0x3a); // Caps_Lock
        key(0xff7f, 0x45); // Num_Lock
        key(0xff14, 0x46); // Scroll_Lock
        for (int f = 0; f < 10; f++) key(0xffbe + f, 0x3b + f); // F1-F10
        key(0xffc8, 0x57); // F11
        key(0xffc9, 0x58); // F12
        key(0xff50, 0xc7); // Home
        key(0xff51, 0xcb); // Left
        key(0xff52, 0xc8); // Up
        key(0xff53, 0xcd); // Right
        key(0xff54, 0xd0); // Down
        key(0xff55, 0xc9); // Prior (Page Up)
        key(0xff56, 0xd1); // Next (Page Down)
        key(0xff57, 0xcf); // End
        key(0xff63, 0xd2); // Insert
        key(0xffff, 0xd3); // Delete
        // Print and Sys_Req: en-us maps both to 0x54, which QEMU's input layer turns into the
        // Print key (qcode print, 0xb7); the keyboard makes it SysRq while Alt is held
        key(0xff61, 0xb7);
        key(0xff15, 0xb7); // Sys_Req
        key(0xff13, 0xc6); // Pause
        key(0xff8d, 0x9c); // KP_Enter
        key(0xffaf, 0xb5); // KP_Divide
        key(0xffaa, 0x37); // KP_Multiply
        key(0xffad, 0x4a); // KP_Subtract
        key(0xffab, 0x4e); // KP_Add
        int[] keypad = {0x52, 0x4f, 0x50, 0x51, 0x4b, 0x4c, 0x4d, 0x47, 0x48, 0x49}; // KP_0..KP_9
        for (int d = 0; d < 10; d++) key(0xffb0 + d, keypad[d]);
        key(0xffae, 0x53); // KP_Decimal
        key(0xffac, 0x53); // KP_Separator
        key(0xff9f, 0x53); // KP_Delete
        key(0xff9e, 0x52); // KP_Insert
        key(0xff9c, 0x4f); // KP_End
        key(0xff99, 0x50); // KP_Down
        key(0xff9b, 0x51); // KP_Next
        key(0xff96, 0x4b); // KP_Left
        key(0xff9d, 0x4c); // KP_Begin
        key(0xff98, 0x4d); // KP_Right
        key(0xff95, 0x47); // KP_Home
        key(0xff97, 0x48); // KP_Up
        key(0xff9a, 0x49); // KP_Prior
    }

    /** The key number of keysym, or 0 when the US layout has no key for it (QEMU sends nothing then). */
    static int qnum(int keysym) {
        Integer q = MAP.get(keysym & 0xffff);
        return q == null ? 0 : q;
    }
}
