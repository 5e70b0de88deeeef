package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.driver.api.DomainInterfaceStats;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.devices.Interface;

/**
 * A host interface's counters from /proc/net/dev, as libvirt's virNetDevTapInterfaceStats reads
 * them. For a tap the host's view is the guest's mirrored (what the host receives the guest
 * sent), so rx and tx are swapped unless the interface shares the host's view (type
 * 'ethernet' and 'direct': virDomainNetTypeSharesHostView).
 */
final class TapCounters {

    static final Path PROC_NET_DEV = Path.of("/proc/net/dev");

    private TapCounters() { }

    /** The counters of the interface's tap (its {@code <target dev>}), from the file at procNetDev. */
    static DomainInterfaceStats of(Interface nic, Path procNetDev) throws LibvirtException {
        String dev = nic.getTarget() == null ? null : nic.getTarget().getDev();
        String type = nic.getType();
        boolean swapped = !"ethernet".equals(type) && !"direct".equals(type);
        String text;
        try {
            text = Files.readString(procNetDev);
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_NONE,
                    "Could not open /proc/net/dev: " + e.getMessage());
        }
        long[] c = dev == null ? null : parse(text, dev);
        if (c == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_NONE,
                    "/proc/net/dev: Interface not found");
        }
        return swapped ? new DomainInterfaceStats(c[4], c[5], c[6], c[7], c[0], c[1], c[2], c[3])
                : new DomainInterfaceStats(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
    }

    /**
     * The line "NAME: rx_bytes rx_packets rx_errs rx_drop fifo frame compressed multicast
     * tx_bytes tx_packets tx_errs tx_drop ...": rx bytes, packets, errs, drop then the same
     * four of tx; null when no well-formed line names ifname.
     */
    static long[] parse(String procNetDev, String ifname) {
        for (String line : procNetDev.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).strip().equals(ifname)) continue;
            String[] f = line.substring(colon + 1).strip().split("\\s+");
            if (f.length < 12) continue;
            try {
                return new long[] {num(f[0]), num(f[1]), num(f[2]), num(f[3]), num(f[8]), num(f[9]), num(f[10]), num(f[11])};
            } catch (NumberFormatException e) {
                continue; // as sscanf's short count: the line is skipped
            }
        }
        return null;
    }

    private static long num(String s) {
        return Long.parseUnsignedLong(s);
    }
}
