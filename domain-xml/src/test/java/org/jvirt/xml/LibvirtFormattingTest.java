package org.jvirt.xml;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.Disk;
import org.jvirt.xml.domain.devices.DiskTarget;

import java.nio.file.Files;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Output formatted the way libvirt formats it, and what libvirt keeps (metadata comments) kept. */
class LibvirtFormattingTest {

    /** libvirt's own formatted output (what virsh dumpxml prints) must come back byte for byte. */
    @TestFactory
    Stream<DynamicTest> libvirtFormattedFilesComeBackByteForByte() throws Exception {
        return SharedFixtures.manifest().stream()
                .filter(e -> e.path().contains("xml2xmlout") || e.path().contains("virsh-test-driver"))
                .map(e -> DynamicTest.dynamicTest(e.path(), () -> {
                    String original = Files.readString(e.file());
                    assertEquals(original, RoundTrip.of(e.kind(), original));
                }));
    }

    private static final String WITH_COMMENTS = """
            <domain type='kvm' xmlns:my='urn:my'>
              <name>c</name>
              <metadata>
                <app:info xmlns:app="urn:app" b="2" a="1"><!-- kept by libvirt --><app:x/></app:info>
              </metadata>
              <devices>
                <!-- dropped by libvirt -->
                <disk type='file' device='disk'>
                  <target dev='vda' bus='virtio'/>
                </disk>
              </devices>
              <my:thing z='1' y='2'/>
            </domain>
            """;

    @Test
    void commentsInsideMetadataSurviveOthersAreDroppedAsLibvirtDoes() throws Exception {
        String out = DomainXml.format(DomainXml.parse(WITH_COMMENTS));
        // metadata content is written as libxml2's xmlNodeDump (which libvirt uses) writes it
        assertTrue(out.contains("""
                  <metadata>
                    <app:info xmlns:app="urn:app" b="2" a="1">
                      <!-- kept by libvirt -->
                      <app:x/>
                    </app:info>
                  </metadata>
                """), out);
        assertFalse(out.contains("dropped by libvirt"), out);
        assertTrue(out.startsWith("<domain type='kvm' xmlns:my='urn:my'>\n"), out);
        assertTrue(out.contains("\n  <my:thing z='1' y='2'/>\n"), "untyped attributes keep their order: " + out);
    }

    @Test
    void changesMadeInCodeAreWrittenWhereLibvirtPutsThem() throws Exception {
        Domain d = DomainXml.parse(WITH_COMMENTS);
        d.setTitle("a title");
        d.setDescription("text with <special> & 'quotes'");
        d.getMemory();
        Disk disk = d.getDevices().getDisks().get(0);
        DiskTarget t = disk.getTarget();
        t.setBus("sata");
        t.setDev("sda");
        String out = DomainXml.format(d);
        assertTrue(out.contains("  <name>c</name>\n  <title>a title</title>\n  <description>text with &lt;special&gt; &amp; &apos;quotes&apos;</description>\n  <metadata>"), out);
        assertTrue(out.contains("<target dev='sda' bus='sata'/>"), out);
        Domain again = DomainXml.parse(out);
        assertEquals("text with <special> & 'quotes'", again.getDescription());
        assertEquals("sda", again.getDevices().getDisks().get(0).getTarget().getDev());
    }

    @Test
    void aDomainBuiltInCodeIsFormattedLikeLibvirt() throws Exception {
        Domain d = new Domain();
        d.setType("kvm");
        d.setName("built");
        d.setUuid("6695eb01-f6a4-8304-79aa-97f2502e193f");
        d.childOrCreate(org.jvirt.xml.domain.Memory.class, org.jvirt.xml.domain.Memory::new).setBytes(256L << 20);
        d.setOnPoweroff("destroy");
        assertEquals("""
                <domain type='kvm'>
                  <name>built</name>
                  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
                  <memory unit='KiB'>262144</memory>
                  <on_poweroff>destroy</on_poweroff>
                </domain>
                """, DomainXml.format(d));
    }
}
