package org.jvirt.daemon.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * A unix socket as libvirtd makes it: the file replaced if stale, its mode set from the
 * configuration (read-write 0700/0770 with a group, read-only 0777) before anyone can connect
 * through a laxer one: the socket is bound in a private directory's umask and chmod-ed at once.
 */
public final class UnixListener implements Listener {
    private final Path path;
    private final boolean readOnly;
    private final Set<PosixFilePermission> mode;
    private final String group;
    private ServerSocketChannel server;

    public UnixListener(Path path, boolean readOnly, Set<PosixFilePermission> mode, String group) {
        this.path = path;
        this.readOnly = readOnly;
        this.mode = mode;
        this.group = group;
    }

    @Override
    public void start(Handler handler) throws IOException {
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, mode);
        if (group != null && !group.isEmpty()) {
            var lookup = path.getFileSystem().getUserPrincipalLookupService();
            Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                    .setGroup(lookup.lookupPrincipalByGroupName(group));
        }
        Thread t = new Thread(() -> acceptLoop(handler), "jvirtd-accept-" + path.getFileName());
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop(Handler handler) {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                handler.accepted(new UnixTransport(ch, path), readOnly);
            } catch (IOException e) {
                if (!server.isOpen()) return;
            }
        }
    }

    @Override
    public String describe() {
        return "unix:" + path + (readOnly ? " (read-only)" : "");
    }

    @Override
    public void close() {
        try {
            if (server != null) server.close();
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the socket file goes with the daemon's run directory anyway
        }
    }

    private static final class UnixTransport implements Transport {
        private final SocketChannel ch;
        private final String name;
        private final InputStream in;
        private final OutputStream out;

        UnixTransport(SocketChannel ch, Path path) {
            this.ch = ch;
            String peer;
            try {
                var cred = ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
                peer = " user=" + cred.user().getName();
            } catch (IOException | UnsupportedOperationException e) {
                peer = "";
            }
            this.name = "unix:" + path + peer;
            this.in = org.jvirt.rpc.ChannelStreams.input(ch);
            this.out = org.jvirt.rpc.ChannelStreams.output(ch);
        }

        @Override public InputStream input() { return in; }

        @Override public OutputStream output() { return out; }

        @Override public String describe() { return name; }

        @Override public boolean secure() { return true; }

        @Override
        public void close() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a socket that failed already
            }
        }
    }
}
