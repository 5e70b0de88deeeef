package org.jvirt.vmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.jvirt.vmm.control.ControlServer;
import org.jvirt.vmm.devices.input.InputSink;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineExit;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.QemuQmp;
import org.jvirt.vmm.testing.SerialOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kbd-echo guest prints every byte it reads from the 8042 (its own keyboard and mouse
 * commands' replies, then the host's keys in translated set 2, set 2, set 3 and set 1, then
 * mouse packets). Under jvirt's emulator (send-key through the control socket, pointer events
 * through the board's InputSink as the VNC server gives them) and under qemu-system-x86_64 TCG
 * (QMP send-key, and input-send-event with the rel/btn events QEMU's VNC server makes of the
 * same pointer events) the printed bytes must be the same.
 */
class KbdEchoQemuDifferentialTest {
    private static final Duration STEP = Duration.ofSeconds(30);
    private static final String[] MODES = {"translated set 2", "set 2", "set 3", "set 1"};
    /**
     * Per mode: 'a'; Ctrl+Alt+Delete (E0 key); keypad Enter (E0); Pause (E1 sequence); Ctrl+Pause
     * (Break); 0x54 and 0xb7 (Print/SysRq); Shift+A; numbers QEMU maps to no key (0x7f, 0x100);
     * then F12, whose release ends the mode in the guest.
     */
    private static final int[][] KEYS = {{0x1e}, {0x1d, 0x38, 0xd3}, {0x9c}, {0xc6}, {0x1d, 0xc6}, {0x54}, {0xb7}, {0x2a, 0x1e},
            {0x7f}, {0x100}};
    /**
     * F11, sent after each of KEYS: once its release is printed the guest has read everything
     * before it, so the next keys find the keyboard's 16-byte queue empty (on a loaded host a
     * slow guest would otherwise lose bytes to a full queue, under either VMM). Its release per
     * mode: translated and set 1 D7, set 2 F0 78, set 3 F0 56; no other key here sends those.
     */
    private static final int SENTINEL = 0x57;
    private static final String[] SENTINEL_RELEASE = {"k d7\n", "k f0\nk 78\n", "k f0\nk 56\n", "k d7\n"};
    /** F12: its release ends a mode in the guest. */
    private static final int END = 0x58;
    /** Pointer events (x, y, RFB mask) as a VNC client sends them; the first only places the pointer. */
    private static final int[][] POINTER = {{100, 100, 0}, {105, 97, 0}, {105, 97, 1}, {98, 88, 1}, {98, 88, 4}, {98, 88, 12},
            {98, 88, 4}, {98, 88, 20}, {398, 288, 4}};
    /**
     * Packets each pointer event gives (the IntelliMouse 4-byte packets): none for the first, which
     * queues no input event in QEMU's VNC server (so ui/input.c syncs no handler); the big move needs three.
     */
    private static final int[] PACKETS = {0, 1, 1, 1, 1, 1, 1, 1, 3};

    @TempDir
    Path dir;

    @Test
    void sameBytesAsQemu() throws Exception {
        Path elf = GuestImages.require("kbd-echo");
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: qemu-system-x86_64 is not installed");
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/qemu/qboot.rom")), "skipped: /usr/share/qemu/qboot.rom is not installed");
        String jvirt = underJvirt(elf);
        String qemu = underQemu(elf);
        assertEquals(lines(qemu), lines(jvirt), "jvirt:\n" + jvirt + "\nQEMU:\n" + qemu);
        assertTrue(lines(jvirt).contains("ok kbd-echo"), jvirt);
    }

    private String underJvirt(Path elf) throws Exception {
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig config = MachineConfig.of(elf).withAccel(MachineConfig.Accel.EMU).withSerial(new MachineConfig.Serial.Custom(serial));
        Path sock = dir.resolve("control.sock");
        try (Machine m = Machine.create(config)) {
            VmControl control = new VmControl(m, false, List.of());
            m.start();
            try (ControlServer server = ControlServer.start(sock, control);
                 ControlClient c = ControlClient.connect(sock, Duration.ofSeconds(10))) {
                control.serveOn(server);
                c.call(new Command.QmpCapabilities());
                Supplier<String> out = serial::output;
                KeySender send = k -> {
                    List<Command.SendKey.KeyValue> keys = new ArrayList<>();
                    for (int q : k) keys.add(Command.SendKey.KeyValue.number(q));
                    c.call(new Command.SendKey(keys, 1));
                };
                playKeys(send, out);
                await(out, "kbd-echo: mouse");
                InputSink input = m.board().input();
                for (int i = 0; i < POINTER.length; i++) {
                    int before = count(out.get(), "\na ");
                    input.pointer(POINTER[i][0], POINTER[i][1], POINTER[i][2], 640, 480);
                    awaitCount(out, "\na ", before + 4 * PACKETS[i]);
                }
                c.call(new Command.SendKey(List.of(Command.SendKey.KeyValue.number(END)), 1));
                MachineExit exit = m.awaitExit(STEP);
                assertNotNull(exit, "kbd-echo did not finish under jvirt:\n" + serial.output());
                return serial.output();
            }
        }
    }

