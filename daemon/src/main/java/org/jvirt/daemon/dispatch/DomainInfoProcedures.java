package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.*;

import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainBlockInfo;
import org.jvirt.driver.api.DomainBlockStats;
import org.jvirt.driver.api.DomainInfo;
import org.jvirt.driver.api.DomainJobInfo;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.MemoryStatistic;
import org.jvirt.driver.api.SecurityLabel;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.driver.api.VcpuInfo;
import org.jvirt.rpc.Limits;
import org.jvirt.rpc.WireTypedParam;

/** What a domain is and has: state, XML, memory and vCPUs, metadata, statistics, jobs. */
final class DomainInfoProcedures {
    private DomainInfoProcedures() { }

    /** REMOTE_DOMAIN_INTERFACE_MAX and REMOTE_DOMAIN_IP_ADDR_MAX. */
    private static final int INTERFACES_MAX = 2048;

    static void register(ProcedureTable t) {
        t.add(DOMAIN_GET_INFO, "virDomainGetInfo", Access.READ, c -> {
            DomainInfo i = c.domain().getInfo();
            // state is an unsigned char and nrVirtCpu an unsigned short: 4 bytes each on the wire
            c.ret.writeInt(i.state.ordinal()).writeHyper(i.maxMem).writeHyper(i.memory).writeInt(i.nrVirtCpu).writeHyper(i.cpuTime);
        });
        t.add(DOMAIN_GET_STATE, "virDomainGetState", Access.READ, c -> {
            Domain d = c.domain();
            c.readInt();
            DomainStateReason s = d.getState();
            c.ret.writeInt(s.state().ordinal()).writeInt(s.reason());
        });
        t.add(DOMAIN_GET_XML_DESC, "virDomainGetXMLDesc", Access.READ, c -> {
            Domain d = c.domain();
            int flags = c.readInt();
            if ((flags & 1) != 0 && c.state.readOnly) { // VIR_DOMAIN_XML_SECURE
                throw new RpcFailure(WireErrors.withTemplate(WireErrors.VIR_ERR_OPERATION_DENIED, WireErrors.VIR_FROM_DOMAIN,
                        "operation forbidden: virDomainGetXMLDesc with secure flag", "operation forbidden: %s"));
            }
            c.ret.writeString(d.getXMLDesc(flags));
        });
        t.add(DOMAIN_GET_OS_TYPE, "virDomainGetOSType", Access.READ, c -> c.ret.writeString(c.domain().getOSType()));
        t.add(DOMAIN_IS_ACTIVE, "virDomainIsActive", Access.READ, c -> c.ret.writeInt(c.domain().isActive()));
        t.add(DOMAIN_IS_PERSISTENT, "virDomainIsPersistent", Access.READ, c -> c.ret.writeInt(c.domain().isPersistent()));
        t.add(DOMAIN_IS_UPDATED, "virDomainIsUpdated", Access.READ, c -> {
            c.domain().getInfo(); // a missing domain is an error, as the driver's own check
            c.ret.writeInt(0);
        });
        t.add(DOMAIN_HAS_MANAGED_SAVE_IMAGE, "virDomainHasManagedSaveImage", Access.READ, c -> {
            Domain d = c.domain();
            c.ret.writeInt(d.hasManagedSaveImage(c.readInt()));
        });
        t.add(DOMAIN_GET_MAX_VCPUS, "virDomainGetMaxVcpus", Access.READ, c -> c.ret.writeInt(c.domain().getMaxVcpus()));
        t.add(DOMAIN_GET_VCPUS_FLAGS, "virDomainGetVcpusFlags", Access.READ, c -> {
            Domain d = c.domain();
            c.ret.writeInt(d.getVcpusFlags(c.readInt()));
        });
        t.add(DOMAIN_SET_VCPUS, "virDomainSetVcpus", Access.WRITE, c -> {
            Domain d = c.domain();
            d.setVcpus(c.readInt());
        });
        t.add(DOMAIN_SET_VCPUS_FLAGS, "virDomainSetVcpusFlags", Access.WRITE, c -> {
            Domain d = c.domain();
            int n = c.readInt();
            d.setVcpusFlags(n, c.readInt());
        });
        t.add(DOMAIN_GET_MAX_MEMORY, "virDomainGetMaxMemory", Access.READ, c -> c.ret.writeHyper(c.domain().getMaxMemory()));
        t.add(DOMAIN_SET_MAX_MEMORY, "virDomainSetMaxMemory", Access.WRITE, c -> {
            Domain d = c.domain();
            d.setMaxMemory(c.args.readHyper());
        });
        t.add(DOMAIN_SET_MEMORY, "virDomainSetMemory", Access.WRITE, c -> {
            Domain d = c.domain();
            d.setMemory(c.args.readHyper());
        });
        t.add(DOMAIN_SET_MEMORY_FLAGS, "virDomainSetMemoryFlags", Access.WRITE, c -> {
            Domain d = c.domain();
            long kib = c.args.readHyper();
            d.setMemoryFlags(kib, c.readInt());
        });
        t.add(DOMAIN_SET_MEMORY_STATS_PERIOD, "virDomainSetMemoryStatsPeriod", Access.WRITE, c -> {
            Domain d = c.domain();
            int period = c.args.readInt();
            d.setMemoryStatsPeriod(period, c.readInt());
        });
        t.add(DOMAIN_GET_VCPUS, "virDomainGetVcpus", Access.READ, DomainInfoProcedures::vcpus);
        t.add(DOMAIN_GET_SCHEDULER_TYPE, "virDomainGetSchedulerType", Access.READ, c -> {
            Domain d = c.domain();
            String type = d.getSchedulerType();
            c.ret.writeString(type).writeInt(d.getSchedulerParameters().length);
        });
        t.add(DOMAIN_GET_SCHEDULER_PARAMETERS, "virDomainGetSchedulerParameters", Access.READ, c -> {
            Domain d = c.domain();
            writeParams(c, d.getSchedulerParameters(), schedulerCount(c.readInt()));
        });
        t.add(DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS, "virDomainGetSchedulerParametersFlags", Access.READ, c -> {
            Domain d = c.domain();
            int n = schedulerCount(c.readInt());
            writeParams(c, d.getSchedulerParameters(c.readInt() & ~TYPED_PARAM_STRING_OKAY), n);
        });
        t.add(DOMAIN_SET_SCHEDULER_PARAMETERS, "virDomainSetSchedulerParameters", Access.WRITE, c -> {
            Domain d = c.domain();
            d.setSchedulerParameters(readParams(c, SCHEDULER_PARAMETERS_MAX));
        });
        t.add(DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS, "virDomainSetSchedulerParametersFlags", Access.WRITE, c -> {
            Domain d = c.domain();
            TypedParameter[] params = readParams(c, SCHEDULER_PARAMETERS_MAX);
            d.setSchedulerParameters(params, c.readInt());
        });
        t.add(DOMAIN_INTERFACE_STATS, "virDomainInterfaceStats", Access.READ, c -> {
            Domain d = c.domain();
            org.jvirt.driver.api.DomainInterfaceStats s = d.interfaceStats(c.readString("device"));
            c.ret.writeHyper(s.rx_bytes).writeHyper(s.rx_packets).writeHyper(s.rx_errs).writeHyper(s.rx_drop)
                    .writeHyper(s.tx_bytes).writeHyper(s.tx_packets).writeHyper(s.tx_errs).writeHyper(s.tx_drop);
        });
        t.add(DOMAIN_INTERFACE_ADDRESSES, "virDomainInterfaceAddresses", Access.READ, c -> {
            Domain d = c.domain();
            int source = c.readInt();
            int flags = c.readInt();
            if (source == 1 && c.state.readOnly) { // the agent source is a write (virCheckReadOnlyGoto in the public API)
                throw new RpcFailure(WireErrors.withTemplate(WireErrors.VIR_ERR_OPERATION_DENIED, WireErrors.VIR_FROM_DOMAIN,
                        "operation forbidden: read only access prevents virDomainInterfaceAddresses", "operation forbidden: %s"));
            }
            java.util.Collection<org.jvirt.driver.api.DomainInterface> ifaces = d.interfaceAddresses(source, flags);
            if (ifaces.size() > INTERFACES_MAX) {
                throw new RpcFailure(WireErrors.internal("Number of interfaces, " + ifaces.size() + " exceeds the max limit: " + INTERFACES_MAX));
            }
            c.ret.writeInt(ifaces.size());
            for (org.jvirt.driver.api.DomainInterface i : ifaces) {
                c.ret.writeString(i.name == null ? "" : i.name).writeOptionalString(i.hwAddr);
                if (i.addrs.size() > INTERFACES_MAX) {
                    throw new RpcFailure(WireErrors.internal("Number of interfaces, " + i.addrs.size() + " exceeds the max limit: " + INTERFACES_MAX));
                }
                c.ret.writeInt(i.addrs.size());
                for (org.jvirt.driver.api.DomainInterface.InterfaceAddress a : i.addrs) {
                    c.ret.writeInt(a.type).writeString(a.text).writeInt(a.prefixLength);
                }
            }
        });
        t.add(DOMAIN_GET_SECURITY_LABEL, "virDomainGetSecurityLabel", Access.READ, c -> {
            SecurityLabel l = c.domain().getSecurityLabel();
            ConnectProcedures.charArray(c.ret, l.label());
            c.ret.writeInt(l.enforcing() ? 1 : 0);
        });
        t.add(DOMAIN_GET_MESSAGES, "virDomainGetMessages", Access.READ, c -> {
            c.domain().getInfo();
            c.ret.writeInt(0); // jvirt keeps no taint or deprecation messages
        });
        t.add(DOMAIN_GET_METADATA, "virDomainGetMetadata", Access.READ, c -> {
            Domain d = c.domain();
            int type = c.readInt();
            String uri = c.readOptionalString("uri");
            c.ret.writeString(d.getMetadata(type, uri, c.readInt()));
        });
        t.add(DOMAIN_UPDATE_DEVICE_FLAGS, "virDomainUpdateDeviceFlags", Access.WRITE, c -> {
            Domain d = c.domain();
            String xml = c.readString("xml");
            d.updateDeviceFlags(xml, c.readInt());
        });
        t.add(DOMAIN_SET_METADATA, "virDomainSetMetadata", Access.WRITE, c -> {
            Domain d = c.domain();
            int type = c.readInt();
            String metadata = c.readOptionalString("metadata");
            String key = c.readOptionalString("key");
            String uri = c.readOptionalString("uri");
            d.setMetadata(type, metadata, key, uri, c.readInt());
        });
        t.add(DOMAIN_MEMORY_STATS, "virDomainMemoryStats", Access.READ, c -> {
            Domain d = c.domain();
            int max = c.readInt();
            if (max > Limits.MEMORY_STATS_MAX) throw RpcFailure.rpc("maxStats > REMOTE_DOMAIN_MEMORY_STATS_MAX");
            MemoryStatistic[] stats = d.memoryStats(max);
            c.ret.writeInt(stats.length);
            for (MemoryStatistic s : stats) c.ret.writeInt(s.tag().ordinal()).writeHyper(s.value());
        });
        t.add(DOMAIN_BLOCK_STATS, "virDomainBlockStats", Access.READ, c -> {
            Domain d = c.domain();
            DomainBlockStats s = d.blockStats(c.readString("path"));
            c.ret.writeHyper(s.rd_req).writeHyper(s.rd_bytes).writeHyper(s.wr_req).writeHyper(s.wr_bytes).writeHyper(s.errs);
        });
        t.add(DOMAIN_GET_BLOCK_INFO, "virDomainGetBlockInfo", Access.READ, c -> {
            Domain d = c.domain();
            String path = c.readString("path");
            c.readInt();
            DomainBlockInfo b = d.blockInfo(path);
            c.ret.writeHyper(b.allocation).writeHyper(b.capacity).writeHyper(b.physical);
        });
        t.add(DOMAIN_GET_JOB_INFO, "virDomainGetJobInfo", Access.READ, c -> {
            DomainJobInfo j = c.domain().getJobInfo();
            c.ret.writeInt(j.getType()).writeHyper(j.getTimeElapsed()).writeHyper(j.getTimeRemaining())
                    .writeHyper(j.getDataTotal()).writeHyper(j.getDataProcessed()).writeHyper(j.getDataRemaining())
                    .writeHyper(j.getMemTotal()).writeHyper(j.getMemProcessed()).writeHyper(j.getMemRemaining())
                    .writeHyper(j.getFileTotal()).writeHyper(j.getFileProcessed()).writeHyper(j.getFileRemaining());
        });
        t.add(DOMAIN_GET_JOB_STATS, "virDomainGetJobStats", Access.READ, c -> {
            Domain d = c.domain();
            int flags = c.readInt() & ~TYPED_PARAM_STRING_OKAY;
            DomainJobInfo j = d.getJobStats(flags);
            c.ret.writeInt(j.getType());
            c.ret.writeInt(j.stats().size());
            for (TypedParameter p : j.stats()) toWire(p).encode(c.ret);
        });
        t.add(DOMAIN_ABORT_JOB, "virDomainAbortJob", Access.WRITE, c -> c.domain().abortJob());
        t.add(DOMAIN_ABORT_JOB_FLAGS, "virDomainAbortJobFlags", Access.WRITE, c -> {
            Domain d = c.domain();
            d.abortJob(c.readInt());
        });
    }

