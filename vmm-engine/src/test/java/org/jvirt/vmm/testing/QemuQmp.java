package org.jvirt.vmm.testing;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A qemu-system-x86_64 reference run for tests: the guest's COM1 on QEMU's stdout (collected in
 * memory), and a QMP monitor on a unix socket in a temporary directory for host requests such as
 * system_powerdown. Closing kills QEMU if it is still running.
 */
public final class QemuQmp implements AutoCloseable {
    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Path socket;
    private SocketChannel qmp;
    private BufferedReader qmpIn;
    private Writer qmpOut;
    private final Thread pump;

    private QemuQmp(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
        pump = new Thread(this::pump, "qemu-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts qemu-system-x86_64 with args plus {@code -serial stdio -qmp unix:DIR/qmp.sock}. */
    public static QemuQmp start(Path dir, String... args) throws IOException {
        Path sock = dir.resolve("qmp.sock");
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-serial", "stdio", "-qmp", "unix:" + sock + ",server=on,wait=off"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        return new QemuQmp(p, sock);
    }

    private void pump() {
        byte[] buf = new byte[4096];
        try (InputStream in = process.getInputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (out) {
                    out.write(buf, 0, n);
                    out.notifyAll();
                }
            }
        } catch (IOException e) {
            // QEMU went away: the output so far stays
        }
    }

    /** QEMU's stdout and stderr so far (the guest serial output plus QEMU's warnings). */
    public String output() {
        synchronized (out) {
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Waits until the output contains text; false after timeout or when QEMU ended without it. */
    public boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (out) {
            while (!out.toString(StandardCharsets.ISO_8859_1).contains(text)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                if (!process.isAlive()) {
                    out.wait(200); // the pump may be waiting for this lock with the last bytes
                    if (pump.isAlive()) continue;
                    return out.toString(StandardCharsets.ISO_8859_1).contains(text);
                }
                out.wait(Math.min(100, Math.max(1, left / 1_000_000)));
            }
            return true;
        }
    }

    public boolean hasExited() { return !process.isAlive(); }

    /**
     * QEMU's exit status, or null if it is still running after timeout. Once it has exited, its
     * last output is in {@link #output()}: the pump has read the pipe to its end (an exit seen
     * before that cut the guest's last lines off on a loaded machine).
     */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return null;
        pump.join(10_000);
        return process.exitValue();
    }

    /** Sends a QMP command without arguments and returns the reply line (events before it are skipped). */
    public String command(String name) throws IOException, InterruptedException {
        if (qmp == null) connect();
        qmpOut.write("{\"execute\":\"" + name + "\"}\n");
        qmpOut.flush();
        for (String line; (line = qmpIn.readLine()) != null; ) {
            if (line.contains("\"return\"") || line.contains("\"error\"")) return line;
        }
        throw new IOException("QMP connection closed before the reply to " + name);
    }

    /** Sends a QMP command with arguments (a JSON object's text) and returns the reply line. */
    public String command(String name, String argumentsJson) throws IOException, InterruptedException {
        if (qmp == null) connect();
        qmpOut.write("{\"execute\":\"" + name + "\",\"arguments\":" + argumentsJson + "}\n");
        qmpOut.flush();
        for (String line; (line = qmpIn.readLine()) != null; ) {
            if (line.contains("\"return\"") || line.contains("\"error\"")) return line;
        }
        throw new IOException("QMP connection closed before the reply to " + name);
    }

    private void connect() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(socket)) {
            if (System.nanoTime() > deadline || !process.isAlive()) throw new IOException("no QMP socket " + socket + "; output:\n" + output());
            Thread.sleep(20);
        }
        while (true) { // the socket file exists from QEMU's bind; connections are refused until its listen
            qmp = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                qmp.connect(UnixDomainSocketAddress.of(socket));
                break;
            } catch (java.net.ConnectException e) {
                qmp.close();
                if (System.nanoTime() > deadline || !process.isAlive()) throw new IOException("QMP socket " + socket + " refused; output:\n" + output(), e);
                Thread.sleep(20);
            }
        }
        qmpIn = new BufferedReader(new InputStreamReader(Channels.newInputStream(qmp), StandardCharsets.UTF_8));
        qmpOut = new OutputStreamWriter(Channels.newOutputStream(qmp), StandardCharsets.UTF_8);
        String greeting = qmpIn.readLine();
        if (greeting == null || !greeting.contains("\"QMP\"")) throw new IOException("not a QMP greeting: " + greeting);
        String caps = command("qmp_capabilities");
        if (!caps.contains("\"return\"")) throw new IOException("qmp_capabilities failed: " + caps);
    }

    @Override
    public void close() throws IOException {
        if (qmp != null) qmp.close();
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
