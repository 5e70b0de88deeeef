package org.jvirt.driver.jvirt;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.driver.api.Connect;

/**
 * A separate client process for the tests:
 * {@code start URI XMLFILE} defines and starts a domain, prints "started" and waits to be killed;
 * {@code define-loop URI XMLFILE} redefines the domain forever, alternating its description;
 * {@code save URI NAME FILE} and {@code snapshot URI NAME SNAPSHOT} print "working" just before
 * they save the running domain or take its snapshot, then "done" (for tests that kill them half-way).
 */
public final class ChildClient {
    public static void main(String[] args) throws Exception {
        Connect c = new Connect(args[1]);
        if (args[0].equals("save") || args[0].equals("snapshot")) {
            org.jvirt.driver.api.Domain d = c.domainLookupByName(args[2]);
            System.out.println("working");
            System.out.flush();
            if (args[0].equals("save")) d.save(args[3]);
            else d.snapshotCreateXML("<domainsnapshot><name>" + args[3] + "</name></domainsnapshot>");
            System.out.println("done");
            return;
        }
        String xml = Files.readString(Path.of(args[2]));
        if (args[0].equals("start")) {
            c.domainDefineXML(xml).create();
            System.out.println("started");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        } else {
            for (long i = 0; ; i++) {
                if (i == 1) {
                    System.out.println("looping"); // one define done: the class loading is behind us
                    System.out.flush();
                }
                c.domainDefineXML(xml.replace("<name>", "<description>round " + i + " " + "x".repeat((int) (i % 5000)) + "</description>\n  <name>"));
            }
        }
    }
}
