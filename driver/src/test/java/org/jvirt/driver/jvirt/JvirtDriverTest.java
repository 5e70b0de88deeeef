package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jvirt driver's persistence and errors: no VM is started here. */
class JvirtDriverTest {

    @TempDir
    Path root;

    private String uri() {
        return "jvirt:///embed?root=" + root;
    }

    @Test
    void defineKeepsANormalizedConfigThatANewConnectionSees() throws Exception {
        { Connect c = new Connect(uri());
            Domain d = c.domainDefineXML(JvirtTestSupport.domainXml("web", "ticker"));
            assertEquals(-1, d.getID());
            assertTrue(Files.exists(root.resolve("config/web.xml")));
        }
        { Connect c = new Connect(uri());
            Domain d = c.domainLookupByName("web");
            String xml = d.getXMLDesc(0);
            assertTrue(xml.contains("<memory unit='KiB'>65536</memory>"), xml);
            assertTrue(xml.contains("<vcpu placement='static'>1</vcpu>"), xml);
            assertTrue(xml.contains("<on_reboot>restart</on_reboot>"), xml);
            assertTrue(xml.contains("<uuid>" + d.getUUIDString() + "</uuid>"), xml);
            assertEquals("shut off", d.getInfo().state == org.jvirt.driver.api.DomainInfo.DomainState.VIR_DOMAIN_SHUTOFF ? "shut off" : "?");
            assertEquals(1, c.listAllDomains(0).length);
            d.undefine();
            assertEquals(0, c.listAllDomains(0).length);
        }
    }

