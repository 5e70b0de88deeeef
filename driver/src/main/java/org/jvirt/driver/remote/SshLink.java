package org.jvirt.driver.remote;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jvirt.driver.api.LibvirtException;

/**
 * The system ssh client as libvirt's remote driver runs it (virNetSocketNewConnectSSH): ssh
 * logs in and runs virt-ssh-helper, or netcat on the daemon's socket, on the far side; the
 * protocol then flows over ssh's stdin and stdout. Its stderr is kept to explain a hang-up.
 */
final class SshLink implements Link {
    /** ssh's exit status for its own failures (connection, authentication, host key). */
    private static final int SSH_FAILED = 255;

    private final Process process;
    private final Received in;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Thread drain;

    private SshLink(Process process) {
        this.process = process;
        this.in = new Received(process.getInputStream());
        drain = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (InputStream err = process.getErrorStream()) {
                for (int n; (n = err.read(buf)) > 0; ) {
                    synchronized (stderr) {
                        if (stderr.size() < 65536) stderr.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "jvirt-ssh-stderr");
        drain.setDaemon(true);
        drain.start();
    }

    static SshLink open(RemoteUri uri, boolean readOnly) throws LibvirtException {
        List<String> cmd = command(uri, readOnly);
        try {
            return new SshLink(new ProcessBuilder(cmd).start());
        } catch (IOException e) {
            // libvirt searches PATH only for a bare name; an absolute path that cannot run fails
            // in its forked child, which writes why to the stderr the client reads (libvirt 9.0
            // says so about half the time; otherwise, losing the race, "client socket is closed")
            if (cmd.get(0).startsWith("/")) {
                String why = e.getMessage() == null ? "" : e.getMessage().replaceFirst("(?s).*error=\\d+, ", "");
                throw SocketLink.systemError("Cannot recv data: libvirt:  error : cannot execute binary " + cmd.get(0) + ": " + why
                        + ": Connection reset by peer");
            }
            throw SocketLink.systemError("Cannot find '" + cmd.get(0) + "' in path: No such file or directory");
        }
    }

    /** ssh's argument list, in the order libvirt builds it. */
    static List<String> command(RemoteUri uri, boolean readOnly) {
        List<String> cmd = new ArrayList<>();
        cmd.add(uri.param("command") != null ? uri.param("command") : "ssh");
        if (uri.port() > 0) {
            cmd.add("-p");
            cmd.add(Integer.toString(uri.port()));
        }
        if (uri.user() != null) {
            cmd.add("-l");
            cmd.add(uri.user());
        }
        if (uri.param("keyfile") != null) {
            cmd.add("-i");
            cmd.add(uri.param("keyfile"));
        }
        cmd.add("-T");
        cmd.add("-e");
        cmd.add("none");
        // after "-e none", as libvirt adds them (seen in the argv the real virsh passes to ssh)
        if ("1".equals(uri.param("no_tty"))) {
            cmd.add("-o");
            cmd.add("BatchMode=yes");
        }
        if ("1".equals(uri.param("no_verify"))) {
            cmd.add("-o");
            cmd.add("StrictHostKeyChecking=no");
        }
        cmd.add("--");
        cmd.add(uri.host());
        cmd.add(remoteCommand(uri, readOnly));
        return cmd;
    }

    /**
     * The far side's command: virt-ssh-helper (which opens the daemon for the URI itself) when
     * it is installed there, else netcat on the socket. An explicit socket or netcat, or
     * proxy=netcat, goes straight to netcat.
     */
    static String remoteCommand(RemoteUri uri, boolean readOnly) {
        String nc = uri.param("netcat") != null ? uri.param("netcat") : "nc";
        String socket = uri.unixSocket(readOnly);
        String netcat = "if '" + nc + "' -q 2>&1 | grep \"requires an argument\" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;'"
                + nc + "' $ARG -U " + socket;
        String proxy = uri.param("proxy");
        boolean direct = uri.param("socket") != null || uri.param("netcat") != null || "netcat".equals(proxy);
        if (direct) return "sh -c '" + netcat + "'";
        if ("native".equals(proxy)) return "virt-ssh-helper" + (readOnly ? " -r " : " ") + "'" + uri.openName() + "'";
        // spaced and quoted exactly as libvirt 9.0 writes it (the quotes nest: the shell pastes them)
        return "sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then     virt-ssh-helper"
                + (readOnly ? " -r" : "") + " '" + uri.openName() + "'; else    " + netcat + "; fi'";
    }

    @Override public InputStream in() { return in; }

    @Override public OutputStream out() { return process.getOutputStream(); }

    /** ssh encrypts, so libvirt counts it as secure. */
    @Override public boolean isSecure() { return true; }

    /**
     * libvirt talks to ssh through a socket pair and words a hang-up from what the read gets,
     * with ssh's stderr in the middle: ECONNRESET ("Cannot recv data") when ssh died with the
     * first call unread in its socket, i.e. it failed itself (exit status 255: refused port,
     * key, host key) before any byte came back; otherwise the end of file ("End of file while
     * reading data": the far side's command ended, or the session broke after it had carried data).
     */
    @Override
    public LibvirtException hangUpError() {
        int status = -1;
        try {
            if (process.waitFor(1, TimeUnit.SECONDS)) status = process.exitValue();
            drain.join(500); // the last of stderr
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String said;
        synchronized (stderr) {
            said = stderr.toString(StandardCharsets.UTF_8).stripTrailing(); // libvirt trims the end only
        }
        String prefix = said.isEmpty() ? "" : said + ": ";
        if (status == SSH_FAILED && !in.received) return SocketLink.systemError("Cannot recv data: " + prefix + "Connection reset by peer");
        return SocketLink.systemError("End of file while reading data: " + prefix + "Input/output error");
    }

    /** A write to a dead ssh: libvirt's write into the socket pair succeeds and its read reports. */
    @Override
    public LibvirtException writeError(IOException e) {
        return hangUpError();
    }

    /** ssh's stdout, noting whether anything came back from the far side. */
    private static final class Received extends FilterInputStream {
        volatile boolean received;

        Received(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) received = true;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) received = true;
            return n;
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed by the far side
        }
        process.destroy();
    }
}
