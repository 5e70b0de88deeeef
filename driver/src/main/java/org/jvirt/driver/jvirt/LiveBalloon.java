package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.MemoryStatistic;
import org.jvirt.driver.api.MemoryStatistic.Tag;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;

/**
 * A running domain's virtio balloon through its VMM's control socket, as libvirt's qemu driver
 * drives QEMU's: balloon (setmem), query-balloon (the live currentMemory), qom-get of
 * guest-stats (dommemstat) and qom-set of guest-stats-polling-interval (dommemstat --period).
 */
final class LiveBalloon {

    static final String PATH = "/machine/peripheral/balloon0";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** For the live XML's currentMemory: a VMM that does not answer soon leaves the recorded value. */
    private static final Duration QUICK = Duration.ofSeconds(3);

    /** The guest statistics libvirt's qemuMonitorJSONGetMemoryStats reads, in its order: QEMU name, tag, divisor. */
    private static final Object[][] GUEST_STATS = {
        {"stat-swap-in", Tag.SWAP_IN, 1024}, {"stat-swap-out", Tag.SWAP_OUT, 1024},
        {"stat-major-faults", Tag.MAJOR_FAULT, 1}, {"stat-minor-faults", Tag.MINOR_FAULT, 1},
        {"stat-free-memory", Tag.UNUSED, 1024}, {"stat-total-memory", Tag.AVAILABLE, 1024},
        {"stat-available-memory", Tag.USABLE, 1024}, {null, Tag.LAST_UPDATE, 1},
        {"stat-disk-caches", Tag.DISK_CACHES, 1024}, {"stat-htlb-pgalloc", Tag.HUGETLB_PGALLOC, 1},
        {"stat-htlb-pgfail", Tag.HUGETLB_PGFAIL, 1}};

    private LiveBalloon() { }

    static void setTarget(StoredDomain o, long kib) throws LibvirtException {
        call(o, new Command.Balloon(kib * 1024));
    }

    /** The guest's memory in KiB as the balloon leaves it (query-balloon). */
    static long actualKiB(StoredDomain o) throws LibvirtException {
        return call(o, new Command.QueryBalloon()).actual() / 1024;
    }

    static void setPeriod(StoredDomain o, int seconds) throws LibvirtException {
        call(o, new Command.QomSet(PATH, "guest-stats-polling-interval", IntNode.valueOf(seconds)));
    }

    /**
     * virDomainMemoryStats as libvirt 9.0's qemuDomainMemoryStatsInternal gives them: with a
     * balloon, actual, then the guest's statistics it reported (KiB, or counts), last_update;
     * then the VMM's rss.
     */
    static List<MemoryStatistic> stats(StoredDomain o, boolean balloon) throws LibvirtException {
        List<MemoryStatistic> out = new ArrayList<>();
        if (balloon) {
            out.add(new MemoryStatistic(Tag.ACTUAL_BALLOON, actualKiB(o)));
            JsonNode g = call(o, new Command.QomGet(PATH, "guest-stats"));
            JsonNode stats = g.path("stats");
            for (Object[] s : GUEST_STATS) {
                JsonNode v = s[0] == null ? g.get("last-update") : stats.get((String) s[0]);
                if (v == null || !v.isIntegralNumber()) continue;
                java.math.BigInteger n = v.bigIntegerValue();
                if (n.signum() < 0 || n.bitLength() > 63) continue; // QEMU's unset statistic (2^64-1)
                out.add(new MemoryStatistic((Tag) s[1], n.longValue() / (Integer) s[2]));
            }
        }
        long rss = ProcStat.rssKiB(o.status().pid());
        if (rss >= 0) out.add(new MemoryStatistic(Tag.RSS, rss));
        return out;
    }

    /** The live definition with currentMemory from the balloon when the domain has one. */
    static DomainDefinition withActual(StoredDomain o, DomainDefinition live) throws LibvirtException {
        if (!BalloonDevices.has(live.model().getDevices())) return live;
        live.setCurrentMemoryKiB(call(o, new Command.QueryBalloon(), QUICK).actual() / 1024);
        return live;
    }

    private static <R> R call(StoredDomain o, Command<R> command) throws LibvirtException {
        return call(o, command, TIMEOUT);
    }

    private static <R> R call(StoredDomain o, Command<R> command, Duration timeout) throws LibvirtException {
        try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), timeout)) {
            return c.call(command);
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot run '" + command.execute() + "' on domain '" + o.name() + "': " + e.getMessage());
        }
    }
}
