package org.jvirt.driver.api;

/** virDomainBlockInfo (bytes), field names as libvirt-java's. */
public class DomainBlockInfo {
    public long capacity;
    public long allocation;
    public long physical;

    public DomainBlockInfo(long capacity, long allocation, long physical) {
        this.capacity = capacity;
        this.allocation = allocation;
        this.physical = physical;
    }

    public long getCapacity() { return capacity; }

    public long getAllocation() { return allocation; }

    public long getPhysical() { return physical; }
}
