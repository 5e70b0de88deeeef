package org.jvirt.driver.api;

/** What Domain.getInfo() returns (virDomainInfo), field names as libvirt-java's. */
public class DomainInfo {

    /** virDomainState, in libvirt's order (ordinal = libvirt's number). */
    public enum DomainState {
        VIR_DOMAIN_NOSTATE, VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED, VIR_DOMAIN_PAUSED,
        VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_CRASHED, VIR_DOMAIN_PMSUSPENDED
    }

    public DomainState state;
    /** Maximum memory in KiB. */
    public long maxMem;
    /** Current memory in KiB. */
    public long memory;
    public int nrVirtCpu;
    /** CPU time used, in nanoseconds. */
    public long cpuTime;

    public DomainInfo() { }

    public DomainInfo(DomainState state, long maxMem, long memory, int nrVirtCpu, long cpuTime) {
        this.state = state;
        this.maxMem = maxMem;
        this.memory = memory;
        this.nrVirtCpu = nrVirtCpu;
        this.cpuTime = cpuTime;
    }

    @Override
    public String toString() {
        return String.format("state:%s%nmaxMem:%d%nmemory:%d%nnrVirtCpu:%d%ncpuTime:%d%n",
                state, maxMem, memory, nrVirtCpu, cpuTime);
    }
}
