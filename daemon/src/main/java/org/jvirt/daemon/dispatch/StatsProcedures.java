package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.*;

import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainStats;
import org.jvirt.driver.api.NodeStatistic;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.rpc.Limits;
import org.jvirt.rpc.RemoteDomain;

/** Host and domain statistics: domstats, nodecpustats, nodememstats. */
final class StatsProcedures {
    private StatsProcedures() { }

    /** REMOTE_NODE_CPU_STATS_MAX and REMOTE_NODE_MEMORY_STATS_MAX. */
    static final int NODE_STATS_MAX = 16;

    static void register(ProcedureTable t) {
        t.add(CONNECT_GET_ALL_DOMAIN_STATS, "virConnectGetAllDomainStats", Access.READ, c -> {
            int n = c.args.readCount(Limits.DOMAIN_LIST_MAX, 24, "domains");
            Domain[] doms = new Domain[n];
            for (int i = 0; i < n; i++) doms[i] = c.conn().domainFor(Call.toRef(RemoteDomain.decode(c.args)));
            int stats = c.readInt();
            int flags = c.readInt();
            DomainStats[] all = n == 0 ? c.conn().getAllDomainStats(stats, flags) : c.conn().domainListGetStats(doms, stats, flags);
            c.ret.writeInt(all.length);
            for (DomainStats s : all) {
                c.writeDomain(s.domain());
                c.ret.writeInt(s.params().size());
                for (TypedParameter p : s.params()) DomainInfoProcedures.toWire(p).encode(c.ret);
            }
        });
        t.add(NODE_GET_CPU_MAP, "virNodeGetCPUMap", Access.READ, c -> {
            boolean needMap = c.readInt() != 0;
            boolean needOnline = c.readInt() != 0;
            c.readInt();
            boolean[] cpus = c.conn().getCPUMap();
            byte[] map = new byte[needMap ? (cpus.length + 7) / 8 : 0];
            int online = 0;
            for (int i = 0; i < cpus.length; i++) {
                if (!cpus[i]) continue;
                online++;
                if (needMap) map[i / 8] |= (byte) (1 << (i % 8));
            }
            c.ret.writeOpaque(map).writeInt(needOnline ? online : 0).writeInt(cpus.length);
        });
        t.add(NODE_GET_CPU_STATS, "virNodeGetCPUStats", Access.READ, c -> {
            int cpu = c.readInt();
            int nparams = count(c.readInt());
            write(c, c.conn().getNodeCpuStats(cpu, c.readInt()), nparams);
        });
        t.add(NODE_GET_MEMORY_STATS, "virNodeGetMemoryStats", Access.READ, c -> {
            int nparams = count(c.readInt());
            int cell = c.readInt();
            write(c, c.conn().getNodeMemoryStats(cell, c.readInt()), nparams);
        });
    }

    private static int count(int nparams) {
        if (nparams > NODE_STATS_MAX) throw RpcFailure.rpc("nparams too large");
        return Math.max(0, nparams);
    }

    /** nparams 0 asks only how many there are (libvirt's two-call pattern): params empty, nparams the count. */
    private static void write(Call c, NodeStatistic[] stats, int nparams) {
        if (nparams == 0) {
            c.ret.writeInt(0).writeInt(stats.length);
            return;
        }
        int n = Math.min(nparams, stats.length);
        c.ret.writeInt(n);
        for (int i = 0; i < n; i++) c.ret.writeString(stats[i].field()).writeHyper(stats[i].value());
        c.ret.writeInt(n);
    }
}