    private String underQemu(Path elf) throws Exception {
        try (QemuQmp q = QemuQmp.start(dir, "-M", "pc", "-accel", "tcg", "-m", "256", "-nodefaults", "-no-user-config",
                "-display", "none", "-bios", "/usr/share/qemu/qboot.rom", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-no-reboot", "-kernel", elf.toString())) {
            Supplier<String> out = () -> q.output().replace("\r", "");
            q.command("query-status"); // connects QMP
            KeySender send = k -> {
                StringBuilder keys = new StringBuilder();
                for (int x : k) keys.append(keys.length() == 0 ? "" : ",").append("{\"type\":\"number\",\"data\":").append(x).append('}');
                String r = q.command("send-key", "{\"keys\":[" + keys + "],\"hold-time\":1}");
                assertTrue(r.contains("\"return\""), r);
            };
            playKeys(send, out);
            await(out, "kbd-echo: mouse");
            int lastX = -1, lastY = -1, lastMask = 0;
            for (int i = 0; i < POINTER.length; i++) {
                int before = count(out.get(), "\na ");
                int[] p = POINTER[i];
                String events = vncEvents(lastX, lastY, lastMask, p[0], p[1], p[2]);
                lastX = p[0];
                lastY = p[1];
                lastMask = p[2];
                if (!events.isEmpty()) { // an event that queues nothing syncs no handler in QEMU: no packet
                    String r = q.command("input-send-event", "{\"events\":[" + events + "]}");
                    assertTrue(r.contains("\"return\""), r);
                }
                awaitCount(out, "\na ", before + 4 * PACKETS[i]);
            }
            q.command("send-key", "{\"keys\":[{\"type\":\"number\",\"data\":" + END + "}],\"hold-time\":1}");
            assertNotNull(q.awaitExit(STEP), "kbd-echo did not finish under QEMU:\n" + q.output());
            return out.get();
        }
    }

    interface KeySender {
        void send(int[] qnums) throws Exception;
    }

    /** Each mode: every KEYS entry, then the sentinel, waiting for its release; then F12. */
    private static void playKeys(KeySender send, Supplier<String> out) throws Exception {
        for (int m = 0; m < MODES.length; m++) {
            String marker = "kbd-echo: keys " + MODES[m];
            await(out, marker);
            for (int i = 0; i < KEYS.length; i++) {
                send.send(KEYS[i]);
                send.send(new int[] {SENTINEL});
                int n = i + 1;
                String release = SENTINEL_RELEASE[m];
                Supplier<String> mode = () -> {
                    String o = out.get().replace("\r", "");
                    return o.substring(o.indexOf(marker));
                };
                awaitCount(mode, release, n);
            }
            send.send(new int[] {END});
        }
    }

    /** What QEMU's VNC server (pointer_event, relative mouse) turns one RFB pointer event into. */
    private static String vncEvents(int lastX, int lastY, int lastMask, int x, int y, int mask) {
        List<String> ev = new ArrayList<>();
        String[] buttons = {"left", "middle", "right", "wheel-up", "wheel-down"};
        for (int b = 0; b < buttons.length; b++) {
            int bit = 1 << b;
            if (((mask ^ lastMask) & bit) != 0) {
                ev.add("{\"type\":\"btn\",\"data\":{\"button\":\"" + buttons[b] + "\",\"down\":" + ((mask & bit) != 0) + "}}");
            }
        }
        if (lastX != -1) {
            ev.add("{\"type\":\"rel\",\"data\":{\"axis\":\"x\",\"value\":" + (x - lastX) + "}}");
            ev.add("{\"type\":\"rel\",\"data\":{\"axis\":\"y\",\"value\":" + (y - lastY) + "}}");
        }
        return String.join(",", ev);
    }

    /** The guest's lines from its first reply on (QEMU's own messages and firmware lines before are not the guest's). */
    private static List<String> lines(String serial) {
        List<String> out = new ArrayList<>();
        boolean on = false;
        for (String l : serial.replace("\r", "").split("\n")) {
            if (l.startsWith("kbd ff:")) on = true;
            if (on && !l.isBlank()) out.add(l);
        }
        return out;
    }

    private static int count(String s, String what) {
        return SerialOutput.count(s, what);
    }

    private static void await(Supplier<String> out, String text) throws InterruptedException {
        SerialOutput.await(out, text, STEP);
    }

    private static void awaitCount(Supplier<String> out, String what, int n) throws InterruptedException {
        SerialOutput.awaitCount(out, what, n, STEP);
    }
}
