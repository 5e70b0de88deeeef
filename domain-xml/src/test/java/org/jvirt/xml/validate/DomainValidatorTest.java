package org.jvirt.xml.validate;

import org.junit.jupiter.api.Test;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.validate.InvalidDomainException.Kind;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each refusal in libvirt's words: the expected messages are what virsh 9.0 printed for
 * {@code define} of the same document on test:///default (golden transcripts under
 * virsh-compat/src/test/golden/transcripts/validation).
 */
class DomainValidatorTest {

    private static String domain(String memory, String vcpu) {
        return "<domain type='test'>\n  <name>v</name>\n  " + memory + "\n  " + vcpu
                + "\n  <os>\n    <type arch='x86_64'>hvm</type>\n  </os>\n</domain>\n";
    }

    private static InvalidDomainException refused(String xml) {
        return assertThrows(InvalidDomainException.class, () -> DomainValidator.check(DomainXml.parse(xml)));
    }

    private static void assertRefused(String message, Kind kind, String xml) {
        InvalidDomainException e = refused(xml);
        assertEquals(message, e.getMessage());
        assertEquals(kind, e.kind());
    }

    @Test
    void aGoodDomainPasses() throws Exception {
        DomainValidator.check(DomainXml.parse(domain("<memory unit='MiB'>64</memory>", "<vcpu current='1'>2</vcpu>")));
        DomainValidator.check(DomainXml.parse(domain("<uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid><memory>1</memory>", "")));
    }

    @Test
    void aNumberThatIsNotOneIsAnXmlError() {
        assertRefused("XML error: Invalid value '2x' for element or attribute './memory[1]'", Kind.XML_ERROR,
                domain("<memory unit='MiB'>2x</memory>", "<vcpu>1</vcpu>"));
        assertRefused("XML error: Invalid value '-1' for element or attribute './currentMemory[1]'", Kind.XML_ERROR,
                domain("<memory>65536</memory><currentMemory>-1</currentMemory>", "<vcpu>1</vcpu>"));
    }

    @Test
    void twentyDigitsDoNotFitLibvirtsUnsignedLong() {
        assertRefused("XML error: Invalid value '99999999999999999999' for element or attribute './memory[1]'",
                Kind.XML_ERROR, domain("<memory>99999999999999999999</memory>", "<vcpu>1</vcpu>"));
    }

    @Test
    void anAmountOverLlongMaxBytesOverflows() {
        assertRefused("numerical overflow: value too large: 16EiB", Kind.OVERFLOW,
                domain("<memory unit='EiB'>16</memory>", "<vcpu>1</vcpu>"));
        assertRefused("numerical overflow: value too large: 99999999999999999", Kind.OVERFLOW,
                domain("<memory>99999999999999999</memory>", "<vcpu>1</vcpu>"));
    }

    @Test
    void anUnknownUnitIsAnInvalidArgument() {
        assertRefused("invalid argument: unknown suffix 'furlong'", Kind.INVALID_ARG,
                domain("<memory unit='furlong'>2</memory>", "<vcpu>1</vcpu>"));
    }

    @Test
    void zeroMemoryIsRefusedAfterParsing() {
        assertRefused("XML error: Memory size must be specified via <memory> or in the <numa> configuration",
                Kind.XML_ERROR, domain("<memory>0</memory>", "<vcpu>1</vcpu>"));
        // 1023 bytes round down to 0 KiB, as libvirt stores it
        assertRefused("XML error: Memory size must be specified via <memory> or in the <numa> configuration",
                Kind.XML_ERROR, domain("<memory unit='b'>1023</memory>", "<vcpu>1</vcpu>"));
        // a parse error of <vcpu> comes first: the zero check is post-parse
        assertEquals(Kind.XML_ERROR, refused(domain("<memory>0</memory>", "<vcpu>two</vcpu>")).kind());
        assertTrue(refused(domain("<memory>0</memory>", "<vcpu>two</vcpu>")).getMessage().contains("vcpus"));
    }

    @Test
    void vcpuCountsMustBeIntegers() {
        assertRefused("XML error: maximum vcpus count must be an integer", Kind.XML_ERROR,
                domain("<memory>65536</memory>", "<vcpu>two</vcpu>"));
        assertRefused("XML error: maximum vcpus count must be an integer", Kind.XML_ERROR,
                domain("<memory>65536</memory>", "<vcpu>-4</vcpu>"));
        assertRefused("XML error: maximum vcpus count must be an integer", Kind.XML_ERROR,
                domain("<memory>65536</memory>", "<vcpu>4294967296</vcpu>"));
        assertRefused("XML error: Invalid value for attribute 'current' in element 'vcpu': 'x'. "
                + "Expected non-negative integer value", Kind.XML_ERROR,
                domain("<memory>65536</memory>", "<vcpu current='x'>2</vcpu>"));
    }

    @Test
    void currentVcpusMustNotExceedTheMaximum() {
        assertRefused("unsupported configuration: maximum vCPU count must not be less than current vCPU count",
                Kind.CONFIG_UNSUPPORTED, domain("<memory>65536</memory>", "<vcpu current='4'>2</vcpu>"));
    }

