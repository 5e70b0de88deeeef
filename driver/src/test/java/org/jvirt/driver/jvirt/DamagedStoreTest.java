package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged store: configs and status files that do not load are skipped with a warning naming
 * them (as libvirt logs and skips them) while every other domain keeps working, and the temp
 * files of interrupted writes are removed by the next open. No VM is started here.
 */
class DamagedStoreTest {

    @TempDir
    Path root;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void captureStderr() {
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(savedErr);
    }

    private String uri() {
        return "jvirt:///embed?root=" + root;
    }

    private static List<String> names(Connect c) throws LibvirtException {
        return Arrays.stream(c.listAllDomains(0)).map(Domain::getName).sorted().collect(Collectors.toList());
    }

    /** The warning lines about FILE printed on stderr so far. */
    private List<String> warningsAbout(Path file) {
        return err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(": " + file + ": ")).collect(Collectors.toList());
    }

    private static final Pattern LOG_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000: \\d+: warning : Failed to load config for domain '([^']+)': (\\S+): .+");

    @Test
    void damagedConfigsAreSkippedWithAWarningAndTheOtherDomainsWork() throws Exception {
        Path cfg = root.resolve("config");
        { Connect c = new Connect(uri());
            c.domainDefineXML(JvirtTestSupport.domainXml("good", "ticker"));
            c.domainDefineXML(JvirtTestSupport.domainXml("trunc", "ticker"));
        }
        String full = Files.readString(cfg.resolve("trunc.xml"));
        Files.writeString(cfg.resolve("trunc.xml"), full.substring(0, full.length() / 2)); // a torn write
        Files.write(cfg.resolve("garbage.xml"), new byte[] {0x13, (byte) 0xff, 'x', '<', 0, 7});
        Files.writeString(cfg.resolve("empty.xml"), "");

        { Connect c = new Connect(uri());
            assertEquals(List.of("good"), names(c));
            assertEquals(List.of("good"), Arrays.asList(c.listDefinedDomains()));
            assertEquals(DomainState.VIR_DOMAIN_SHUTOFF, c.domainLookupByName("good").getInfo().state);
            LibvirtException e = assertThrows(LibvirtException.class, () -> c.domainLookupByName("trunc"));
            assertEquals(ErrorNumber.VIR_ERR_NO_DOMAIN, e.code());
            c.domainDefineXML(JvirtTestSupport.domainXml("other", "ticker"));
            assertEquals(List.of("good", "other"), names(c));
            // defining the damaged one anew replaces the damaged file, as libvirt's define would
            c.domainDefineXML(JvirtTestSupport.domainXml("trunc", "ticker"));
            assertEquals(List.of("good", "other", "trunc"), names(c));
            c.domainLookupByName("other").undefine();
        }
        for (String n : List.of("trunc", "garbage", "empty")) {
            Path f = cfg.resolve(n + ".xml");
            List<String> w = warningsAbout(f);
            assertEquals(1, w.size(), "one warning per damaged file and process, about " + f + ":\n" + err);
            var m = LOG_LINE.matcher(w.get(0));
            assertTrue(m.matches(), w.get(0));
            assertEquals(n, m.group(1));
        }
        assertTrue(warningsAbout(cfg.resolve("empty.xml")).get(0).endsWith(": the file is empty"), err.toString());
        String log = Files.readString(root.resolve("log").resolve(DamagedFiles.LOG_NAME));
        assertTrue(log.contains("Failed to load config for domain 'garbage': " + cfg.resolve("garbage.xml") + ": "), log);
    }

    @Test
    void damagedStatusFilesAreSkippedWithAWarning() throws Exception {
        Path run = root.resolve("run");
        { Connect c = new Connect(uri());
            c.domainDefineXML(JvirtTestSupport.domainXml("good", "ticker"));
            c.domainDefineXML(JvirtTestSupport.domainXml("cut", "ticker"));
        }
        Files.createDirectories(run);
        String status = "<domstatus id='3' state='running' reason='1' pid='1' starttime='1' persistent='yes'>\n"
                + "  <monitor path='" + run.resolve("x.monitor") + "'/>\n"
                + JvirtTestSupport.domainXml("cut", "ticker").replaceFirst("<domain type='(\\w+)'>", "<domain type='$1' id='3'>")
                + "</domstatus>\n";
        Files.writeString(run.resolve("cut.xml"), status.substring(0, status.length() - 40));
        Files.writeString(run.resolve("gone.xml"), "\u0000\u0001 not xml");
        Files.writeString(run.resolve("blank.xml"), "");
        { Connect c = new Connect(uri());
            assertEquals(List.of("cut", "good"), names(c), "a status-only domain with a damaged status is not listed");
            Domain cut = c.domainLookupByName("cut");
            assertEquals(DomainState.VIR_DOMAIN_SHUTOFF, cut.getInfo().state, "no VMM holds its lock: it does not run");
            assertEquals(0, c.numOfDomains());
            c.domainDefineXML(JvirtTestSupport.domainXml("after", "ticker"));
            assertEquals(List.of("after", "cut", "good"), names(c));
        }
        for (String n : List.of("cut", "gone", "blank")) {
            List<String> w = warningsAbout(run.resolve(n + ".xml"));
            assertEquals(1, w.size(), err.toString());
            assertTrue(LOG_LINE.matcher(w.get(0)).matches(), w.get(0));
        }
        assertTrue(warningsAbout(run.resolve("cut.xml")).get(0).endsWith(": incomplete <domstatus> (truncated?)"), err.toString());
        assertTrue(warningsAbout(run.resolve("blank.xml")).get(0).endsWith(": the file is empty"), err.toString());
    }

    @Test
    void staleTempFilesAreRemovedByTheNextOpenButNotOnesBeingWritten() throws Exception {
        { Connect c = new Connect(uri());
            c.domainDefineXML(JvirtTestSupport.domainXml("good", "ticker"));
        }
        Files.createDirectories(root.resolve("run"));
        Path staleCfg = Files.writeString(root.resolve("config/.jvirt-1234567.tmp"), "<domain type='kvm'>\n  <na");
        Path staleRun = Files.writeString(root.resolve("run/.jvirt-7654321.tmp"), "");
        Path young = Files.writeString(root.resolve("config/.jvirt-55.tmp"), "<dom");
        Path writing = Files.writeString(root.resolve("config/.jvirt-66.tmp"), "<domain");
        Path notOurs = Files.writeString(root.resolve("config/notes.tmp"), "kept");
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        for (Path p : List.of(staleCfg, staleRun, writing, notOurs)) Files.setLastModifiedTime(p, old);
        try (FileChannel ch = FileChannel.open(writing, StandardOpenOption.WRITE);
             FileLock l = ch.lock()) { // a writer at work (here: this JVM) holds its temp file's lock
            new Connect(uri(), true).close(); // read-only: removes nothing
            assertTrue(Files.exists(staleCfg));
            Connect c = new Connect(uri());
            assertFalse(Files.exists(staleCfg), "the temp file of a write that was interrupted is removed");
            assertFalse(Files.exists(staleRun));
            assertTrue(Files.exists(young), "a temp file just created may be about to be locked: kept");
            assertTrue(Files.exists(writing), "a temp file whose writer holds its lock is kept");
            assertTrue(Files.exists(notOurs));
            assertEquals(List.of("good"), names(c));
            c.close();
        }
        new Connect(uri()).close();
        assertFalse(Files.exists(writing), "once its writer is gone it is stale too");
    }
}
