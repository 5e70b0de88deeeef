package org.jvirt.driver.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.Test;

/** URIs taken apart as libvirt's remote driver does (spec §4: the name sent in CONNECT_OPEN). */
class RemoteUriTest {

    private static RemoteUri parse(String uri) throws LibvirtException {
        return RemoteUri.parse(uri, URI.create(uri));
    }

    @Test
    void theOpenNameDropsTransportUserHostPortAndRemoteOnlyParameters() throws Exception {
        assertEquals("qemu:///system", parse("qemu+tcp://dst/system").openName());
        assertEquals("test:///default", parse("test+tcp://127.0.0.1:16610/default").openName());
        assertEquals("jvirt:///system", parse("jvirt+unix:///system").openName());
        RemoteUri ssh = parse("qemu+ssh://root@host:2222/system?keyfile=/k&foo=bar&no_verify=1");
        assertEquals("qemu:///system?foo=bar", ssh.openName());
        assertEquals("root", ssh.user());
        assertEquals("host", ssh.host());
        assertEquals(2222, ssh.port());
        assertEquals("/k", ssh.param("keyfile"));
        assertEquals("", parse("remote+tcp://h/").openName(), "a remote:// URI lets the daemon choose");
        assertEquals("test:///default", parse("qemu+tcp://h/system?name=test:///default").openName());
    }

    @Test
    void portsAndSocketsDefaultAsLibvirts() throws Exception {
        assertEquals(16509, parse("qemu+tcp://h/system").port());
        assertEquals(16514, parse("qemu+tls://h/system").port());
        assertEquals(-1, parse("qemu+ssh://h/system").port());
        assertEquals("/var/run/libvirt/libvirt-sock", parse("jvirt+unix:///system").unixSocket(false));
        assertEquals("/var/run/libvirt/libvirt-sock-ro", parse("jvirt+unix:///system").unixSocket(true));
        assertEquals("/tmp/s", parse("test+unix:///default?socket=/tmp/s").unixSocket(false));
        assertNull(parse("test+unix:///default").host());
    }

    @Test
    void sshRunsNetcatOnTheSocketOrVirtSshHelper() throws Exception {
        List<String> cmd = SshLink.command(parse("qemu+ssh://alice@far:22/system?socket=/run/s"), false);
        assertEquals(List.of("ssh", "-p", "22", "-l", "alice", "-T", "-e", "none", "--", "far"), cmd.subList(0, 10));
        assertEquals("sh -c 'if 'nc' -q 2>&1 | grep \"requires an argument\" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;'nc' $ARG -U /run/s'",
                cmd.get(10));
        // the options after "-e none", as the real virsh 9.0 passes them (SshTransportTest sees its argv)
        assertEquals(List.of("ssh", "-i", "/k", "-T", "-e", "none", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "--", "far"),
                SshLink.command(parse("qemu+ssh://far/system?keyfile=/k&no_tty=1&no_verify=1"), false).subList(0, 12));
        String auto = SshLink.remoteCommand(parse("qemu+ssh://far/system"), true);
        assertEquals("sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then     virt-ssh-helper -r 'qemu:///system'; "
                + "else    if 'nc' -q 2>&1 | grep \"requires an argument\" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;'nc' $ARG -U "
                + "/var/run/libvirt/libvirt-sock-ro; fi'", auto);
    }

    @Test
    void anUnknownTransportIsRefused() {
        LibvirtException e = assertThrows(LibvirtException.class, () -> parse("qemu+carrierpigeon://h/system"));
        assertEquals("invalid argument: remote_open: transport in URL not recognised (should be tls|unix|ssh|ext|tcp|libssh2|libssh)", e.getMessage());
    }
}
