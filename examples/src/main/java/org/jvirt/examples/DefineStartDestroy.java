package org.jvirt.examples;

import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.LibvirtException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Defines a domain from an XML file, starts it, shows its state, destroys and undefines it.
 * Usage: DefineStartDestroy URI FILE.xml (e.g. jvirt:///embed?root=/tmp/demo, or test:///default).
 */
public final class DefineStartDestroy {

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: DefineStartDestroy URI FILE.xml");
            System.exit(2);
        }
        try {
            run(args[0], Path.of(args[1]), System.out);
        } catch (LibvirtException | IOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    static void run(String uri, Path xml, PrintStream out) throws LibvirtException, IOException {
        Connect conn = new Connect(uri);
        try {
            Domain d = conn.domainDefineXML(Files.readString(xml));
            out.println("defined " + d.getName() + " " + d.getUUIDString());
            d.create();
            out.println("started, id " + d.getID() + ", state " + d.getInfo().state);
            d.destroy();
            out.println("destroyed, state " + d.getInfo().state);
            d.undefine();
            out.println("undefined");
        } finally {
            conn.close();
        }
    }
}
