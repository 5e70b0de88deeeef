package org.jvirt.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.rpc.testing.RealLibvirtd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real virsh against jvirtd and against the real libvirtd, both serving libvirt's mock
 * driver (test:///default) in the same state: the same commands must print the same output,
 * after masking what differs by nature (generated uuids, CPU time). One virsh invocation runs
 * a whole scenario (the mock driver's state lives while a connection is open).
 */
class VirshParityTest {
    @TempDir static Path tmp;
    static TestDaemon jvirtd;
    static RealLibvirtd libvirtd;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Virsh.available(), "the real virsh (libvirt-clients) is not installed");
        assumeTrue(RealLibvirtd.available(), "the real libvirtd (libvirt-daemon) is not installed");
        jvirtd = new TestDaemon(Files.createDirectories(tmp.resolve("jvirtd")));
        libvirtd = RealLibvirtd.start();
    }

    @AfterAll
    static void stop() {
        if (jvirtd != null) jvirtd.close();
        if (libvirtd != null) libvirtd.close();
    }

    static String mask(String s) {
        return s.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID")
                .replaceAll("(CPU time: +)[0-9.]+s", "$1Ns").replaceAll("127\\.0\\.0\\.1:[0-9]+", "127.0.0.1:PORT")
                .replaceAll("<uuid>[^<]*</uuid>", "<uuid/>")
                .replaceAll("(Creation Time|creationTime)[^\\n]*", "$1 T")
                .replaceAll("<creationTime>[0-9]+</creationTime>", "<creationTime/>")
                .replaceAll(" +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]+ [+-][0-9]{4}", " DATE");
    }

    private void same(String scenario) throws Exception {
        Virsh.Result ours = Virsh.run("test+tcp://127.0.0.1:" + jvirtd.tcpPort() + "/default", scenario);
        Virsh.Result theirs = Virsh.run("test+tcp://127.0.0.1:" + libvirtd.tcpPort() + "/default", scenario);
        assertEquals(mask(theirs.out()), mask(ours.out()), "stdout of: " + scenario);
        assertEquals(mask(theirs.err()), mask(ours.err()), "stderr of: " + scenario);
        assertEquals(theirs.exit(), ours.exit(), "exit status of: " + scenario);
    }

    @Test
    void everydayCommands() throws Exception {
        same("list --all; dominfo test; domstate test --reason; dumpxml test; dominfo 1; domid test; domuuid test; "
                + "version --daemon; nodeinfo; hostname; uri; capabilities; domstats; domstats test --raw; nodecpustats; nodememstats; "
                + "vcpuinfo test; schedinfo test; dommemstat test; domblkinfo test vda; domiflist test; domblklist test; sysinfo; freecell");
    }

    @Test
    void lifecycle() throws Exception {
        Path xml = tmp.resolve("vm1.xml");
        Files.writeString(xml, "<domain type='test'><name>vm1</name><memory unit='MiB'>128</memory><os><type>hvm</type></os></domain>");
        same("define " + xml + "; list --all; start vm1; list; dominfo vm1; suspend vm1; domstate vm1 --reason; resume vm1; "
                + "domstate vm1 --reason; setmem vm1 65536; dominfo vm1; destroy vm1; domstate vm1 --reason; undefine vm1; list --all");
    }

    @Test
    void snapshotsAndSaves() throws Exception {
        Path save = tmp.resolve("test.save");
        same("snapshot-create-as test s1; snapshot-list test --name; snapshot-current test --name; snapshot-revert test s1; "
                + "snapshot-delete test s1; snapshot-list test --name; save test " + save + "; list --all; restore " + save + "; list --all; "
                + "domstate test --reason");
    }

    /** virDomainInterfaceAddresses over the wire, and the link commands (update-device is not in the mock driver). */
    @Test
    void interfaces() throws Exception {
        Path xml = tmp.resolve("nics.xml");
        Files.writeString(xml, "<domain type='test'><name>nics</name><memory unit='MiB'>128</memory><os><type>hvm</type></os><devices>"
                + "<interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/></interface>"
                + "<interface type='user'><mac address='52:54:00:00:00:02'/><link state='down'/></interface></devices></domain>");
        same("domifaddr test; domifaddr test --full --source arp; domifaddr test --source agent --interface testnet0; "
                + "domifaddr test --interface vnet9; domif-getlink test testnet0; domif-getlink test AA:BB:CC:DD:EE:FF --config; "
                + "domif-setlink test testnet0 down; domif-setlink test testnet0 down --print-xml; domif-getlink test vnet9; "
                + "define " + xml + "; domifaddr nics; start nics; domifaddr nics; domif-getlink nics testnet1; domifstat nics vnet9");
    }

    /**
     * vncdisplay and domdisplay (the live XML of a vnc and spice domain), screenshot through a
     * stream (REMOTE_PROC_DOMAIN_SCREENSHOT: the same file from both daemons) and send-key
     * (REMOTE_PROC_DOMAIN_SEND_KEY, with the mock driver's keycode checks).
     */
    @Test
    void display() throws Exception {
        Path xml = tmp.resolve("vnc.xml");
        Files.writeString(xml, "<domain type='test'><name>vnc1</name><memory unit='MiB'>128</memory><os><type>hvm</type></os><devices>"
                + "<graphics type='vnc' port='5905' listen='0.0.0.0' passwd='pw'/><graphics type='spice' autoport='yes'/></devices></domain>");
        Path shot = tmp.resolve("shot.png");
        String scenario = "define " + xml + "; start vnc1; vncdisplay vnc1; domdisplay vnc1; domdisplay --include-password --all vnc1; "
                + "dumpxml vnc1; screenshot test --file " + shot + " --screen 2; send-key test KEY_LEFTCTRL KEY_C --holdtime 10; "
                + "send-key test --codeset win32 VK_RETURN 0x41; send-key test --codeset usb 4 5 6; send-key test --codeset rfb 0x9c; "
                + "send-key test --codeset xt_kbd 1000; destroy vnc1; send-key vnc1 KEY_A; vncdisplay vnc1";
        Virsh.Result ours = Virsh.run("test+tcp://127.0.0.1:" + jvirtd.tcpPort() + "/default", scenario);
        byte[] ourShot = Files.readAllBytes(shot);
        Files.delete(shot);
        Virsh.Result theirs = Virsh.run("test+tcp://127.0.0.1:" + libvirtd.tcpPort() + "/default", scenario);
        assertEquals(mask(theirs.out()), mask(ours.out()), "stdout of: " + scenario);
        assertEquals(mask(theirs.err()), mask(ours.err()), "stderr of: " + scenario);
        assertEquals(theirs.exit(), ours.exit(), "exit status of: " + scenario);
        org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(shot), ourShot, "the screenshot's bytes");
    }

    @Test
    void errors() throws Exception {
        same("dominfo nosuch; start test; resume test; snapshot-revert test nosuch; console test");
    }
}
