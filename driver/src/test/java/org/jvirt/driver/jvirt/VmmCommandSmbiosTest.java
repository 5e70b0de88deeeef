package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DefineDefaults;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.xml.domain.Domain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code <sysinfo type='smbios'>} and {@code <os><smbios mode>} reach jvirt-vmm as the -smbios
 * and -uuid options libvirt 9.0 gives QEMU: each case is also given to the real libvirt
 * (virsh domxml-to-native qemu-argv on qemu:///session, as the unprivileged user lvtest when the
 * test runs as root) and its -smbios values and -uuid, or its error, must be jvirt's.
 */
class VmmCommandSmbiosTest {
    static final String UUID_TEXT = "c7a5fdbd-edaf-9455-926a-d65c16db1809";
    static final String SYSINFO = """
            <sysinfo type='smbios'>
              <bios>
                <entry name='vendor'>LENOVO, Inc.</entry>
                <entry name='version'>6FET82WW (3.12 )</entry>
                <entry name='date'>01/01/2011</entry>
                <entry name='release'>4.6</entry>
              </bios>
              <system>
                <entry name='manufacturer'>Fedora</entry>
                <entry name='product'>Virt-Manager</entry>
                <entry name='version'>0.9.4</entry>
                <entry name='serial'>123456</entry>
                <entry name='uuid'>C7A5FDBD-EDAF-9455-926A-D65C16DB1809</entry>
                <entry name='sku'>1234567890</entry>
                <entry name='family'>Red Hat</entry>
              </system>
              <baseBoard>
                <entry name='manufacturer'>LENOVO</entry>
                <entry name='product'>20BE0061MC</entry>
                <entry name='version'>0B98401 Pro</entry>
                <entry name='serial'>W1KS427111E</entry>
                <entry name='location'>Slot 1</entry>
              </baseBoard>
              <chassis>
                <entry name='manufacturer'>Dell Inc.</entry>
                <entry name='version'>2.12</entry>
                <entry name='asset'>40000101</entry>
                <entry name='sku'>Type3Sku1</entry>
              </chassis>
              <oemStrings>
                <entry>myappname:some arbitrary data</entry>
                <entry>otherappname:more arbitrary data, with a comma</entry>
              </oemStrings>
            </sysinfo>
            """;
    static final String ONLY_SKU = "<sysinfo type='smbios'><system><entry name='sku'>S</entry></system><chassis><entry name='serial'>C</entry></chassis></sysinfo>";
    static final String SPARSE = "<sysinfo type='smbios'><baseBoard><entry name='serial'>B</entry></baseBoard><chassis/><bios><entry name='date'>01/02/03</entry></bios>"
            + "<system><entry name='uuid'>" + UUID_TEXT + "</entry></system><oemStrings/></sysinfo>";

    @TempDir Path dir;

