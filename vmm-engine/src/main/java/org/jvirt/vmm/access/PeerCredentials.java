package org.jvirt.vmm.access;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The rule for a VM's sockets: only this process's own (effective) uid and root may talk to it.
 * The kernel's SO_PEERCRED says who connected, so the rule holds even when the socket file's
 * mode would let anyone in (a chmod, a permissive umask at bind time, a copied path).
 */
public final class PeerCredentials {

    private final UserPrincipal self;
    private final UserPrincipal root;
    private final long selfUid;

    private PeerCredentials(long selfUid) throws IOException {
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        this.selfUid = selfUid;
        // a numeric name with no passwd entry is taken as the uid itself; principals compare by uid
        this.self = users.lookupPrincipalByName(Long.toString(selfUid));
        this.root = users.lookupPrincipalByName("0");
    }

    /** The rule for this process (its effective uid, from /proc/self/status). */
    public static PeerCredentials ofThisProcess() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) return new PeerCredentials(Long.parseLong(line.substring(4).trim().split("\\s+")[1]));
        }
        throw new IOException("no Uid line in /proc/self/status");
    }

    /**
     * Null when the peer of ch may talk to this process; otherwise one line saying who was refused
     * (the caller closes the connection and logs it). A peer whose credentials cannot be read is refused.
     */
    public String refusal(SocketChannel ch) {
        UnixDomainPrincipal peer;
        try {
            peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        } catch (IOException | RuntimeException e) {
            return "refused a connection whose credentials cannot be read (" + e.getMessage() + ")";
        }
        if (peer.user().equals(self) || peer.user().equals(root)) return null;
        return "refused a connection from user " + peer.user().getName() + ": only uid " + selfUid
                + (selfUid == 0 ? "" : " and root") + " may connect";
    }
}
