package org.jvirt.rpc.tls;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class DnAllowListTest {
    // as a certificate made by certtool holds it: C first; X500Principal takes RFC 2253 order (CN first)
    private static final X500Principal CLIENT = new X500Principal("CN=client1,O=Red Hat,L=London,ST=London,C=GB");

    @Test
    void matchesTheGnutlsDnWithGlobs() {
        assertEquals("C=GB,ST=London,L=London,O=Red Hat,CN=client1", GnutlsDn.of(CLIENT));
        assertTrue(DnAllowList.permits(List.of("C=GB,ST=London,L=London,O=Red Hat,CN=client1"), CLIENT));
        assertTrue(DnAllowList.permits(List.of("C=GB,ST=London,L=London,O=Red Hat,CN=*"), CLIENT));
        assertTrue(DnAllowList.permits(List.of("nope", "*CN=client?"), CLIENT));
        assertTrue(DnAllowList.permits(List.of("*"), CLIENT));
        assertFalse(DnAllowList.permits(List.of("C=GB,ST=London,L=London,O=Red Hat,CN=client"), CLIENT)); // whole DN
        assertFalse(DnAllowList.permits(List.of("c=gb,*"), CLIENT)); // case-sensitive
        assertFalse(DnAllowList.permits(List.of("CN=client1,O=Red Hat,L=London,ST=London,C=GB"), CLIENT)); // RFC 4514 order
        assertFalse(DnAllowList.permits(List.of("C=GB,ST=London,L=London,O=Red Hat,CN=client1?"), CLIENT));
    }

    @Test
    void unsetListAllowsAllAndEmptyListAllowsNoneAsInLibvirtd() {
        assertTrue(DnAllowList.permits(null, CLIENT));
        assertFalse(DnAllowList.permits(List.of(), CLIENT));
    }

    @Test
    void globIsGlibsSimplePattern() {
        assertTrue(DnAllowList.matches("a*b*c", "aXXbYYc"));
        assertTrue(DnAllowList.matches("a**c", "ac"));
        assertFalse(DnAllowList.matches("a*b", "aXXbY"));
        assertTrue(DnAllowList.matches("[ab]", "[ab]")); // no character classes
        assertTrue(DnAllowList.matches("\\*", "\\anything")); // no escapes
        assertTrue(DnAllowList.matches("?", "é"));
    }
}
