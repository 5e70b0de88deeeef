package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Domain XML as virt-install and libvirtd write it (../shared/fixtures/virt-install): start of
 * each either runs or names, in one error, everything jvirt-vmm lacks, as the tests read it
 * from the XML themselves (LackingFromXml). The refusal comes before any VMM is spawned, so
 * it needs no KVM; the runnable variant does.
 */
class VirtInstallFixturesTest {

    private static final Pattern LIBVIRT_PATH = Pattern.compile("/var/lib/libvirt/[^<'\"]+");
    private static final String PREFIX = "unsupported configuration: jvirt-vmm cannot provide: ";

    @TempDir
    Path root;

    private static Path fixtures() {
        return Path.of(System.getProperty("jvirt.shared", "../shared"), "fixtures", "virt-install");
    }

    /** The fixture with its /var/lib/libvirt paths moved under dir, where those files are made. */
    private static String localize(Path fixture, Path dir) throws Exception {
        String xml = Files.readString(fixture);
        Matcher m = LIBVIRT_PATH.matcher(xml);
        while (m.find()) {
            Path local = Path.of(dir + m.group());
            Files.createDirectories(local.getParent());
            if (!Files.exists(local)) {
                // an image the VMM can open: qcow2 where the name says so, raw bytes otherwise
                if (local.toString().endsWith(".qcow2")) org.jvirt.vmm.block.qcow2.Qcow2Create.create(local, 1 << 20, 3, 16, null, null);
                else Files.write(local, new byte[4096]);
            }
        }
        return xml.replace("/var/lib/libvirt/", dir + "/var/lib/libvirt/");
    }

