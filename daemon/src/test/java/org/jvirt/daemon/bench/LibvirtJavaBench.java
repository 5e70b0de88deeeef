package org.jvirt.daemon.bench;

import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * bench/jvirtd-bench.py's libvirt-java client: over one connection, as many "list --all"
 * (listDomains + listDefinedDomains) and "dominfo test" (lookup + getInfo) calls as fit in the
 * given seconds; prints "list CALLS_PER_S dominfo CALLS_PER_S". Not a test.
 */
public final class LibvirtJavaBench {
    private LibvirtJavaBench() { }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        double seconds = Double.parseDouble(args[1]);
        Connect c = new Connect(uri);
        for (int i = 0; i < 200; i++) step(c, i % 2 == 0); // warm-up
        double list = rate(c, true, seconds);
        double info = rate(c, false, seconds);
        System.out.printf("list %.1f dominfo %.1f%n", list, info);
        c.close();
    }

    private static double rate(Connect c, boolean list, double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        int n = 0;
        while (System.nanoTime() < end) {
            step(c, list);
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static void step(Connect c, boolean list) throws Exception {
        if (list) {
            c.listDomains();
            c.listDefinedDomains();
        } else {
            Domain d = c.domainLookupByName("test");
            d.getInfo();
        }
    }
}
