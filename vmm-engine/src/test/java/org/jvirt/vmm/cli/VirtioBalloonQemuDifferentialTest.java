package org.jvirt.vmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.QemuQmp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtio-balloon test guest (test-fixtures/guests/virtio-balloon.c) with the balloon at
 * 00:05.0, under jvirt-vmm (--accel emu --balloon virtio,addr=05.0) and under qemu-system-x86_64
 * TCG (-device virtio-balloon-pci,id=balloon0,addr=05.0,disable-legacy=on), driven the same way
 * through jvirt's control socket and QEMU's QMP: balloon down by 8 MiB, the polling interval
 * set to 1 s (the guest's statistics buffer comes back and it posts new ones) and off again,
 * balloon up to all of RAM, then down to a target that is not a whole number of pages. The
 * guest's serial output, every query-balloon answer, the guest-stats statistics and the
 * refusals (balloon 0, a negative interval) must be the same.
 */
class VirtioBalloonQemuDifferentialTest {
    private static final Duration STEP = Duration.ofSeconds(30);
    private static final String QBOOT = "/usr/share/qemu/qboot.rom";
    private static final long RAM = 256L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One VMM's control side: each call returns the answer ("return" value or the error's desc) as text. */
    interface Host {
        String call(String command, String argumentsJson) throws Exception;

        String out() throws Exception;
    }

    @TempDir
    Path dir;

    @Test
    void sameGuestViewAndAnswersAsQemu() throws Exception {
        Path elf = GuestImages.require("virtio-balloon");
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: qemu-system-x86_64 is not installed");
        assumeTrue(Files.isRegularFile(Path.of(QBOOT)), "skipped: " + QBOOT + " is not installed");
        List<String> qemu = underQemu(elf);
        List<String> jvirt = underJvirt(elf);
        assertEquals(String.join("\n", qemu), String.join("\n", jvirt));
        assertTrue(jvirt.contains("ok virtio-balloon"), String.join("\n", jvirt));
    }

    private List<String> underJvirt(Path elf) throws Exception {
        VmmProcessFixture vmm = new VmmProcessFixture(dir);
        Path control = dir.resolve("control.sock");
        Process p = vmm.startWithArgs(dir.resolve("out.log"), "--kernel", elf.toString(), "--accel", "emu", "--memory", "256M",
                "--control", control.toString(), "--balloon", "virtio,addr=05.0");
        try (ControlClient c = VmmProcessFixture.connect(control, p)) {
            List<Long> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
            c.onEvent(e -> { if (e instanceof org.jvirt.vmm.protocol.Event.BalloonChange b) changes.add(b.actual()); });
            c.call(new Command.QmpCapabilities());
            List<String> answers = play(new Host() {
                @Override public String call(String command, String args) throws Exception {
                    JsonNode a = args == null ? null : JSON.readTree(args);
                    try {
                        Object r = switch (command) {
                            case "balloon" -> c.call(new Command.Balloon(a.get("value").asLong()));
                            case "query-balloon" -> c.call(new Command.QueryBalloon());
                            case "qom-get" -> c.call(new Command.QomGet(a.get("path").asText(), a.get("property").asText()));
                            case "qom-set" -> c.call(new Command.QomSet(a.get("path").asText(), a.get("property").asText(), a.get("value")));
                            default -> throw new IllegalArgumentException(command);
                        };
                        return JSON.writeValueAsString(JSON.valueToTree(r));
                    } catch (ControlClient.CommandFailed e) {
                        return "error " + e.errorClass() + ": " + e.getMessage();
                    }
                }

                @Override public String out() throws Exception { return vmm.serial(); }
            });
            assertTrue(p.waitFor(STEP.toSeconds(), TimeUnit.SECONDS), "virtio-balloon did not finish under jvirt:\n" + vmm.serial());
            // QEMU's BALLOON_CHANGE for each actual the guest wrote (QEMU sent 260046848 for the first, measured)
            assertEquals(List.of(RAM - (8 << 20), RAM, RAM - (1 << 20)), changes);
            return result(vmm.serial(), answers);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private List<String> underQemu(Path elf) throws Exception {
        try (QemuQmp q = QemuQmp.start(dir, "-M", "pc", "-accel", "tcg", "-m", "256", "-nodefaults", "-no-user-config",
                "-display", "none", "-bios", QBOOT, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-no-reboot",
                "-kernel", elf.toString(), "-device", "virtio-balloon-pci,id=balloon0,addr=05.0,disable-legacy=on")) {
            q.command("query-status"); // connects QMP
            List<String> answers = play(new Host() {
                @Override public String call(String command, String args) throws Exception {
                    JsonNode r = JSON.readTree(args == null ? q.command(command) : q.command(command, args));
                    if (r.has("error")) return "error " + r.get("error").get("class").asText() + ": " + r.get("error").get("desc").asText();
                    return JSON.writeValueAsString(r.get("return"));
                }

                @Override public String out() { return q.output().replace("\r", ""); }
            });
            assertTrue(q.awaitExit(STEP) != null, "virtio-balloon did not finish under QEMU:\n" + q.output());
            return result(q.output().replace("\r", ""), answers);
        }
    }

    /** The host's side of the guest's steps; returns the answers worth comparing. */
    private static List<String> play(Host h) throws Exception {
        List<String> answers = new ArrayList<>();
        String stats = "{\"path\":\"/machine/peripheral/balloon0\",\"property\":\"guest-stats\"}";
        String interval = "{\"path\":\"/machine/peripheral/balloon0\",\"property\":\"guest-stats-polling-interval\"";
        await(h, "virtio-balloon: ready", 1);
        answers.add("query-balloon " + h.call("query-balloon", null));
        answers.add("balloon 0: " + h.call("balloon", "{\"value\":0}"));
        answers.add("interval " + h.call("qom-get", interval + "}"));
        answers.add("stats " + statsOnly(h.call("qom-get", stats)));
        answers.add("balloon " + h.call("balloon", "{\"value\":" + (RAM - (8 << 20)) + "}"));
        await(h, "virtio-balloon: num_pages", 1);
        answers.add("query-balloon " + h.call("query-balloon", null));
        answers.add("interval -1: " + h.call("qom-set", interval + ",\"value\":-1}"));
        answers.add("interval 1: " + h.call("qom-set", interval + ",\"value\":1}"));
        await(h, "stats round 2 posted", 1);
        answers.add("interval 0: " + h.call("qom-set", interval + ",\"value\":0}"));
        answers.add("interval " + h.call("qom-get", interval + "}"));
        answers.add("stats " + statsOnly(h.call("qom-get", stats)));
        answers.add("balloon " + h.call("balloon", "{\"value\":" + (RAM * 2) + "}"));
        await(h, "virtio-balloon: num_pages", 2);
        answers.add("query-balloon " + h.call("query-balloon", null));
        answers.add("balloon " + h.call("balloon", "{\"value\":" + (RAM - (1 << 20) - 100) + "}"));
        await(h, "virtio-balloon: num_pages", 3);
        answers.add("query-balloon " + h.call("query-balloon", null));
        h.call("balloon", "{\"value\":" + RAM + "}"); // the guest's signal to end
        return answers;
    }

    /** guest-stats without its last-update (a time), which must be set once statistics came; names sorted (QEMU's order is its hash table's). */
    private static String statsOnly(String answer) throws Exception {
        JsonNode n = JSON.readTree(answer);
        java.util.Map<String, String> sorted = new java.util.TreeMap<>();
        n.get("stats").fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
        return sorted + (n.get("last-update").asLong() > 0 ? " updated" : " never updated");
    }

    private static void await(Host h, String text, int count) throws Exception {
        long end = System.nanoTime() + STEP.toNanos();
        while (countOf(h.out(), text) < count) {
            assertTrue(System.nanoTime() < end, "the guest never printed '" + text + "' " + count + " times:\n" + h.out());
            Thread.sleep(20);
        }
    }

    private static int countOf(String s, String text) {
        int n = 0;
        for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) n++;
        return n;
    }

    /** The guest's lines from its first one on (firmware lines before it are not the guest's), then the answers. */
    private static List<String> result(String serial, List<String> answers) {
        List<String> out = new ArrayList<>();
        boolean on = false;
        for (String l : serial.split("\n")) {
            if (l.startsWith("virtio-balloon: ")) on = true;
            if (on && !l.isBlank()) out.add(l);
        }
        out.addAll(answers);
        return out;
    }
}
