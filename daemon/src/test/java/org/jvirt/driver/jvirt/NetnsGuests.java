package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.driver.jvirt.NetnsHosts.Host;

/**
 * The guests of the two-host migration tests ({@link NetnsHosts}) and what they print: the
 * ticker ("tick N") and the disk-ticker ("disk-tick N"), each with its serial port on a unix
 * socket in the host's root, read with arrival times by {@link SerialArrivals}.
 */
final class NetnsGuests {
    private NetnsGuests() { }

    /** A guest's tick lines: the pattern of one tick and the line it prints once when it boots. */
    record Ticks(Pattern tick, String bootPrefix) {
        static final Ticks TICKER = new Ticks(Pattern.compile("tick (\\d+)"), "ticker: running");
        static final Ticks DISK_TICKER = new Ticks(Pattern.compile("disk-tick (\\d+)"), "disk-ticker: running");

        /** The highest tick printed so far, -1 before the first. */
        int last(SerialArrivals serial) {
            int last = -1;
            for (SerialArrivals.Line l : serial.lines()) {
                Matcher m = tick.matcher(l.text());
                if (m.matches()) last = Integer.parseInt(m.group(1));
            }
            return last;
        }

        /** Waits until the guest printed tick N or later (a minute, times the emulator's scale). */
        int await(SerialArrivals serial, int n) throws InterruptedException {
            long end = System.nanoTime() + 60_000_000_000L * JvirtTestSupport.waitScale();
            while (System.nanoTime() < end) {
                int last = last(serial);
                if (last >= n) return last;
                Thread.sleep(20);
            }
            throw new AssertionError("the guest never printed tick " + n + ": " + serial.text());
        }

        /** The tick lines in arrival order. */
        List<SerialArrivals.Line> lines(SerialArrivals serial) {
            List<SerialArrivals.Line> ticks = new ArrayList<>();
            for (SerialArrivals.Line l : serial.lines()) if (tick.matcher(l.text()).matches()) ticks.add(l);
            return ticks;
        }

        /** One boot, and tick numbers consecutive from 1 in arrival order: no repeat, no gap. */
        List<SerialArrivals.Line> assertOneBootAndEveryTickOnce(SerialArrivals serial) {
            int boots = 0;
            for (SerialArrivals.Line l : serial.lines()) if (l.text().startsWith(bootPrefix)) boots++;
            assertEquals(1, boots, "one boot: " + serial.text());
            List<SerialArrivals.Line> ticks = lines(serial);
            String word = tick.pattern().substring(0, tick.pattern().indexOf(' ') + 1);
            for (int i = 0; i < ticks.size(); i++) {
                assertEquals(word + (i + 1), ticks.get(i).text(), word + (i + 1) + " in order, once: " + serial.text());
            }
            return ticks;
        }
    }

    static Path serialSocket(Host h) {
        return h.root.resolve("tick.sock");
    }

    /** The ticker domain 'tick' for HOST: virt type TYPE, rewriting dirtyMib MiB. */
    static String tickerXml(Host host, String type, String uuid, int memoryMib, int dirtyMib) {
        return xml(host, type, "tick", uuid, memoryMib, "ticker", "dirty=" + dirtyMib, "");
    }

    /** A domain NAME running GUEST (a test-fixtures guest) with CMDLINE, DEVICES and its serial on HOST's socket. */
    static String xml(Host host, String type, String name, String uuid, int memoryMib, String guest, String cmdline, String devices) {
        return "<domain type='" + type + "'>\n  <name>" + name + "</name>\n  <uuid>" + uuid + "</uuid>\n  <memory unit='MiB'>" + memoryMib
                + "</memory>\n  <vcpu>1</vcpu>\n  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>"
                + JvirtTestSupport.GUESTS.resolve(guest + ".elf") + "</kernel>\n    <cmdline>" + cmdline + "</cmdline>\n  </os>\n"
                + "  <devices>\n" + devices + "    <serial type='unix'>\n      <source mode='bind' path='" + serialSocket(host) + "'/>\n"
                + "      <target port='0'/>\n    </serial>\n  </devices>\n</domain>\n";
    }

    /** Defines the ticker 'tick' from XML on HOST and starts it; returns once it ticks. */
    static void startTicker(Host host, Path xml, SerialArrivals serial) throws Exception {
        NetnsHosts.Result defined = host.virsh(host.uri(), "define " + xml);
        assertEquals(0, defined.exit(), defined.out());
        NetnsHosts.Result started = host.virsh(host.uri(), "start tick");
        assertEquals(0, started.exit(), started.out());
        Ticks.TICKER.await(serial, 3);
    }

    /** Writes XML to DIR/NAME and returns the file. */
    static Path write(Path dir, String name, String xml) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, xml);
        return f;
    }

    /** HOST's jvirtd lists no domain and no VMM runs there (waiting a while: a VMM may still be ending). */
    static void assertNothingOn(Host host) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end && !host.vmmPids().isEmpty()) Thread.sleep(100);
        assertEquals(List.of(), host.vmmPids(), "no VMM left on " + host);
        assertEquals("\n", host.local("list --all --name").out(), "no domain on " + host);
    }
}
