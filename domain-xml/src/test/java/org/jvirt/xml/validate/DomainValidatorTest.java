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
}
