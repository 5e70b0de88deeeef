package org.jvirt.driver.api;

/** virVcpuInfo plus the vCPU's affinity map (one boolean per host CPU). */
public class VcpuInfo {

    /** virVcpuState. */
    public enum VcpuState { VIR_VCPU_OFFLINE, VIR_VCPU_RUNNING, VIR_VCPU_BLOCKED }

    public int number;
    public VcpuState state;
    /** CPU time in nanoseconds. */
    public long cpuTime;
    /** The host CPU it runs on. */
    public int cpu;
    public boolean[] affinity;

    public VcpuInfo(int number, VcpuState state, long cpuTime, int cpu, boolean[] affinity) {
        this.number = number;
        this.state = state;
        this.cpuTime = cpuTime;
        this.cpu = cpu;
        this.affinity = affinity;
    }
}