    /** REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX. */
    static final int SCHEDULER_PARAMETERS_MAX = 16;

    private static int schedulerCount(int n) {
        if (n > SCHEDULER_PARAMETERS_MAX) throw RpcFailure.rpc("nparams too large");
        return Math.max(0, n);
    }

    private static void writeParams(Call c, TypedParameter[] params, int max) {
        int n = Math.min(max, params.length);
        c.ret.writeInt(n);
        for (int i = 0; i < n; i++) toWire(params[i]).encode(c.ret);
    }

    static TypedParameter[] readParams(Call c, int max) throws org.jvirt.rpc.XdrException {
        java.util.List<WireTypedParam> wire = WireTypedParam.decodeList(c.args, max);
        TypedParameter[] out = new TypedParameter[wire.size()];
        for (int i = 0; i < out.length; i++) out[i] = org.jvirt.driver.remote.WireTypedParams.toApi(wire.get(i));
        return out;
    }

    /** VIR_TYPED_PARAM_STRING_OKAY: added by clients to getters, stripped by the daemon. */
    static final int TYPED_PARAM_STRING_OKAY = 1 << 2;

    static WireTypedParam toWire(TypedParameter p) {
        return org.jvirt.driver.remote.WireTypedParams.toWire(p);
    }

    private static void vcpus(Call c) throws org.jvirt.driver.api.LibvirtException, org.jvirt.rpc.XdrException {
        Domain d = c.domain();
        int maxinfo = c.readInt();
        int maplen = c.readInt();
        if (maxinfo > Limits.VCPUINFO_MAX) throw RpcFailure.rpc("maxinfo > REMOTE_VCPUINFO_MAX");
        if ((long) maxinfo * maplen > Limits.CPUMAPS_MAX) throw RpcFailure.rpc("maxinfo * maplen > REMOTE_CPUMAPS_MAX");
        VcpuInfo[] info = d.getVcpusInfo();
        int n = Math.min(Math.max(0, maxinfo), info.length);
        c.ret.writeInt(n);
        for (int i = 0; i < n; i++) {
            c.ret.writeInt(info[i].number).writeInt(info[i].state.ordinal()).writeHyper(info[i].cpuTime).writeInt(info[i].cpu);
        }
        byte[] maps = new byte[Math.max(0, maxinfo) * Math.max(0, maplen)];
        for (int i = 0; i < n; i++) {
            boolean[] aff = info[i].affinity;
            for (int cpu = 0; aff != null && cpu < aff.length && cpu < maplen * 8; cpu++) {
                if (aff[cpu]) maps[i * maplen + cpu / 8] |= (byte) (1 << (cpu % 8));
            }
        }
        c.ret.writeOpaque(maps);
    }
}
