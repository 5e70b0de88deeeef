package org.jvirt.xml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jvirt.xml.io.XmlParseException;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Malformed and hostile documents get one clear error, in bounded time and memory. */
class ErrorsAndHostileInputTest {

    @Test
    void tagMismatchIsWordedLikeLibvirt() {
        String malformed = "<domain type='test'>\n  <name>broken</name>\n  <memory unit='MiB'>128</memory>\n"
                + "  <vcpu>1\n  <os><type>hvm</type></os>\n</domain>\n";
        XmlParseException e = assertThrows(XmlParseException.class, () -> DomainXml.parse(malformed));
        // exactly what virsh 9.0 printed for this file (../shared/reference/virsh/test-driver/43-err-define-malformed.txt)
        assertEquals("(domain_definition):6: Opening and ending tag mismatch: vcpu line 4 and domain\n</domain>\n---------^",
                e.getMessage());
        assertEquals(6, e.line());
    }

    @Test
    void otherSyntaxErrorsHaveLineAndColumn() {
        XmlParseException e = assertThrows(XmlParseException.class, () -> DomainXml.parse("<domain type='kvm'>\n  <name a='1' a='2'/>\n</domain>"));
        assertEquals(2, e.line());
        assertTrue(e.column() > 0);
        assertTrue(e.getMessage().startsWith("(domain_definition):2: "), e.getMessage());
    }

    @Test
    void wrongRootIsRefused() {
        XmlParseException e = assertThrows(XmlParseException.class, () -> DomainXml.parse("<network><name>x</name></network>"));
        assertTrue(e.getMessage().contains("unexpected root element <network>"), e.getMessage());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void externalEntitiesAreRefused() {
        String xxe = "<?xml version='1.0'?>\n<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n"
                + "<domain type='kvm'><name>&x;</name></domain>";
        XmlParseException e = assertThrows(XmlParseException.class, () -> DomainXml.parse(xxe));
        assertTrue(e.getMessage().contains("DTDs and entity declarations are not allowed"), e.getMessage());
        assertFalse(e.getMessage().contains("root:"), "nothing of /etc/passwd may leak into the message");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void entityExpansionBombIsRefused() {
        StringBuilder sb = new StringBuilder("<?xml version='1.0'?>\n<!DOCTYPE domain [\n<!ENTITY a0 'lol'>\n");
        for (int i = 1; i < 10; i++) sb.append("<!ENTITY a").append(i).append(" '").append(("&a" + (i - 1) + ";").repeat(10)).append("'>\n");
        sb.append("]>\n<domain type='kvm'><name>&a9;</name></domain>");
        XmlParseException e = assertThrows(XmlParseException.class, () -> DomainXml.parse(sb.toString()));
        assertTrue(e.getMessage().contains("not allowed"), e.getMessage());
    }

    @Test
    void undeclaredEntityIsAnError() {
        XmlParseException e = assertThrows(XmlParseException.class, () -> DomainXml.parse("<domain type='kvm'><name>&x;</name></domain>"));
        assertTrue(e.getMessage().contains("x"), e.getMessage());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void documentsOverTenMiBAreRefused() {
        String big = "<domain type='kvm'><description>" + "x".repeat(10 * 1024 * 1024) + "</description></domain>";
        XmlParseException e = assertThrows(XmlParseException.class, () -> DomainXml.parse(big));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void deepNestingIsRefused() {
        int depth = 100_000;
        String deep = "<domain type='kvm'><metadata>" + "<a>".repeat(depth) + "</a>".repeat(depth) + "</metadata></domain>";
        XmlParseException e = assertThrows(XmlParseException.class, () -> DomainXml.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper than 256"), e.getMessage());
    }

    @Test
    void emptyInputIsAnError() {
        assertThrows(XmlParseException.class, () -> DomainXml.parse(""));
    }
}
