package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What start hands the VMM for settings it provides without a device: a null serial, local time. */
class StartedAsAskedKvmTest {

    @TempDir
    Path root;

    private List<String> startAndRead(String xml, String what) throws Exception {
        assumeTrue(Files.exists(JvirtTestSupport.GUESTS.resolve("ticker.elf")), "test guests not built (make -C test-fixtures/guests)");
        String previous = System.setProperty("jvirt.vmm", JvirtTestSupport.vmmScript(root).toString());
        try {
            Connect c = new Connect("jvirt:///embed?root=" + root);
            Domain d = c.domainDefineXML(xml);
            d.create();
            try {
                assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getInfo().state);
                long pid = Long.parseLong(Files.readString(JvirtPaths.embed(root).pidFile(d.getName())).trim());
                return Arrays.asList(Files.readString(Path.of("/proc/" + pid + "/" + what)).split("\0"));
            } finally {
                d.destroy();
            }
        } finally {
            if (previous == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previous);
        }
    }

    @Test
    void aNullSerialDiscardsWhatTheGuestWritesInsteadOfLoggingIt() throws Exception {
        String xml = JvirtTestSupport.domainXml("nul", "ticker").replace("<serial type='pty'>", "<serial type='null'>")
                .replaceAll("(?s)<console.*</console>", "");
        List<String> cmdline = startAndRead(xml, "cmdline");
        int i = cmdline.indexOf("--serial");
        assertTrue(i > 0, cmdline.toString());
        assertEquals("file:/dev/null", cmdline.get(i + 1));
    }

    @Test
    void localTimeLeavesTheVmmInTheHostsZone() throws Exception {
        String xml = JvirtTestSupport.domainXml("lt", "ticker").replace("</os>", "</os>\n  <clock offset='localtime'/>");
        List<String> env = startAndRead(xml, "environ");
        String own = System.getenv("TZ");
        assertFalse(own == null ? env.stream().anyMatch(e -> e.startsWith("TZ=")) : !env.contains("TZ=" + own), env.toString());
    }
}
