package org.jvirt.vmm.vnc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvirt.vmm.devices.display.Frame;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.QemuQmp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys against QEMU's own VNC server: the same KeyEvents (every printable ASCII keysym and the
 * US layout's special keys, each down and up) and extended key events go to QEMU 7.2 (its
 * trace events vnc_key_event_map and input_event_key_qcode say which key numbers the guest
 * gets, with the lock-key-sync Caps/Num Lock presses) and to jvirt's server with a recording
 * InputSink: the two key sequences are the same. The connection to QEMU uses VNC
 * authentication with a password set through QMP, answered with jvirt's DES: QEMU accepts it.
 */
class VncKeysQemuTest {
    private static final Pattern MAP = Pattern.compile("vnc_key_event_map down \\d, sym 0x([0-9a-f]+) -> keycode 0x([0-9a-f]+) \\[(\\w+)\\]");
    private static final Pattern EVENT = Pattern.compile("input_event_key_qcode con -?\\d+, key qcode (\\w+), down (\\d)");

    @TempDir
    Path dir;

    static List<int[]> script() {
        List<int[]> keys = new ArrayList<>(); // {keysym} or {keysym, xt} for an extended event
        for (int c = 0x20; c < 0x7f; c++) keys.add(new int[] {c});
        int[] specials = {0xff1b, 0xff08, 0xff09, 0xfe20, 0xffac, 0xff15, 0xffe7, 0xffe8, 0xff0d, 0xffe3, 0xffe4, 0xffe1, 0xffe2, 0xffe9, 0xffea, 0xfe03, 0xffeb, 0xffec,
            0xff67, 0xff14, 0xff50, 0xff51, 0xff52, 0xff53, 0xff54, 0xff55, 0xff56, 0xff57, 0xff63, 0xffff, 0xff61, 0xff13,
            0xff8d, 0xffaf, 0xffaa, 0xffad, 0xffab, 0xffae, 0xff9f, 0xff9e, 0xff9c, 0xff99, 0xff9b, 0xff96, 0xff9d, 0xff98, 0xff95,
            0xff97, 0xff9a, 0xff7f, 0xffe5, 'A', 'b', 0xffb7};
        for (int k : specials) keys.add(new int[] {k});
        for (int f = 0xffbe; f <= 0xffc9; f++) keys.add(new int[] {f});
        for (int d = 0xffb0; d <= 0xffb9; d++) keys.add(new int[] {d});
        keys.add(new int[] {0xff8d, 0x9c}); // extended: keypad Enter
        keys.add(new int[] {'z', 0x2c});
        keys.add(new int[] {0xffb5, 0x4c}); // keypad 5 with numlock state sync
        return keys;
    }

    /**
     * Sends the keys, pauseMs apart: QEMU queues the events behind a lock-sync press for its key
     * delay and drops what overflows that queue, so QEMU is given time as a typist would.
     */
    static void play(RfbTestClient c, List<int[]> keys, int pauseMs) throws IOException, InterruptedException {
        for (int[] k : keys) {
            if (pauseMs > 0) Thread.sleep(pauseMs);
            if (k.length == 1) {
                c.key(true, k[0]);
                c.key(false, k[0]);
            } else {
                c.extKey(true, k[0], k[1]);
                c.extKey(false, k[0], k[1]);
            }
        }
    }