    @TestFactory
    Stream<DynamicTest> startRunsOrNamesAllThatIsLackingInOneError() throws Exception {
        assumeTrue(Files.isDirectory(fixtures()), "skipped: no ../shared/fixtures/virt-install beside the clone");
        List<Path> files;
        try (Stream<Path> s = Files.list(fixtures())) {
            files = s.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> startOne(f)));
    }

    private void startOne(Path fixture) throws Exception {
        Path dir = root.resolve(fixture.getFileName().toString());
        String xml = localize(fixture, dir);
        List<String> expected = new ArrayList<>(LackingFromXml.refusals(LackingFromXml.parse(xml)));
        Connect c = new Connect("jvirt:///embed?root=" + dir);
        if (expected.isEmpty()) {
            // nothing lacking: it runs, with the test guest for its kernel (the fixture's is not here), and without its
            // interfaces, whose network this embed root lacks (JvirtVirtInstallNetworkTest starts them on one);
            // without a usable /dev/kvm, on the emulator, every device as the XML has it: type='qemu' and no
            // host-passthrough CPU (KVM's alone), as virt-install writes it on a host without KVM
            if (!JvirtTestSupport.kvmUsable()) {
                xml = xml.replaceFirst("<domain type=(['\"])kvm\\1", "<domain type=$1qemu$1")
                        .replaceAll("(?s)\\s*<cpu mode=(['\"])host-passthrough\\1[^>]*?(/>|>.*?</cpu>)", "");
            }
            Domain d = c.domainDefineXML(xml.replaceAll("<kernel>[^<]*</kernel>", "<kernel>" + JvirtTestSupport.GUESTS.resolve("ticker.elf") + "</kernel>")
                    .replaceAll("\\s*<initrd>[^<]*</initrd>", "").replaceAll("(?s)\\s*<interface .*?</interface>", ""));
            String previous = System.setProperty("jvirt.vmm", JvirtTestSupport.vmmScript(Files.createDirectories(dir)).toString());
            try {
                d.create();
                assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getInfo().state);
                d.destroy();
            } finally {
                if (previous == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previous);
            }
            return;
        }
        Domain d = c.domainDefineXML(xml);
        LibvirtException e = assertThrows(LibvirtException.class, d::create);
        assertEquals(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, e.code(), e.getMessage());
        assertTrue(e.getMessage().startsWith(PREFIX), e.getMessage());
        List<String> got = new ArrayList<>(Arrays.asList(e.getMessage().substring(PREFIX.length()).split("; ")));
        expected.sort(null);
        got.sort(null);
        assertEquals(expected, got, e.getMessage());
        // refused before a VMM was spawned: nothing started, nothing written for one
        assertEquals(DomainState.VIR_DOMAIN_SHUTOFF, d.getInfo().state);
        Path log = JvirtPaths.embed(dir).log(d.getName());
        assertFalse(Files.exists(log) && Files.readString(log).contains("starting up"), "a VMM was started: " + log);
    }

    /**
     * direct-kernel.defined.xml with the one thing it lacks made right (its qcow2 IDE disk as a
     * raw virtio disk, the test guest as kernel) runs, with libvirt's defaults around it, and the
     * devices left out are noted in the domain's log; the RTC runs in UTC (clock offset='utc').
     */
    @Test
    void theDirectKernelDomainRunsOnceItsDiskIsRawVirtioAndItsLogNamesWhatIsOmitted() throws Exception {
        Path fixture = fixtures().resolve("direct-kernel.defined.xml");
        assumeTrue(Files.exists(fixture), "skipped: no ../shared/fixtures/virt-install beside the clone");
        assumeTrue(JvirtTestSupport.kvmUsable(), "/dev/kvm is missing or not accessible: not started");
        assumeTrue(Files.exists(JvirtTestSupport.GUESTS.resolve("ticker.elf")), "test guests not built (make -C test-fixtures/guests)");
        Path image = root.resolve("disk.img");
        Files.write(image, new byte[1 << 20]);
        String xml = Files.readString(fixture)
                .replaceAll("<kernel>[^<]*</kernel>", "<kernel>" + JvirtTestSupport.GUESTS.resolve("ticker.elf") + "</kernel>")
                .replaceAll("\\s*<initrd>[^<]*</initrd>", "")
                .replace("<driver name='qemu' type='qcow2'/>", "<driver name='qemu' type='raw'/>")
                .replaceAll("<source file='[^']*'/>", "<source file='" + image + "'/>")
                .replace("<target dev='hda' bus='ide'/>", "<target dev='vda' bus='virtio'/>")
                .replace("<address type='drive' controller='0' bus='0' target='0' unit='0'/>", "");
        assertEquals(List.of(), LackingFromXml.refusals(LackingFromXml.parse(xml)));
        Path vmm = JvirtTestSupport.vmmScript(root);
        String previous = System.setProperty("jvirt.vmm", vmm.toString());
        try {
            Connect c = new Connect("jvirt:///embed?root=" + root);
            Domain d = c.domainDefineXML(xml);
            d.create();
            try {
                assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getInfo().state);
                String log = Files.readString(JvirtPaths.embed(root).log(d.getName()));
                Document doc = LackingFromXml.parse(xml);
                Element devices = LackingFromXml.child(doc.getDocumentElement(), "devices");
                int omittedLines = 0;
                for (Element dev : LackingFromXml.children(devices)) {
                    String what = switch (dev.getTagName()) {
                        case "controller" -> dev.getAttribute("type").equals("pci") || dev.getAttribute("model").equals("qemu-xhci") ? null
                                : "controller type='" + dev.getAttribute("type") + "'"
                                + (dev.hasAttribute("model") ? " model='" + dev.getAttribute("model") + "'" : "");
                        case "audio" -> "audio type='" + dev.getAttribute("type") + "'";
                        default -> null;
                    };
                    if (what == null) continue;
                    omittedLines++;
                    assertTrue(log.contains(": not provided, safe to omit: " + what + " ("), "no note of " + what + " in\n" + log);
                }
                assertEquals(6, omittedLines, "4 USB controllers, IDE, audio (the balloon is jvirt-vmm's)");
                assertFalse(log.contains("safe to omit: memballoon"), log);
                long pid = Long.parseLong(Files.readString(JvirtPaths.embed(root).pidFile(d.getName())).trim());
                List<String> env = Arrays.asList(Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0"));
                assertTrue(env.contains("TZ=UTC"), "clock offset='utc': the VMM's RTC zone: " + env);
            } finally {
                d.destroy();
            }
        } finally {
            if (previous == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previous);
        }
    }
}
