package org.jvirt.driver.remote;

import static org.jvirt.driver.remote.WireTypes.args;
import static org.jvirt.rpc.RemoteProcedure.*;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.DomainBlockInfo;
import org.jvirt.driver.api.DomainBlockStats;
import org.jvirt.driver.api.DomainInterfaceStats;
import org.jvirt.driver.api.DomainJobInfo;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.NodeStatistic;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.driver.api.VcpuInfo;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.rpc.Limits;
import org.jvirt.rpc.WireTypedParam;
import org.jvirt.rpc.XdrWriter;

/** A remote connection's scheduler, job and statistics calls (domain and node). */
final class RemoteStatistics {
    private final RpcClient rpc;
    private final RemoteConnection conn;
    private final boolean typedParamString;

    RemoteStatistics(RpcClient rpc, RemoteConnection conn, boolean typedParamString) {
        this.rpc = rpc;
        this.conn = conn;
        this.typedParamString = typedParamString;
    }

    private <T> T call(int proc, XdrWriter args, ReplyDecoder<T> decoder) throws LibvirtException {
        return rpc.call(proc, args, decoder);
    }

    private void call(int proc, XdrWriter args) throws LibvirtException {
        rpc.call(proc, args, ReplyDecoder.NONE);
    }

    String getSchedulerType(DomainRef d) throws LibvirtException {
        return call(DOMAIN_GET_SCHEDULER_TYPE, args(d), r -> {
            String type = r.readString("scheduler type");
            r.readInt(); // how many parameters
            return type;
        });
    }

    /** VIR_DOMAIN_SCHEDULER_PARAMETERS_MAX, VIR_TYPED_PARAM_STRING_OKAY. */
    private static final int SCHEDULER_PARAMS_MAX = 16, STRING_OKAY = 4;

    /** flags -1: virDomainGetSchedulerParameters, without flags. */
    List<TypedParameter> getSchedulerParameters(DomainRef d, int flags) throws LibvirtException {
        int nparams = call(DOMAIN_GET_SCHEDULER_TYPE, args(d), r -> {
            r.readString("scheduler type");
            return r.readInt();
        });
        ReplyDecoder<List<TypedParameter>> params = r -> WireTypes.params(WireTypedParam.decodeList(r, SCHEDULER_PARAMS_MAX));
        if (flags == -1) return call(DOMAIN_GET_SCHEDULER_PARAMETERS, args(d).writeInt(nparams), params);
        // the public API lets the daemon send string parameters when it says it can
        int wireFlags = typedParamString ? flags | STRING_OKAY : flags;
        return call(DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS, args(d).writeInt(nparams).writeInt(wireFlags), params);
    }

    void setSchedulerParameters(DomainRef d, List<TypedParameter> params, int flags) throws LibvirtException {
        XdrWriter w = args(d);
        List<WireTypedParam> wire = new ArrayList<>();
        for (TypedParameter p : params) wire.add(WireTypes.wire(p));
        WireTypedParam.encodeList(w, wire);
        if (flags == -1) {
            call(DOMAIN_SET_SCHEDULER_PARAMETERS, w);
        } else {
            call(DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS, w.writeInt(flags));
        }
    }

