package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvirsh's managed save, snapshot, domrename, reset, undefine and list filter commands on a
 * jvirt URI: what jvirt has works, what it has not yet fails with
 * libvirt's "not supported" words, and the list filters answer as for domains without either
 * (managed save of running domains: the driver's JvirtSaveRestoreKvmTest).
 */
class JvirtEverydayCommandsVirshTest {

    @TempDir
    Path cwd;

    @BeforeEach
    void defineOne() throws Exception {
        Files.writeString(cwd.resolve("d.xml"), "<domain type='kvm'><name>web</name><memory unit='MiB'>64</memory>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>\n");
        assertEquals("0", run("define d.xml")[0]);
    }

    private String[] run(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = org.jvirt.virsh.Main.run(new String[] {"-c", "jvirt:///embed?root=" + cwd.resolve("root"), line},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), cwd);
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void managedSaveOfAnInactiveDomain() {
        String[] r = run("managedsave web");
        assertEquals("1", r[0]);
        assertEquals("error: Failed to save domain 'web' state\n"
                + "error: Requested operation is not valid: domain is not running\n", r[2]);
        assertEquals("Domain 'web' has no manage save image; removal skipped\n", run("managedsave-remove web")[1]);
        assertEquals("error: Requested operation is not valid: domain does not have managed save image\n",
                run("managedsave-dumpxml web")[2]);
    }

    @Test
    void listFiltersAnswerForDomainsWithoutManagedSaveOrSnapshots() {
        String empty = " Id   Name   State\n--------------------\n\n";
        String web = " Id   Name   State\n-----------------------\n -    web    shut off\n\n";
        assertEquals(empty, run("list --all --with-managed-save")[1]);
        assertEquals(web, run("list --all --without-managed-save")[1]);
        assertEquals(empty, run("list --all --with-snapshot")[1]);
        assertEquals(web, run("list --all --without-snapshot")[1]);
        assertEquals(web, run("list --all --managed-save")[1]);
    }

    @Test
    void snapshotsOfADisklessShutOffDomainAndUndefineRefusingThem() {
        String[] r = run("snapshot-parent web s1");
        assertEquals("error: Domain snapshot not found: no domain snapshot with matching name 's1'\n", r[2]);
        assertEquals("Domain snapshot s1 created\n", run("snapshot-create-as web s1")[1]);
        assertEquals("Domain snapshot s2 created\n", run("snapshot-create-as web s2")[1]);
        assertEquals("s1\n", run("snapshot-parent web s2")[1]);
        assertEquals("s2\n", run("snapshot-current web --name")[1]);
        assertEquals("web\n\n", run("list --all --with-snapshot --name")[1]);
        r = run("undefine web");
        assertEquals("error: Failed to undefine domain 'web'\n"
                + "error: Requested operation is not valid: cannot delete inactive domain with 2 snapshots\n", r[2]);
        assertEquals("Domain 'web' has been undefined\n\n", run("undefine web --snapshots-metadata")[1]);
    }

    @Test
    void domrenameResetUndefineAndValidate() throws Exception {
        assertEquals("Domain successfully renamed\n\n", run("domrename web www")[1]);
        assertEquals("www\n\n", run("list --all --name")[1]);
        String[] r = run("reset www");
        assertEquals("error: Failed to reset domain 'www'\nerror: Requested operation is not valid: domain is not running\n", r[2]);
        Files.writeString(cwd.resolve("bad.xml"), "<domain type='kvm'><name>bad</name><memory unit='MiB'>64</memory><frob/>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>\n");
        r = run("define --validate bad.xml");
        assertEquals("error: Failed to define domain from bad.xml\nerror: XML document failed to validate against schema: "
                + "Unable to validate doc against /usr/share/libvirt/schemas/domain.rng\n"
                + "Element domain has extra content: frob\n\n", r[2]);
        assertEquals("Domain 'www' has been undefined\n\n", run("undefine www --managed-save --snapshots-metadata --nvram")[1]);
    }
}
