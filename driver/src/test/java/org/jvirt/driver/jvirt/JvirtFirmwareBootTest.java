package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A domain without a {@code <kernel>} boots firmware, as libvirt + QEMU boot a pc: SeaBIOS
 * (Debian's bios-256k.bin, QEMU's default, or the {@code <loader type='rom'>}), its messages on
 * the serial port. type='qemu' (the emulator) so that it runs without KVM. What the firmware boot
 * cannot do yet is refused in libvirt's "unsupported configuration" words, before anything runs.
 */
class JvirtFirmwareBootTest {
    static final Path BIOS = Path.of(VmmCommand.DEFAULT_BIOS);

    @TempDir
    Path root;

    private String uri() {
        return "jvirt:///embed?root=" + root;
    }

    private String xml(String name, String os, Path serialFile) {
        return "<domain type='qemu'>\n  <name>" + name + "</name>\n  <memory unit='MiB'>64</memory>\n  <vcpu>1</vcpu>\n"
                + "  <os>\n    <type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>\n" + os + "  </os>\n"
                + "  <devices>\n    <serial type='file'>\n      <source path='" + serialFile + "'/>\n      <target port='0'/>\n"
                + "    </serial>\n  </devices>\n</domain>\n";
    }

    @Test
    void aDomainWithoutAKernelBootsSeaBiosOnItsSerialPort() throws Exception {
        assumeTrue(Files.isRegularFile(BIOS), "skipped: " + BIOS + " (Debian's seabios) is not installed");
        String previous = System.setProperty("jvirt.vmm", JvirtTestSupport.vmmScript(root).toString());
        try { Connect c = new Connect(uri());
            for (String os : new String[] {"    <boot dev='hd'/>\n    <bios useserial='yes'/>\n",
                                           "    <loader readonly='yes' type='rom'>" + BIOS + "</loader>\n"}) {
                Path serial = root.resolve("serial-" + os.length() + ".txt");
                Domain d = c.domainDefineXML(xml("fw", os, serial));
                d.create();
                String out = "";
                long end = System.nanoTime() + 60_000_000_000L;
                while (!out.contains("No bootable device.") && System.nanoTime() < end) {
                    Thread.sleep(100);
                    out = Files.exists(serial) ? Files.readString(serial) : "";
                }
                assertTrue(out.contains("SeaBIOS (version "), "no SeaBIOS banner on the serial port: " + out);
                assertTrue(out.contains("No bootable device."), "no disk, so no boot: " + out);
                assertEquals(1, d.isActive(), "SeaBIOS waits after a failed boot, as under QEMU");
                d.destroy();
                d.undefine();
            }
        } finally {
            if (previous == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previous);
        }
    }

    @Test
    void whatTheFirmwareBootLacksIsRefusedAtStart() throws Exception {
        { Connect c = new Connect(uri());
            Path serial = root.resolve("s.txt");
            // libvirt's define-time check of a UEFI domain (this XML has no <features><acpi/>)
            LibvirtException acpi = assertThrows(LibvirtException.class, () -> c.domainDefineXML(
                    xml("no", "    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>\n", serial)));
            assertEquals("unsupported configuration: UEFI requires ACPI on this architecture", acpi.getMessage());
            String[][] cases = {
                {"    <initrd>/boot/initrd.img</initrd>\n", "os <initrd> without a <kernel>"},
            };
            for (String[] k : cases) {
                Domain d = c.domainDefineXML(xml("no", k[0], serial));
                LibvirtException e = assertThrows(LibvirtException.class, d::create);
                assertEquals("unsupported configuration: jvirt-vmm cannot provide: " + k[1], e.getMessage());
                d.undefine();
            }
            Domain missing = c.domainDefineXML(xml("no", "    <loader type='rom'>/no/such/bios.bin</loader>\n", serial));
            LibvirtException e = assertThrows(LibvirtException.class, missing::create);
            assertEquals("unable to stat: /no/such/bios.bin: No such file or directory", e.getMessage());
        }
    }
}