    /** One entry per vCPU, with its affinity over the host's CPUs (virDomainGetVcpus). */
    List<VcpuInfo> getVcpus(DomainRef d) throws LibvirtException {
        int vcpus = conn.getInfo(d).nrVirtCpu;
        int hostCpus = conn.nodeInfo().maxCpus();
        int maplen = (hostCpus + 7) / 8;
        return call(DOMAIN_GET_VCPUS, args(d).writeInt(vcpus).writeInt(maplen), r -> {
            int n = r.readCount(Limits.VCPUINFO_MAX, 24, "vcpu info");
            int[][] info = new int[n][];
            long[] times = new long[n];
            for (int i = 0; i < n; i++) {
                int number = r.readInt();
                int state = r.readInt();
                times[i] = r.readHyper();
                info[i] = new int[] {number, state, r.readInt()};
            }
            byte[] maps = r.readOpaque(Limits.CPUMAPS_MAX, "cpu maps");
            VcpuInfo.VcpuState[] states = VcpuInfo.VcpuState.values();
            List<VcpuInfo> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                boolean[] affinity = new boolean[hostCpus];
                for (int c = 0; c < hostCpus; c++) {
                    int at = i * maplen + c / 8;
                    affinity[c] = at < maps.length && (maps[at] & (1 << (c % 8))) != 0;
                }
                int s = info[i][1];
                out.add(new VcpuInfo(info[i][0], s >= 0 && s < states.length ? states[s] : states[0], times[i], info[i][2], affinity));
            }
            return out;
        });
    }

    DomainJobInfo getJobStats(DomainRef d, int flags) throws LibvirtException {
        return call(DOMAIN_GET_JOB_STATS, RemoteConnection.flags(d, flags), r -> {
            int type = r.readInt();
            return new DomainJobInfo(type, WireTypes.params(WireTypedParam.decodeList(r, Limits.TYPED_PARAMS_MAX)));
        });
    }

    DomainBlockInfo blockInfo(DomainRef d, String path) throws LibvirtException {
        return call(DOMAIN_GET_BLOCK_INFO, args(d).writeString(path).writeInt(0),
                r -> {
                    long allocation = r.readHyper();
                    long capacity = r.readHyper();
                    return new DomainBlockInfo(capacity, allocation, r.readHyper());
                });
    }

    DomainBlockStats blockStats(DomainRef d, String path) throws LibvirtException {
        return call(DOMAIN_BLOCK_STATS, args(d).writeString(path),
                r -> new DomainBlockStats(r.readHyper(), r.readHyper(), r.readHyper(), r.readHyper(), r.readHyper()));
    }

    DomainInterfaceStats interfaceStats(DomainRef d, String device) throws LibvirtException {
        return call(DOMAIN_INTERFACE_STATS, args(d).writeString(device), r -> new DomainInterfaceStats(r.readHyper(), r.readHyper(),
                r.readHyper(), r.readHyper(), r.readHyper(), r.readHyper(), r.readHyper(), r.readHyper()));
    }

    /** REMOTE_DOMAIN_INTERFACE_MAX and REMOTE_DOMAIN_IP_ADDR_MAX. */
    private static final int INTERFACES_MAX = 2048;

    List<org.jvirt.driver.api.DomainInterface> interfaceAddresses(DomainRef d, int source, int flags) throws LibvirtException {
        return call(DOMAIN_INTERFACE_ADDRESSES, args(d).writeInt(source).writeInt(flags), r -> {
            int n = r.readCount(INTERFACES_MAX, 12, "domain interfaces");
            List<org.jvirt.driver.api.DomainInterface> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = r.readString("interface name");
                String hwaddr = r.readOptionalString("hwaddr");
                int m = r.readCount(INTERFACES_MAX, 12, "interface addresses");
                List<org.jvirt.driver.api.DomainInterface.InterfaceAddress> addrs = new ArrayList<>();
                for (int j = 0; j < m; j++) {
                    int type = r.readInt();
                    String addr = r.readString("address");
                    int prefix = r.readInt();
                    try {
                        addrs.add(new org.jvirt.driver.api.DomainInterface.InterfaceAddress(type, addr, prefix));
                    } catch (IllegalArgumentException e) {
                        throw new org.jvirt.rpc.XdrException("bad interface address from the daemon: " + e.getMessage());
                    }
                }
                out.add(new org.jvirt.driver.api.DomainInterface(name, hwaddr, addrs));
            }
            return out;
        });
    }

    /** Every group libvirt 9.0 knows (VIR_DOMAIN_STATS_STATE .. VM): the daemon reports those it has. */
    private static final int ALL_STATS_GROUPS = 0x7ff;
    /** The flags that are not list filters: the domains are given, so filters do not apply. */
    private static final int STATS_NON_FILTER_FLAGS = (1 << 29) | (1 << 30) | (1 << 31);

    int supportedDomainStats() { return ALL_STATS_GROUPS; }

    List<TypedParameter> domainStats(DomainRef d, int stats, int flags) throws LibvirtException {
        XdrWriter w = new XdrWriter().writeInt(1);
        WireTypes.remote(d).encode(w);
        w.writeInt(stats).writeInt(flags & STATS_NON_FILTER_FLAGS);
        return call(CONNECT_GET_ALL_DOMAIN_STATS, w, r -> {
            int n = r.readCount(Limits.DOMAIN_LIST_MAX, 28, "domain stats records");
            List<TypedParameter> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                WireTypes.readDomain(r);
                out.addAll(WireTypes.params(WireTypedParam.decodeList(r, STATS_PARAMS_MAX)));
            }
            return out;
        });
    }

    /** REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX, REMOTE_NODE_CPU_STATS_MAX, REMOTE_NODE_MEMORY_STATS_MAX. */
    private static final int STATS_PARAMS_MAX = 262144, NODE_STATS_MAX = 16;

    /** Asks how many, then asks for them, as virNodeGetCPUStats's callers do. */
    List<NodeStatistic> nodeCpuStats(int cpuNum, int flags) throws LibvirtException {
        int n = call(NODE_GET_CPU_STATS, new XdrWriter().writeInt(cpuNum).writeInt(0).writeInt(flags), r -> {
            r.readCount(NODE_STATS_MAX, 12, "cpu stats");
            return r.readInt();
        });
        return call(NODE_GET_CPU_STATS, new XdrWriter().writeInt(cpuNum).writeInt(n).writeInt(flags), RemoteStatistics::nodeStats);
    }

    List<NodeStatistic> nodeMemoryStats(int cellNum, int flags) throws LibvirtException {
        int n = call(NODE_GET_MEMORY_STATS, new XdrWriter().writeInt(0).writeInt(cellNum).writeInt(flags), r -> {
            r.readCount(NODE_STATS_MAX, 12, "memory stats");
            return r.readInt();
        });
        return call(NODE_GET_MEMORY_STATS, new XdrWriter().writeInt(n).writeInt(cellNum).writeInt(flags), RemoteStatistics::nodeStats);
    }

    private static List<NodeStatistic> nodeStats(org.jvirt.rpc.XdrReader r) throws org.jvirt.rpc.XdrException {
        int n = r.readCount(NODE_STATS_MAX, 12, "node stats");
        List<NodeStatistic> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(new NodeStatistic(r.readString("field"), r.readHyper()));
        r.readInt(); // nparams
        return out;
    }
}
