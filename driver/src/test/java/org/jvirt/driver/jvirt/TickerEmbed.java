package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;

/**
 * A jvirt:///embed URI under a test's temp directory, its VMM found through -Djvirt.vmm, and the
 * ticker guest's domain XML (or another test guest's, see {@link #open(Path, String, String)})
 * with its serial port in a file there: the setting the running-guest tests of save, snapshots
 * and save images share. {@link #open} skips the test (with the reason) where the built guests
 * are missing; {@link #close} destroys what still runs. The guest runs on KVM where /dev/kvm is
 * usable, else on the emulator ({@link JvirtTestSupport#guestVirtType}).
 */
final class TickerEmbed implements AutoCloseable {

    static final Pattern TICK = Pattern.compile("tick (\\d+)\n");

    final Path root;
    final Path serial;
    /** The test guest the domain runs (test-fixtures/target/guests/GUEST.elf). */
    final String guest;
    /** The jvirt-vmm launcher the driver finds through -Djvirt.vmm (child processes need it too). */
    final Path vmm;
    private final String previousVmm;

    private TickerEmbed(Path root, String guest) throws Exception {
        this.root = root;
        this.guest = guest;
        this.serial = root.resolve("serial.log");
        this.vmm = JvirtTestSupport.vmmScript(root);
        this.previousVmm = System.setProperty("jvirt.vmm", vmm.toString());
    }

    /** what: the tests' subject, for the skip message. */
    static TickerEmbed open(Path root, String what) throws Exception {
        return open(root, what, "ticker");
    }

    /** The same setting running the test guest GUEST (e.g. disk-ticker) instead of the ticker. */
    static TickerEmbed open(Path root, String what, String guest) throws Exception {
        assumeTrue(Files.exists(JvirtTestSupport.GUESTS.resolve(guest + ".elf")), "test guests not built (make -C test-fixtures/guests): "
                + what + " not run");
        return new TickerEmbed(root, guest);
    }

    String uri() {
        return "jvirt:///embed?root=" + root;
    }

    /** The domain "tick" (64 MiB, 1 vCPU) running the guest, DEVICES placed before its file serial port. */
    String xml(String devices) {
        return xml(devices, 64, null);
    }

    /**
     * The ticker domain "tick" with MEMORY_MIB of RAM and CMDLINE (null: none; "dirty=N" keeps N
     * MiB of RAM rewritten, for saves that take a while), DEVICES placed before its serial port.
     */
    String xml(String devices, int memoryMib, String cmdline) {
        return "<domain type='" + JvirtTestSupport.guestVirtType() + "'>\n  <name>tick</name>\n  <memory unit='MiB'>" + memoryMib
                + "</memory>\n  <vcpu>1</vcpu>\n"
                + "  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>" + JvirtTestSupport.GUESTS.resolve(guest + ".elf")
                + "</kernel>\n" + (cmdline == null ? "" : "    <cmdline>" + cmdline + "</cmdline>\n")
                + "  </os>\n  <devices>\n" + devices + "    <serial type='file'>\n      <source path='" + serial + "'/>\n"
                + "      <target port='0'/>\n    </serial>\n  </devices>\n</domain>\n";
    }

    /** The serial file with the guest's CR LF line ends as LF ("" before it exists). */
    String serialText() throws Exception {
        return Files.exists(serial) ? Files.readString(serial).replace("\r\n", "\n") : "";
    }

    /** Waits up to 30 s (times {@link JvirtTestSupport#waitScale}) for TEXT on the serial port; returns the whole output then. */
    String awaitSerial(String text) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L * JvirtTestSupport.waitScale();
        String s = "";
        while (System.nanoTime() < end) {
            s = serialText();
            if (s.contains(text)) return s;
            Thread.sleep(50);
        }
        throw new AssertionError("serial never showed '" + text.trim() + "': " + s);
    }

    /** The last "tick N" in S, or -1. */
    static int lastTick(String s) {
        Matcher m = TICK.matcher(s);
        int last = -1;
        while (m.find()) last = Integer.parseInt(m.group(1));
        return last;
    }

    @Override
    public void close() throws Exception {
        try {
            Connect c = new Connect(uri());
            for (Domain d : c.listAllDomains(Flags.ListAllDomains.ACTIVE)) {
                try {
                    d.destroy();
                } catch (LibvirtException e) {
                    // gone meanwhile
                }
            }
        } finally {
            if (previousVmm == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previousVmm);
        }
    }
}
