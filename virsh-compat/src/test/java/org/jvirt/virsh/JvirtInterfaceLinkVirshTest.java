package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * domif-setlink and domif-getlink on a jvirt URI's shut-off domain: virsh sends the interface
 * to the persistent definition (a domain that is not running is changed there whatever the
 * options), the stored XML keeps {@code <link state>}, and the running-only commands answer
 * with libvirt's words (the running guest's side: the driver's JvirtInterfaceCommandsTest).
 */
class JvirtInterfaceLinkVirshTest {

    private static final String A = "52:54:00:00:00:0a", B = "52:54:00:00:00:0b";

    @TempDir
    Path cwd;

    @BeforeEach
    void defineOne() throws Exception {
        Files.writeString(cwd.resolve("d.xml"), "<domain type='qemu'><name>web</name><memory unit='MiB'>64</memory>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                + "<interface type='bridge'><mac address='" + A + "'/><source bridge='br0'/><model type='virtio'/></interface>"
                + "<interface type='network'><mac address='" + B + "'/><source network='default'/><model type='virtio'/></interface>"
                + "</devices></domain>\n");
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
    void theLinkIsStoredInTheDefinition() throws Exception {
        assertEquals(A + " up\n", run("domif-getlink web " + A)[1]);
        assertEquals("Device updated successfully\n\n", run("domif-setlink web " + A.toUpperCase() + " down")[1]);
        assertEquals(A + " down\n", run("domif-getlink web " + A)[1]);
        assertEquals(A + " down\n", run("domif-getlink web " + A + " --config")[1]);
        assertEquals(B + " up\n", run("domif-getlink web " + B + " --config")[1], "the other interface is untouched");
        String xml = run("dumpxml web --inactive")[1];
        assertTrue(xml.contains("<source bridge='br0'/>\n      <model type='virtio'/>\n      <link state='down'/>"), xml);
        assertEquals("Device updated successfully\n\n", run("domif-setlink web " + A + " up --config")[1]);
        assertEquals(A + " up\n", run("domif-getlink web " + A)[1]);
    }

    @Test
    void errorsInLibvirtsWords() {
        assertEquals("error: interface 'vnet5' not found\n", run("domif-setlink web vnet5 up")[2]);
        assertEquals("error: Interface (dev: vnet5) not found.\n", run("domif-getlink web vnet5")[2]);
        assertEquals("error: invalid link state 'sideways'\n", run("domif-setlink web " + A + " sideways")[2]);
        String[] notRunning = run("domifaddr web");
        assertEquals("1", notRunning[0]);
        assertEquals("error: Failed to query for interfaces addresses\nerror: Requested operation is not valid: domain is not running\n",
                notRunning[2]);
        assertEquals("error: Failed to get interface stats web " + A + "\nerror: Requested operation is not valid: domain is not running\n",
                run("domifstat web " + A)[2]);
    }
}
