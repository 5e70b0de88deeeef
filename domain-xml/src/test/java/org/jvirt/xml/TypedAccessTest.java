package org.jvirt.xml;

import org.junit.jupiter.api.Test;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.Disk;
import org.jvirt.xml.domain.devices.Interface;
import org.jvirt.xml.io.SecureXml;
import org.w3c.dom.Element;

import static org.junit.jupiter.api.Assertions.*;

/** The typed model reads what the driver and the engine need, from a real-world shape. */
class TypedAccessTest {

    private static final String XML = """
            <domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
              <name>web</name>
              <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
              <metadata>
                <app:info xmlns:app="urn:app">x</app:info>
              </metadata>
              <memory unit='GiB'>2</memory>
              <currentMemory unit='MiB'>1024</currentMemory>
              <vcpu placement='static' current='1'>2</vcpu>
              <os>
                <type arch='x86_64' machine='pc'>hvm</type>
                <kernel>/boot/vmlinuz</kernel>
                <initrd>/boot/initrd.img</initrd>
                <cmdline>console=ttyS0</cmdline>
                <boot dev='hd'/>
              </os>
              <features><acpi/><apic/><hyperv mode='custom'/></features>
              <cpu mode='custom' match='exact'><model fallback='allow'>qemu64</model><topology sockets='1' dies='1' cores='2' threads='1'/></cpu>
              <clock offset='utc'><timer name='rtc' tickpolicy='catchup'/></clock>
              <on_poweroff>destroy</on_poweroff>
              <on_reboot>restart</on_reboot>
              <on_crash>destroy</on_crash>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw'/>
                  <source file='/var/lib/images/web.img'/>
                  <target dev='vda' bus='virtio'/>
                  <readonly/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/>
                </disk>
                <interface type='bridge'>
                  <mac address='52:54:00:12:34:56'/>
                  <source bridge='br0'/>
                  <model type='virtio'/>
                </interface>
                <serial type='pty'><target port='0'/></serial>
                <console type='pty'><target type='serial' port='0'/></console>
              </devices>
              <qemu:commandline><qemu:arg value='-no-hpet'/></qemu:commandline>
            </domain>
            """;

    @Test
    void readsWhatTheDriverAndEngineUse() throws Exception {
        Domain d = DomainXml.parse(XML);
        assertEquals("kvm", d.getType());
        assertEquals("web", d.getName());
        assertEquals(2L << 30, d.getMemory().bytes());
        assertEquals(1024L << 20, d.getCurrentMemory().bytes());
        assertEquals("2", d.getVcpu().trimmed());
        assertEquals("1", d.getVcpu().getCurrent());
        assertEquals("x86_64", d.getOs().getType().getArch());
        assertEquals("/boot/vmlinuz", d.getOs().getKernel());
        assertEquals("console=ttyS0", d.getOs().getCmdline());
        assertEquals("hd", d.getOs().getBootDevices().get(0).getDev());
        assertTrue(d.getFeatures().has("acpi") && d.getFeatures().has("hyperv") && !d.getFeatures().has("pae"));
        assertEquals("2", d.getCpu().getTopology().getCores());
        assertEquals("qemu64", d.getCpu().getModel().trimmed());
        assertEquals("catchup", d.getClock().getTimers().get(0).getTickpolicy());
        assertEquals("restart", d.getOnReboot());
        Disk disk = d.getDevices().getDisks().get(0);
        assertEquals("raw", disk.getDriver().getType());
        assertEquals("/var/lib/images/web.img", disk.getSource().getFile());
        assertNotNull(disk.getReadonlyMarker());
        assertEquals("0x04", disk.getAddress().getSlot());
        Interface nic = d.getDevices().getInterfaces().get(0);
        assertEquals("52:54:00:12:34:56", nic.getMac().getAddress());
        assertEquals("br0", nic.getSource().getBridge());
        assertEquals("pty", d.getDevices().getSerials().get(0).getType());
        assertEquals("serial", d.getDevices().getConsoles().get(0).getTarget().getType());
        assertEquals("urn:app", d.getMetadata().element("urn:app").getNamespaceURI());
        assertEquals(1, d.unknownChildren().size(), "qemu:commandline is kept as DOM");
    }

    @Test
    void metadataElementsAreSetPerNamespace() throws Exception {
        Domain d = DomainXml.parse(XML);
        Element e = SecureXml.documentBuilder().newDocument().createElementNS("urn:app", "app:info");
        e.setAttribute("v", "2");
        d.getMetadata().setElement("urn:app", e);
        String out = DomainXml.format(d);
        assertTrue(out.contains("<app:info xmlns:app=\"urn:app\" v=\"2\"/>"), out);
        d.getMetadata().setElement("urn:app", null);
        assertNull(DomainXml.parse(DomainXml.format(d)).getMetadata().element("urn:app"));
    }
}
