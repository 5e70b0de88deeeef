package org.jvirt.driver.api;

/** virNodeInfo, field names as libvirt-java's. Memory in KiB, mhz in MHz. */
public class NodeInfo {
    public String model;
    public long memory;
    public int cpus;
    public int mhz;
    public int nodes;
    public int sockets;
    public int cores;
    public int threads;

    public NodeInfo() { }

    public NodeInfo(String model, long memory, int cpus, int mhz, int nodes, int sockets, int cores, int threads) {
        this.model = model;
        this.memory = memory;
        this.cpus = cpus;
        this.mhz = mhz;
        this.nodes = nodes;
        this.sockets = sockets;
        this.cores = cores;
        this.threads = threads;
    }

    /** VIR_NODEINFO_MAXCPUS: the number of host CPUs a cpumap covers. */
    public int maxCpus() {
        return nodes * sockets * cores * threads;
    }
}