    @Test
    void sysinfoModesGiveLibvirtsSmbiosOptions() throws Exception {
        String[][] cases = {
                {SYSINFO, "<smbios mode='sysinfo'/>"},
                {SYSINFO, "<smbios mode='emulate'/>"},
                {SYSINFO, ""},
                {"", "<smbios mode='emulate'/>"},
                {ONLY_SKU, "<smbios mode='sysinfo'/>"},
                {SPARSE, "<smbios mode='sysinfo'/>"},
                {"", "<smbios mode='sysinfo'/>"},
                {SYSINFO, "<smbios mode='host'/>"},
        };
        boolean compared = false;
        for (String[] c : cases) {
            String xml = domain(c[0], c[1]);
            String jvirt;
            try {
                List<String> args = args(xml);
                jvirt = String.join("\n", values(args, "--smbios")) + "\nuuid " + values(args, "--uuid");
            } catch (LibvirtException e) {
                jvirt = "error: " + e.getMessage();
            }
            String libvirt = libvirt(xml);
            if (libvirt == null) continue;
            compared = true;
            System.out.println("libvirt and jvirt agree: " + libvirt.replace('\n', ' '));
            assertEquals(libvirt, jvirt, "sysinfo " + c[0] + " os " + c[1]);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(compared, "skipped: no virsh with qemu:///session to compare with");
    }

    @Test
    void libvirtsSysinfoChecksAtDefine() throws Exception {
        assertEquals("Invalid BIOS 'date' format", define(SYSINFO.replace("01/01/2011", "2011-01-01")));
        assertEquals("UUID mismatch between <uuid> and <sysinfo>", define(SYSINFO.replace("D65C16DB1809", "D65C16DB1808")));
        assertEquals("malformed <sysinfo> uuid element", define(SYSINFO.replace("C7A5FDBD-EDAF-9455-926A-D65C16DB1809", "zzz")));
        assertEquals(null, define(SYSINFO));
        Domain noUuid = DomainDefinition.parse(domain(SYSINFO, "").replace("<uuid>" + UUID_TEXT + "</uuid>", ""));
        SmbiosSettings.adoptUuid(noUuid);
        assertEquals(UUID_TEXT, noUuid.getUuid(), "the sysinfo's, as libvirt takes it");
        assertTrue(SmbiosSettings.validDate("12/31/99") && SmbiosSettings.validDate("1/2/1900") && !SmbiosSettings.validDate("13/01/2000")
                && !SmbiosSettings.validDate("01/01/1899"));
    }

    @Test
    void fwcfgSysinfoAndSysinfoWithAKernelAreRefused() throws Exception {
        Domain d = DomainDefinition.parse(domain("<sysinfo type='fwcfg'><entry name='opt/x'>y</entry></sysinfo>", ""));
        assertTrue(UnsupportedConfig.check(d).refused().toString().contains("sysinfo type='fwcfg'"), UnsupportedConfig.check(d).refused().toString());
        Domain k = DomainDefinition.parse(domain(SYSINFO, "<smbios mode='sysinfo'/>").replace("</type>", "</type><kernel>/boot/vmlinuz</kernel>"));
        assertTrue(UnsupportedConfig.check(k).refused().toString().contains("os smbios mode='sysinfo' with a direct kernel boot"), UnsupportedConfig.check(k).refused().toString());
    }

    private static String define(String sysinfo) throws Exception {
        try {
            Domain d = DomainDefinition.parse(domain(sysinfo, ""));
            SmbiosSettings.validate(d, d.getUuid());
            return null;
        } catch (LibvirtException e) {
            return e.getMessage();
        }
    }

    static String domain(String sysinfo, String smbios) {
        return "<domain type='qemu'><name>smb</name><uuid>" + UUID_TEXT + "</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu>" + sysinfo
                + "<os><type arch='x86_64' machine='pc'>hvm</type>" + smbios + "</os>"
                + "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices></domain>";
    }

    private List<String> args(String xml) throws Exception {
        Domain d = DomainDefinition.parse(xml);
        new DefineDefaults("x86_64", UUID::randomUUID).apply(d);
        PcDefaults.apply(d);
        JvirtPaths paths = new JvirtPaths(dir.resolve("etc"), dir.resolve("run"), dir.resolve("log"));
        Files.createDirectories(paths.logDir());
        return VmmCommand.build(DomainDefinition.of(d), paths, false, new VirtTypes.Host(false, true, "no kvm in this test")).args();
    }

    private static List<String> values(List<String> args, String name) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) if (args.get(i).equals(name)) out.add(args.get(i + 1));
        return out;
    }

    /** libvirt's -smbios values and -uuid for xml, in jvirt's form, or its error; null when there is no libvirt to ask. */
    private String libvirt(String xml) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/virsh"))) return null;
        Path shared = Files.createTempDirectory("smbios-virsh", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path f = Files.writeString(shared.resolve("d.xml"), xml);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        String virsh = "virsh -c qemu:///session domxml-to-native qemu-argv " + f;
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> cmd = root
                ? List.of("su", "-", "lvtest", "-c", "export XDG_RUNTIME_DIR=/tmp/lvtest-run; mkdir -p $XDG_RUNTIME_DIR; " + virsh)
                : List.of("sh", "-c", virsh);
        if (root && new ProcessBuilder("id", "lvtest").start().waitFor() != 0) return null;
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroy();
        Files.delete(f);
        Files.delete(shared);
        if (p.exitValue() != 0) {
            Matcher m = Pattern.compile("error: (.*)").matcher(out);
            String last = null;
            while (m.find()) last = m.group(1);
            if (last == null || last.contains("Failed to connect")) return null;
            return "error: " + last;
        }
        List<String> argv = new ArrayList<>(); // the shell words: 'quoted' where a value has blanks
        Matcher w = Pattern.compile("'([^']*)'|(\\S+)").matcher(out);
        while (w.find()) argv.add(w.group(1) != null ? w.group(1) : w.group(2));
        return String.join("\n", values(argv, "-smbios")) + "\nuuid " + values(argv, "-uuid");
    }
}