    /**
     * The devices jvirt emulates as QEMU's PC does come out of define as libvirt's qemu driver
     * writes them: the serial/console part of real virsh's dumpxml after define
     * (../shared/reference/virsh/qemu-driver/03-dumpxml-after-define.txt of files/lvref.xml).
     */
    @Test
    void serialAndConsoleAreNormalizedAsLibvirtsQemuDriverDoes() throws Exception {
        Path ref = Path.of(System.getProperty("jvirt.shared", "../shared"), "reference/virsh/qemu-driver");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(ref), "skipped: no ../shared/reference/virsh beside the clone");
        String transcript = Files.readString(ref.resolve("03-dumpxml-after-define.txt"));
        String expected = transcript.substring(transcript.indexOf("    <serial type='pty'>"), transcript.indexOf("    <input "));
        { Connect c = new Connect(uri());
            Domain d = c.domainDefineXML(Files.readString(ref.resolve("files/lvref.xml")));
            String xml = d.getXMLDesc(0);
            assertTrue(xml.contains(expected), "expected\n" + expected + "\nin\n" + xml);
            String head = transcript.substring(transcript.indexOf("  <memory unit"), transcript.indexOf("    <type arch"));
            assertTrue(xml.contains(head), xml);
        }
    }

    @Test
    void sameNameWithAnotherUuidFailsAsLibvirt() throws Exception {
        { Connect c = new Connect(uri());
            Domain d = c.domainDefineXML(JvirtTestSupport.domainXml("web", "ticker"));
            String other = JvirtTestSupport.domainXml("web", "ticker").replace("<name>web</name>",
                    "<name>web</name>\n  <uuid>11111111-2222-3333-4444-555555555555</uuid>");
            LibvirtException e = assertThrows(LibvirtException.class, () -> c.domainDefineXML(other));
            assertEquals(ErrorNumber.VIR_ERR_OPERATION_FAILED, e.code());
            assertEquals("operation failed: domain 'web' already exists with uuid " + d.getUUIDString(), e.getMessage());
        }
    }

    /**
     * qemu-xhci's ports are checked at define, in the words a real libvirtd 9.0 (qemu:///session,
     * Debian 12, by hand on 2026-12-06) gave for ports='16' and ports='abc'; ports='15' defines.
     */
    @Test
    void xhciPortsAreCheckedAtDefineAsLibvirt() throws Exception {
        Connect c = new Connect(uri());
        String base = JvirtTestSupport.domainXml("usb", "ticker");
        java.util.function.Function<String, String> withPorts = p -> base.replace("</devices>",
                "<controller type='usb' model='qemu-xhci' ports='" + p + "'/><input type='tablet' bus='usb'/></devices>");
        LibvirtException tooMany = assertThrows(LibvirtException.class, () -> c.domainDefineXML(withPorts.apply("16")));
        assertEquals(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, tooMany.code());
        assertEquals("unsupported configuration: 'qemu-xhci' controller only supports up to '15' ports", tooMany.getMessage());
        LibvirtException notANumber = assertThrows(LibvirtException.class, () -> c.domainDefineXML(withPorts.apply("abc")));
        assertEquals(ErrorNumber.VIR_ERR_XML_ERROR, notANumber.code());
        assertEquals("XML error: Invalid value for attribute 'ports' in element 'controller': 'abc'. Expected integer value", notANumber.getMessage());
        assertEquals(0, c.listAllDomains(0).length, "nothing stored");
        assertTrue(c.domainDefineXML(withPorts.apply("15")).getXMLDesc(0).contains("model='qemu-xhci' ports='15'"));
    }

    @Test
    void unsupportedConfigurationsAreClearErrors() throws Exception {
        // the VMM from this class path, not the tree's bin/jvirt-vmm (which needs a packaged build); set before the connection opens
        String previous = System.setProperty("jvirt.vmm", JvirtTestSupport.vmmScript(root).toString());
        try { Connect c = new Connect(uri());
            LibvirtException t = assertThrows(LibvirtException.class,
                    () -> c.domainDefineXML(JvirtTestSupport.domainXml("x", "ticker", "test")));
            assertEquals("unsupported configuration: Emulator 'jvirt-vmm' does not support virt type 'test'", t.getMessage());
            // type='qemu' runs on jvirt's CPU emulator: no KVM needed
            Domain q = c.domainDefineXML(JvirtTestSupport.domainXml("q", "ticker", "qemu"));
            q.create();
            assertEquals(1, q.isActive());
            q.destroy();
            assertEquals(0, q.isActive());
            Domain disk = c.domainDefineXML(JvirtTestSupport.domainXml("d", "ticker").replace("<devices>",
                    "<devices>\n    <disk type='file' device='disk'>\n      <driver name='qemu' type='vmdk'/>\n"
                            + "      <source file='/tmp/x.vmdk'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>"));
            LibvirtException de = assertThrows(LibvirtException.class, disk::create);
            // checked before /dev/kvm is, so with or without KVM
            assertEquals("unsupported configuration: jvirt-vmm cannot provide: disk 'vda' (format vmdk)", de.getMessage());
            Domain bad = c.domainDefineXML(JvirtTestSupport.domainXml("b", "ticker").replace("ticker.elf", "no-such.elf"));
            LibvirtException be = assertThrows(LibvirtException.class, bad::create);
            assertTrue(be.getMessage().startsWith("unable to stat: "), be.getMessage()); // kvm where usable, else qemu: a runnable type
        } finally {
            if (previous == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previous);
        }
        LibvirtException noRoot = assertThrows(LibvirtException.class, () -> new Connect("jvirt:///embed"));
        assertEquals(ErrorNumber.VIR_ERR_INVALID_ARG, noRoot.code());
    }

    @Test
    void killingADefiningClientLeavesTheOldOrTheNewConfigNeverABrokenOne() throws Exception {
        Path xml = root.resolve("in.xml");
        // a fixed uuid: without one every define would make a new uuid and clash with the name
        Files.writeString(xml, JvirtTestSupport.domainXml("loop", "ticker")
                .replace("<name>loop</name>", "<name>loop</name>\n  <uuid>0b9f1a9e-5c1d-4d7e-9a35-0d6c8f1e2a47</uuid>"));
        String u = uri();
        for (int round = 0; round < 3; round++) {
            Process p = JvirtTestSupport.child("define-loop", u, xml, root.resolve("unused"));
            Thread.sleep(50 + round * 150L);
            JvirtTestSupport.kill9(p);
            Path cfg = root.resolve("config/loop.xml");
            String text = Files.readString(cfg);
            assertTrue(text.endsWith("</domain>\n"), "torn config after kill -9:\n" + text);
            { Connect c = new Connect(u);
                String got = c.domainLookupByName("loop").getXMLDesc(0);
                assertTrue(got.contains("<description>round "), got);
            }
            try (var tmp = Files.list(root.resolve("config"))) {
                // a temp file may be left by the kill; it is never the config itself
                tmp.forEach(f -> assertTrue(f.getFileName().toString().equals("loop.xml") || f.getFileName().toString().startsWith("."), f.toString()));
            }
        }
    }
}
