package org.jvirt.driver.libvirtjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * libvirt-java is the reference API (issue 4, item 9): the same scenario through libvirt-java
 * 0.5.3 on real libvirt's test:///default and through jvirt's API on jvirt's test:///default
 * must see the same names, states, info fields, XML and error codes and messages.
 */
class LibvirtJavaReferenceTest {

    /** Loads libvirt.so.0 through libvirt-java; the reason it cannot, or null. */
    static String libvirtUnavailable() {
        try {
            Class.forName("org.libvirt.jna.Libvirt", true, LibvirtJavaReferenceTest.class.getClassLoader());
            return null;
        } catch (Throwable t) {
            return "libvirt-java cannot load libvirt.so.0 (install Debian's libvirt0): " + t;
        }
    }

    @Test
    void jvirtApiSeesWhatLibvirtJavaSees() throws Exception {
        String why = libvirtUnavailable();
        assumeTrue(why == null, why);
        List<String> reference;
        try (ReferenceApi api = new LibvirtJavaApi("test:///default")) {
            reference = Scenario.run(api);
        }
        List<String> ours;
        try (ReferenceApi api = new JvirtApi("test:///default")) {
            ours = Scenario.run(api);
        }
        // the scenario must have exercised what it claims: both outcomes and errors
        String all = String.join("\n", reference);
        assertTrue(all.contains("state=VIR_DOMAIN_PAUSED"), all);
        assertTrue(all.contains("error VIR_ERR_NO_DOMAIN (42)"), all);
        assertTrue(all.contains("error VIR_ERR_OPERATION_INVALID (55)"), all);
        assertEquals(String.join("\n", reference), String.join("\n", ours));
    }
}
