package org.jvirt.driver.api;

/** virDomainBlockStatsStruct, field names as libvirt-java's; -1 where a value is unknown. */
public class DomainBlockStats {
    public long rd_req;
    public long rd_bytes;
    public long wr_req;
    public long wr_bytes;
    public long errs;

    public DomainBlockStats(long rdReq, long rdBytes, long wrReq, long wrBytes, long errs) {
        this.rd_req = rdReq;
        this.rd_bytes = rdBytes;
        this.wr_req = wrReq;
        this.wr_bytes = wrBytes;
        this.errs = errs;
    }
}