    @Test
    void zeroVcpusIsRefusedAsLibvirtDoes() {
        assertRefused("internal error: CPU IDs in <numa> exceed the <vcpu> count", Kind.INTERNAL_ERROR,
                domain("<memory>65536</memory>", "<vcpu>0</vcpu>"));
    }

    @Test
    void aMalformedUuidIsAnInternalError() {
        assertRefused("internal error: malformed uuid element", Kind.INTERNAL_ERROR,
                domain("<uuid>not-a-uuid</uuid><memory>65536</memory>", "<vcpu>1</vcpu>"));
        // checked before memory, as libvirt reads the uuid first
        assertEquals(Kind.INTERNAL_ERROR, refused(domain("<uuid>x</uuid><memory>2x</memory>", "")).kind());
    }

    private static String withDevices(String extra) {
        return "<domain type='test'><name>v</name><memory>1024</memory><os><type>hvm</type></os>" + extra + "</domain>";
    }

    @Test
    void checksComeInLibvirtsOrder() {
        assertRefused("missing name information", Kind.NO_NAME, "<domain><uuid>bad</uuid></domain>");
        assertRefused("internal error: malformed uuid element", Kind.INTERNAL_ERROR,
                "<domain><name>v</name><uuid>bad</uuid></domain>");
        assertRefused("internal error: missing domain type attribute", Kind.INTERNAL_ERROR,
                "<domain><name>v</name><memory>2x</memory></domain>");
        assertRefused("unsupported configuration: invalid domain type KVM", Kind.CONFIG_UNSUPPORTED,
                "<domain type='KVM'><name>v</name></domain>");
        assertRefused("XML error: an os <type> must be specified", Kind.XML_ERROR,
                "<domain type='kvm'><name>v</name><vcpu>0</vcpu></domain>");
        assertRefused("unsupported configuration: unknown OS type 'HVM'", Kind.CONFIG_UNSUPPORTED,
                "<domain type='kvm'><name>v</name><os><type>HVM</type></os></domain>");
        assertRefused("internal error: CPU IDs in <numa> exceed the <vcpu> count", Kind.INTERNAL_ERROR,
                "<domain type='kvm'><name>v</name><os><type>hvm</type></os><vcpu>0</vcpu></domain>");
    }

    @Test
    void cpuTopologyValuesAreCheckedInOrder() {
        assertRefused("XML error: Invalid value for attribute 'sockets' in element 'topology': 'x'. Expected non-negative integer value",
                Kind.XML_ERROR, withDevices("<cpu><topology sockets='x' cores='0' threads='1'/></cpu>"));
        assertRefused("XML error: Invalid value for attribute 'cores' in element 'topology': Zero is not permitted",
                Kind.XML_ERROR, withDevices("<cpu><topology sockets='1' cores='0' threads='x'/></cpu>"));
        assertRefused("XML error: Missing required attribute 'sockets' in element 'topology'",
                Kind.XML_ERROR, withDevices("<cpu><topology cores='2'/></cpu>"));
        assertRefused("XML error: Invalid value for attribute 'sockets' in element 'topology': '4294967296'. Expected non-negative integer value",
                Kind.XML_ERROR, withDevices("<cpu><topology sockets='4294967296' cores='1' threads='1'/></cpu>"));
    }

    @Test
    void disksAreCheckedAsLibvirtParsesThem() {
        assertRefused("XML error: Invalid value for attribute 'bus' in element 'target': 'foo'.", Kind.XML_ERROR,
                withDevices("<devices><disk type='file'><driver type='qcow9'/><source file='/a'/><target bus='foo'/></disk></devices>"));
        assertRefused("unsupported configuration: unknown driver format value 'qcow9'", Kind.CONFIG_UNSUPPORTED,
                withDevices("<devices><disk type='file'><driver type='qcow9'/><source file='/a'/><target dev='vd!'/></disk></devices>"));
        assertRefused("missing target information for device /a", Kind.NO_TARGET,
                withDevices("<devices><disk type='file'><source file='/a'/><target bus='virtio'/></disk></devices>"));
        assertRefused("XML error: Unknown disk name 'vda1a' and no address specified", Kind.XML_ERROR,
                withDevices("<devices><disk type='file'><source file='/a'/><target dev='vda1a'/></disk></devices>"));
        assertRefused("missing source information for device vda", Kind.NO_SOURCE,
                withDevices("<devices><disk type='file'><target dev='vda'/></disk><disk type='file'><source file='/b'/><target dev='vdb'/></disk><disk type='file'><source file='/c'/><target dev='vdb'/></disk></devices>"));
        assertRefused("XML error: target 'vdb' duplicated for disk sources '/b' and '/c'", Kind.XML_ERROR,
                withDevices("<devices><disk type='file'><source file='/b'/><target dev='vdb'/></disk><disk type='file'><source file='/c'/><target dev='vdb'/></disk></devices>"));
    }
}
