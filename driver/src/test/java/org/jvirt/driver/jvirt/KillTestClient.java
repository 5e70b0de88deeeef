package org.jvirt.driver.jvirt;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;

/**
 * The client {@link KilledClientKvmTest} kills: {@code URI XMLFILE} defines, starts and destroys
 * the domain in a loop, printing each step before it begins ("ready" once connected), until
 * it is killed with SIGKILL at a random point.
 */
public final class KillTestClient {
    public static void main(String[] args) throws Exception {
        Connect c = new Connect(args[0]);
        String xml = Files.readString(Path.of(args[1]));
        say("ready");
        while (true) {
            say("define");
            Domain d = c.domainDefineXML(xml);
            say("start");
            d.create();
            say("destroy");
            d.destroy();
        }
    }

    private static void say(String step) {
        System.out.println(step);
        System.out.flush();
    }
}
