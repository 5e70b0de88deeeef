package org.jvirt.driver.api;

/** virDomainInterfaceStatsStruct, field names as libvirt-java's; -1 where a value is unknown. */
public class DomainInterfaceStats {
    public long rx_bytes;
    public long rx_packets;
    public long rx_errs;
    public long rx_drop;
    public long tx_bytes;
    public long tx_packets;
    public long tx_errs;
    public long tx_drop;

    public DomainInterfaceStats(long rxBytes, long rxPackets, long rxErrs, long rxDrop,
                                long txBytes, long txPackets, long txErrs, long txDrop) {
        this.rx_bytes = rxBytes;
        this.rx_packets = rxPackets;
        this.rx_errs = rxErrs;
        this.rx_drop = rxDrop;
        this.tx_bytes = txBytes;
        this.tx_packets = txPackets;
        this.tx_errs = txErrs;
        this.tx_drop = txDrop;
    }
}
