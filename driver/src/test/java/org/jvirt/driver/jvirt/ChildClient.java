package org.jvirt.driver.jvirt;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.driver.api.Connect;

/**
 * A separate client process for the tests:
 * {@code start URI XMLFILE} defines and starts a domain, prints "started" and waits to be killed;
 * {@code define-loop URI XMLFILE} redefines the domain forever, alternating its description.
 */
public final class ChildClient {
    public static void main(String[] args) throws Exception {
        Connect c = new Connect(args[1]);
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
