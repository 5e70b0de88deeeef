package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.Stream;
import org.jvirt.driver.keycode.Keycodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The display end to end on the emulator with the vga test guest (boots in about a second):
 * the VNC port allocated at start and shown in the live XML, the screenshot streamed from the
 * VMM's screendump, send-key, the VNC server's greeting, and a password-protected display.
 * Until jvirt-vmm serves --vnc, send-key and set_password (other branches of issue 14), the
 * parts that need them are skipped with the VMM's answer as the reason.
 */
class JvirtDisplayTest {

    @TempDir
    Path root;

    private String xml(String name, String graphics) {
        return "<domain type='" + JvirtTestSupport.guestVirtType() + "'><name>" + name + "</name><memory unit='MiB'>32</memory>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type><kernel>" + JvirtTestSupport.GUESTS.resolve("vga.elf")
                + "</kernel><cmdline>vga=1</cmdline></os><devices><serial type='file'><source path='" + root.resolve(name + ".serial")
                + "'/></serial>" + graphics + "<video><model type='vga'/></video></devices></domain>";
    }

    @Test
    void vncDisplayScreenshotAndSendKey() throws Exception {
        assumeTrue(Files.exists(JvirtTestSupport.GUESTS.resolve("vga.elf")), "test guests not built (mvn install -pl test-fixtures)");
        String previous = System.setProperty("jvirt.vmm", JvirtTestSupport.vmmScript(root).toString());
        Connect c = new Connect("jvirt:///embed?root=" + root);
        try {
            Domain d = c.domainDefineXML(xml("vga1", "<graphics type='vnc' autoport='yes'/><input type='tablet' bus='virtio'/>"));
            d.create();
            String live = d.getXMLDesc(0);
            Matcher m = Pattern.compile("<graphics type='vnc' port='(\\d+)' autoport='yes' listen='127.0.0.1'>\\s*"
                    + "<listen type='address' address='127.0.0.1'/>").matcher(live);
            assertTrue(m.find(), live);
            int port = Integer.parseInt(m.group(1));
            assertTrue(port >= 5900, live);
            assertTrue(d.getXMLDesc(Flags.DomainXml.INACTIVE).contains("<graphics type='vnc' port='-1' autoport='yes'>"));
            waitFor(root.resolve("vga1.serial"), "vga: drawn");
            String vmmLog = Files.readString(JvirtPaths.embed(root).log("vga1"));
            assertTrue(vmmLog.contains(" --input tablet,bus=virtio "), "the virtio tablet on the VMM's command line: " + vmmLog);
            assertTrue(live.contains("<input type='tablet' bus='virtio'/>") && live.contains("<input type='mouse' bus='ps2'/>"), live);

            Stream st = c.streamNew(0);
            assertEquals("image/x-portable-pixmap", d.screenshot(st, 0));
            ByteArrayOutputStream img = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            for (int n; (n = st.receive(buf)) > 0; ) img.write(buf, 0, n);
            st.finish();
            byte[] header = "P6\n640 480\n255\n".getBytes(StandardCharsets.US_ASCII);
            assertEquals(header.length + 640 * 480 * 3, img.size());
            assertArrayEquals(header, java.util.Arrays.copyOf(img.toByteArray(), header.length));
            assertEquals("invalid argument: no such screen ID: 1",
                    assertThrows(LibvirtException.class, () -> d.screenshot(c.streamNew(0), 1)).getMessage());

            try {
                d.sendKey(Keycodes.LINUX, 0, new int[] {Keycodes.valueFromString(Keycodes.LINUX, "KEY_A")}, 0);
            } catch (LibvirtException e) {
                assumeTrue(!e.getMessage().contains("not supported"), "jvirt-vmm has no send-key yet: " + e.getMessage());
                throw e;
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                byte[] greeting = new byte[12];
                new DataInputStream(s.getInputStream()).readFully(greeting);
                assertEquals("RFB 003.008\n", new String(greeting, StandardCharsets.US_ASCII));
            } catch (ConnectException e) {
                assumeTrue(false, "jvirt-vmm does not serve --vnc yet: " + e.getMessage());
            }
            d.destroy();

            // with a password: given through set_password, never shown without the security info
            // the first domain's port was released when it stopped: autoport hands it out again
            Domain p = c.domainDefineXML(xml("vga2", "<graphics type='vnc' autoport='yes' passwd='secret'/>"));
            try {
                p.create();
            } catch (LibvirtException e) {
                assumeTrue(!e.getMessage().contains("set_password is not supported"), "jvirt-vmm has no set_password yet: " + e.getMessage());
                throw e;
            }
            assertTrue(p.getXMLDesc(0).contains("<graphics type='vnc' port='" + port + "' autoport='yes'"), p.getXMLDesc(0));
            assertFalse(p.getXMLDesc(0).contains("secret"));
            assertTrue(p.getXMLDesc(Flags.DomainXml.SECURE).contains("passwd='secret'"));
            try (Socket s = new Socket("127.0.0.1", port)) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                in.readFully(new byte[12]);
                s.getOutputStream().write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
                int count = in.readUnsignedByte();
                byte[] types = new byte[count];
                in.readFully(types);
                assertArrayEquals(new byte[] {2}, types, "VNC authentication only");
            }
            p.destroy();
        } finally {
            for (Domain d : c.listAllDomains(Flags.ListAllDomains.ACTIVE)) d.destroy(); // a failed step leaves no VMM behind
            c.close();
            if (previous == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previous);
        }
    }

    /**
     * Three clients start three autoport displays at once: each start claims its port under the
     * URI lock before its VMM binds it (VncPortClaims), so the three get three ports, each served.
     * Before the claims the starts could choose the same free port and all but one failed at the bind.
     */
    @Test
    void concurrentStartsGetDistinctPorts() throws Exception {
        assumeTrue(Files.exists(JvirtTestSupport.GUESTS.resolve("vga.elf")), "test guests not built (mvn install -pl test-fixtures)");
        String previous = System.setProperty("jvirt.vmm", JvirtTestSupport.vmmScript(root).toString());
        java.util.List<Connect> clients = new java.util.ArrayList<>();
        try {
            java.util.List<Thread> starts = new java.util.ArrayList<>();
            java.util.List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            for (int i = 0; i < 3; i++) {
                Connect c = new Connect("jvirt:///embed?root=" + root);
                clients.add(c);
                Domain d = c.domainDefineXML(xml("race" + i, "<graphics type='vnc' autoport='yes'/>"));
                starts.add(new Thread(() -> {
                    try {
                        d.create();
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            starts.forEach(Thread::start);
            for (Thread t : starts) t.join();
            assertEquals(java.util.List.of(), failures.stream().map(Throwable::getMessage).toList(),
                    () -> "every start succeeds; the host's listeners then:\n" + listeners());
            java.util.Set<Integer> ports = new java.util.TreeSet<>();
            for (int i = 0; i < 3; i++) {
                Matcher m = Pattern.compile("<graphics type='vnc' port='(\\d+)'").matcher(clients.get(0).domainLookupByName("race" + i).getXMLDesc(0));
                assertTrue(m.find());
                int port = Integer.parseInt(m.group(1));
                ports.add(port);
                try (Socket s = new Socket("127.0.0.1", port)) {
                    byte[] greeting = new byte[12];
                    new DataInputStream(s.getInputStream()).readFully(greeting);
                    assertEquals("RFB 003.008\n", new String(greeting, StandardCharsets.US_ASCII), "port " + port);
                }
            }
            assertEquals(3, ports.size(), "three domains, three ports: " + ports);
            assertEquals(java.util.List.of(), Files.list(JvirtPaths.embed(root).runDir()).filter(p -> p.toString().endsWith(".vncport")).toList(), "no claim outlives a start");
        } finally {
            for (Domain d : clients.get(0).listAllDomains(Flags.ListAllDomains.ACTIVE)) d.destroy();
            for (Connect c : clients) c.close();
            if (previous == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previous);
        }
    }

    private static void waitFor(Path serial, String line) throws IOException, InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L * JvirtTestSupport.waitScale();
        while (System.nanoTime() < end) {
            if (Files.exists(serial) && Files.readString(serial).contains(line)) return;
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + line + "' from the guest: " + (Files.exists(serial) ? Files.readString(serial) : "(no output)"));
    }

    /** What listens on TCP now, with its process (ss -ltnp), for a failure's message: who held a port. */
    private static String listeners() {
        try {
            Process p = new ProcessBuilder("ss", "-ltnp").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (Exception e) {
            return "(ss -ltnp: " + e + ")";
        }
    }
}
