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
 * The real virsh's network, storage pool/volume, interface and node device commands against
 * jvirtd and against the real libvirtd, both serving libvirt's mock driver (test:///default):
 * each scenario runs in one virsh invocation and must print the same, uuids masked.
 */
class VirshObjectsParityTest {
    @TempDir static Path tmp;
    static TestDaemon jvirtd;
    static RealLibvirtd libvirtd;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Virsh.available(), "the real virsh (libvirt-clients) is not installed");
        assumeTrue(RealLibvirtd.available(), "the real libvirtd (libvirt-daemon) is not installed");
        jvirtd = new TestDaemon(Files.createDirectories(tmp.resolve("jvirtd")));
        libvirtd = new RealLibvirtd(Files.createDirectories(tmp.resolve("libvirtd")));
    }

    @AfterAll
    static void stop() {
        if (jvirtd != null) jvirtd.close();
        if (libvirtd != null) libvirtd.close();
    }

    private void same(String scenario) throws Exception {
        Virsh.Result ours = Virsh.run("test+tcp://127.0.0.1:" + jvirtd.tcpPort() + "/default", scenario);
        Virsh.Result theirs = Virsh.run("test+tcp://127.0.0.1:" + libvirtd.tcpPort() + "/default", scenario);
        assertEquals(VirshParityTest.mask(theirs.out()), VirshParityTest.mask(ours.out()), "stdout of: " + scenario);
        assertEquals(VirshParityTest.mask(theirs.err()), VirshParityTest.mask(ours.err()), "stderr of: " + scenario);
        assertEquals(theirs.exit(), ours.exit(), "exit status of: " + scenario);
    }

    private static Path file(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void networks() throws Exception {
        Path xml = file("net1.xml", "<network><name>net1</name><bridge name='virbr9'/>"
                + "<ip address='192.168.150.1' netmask='255.255.255.0'><dhcp><range start='192.168.150.2' end='192.168.150.254'/></dhcp></ip></network>");
        same("net-list --all; net-info default; net-dumpxml default; net-dumpxml default --inactive; net-dhcp-leases default; "
                + "net-define " + xml + "; net-list --all; net-info net1; net-start net1; net-list --all; net-autostart net1; "
                + "net-info net1; net-autostart net1 --disable; net-list --all --autostart; net-destroy net1; net-list --inactive; "
                + "net-undefine net1; net-list --all --name; net-uuid default; net-name default");
    }

    @Test
    void networkErrors() throws Exception {
        same("net-info nosuch; net-start default; net-dumpxml nosuch; net-destroy nosuch; net-undefine nosuch");
    }

    @Test
    void poolsAndVolumes() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("pool1"));
        same("pool-list --all --details; pool-info default-pool; pool-dumpxml default-pool; vol-list default-pool --details; "
                + "pool-define-as pool1 dir --target " + dir + "; pool-list --all; pool-build pool1; pool-start pool1; "
                + "pool-info pool1; pool-autostart pool1; pool-list --all --details; "
                + "vol-create-as pool1 v1 1M; vol-list pool1; vol-info v1 --pool pool1; vol-dumpxml v1 --pool pool1; "
                + "vol-path v1 --pool pool1; vol-key v1 --pool pool1; vol-name " + dir + "/v1; vol-pool " + dir + "/v1; "
                + "vol-info " + dir + "/v1; vol-delete v1 --pool pool1; vol-list pool1; "
                + "pool-destroy pool1; pool-delete pool1; pool-undefine pool1; pool-list --all --name");
    }

    @Test
    void storageErrors() throws Exception {
        same("pool-info nosuch; pool-start default-pool; vol-info nosuch --pool default-pool; vol-delete nosuch --pool default-pool; "
                + "vol-info /no/such/path; pool-undefine nosuch");
    }

    @Test
    void interfaces() throws Exception {
        Path xml = file("eth9.xml", "<interface type='ethernet' name='eth9'><start mode='onboot'/>"
                + "<mac address='aa:bb:cc:dd:ee:09'/><protocol family='ipv4'><dhcp/></protocol></interface>");
        same("iface-list --all; iface-dumpxml eth1; iface-mac eth1; iface-name 'aa:bb:cc:dd:ee:ff'; "
                + "iface-define " + xml + "; iface-list --all; iface-start eth9; iface-list; iface-destroy eth9; "
                + "iface-list --inactive; iface-undefine eth9; iface-list --all; iface-dumpxml nosuch; iface-start eth1");
    }

    @Test
    void nodeDevices() throws Exception {
        same("nodedev-list; nodedev-list --tree; nodedev-list --cap scsi_host; nodedev-list --cap net; "
                + "nodedev-dumpxml computer; nodedev-dumpxml scsi_host1; nodedev-info scsi_host1; nodedev-dumpxml nosuch");
    }
}
