package org.jvirt.vmm.cli;

import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.testing.GuestImages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jvirt-vmm processes running the ticker guest in one directory, all writing the same serial
 * log (so a restored VMM's output follows its predecessor's) and exit file; the tests of
 * save/restore through the command line share it.
 */
final class VmmProcessFixture {

    private final Path dir;

    VmmProcessFixture(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** Starts jvirt-vmm on the ticker with {@code extra} options, its stdout and stderr to {@code out}. */
    Process start(Path out, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--kernel", GuestImages.require("ticker").toString()));
        args.addAll(List.of(extra));
        return startWithArgs(out, args.toArray(String[]::new));
    }

    /** Starts jvirt-vmm with only {@code args} besides the shared serial log and exit file (no kernel). */
    Process startWithArgs(Path out, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), JvirtVmmMain.class.getName(),
                "--serial", "file:" + dir.resolve("serial.log"), "--exit-file", dir.resolve("exit").toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    /** The serial log so far, with "\n" line ends. */
    String serial() throws IOException {
        Path p = dir.resolve("serial.log");
        return Files.exists(p) ? Files.readString(p).replace("\r\n", "\n") : "";
    }

    void awaitSerial(String text) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!serial().contains(text)) {
            assertTrue(System.nanoTime() < end, "serial never showed '" + text.trim() + "': " + serial());
            Thread.sleep(20);
        }
    }

    /** The number of the last "tick N" line in {@code serial}, or -1. */
    static int lastTick(String serial) {
        Matcher m = Pattern.compile("tick (\\d+)\n").matcher(serial);
        int last = -1;
        while (m.find()) last = Integer.parseInt(m.group(1));
        return last;
    }

    static ControlClient connect(Path control, Process p) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(control)) {
            assertTrue(p.isAlive() && System.nanoTime() < end, "no control socket");
            Thread.sleep(20);
        }
        return ControlClient.connect(control, Duration.ofSeconds(30));
    }
}
