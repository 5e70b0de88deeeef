package org.jvirt.driver.test;

import static org.jvirt.driver.test.TestDomains.checkActive;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jvirt.driver.api.DomainBlockInfo;
import org.jvirt.driver.api.DomainBlockStats;
import org.jvirt.driver.api.DomainInterfaceStats;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.NodeStatistic;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.driver.def.DeviceLookup;
import org.jvirt.driver.spi.DomainRef;

/**
 * The test driver's statistics: scheduler, block and interface counters (made up from the
 * time of day, as libvirt's test driver does), domain stats, NUMA cells and host CPU times.
 * Callers serialize calls.
 */
final class TestStats {

    /** VIR_TYPED_PARAM_STRING_OKAY: libvirt's API adds it to the get flags of a driver that supports it. */
    private static final int STRING_OKAY = 4;

    /** testDriver's default cells: memory in KiB (reported by virNodeGetCellsFreeMemory as is). */
    private static final long[] CELL_MEMORY = {2048L * 1024, 4096L * 1024};
    /** The cells' freeMem, summed by virNodeGetFreeMemory. */
    private static final long[] CELL_FREE = {1024L * 1024, 2048L * 1024};

    static final int SUPPORTED_STATS = Flags.DomainStatsTypes.STATE | Flags.DomainStatsTypes.IOTHREAD;

    private final TestDomains domains;
    private final Clock clock;

    TestStats(TestDomains domains, Clock clock) {
        this.domains = domains;
        this.clock = clock;
    }

    String schedulerType(DomainRef d) throws LibvirtException {
        domains.obj(d);
        return "fair";
    }

    /** flags -1: virDomainGetSchedulerParameters; otherwise the Flags variant, which the test driver refuses. */
    List<TypedParameter> schedulerParameters(DomainRef d, int flags) throws LibvirtException {
        if (flags != -1) throw unsupportedFlags(flags | STRING_OKAY, "testDomainGetSchedulerParametersFlags");
        domains.obj(d);
        return List.of(TypedParameter.uint("weight", 50));
    }

    /** Validates as testDomainSetSchedulerParametersFlags; the weight is not kept (libvirt's "XXX"). */
    void setSchedulerParameters(DomainRef d, List<TypedParameter> params, int flags) throws LibvirtException {
        if (flags != -1 && flags != 0) throw unsupportedFlags(flags, "testDomainSetSchedulerParametersFlags");
        Set<String> seen = new HashSet<>();
        for (TypedParameter p : params) {
            if (!p.field().equals("weight")) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_NONE,
                        "parameter '" + p.field() + "' not supported");
            }
            if (!seen.add(p.field())) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_NONE,
                        "parameter '" + p.field() + "' occurs multiple times");
            }
            if (p.type() != TypedParameter.Type.UINT) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_NONE,
                        "invalid type '" + p.type().name().toLowerCase(java.util.Locale.ROOT)
                                + "' for parameter '" + p.field() + "', expected 'uint'");
            }
        }
        domains.obj(d);
    }

    private static LibvirtException unsupportedFlags(int flags, String function) {
        return LibvirtException.unprefixed(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST,
                "unsupported flags (0x" + Integer.toHexString(flags) + ") in function " + function);
    }

    /** testDomainGetBlockInfo: fixed sizes for any disk of the domain, running or not. */
    DomainBlockInfo blockInfo(DomainRef d, String path) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        if (DeviceLookup.disk(o.def, path) == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST,
                    "invalid path " + path + " not assigned to domain");
        }
        return new DomainBlockInfo(1099506450432L, 1099511627776L, 1099511627776L);
    }

    DomainBlockStats blockStats(DomainRef d, String path) throws LibvirtException {
        if (path.isEmpty()) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_TEST,
                    "summary statistics are not supported yet");
        }
        TestDomainObj o = domains.obj(d);
        checkActive(o);
        if (DeviceLookup.disk(o.def, path) == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST, "invalid path: " + path);
        }
        long base = statBase();
        long sec = clock.instant().getEpochSecond();
        return new DomainBlockStats(base / 10, base / 20, base / 30, base / 40, sec / 2);
    }

    DomainInterfaceStats interfaceStats(DomainRef d, String device) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        checkActive(o);
        if (DeviceLookup.net(o.def, device) == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN,
                    "'" + device + "' is not a known interface");
        }
        long base = statBase();
        long sec = clock.instant().getEpochSecond();
        return new DomainInterfaceStats(base / 10, base / 100, sec, sec / 2, base / 20, base / 110, sec / 3, sec / 4);
    }

    /** Microseconds since the epoch: "no significance to these numbers, just enough to mix it up". */
    private long statBase() {
        Instant t = clock.instant();
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    /** testConnectGetAllDomainStats: the state group; iothread has nothing to report. */
    List<TypedParameter> domainStats(DomainRef d, int groups) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        List<TypedParameter> out = new ArrayList<>();
        if ((groups & Flags.DomainStatsTypes.STATE) != 0) {
            out.add(TypedParameter.integer("state.state", o.state.state().ordinal()));
            out.add(TypedParameter.integer("state.reason", o.state.reason()));
        }
        return out;
    }

    long[] cellsFreeMemory(int startCell, int maxCells) throws LibvirtException {
        if (startCell >= CELL_MEMORY.length) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST, "Range exceeds available cells");
        }
        int n = Math.max(0, Math.min(maxCells, CELL_MEMORY.length - startCell));
        long[] out = new long[n];
        System.arraycopy(CELL_MEMORY, startCell, out, 0, n);
        return out;
    }

    long freeMemory() {
        long sum = 0;
        for (long f : CELL_FREE) sum += f;
        return sum;
    }

    /** testNodeGetCPUStats: the same four values for any CPU. */
    List<NodeStatistic> cpuStats() {
        return List.of(new NodeStatistic("user", 9797400000L), new NodeStatistic("kernel", 34678723400000L),
                new NodeStatistic("idle", 87264900000L), new NodeStatistic("iowait", 763600000L));
    }

    /** testConnectGetSysinfo's fixed SMBIOS data. */
    static final String SYSINFO = """
            <sysinfo type='smbios'>
              <bios>
                <entry name='vendor'>LENOVO</entry>
                <entry name='version'>G4ETA1WW (2.61 )</entry>
                <entry name='date'>05/07/2014</entry>
                <entry name='release'>2.61</entry>
              </bios>
            </sysinfo>
            """;
}