    @Test
    void keyNumbersAreQemus() throws Exception {
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: no qemu-system-x86_64");
        List<int[]> keys = script();
        Path trace = dir.resolve("trace.log");
        Path sock = dir.resolve("qemu-vnc.sock");
        RecordingSink sink = new RecordingSink();
        Frame screen = new Frame(640, 480, new int[640 * 480]);
        List<String> jvirt;
        try (VncServer server = VncServer.start(VncServerTest.vnc("tcp:127.0.0.1:0"), null, () -> screen, sink)) {
            try (RfbTestClient c = RfbTestClient.tcp(server.port())) {
                c.handshake("RFB 003.008\n", true);
                c.setEncodings(0, -258);
                play(c, keys, 0);
                c.key(true, 0xffe3);
            }
            Thread.sleep(300); // the release at disconnect
            jvirt = sink.await(0);
        }
        List<String> qemu;
        try (QemuQmp q = QemuQmp.start(dir, "-M", "pc", "-accel", "tcg", "-m", "64", "-nodefaults", "-no-user-config", "-display", "none",
                "-vga", "std", "-vnc", "unix:" + sock + ",password=on", "-d", "trace:vnc_key_event_map,trace:input_event_key_qcode", "-D", trace.toString())) {
            String reply = q.command("qmp_capabilities");
            reply = q.command("set_password", "{\"protocol\":\"vnc\",\"password\":\"hunter22\"}");
            assertTrue(reply.contains("\"return\""), reply);
            try (RfbTestClient c = RfbTestClient.unix(sock)) {
                assertEquals(0, VncServerTest.vncAuth(c, ch -> VncAuth.response("hunter22", ch)), "QEMU takes jvirt's DES answer");
                c.init(true);
                c.setEncodings(0, -258);
                play(c, keys, 25);
                c.key(true, 0xffe3); // a Control held at disconnect: released by the server
                keysFromTrace(trace, jvirt.size() - 1); // QEMU drops what it has not read when the client goes
            }
            qemu = keysFromTrace(trace, jvirt.size());
        }

        assertFalse(qemu.isEmpty());
        for (int i = 0; i < Math.min(qemu.size(), jvirt.size()); i++) {
            assertEquals(qemu.get(i), jvirt.get(i), "event " + i + " (QEMU's: " + qemu.subList(Math.max(0, i - 4), Math.min(qemu.size(), i + 4)) + ")");
        }
        assertEquals(qemu.size(), jvirt.size());
    }

    private static int count(String text, String what) {
        return text.split(what, -1).length - 1;
    }

    /** QEMU's key events as "key 0xNN down|up": qcode names to numbers through QEMU's own keysym mapping lines. */
    static List<String> keysFromTrace(Path trace, int expected) throws Exception {
        // QEMU spaces the lock-sync presses by its key delay: wait until it has sent as many
        // events as jvirt did (or 20 s), then until its log stops growing
        String text = "";
        long end = System.currentTimeMillis() + 20_000;
        int stable = 0;
        while (System.currentTimeMillis() < end && stable < 5) {
            Thread.sleep(100);
            String now = Files.exists(trace) ? Files.readString(trace, StandardCharsets.UTF_8) : "";
            boolean enough = count(now, "key qcode ") - count(now, "key qcode unmapped") >= expected;
            stable = enough && now.equals(text) ? stable + 1 : 0;
            text = now;
        }
        Map<String, Integer> numbers = new HashMap<>();
        Matcher m = MAP.matcher(text);
        while (m.find()) numbers.put(m.group(3), Integer.parseInt(m.group(2), 16));
        numbers.put("caps_lock", 0x3a);
        numbers.put("num_lock", 0x45);
        numbers.put("ctrl", 0x1d);
        numbers.put("kp_enter", 0x9c);
        numbers.put("print", 0xb7); // what QEMU's input layer makes of 0x54 (its vnc trace names it sysrq)
        List<String> events = new ArrayList<>();
        Matcher e = EVENT.matcher(text);
        while (e.find()) {
            // a keysym without a key (ISO_Left_Tab, dead keys) goes through QEMU's input layer as
            // "unmapped", which no keyboard device takes; jvirt drops it at the VNC server
            if (e.group(1).equals("unmapped")) continue;
            Integer n = numbers.get(e.group(1));
            events.add(n == null ? "key " + e.group(1) + (e.group(2).equals("1") ? " down" : " up")
                    : String.format("key 0x%x %s", n, e.group(2).equals("1") ? "down" : "up"));
        }
        return events;
    }
}
