package org.jvirt.driver.jvirt;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.DomainBlockInfo;
import org.jvirt.driver.api.DomainBlockStats;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.driver.def.DeviceLookup;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.spi.DriverConnection;
import org.jvirt.vmm.protocol.BlockStats;
import org.jvirt.vmm.protocol.BlockStatsList;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.xml.domain.devices.Disk;

/**
 * What the jvirt driver can tell of a domain without asking its guest: disk sizes from the
 * image files, the taps' counters, and the state, cpu-total, balloon, vcpu and interface groups of
 * virConnectGetAllDomainStats (CPU times of the VMM process and its vCPU threads from /proc).
 */
final class DomainStatsReader {

    static final int SUPPORTED = Flags.DomainStatsTypes.STATE | Flags.DomainStatsTypes.CPU_TOTAL
            | Flags.DomainStatsTypes.BALLOON | Flags.DomainStatsTypes.VCPU | Flags.DomainStatsTypes.INTERFACE;

    private DomainStatsReader() { }

    /**
     * virDomainGetBlockInfo of a raw image as libvirt computes it for a regular file:
     * capacity and physical are the file's size, allocation the blocks it really uses.
     */
    static DomainBlockInfo blockInfo(DomainDefinition def, String path) throws LibvirtException {
        Disk disk = DeviceLookup.disk(def, path);
        if (disk == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                    "invalid path " + path + " not assigned to domain");
        }
        String file = DeviceLookup.sourcePath(disk);
        if (file == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                    "disk '" + path + "' does not currently have a source assigned");
        }
        Path p = Path.of(file);
        long size;
        try {
            size = Files.size(p);
        } catch (java.io.IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_STORAGE,
                    "cannot stat file '" + file + "': " + (Files.exists(p) ? "Permission denied" : "No such file or directory"));
        }
        long allocated = FileBlocks.allocated(file);
        return new DomainBlockInfo(size, allocated < 0 ? size : allocated, size);
    }

    /**
     * virDomainBlockStats from the VMM's query-blockstats (requests and bytes read and written;
     * errs unknown, -1, as with QEMU); an empty path sums every disk, as libvirt's qemu driver.
     */
    static DomainBlockStats blockStats(StoredDomain o, DomainDefinition live, String path) throws LibvirtException {
        int index = -1;
        if (!path.isEmpty()) {
            Disk disk = DeviceLookup.disk(live, path);
            if (disk == null) throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU, "invalid path: " + path);
            index = VmmDisks.indexOf(live, disk);
            if (index < 0) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                        "block statistics of IDE disk '" + disk.getTarget().getDev() + "' are not available yet");
            }
        }
        BlockStatsList reply;
        try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), Duration.ofSeconds(10))) {
            reply = c.call(new Command.QueryBlockstats());
        } catch (ControlClient.CommandFailed e) {
            if ("CommandNotFound".equals(e.errorClass())) throw DriverConnection.unsupported("virDomainBlockStats");
            throw failed(o, e);
        } catch (java.io.IOException e) {
            throw failed(o, e);
        }
        long[] sum = new long[4];
        List<BlockStats> entries = reply.disks();
        for (int i = 0; i < entries.size(); i++) {
            if (index >= 0 && i != index) continue;
            BlockStats.Counters st = entries.get(i).stats();
            if (st == null) continue;
            sum[0] += st.rdOperations();
            sum[1] += st.rdBytes();
            sum[2] += st.wrOperations();
            sum[3] += st.wrBytes();
        }
        return new DomainBlockStats(sum[0], sum[1], sum[2], sum[3], -1);
    }

    private static LibvirtException failed(StoredDomain o, Exception e) {
        return new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                "cannot run 'query-blockstats' on domain '" + o.name() + "': " + e.getMessage());
    }

    /** The groups asked for, in libvirt's order; the per-run values only while the domain runs. */
    static List<TypedParameter> stats(DomainDefinition def, DomainStateReason state, long pid, int groups) {
        List<TypedParameter> out = new ArrayList<>();
        boolean active = pid > 0;
        if ((groups & Flags.DomainStatsTypes.STATE) != 0) {
            out.add(TypedParameter.integer("state.state", state.state().ordinal()));
            out.add(TypedParameter.integer("state.reason", state.reason()));
        }
        if ((groups & Flags.DomainStatsTypes.CPU_TOTAL) != 0 && active) {
            out.add(TypedParameter.ullong("cpu.time", ProcStat.processCpuNanos(pid)));
        }
        if ((groups & Flags.DomainStatsTypes.BALLOON) != 0) {
            out.add(TypedParameter.ullong("balloon.current", def.currentMemoryKiB()));
            out.add(TypedParameter.ullong("balloon.maximum", def.memoryKiB()));
        }
        if ((groups & Flags.DomainStatsTypes.VCPU) != 0) {
            out.add(TypedParameter.uint("vcpu.current", def.vcpus()));
            out.add(TypedParameter.uint("vcpu.maximum", def.maxVcpus()));
            if (active) {
                for (long[] t : ProcStat.vcpuThreads(pid)) {
                    out.add(TypedParameter.integer("vcpu." + t[0] + ".state", 1));
                    out.add(TypedParameter.ullong("vcpu." + t[0] + ".time", t[1]));
                }
            }
        }
        if ((groups & Flags.DomainStatsTypes.INTERFACE) != 0 && active) interfaceGroup(def, out);
        return out;
    }

    /**
     * The rest of the balloon group of a running domain, as libvirt's qemuDomainGetStatsBalloon
     * adds it: each memory statistic but actual as balloon.NAME, in virDomainMemoryStats' order;
     * nothing when the VMM does not answer.
     */
    static void balloonExtras(StoredDomain o, List<TypedParameter> out) {
        List<org.jvirt.driver.api.MemoryStatistic> stats;
        try {
            stats = LiveBalloon.stats(o, BalloonDevices.has(o.liveDef().model().getDevices()));
        } catch (org.jvirt.driver.api.LibvirtException e) {
            return;
        }
        int at = 0;
        while (at < out.size() && !out.get(at).field().equals("balloon.maximum")) at++;
        at = Math.min(at + 1, out.size());
        for (org.jvirt.driver.api.MemoryStatistic s : stats) {
            if (s.tag() == org.jvirt.driver.api.MemoryStatistic.Tag.ACTUAL_BALLOON) continue;
            String name = s.tag() == org.jvirt.driver.api.MemoryStatistic.Tag.LAST_UPDATE ? "last-update" : s.tag().name().toLowerCase(java.util.Locale.ROOT);
            out.add(at++, TypedParameter.ullong("balloon." + name, s.value()));
        }
    }

    /** virDomainInterfaceStats: the tap of the interface named by target device or MAC (TapCounters). */
    static org.jvirt.driver.api.DomainInterfaceStats interfaceStats(DomainDefinition live, String device) throws LibvirtException {
        org.jvirt.xml.domain.devices.Interface nic = org.jvirt.driver.def.DeviceLookup.net(live, device);
        if (nic == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN,
                    "'" + device + "' is not a known interface");
        }
        return TapCounters.of(nic, TapCounters.PROC_NET_DEV);
    }

    /** qemuDomainGetStatsInterface: net.count, then each tap's name and counters (an unreadable tap: its name alone). */
    private static void interfaceGroup(DomainDefinition def, List<TypedParameter> out) {
        List<org.jvirt.xml.domain.devices.Interface> nets = org.jvirt.driver.def.DeviceLookup.interfaces(def);
        out.add(TypedParameter.uint("net.count", nets.size()));
        for (int i = 0; i < nets.size(); i++) {
            org.jvirt.xml.domain.devices.Interface n = nets.get(i);
            if (n.getTarget() == null || n.getTarget().getDev() == null) continue;
            out.add(TypedParameter.string("net." + i + ".name", n.getTarget().getDev()));
            org.jvirt.driver.api.DomainInterfaceStats s;
            try {
                s = TapCounters.of(n, TapCounters.PROC_NET_DEV);
            } catch (LibvirtException e) {
                continue;
            }
            String[] names = {"rx.bytes", "rx.pkts", "rx.errs", "rx.drop", "tx.bytes", "tx.pkts", "tx.errs", "tx.drop"};
            long[] values = {s.rx_bytes, s.rx_packets, s.rx_errs, s.rx_drop, s.tx_bytes, s.tx_packets, s.tx_errs, s.tx_drop};
            for (int k = 0; k < names.length; k++) if (values[k] >= 0) out.add(TypedParameter.ullong("net." + i + "." + names[k], values[k]));
        }
    }
}
