package org.jvirt.daemon.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real libvirtd as a reference for config files: started with {@code -f FILE}, no drivers
 * (LIBVIRT_DRIVER_DIR empty), a private pid file and a 1-second idle timeout; only ever fed files
 * that fail before it opens any socket.
 */
final class Libvirtd {
    static final Path BINARY = Path.of("/usr/sbin/libvirtd");
    private static final Pattern ERROR = Pattern.compile("^\\S+ \\S+: \\d+: error : \\S+ : (.*)$", Pattern.MULTILINE);

    private Libvirtd() {
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** The message of libvirtd's first error line for {@code conf}, or null if it reported none. */
    static String firstError(Path conf, Path scratch) throws IOException, InterruptedException {
        Path drivers = Files.createDirectories(scratch.resolve("no-drivers"));
        ProcessBuilder pb = new ProcessBuilder(List.of(BINARY.toString(), "-f", conf.toString(),
                "-p", scratch.resolve("libvirtd.pid").toString(), "-t", "1"));
        pb.environment().put("LIBVIRT_DRIVER_DIR", drivers.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        Matcher m = ERROR.matcher(out);
        return m.find() ? m.group(1) : null;
    }
}
