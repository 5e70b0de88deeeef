package org.jvirt.vmm.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A tiny unix-socket client (python3) run as root or, through setpriv, as the unprivileged
 * user nobody (uid 65534): it prints what the server sent first, "EOF" when the server closed
 * without a word, or "ERR errno" when connect(2) failed.
 */
final class OtherUser {
    private OtherUser() { }

    static final String NOBODY = "65534";
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String CLIENT = String.join("\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_UNIX)",
            "s.settimeout(10)",
            "try:",
            "    s.connect(sys.argv[1])",
            "except OSError as e:",
            "    print('ERR', e.errno); sys.exit(0)",
            "try:",
            "    d = s.recv(4096)",
            "except OSError as e:",
            "    print('ERR', e.errno); sys.exit(0)",
            "print(d.decode('utf-8', 'replace').strip() if d else 'EOF')",
            "");

    /** Skips the test unless this JVM is root with setpriv and /usr/bin/python3 (to become another uid). */
    static void assumeCanSwitchUser() {
        assumeTrue(isRoot(), "skipped: needs root to run a client as another uid");
        assumeTrue(Files.isExecutable(PYTHON), "skipped: needs /usr/bin/python3 for the test client");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: needs setpriv (util-linux)");
    }

    static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.startsWith("Uid:") && l.substring(4).trim().split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Connects to socket as uid (null: as this process's uid) and returns the client's one line. */
    static String connect(Path socket, String uid) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (uid != null) cmd.addAll(List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups"));
        cmd.addAll(List.of(PYTHON.toString(), "-c", CLIENT, socket.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("test client did not finish");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
