package org.jvirt.examples;

import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo;
import org.jvirt.driver.api.LibvirtException;

import java.io.PrintStream;

/**
 * Lists every domain of a connection with its state, memory and vCPUs, as a libvirt-java
 * program would (only the imports differ). Usage: ListDomains [URI] (default: test:///default).
 */
public final class ListDomains {

    public static void main(String[] args) {
        String uri = args.length > 0 ? args[0] : "test:///default";
        try {
            run(uri, System.out);
        } catch (LibvirtException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    static void run(String uri, PrintStream out) throws LibvirtException {
        Connect conn = new Connect(uri, true);
        try {
            out.printf("%s (%s, version %d)%n", conn.getURI(), conn.getType(), conn.getVersion());
            for (Domain d : conn.listAllDomains(0)) {
                DomainInfo info = d.getInfo();
                out.printf("%-12s %-10s %8d KiB %2d vCPU(s)%n", d.getName(), state(info.state), info.memory, info.nrVirtCpu);
            }
        } finally {
            conn.close();
        }
    }

    private static String state(DomainInfo.DomainState s) {
        return s.name().substring("VIR_DOMAIN_".length()).toLowerCase();
    }
}
