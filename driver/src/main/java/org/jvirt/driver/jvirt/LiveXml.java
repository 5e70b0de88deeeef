package org.jvirt.driver.jvirt;

import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.CharSource;
import org.jvirt.xml.domain.devices.Console;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Serial;

/** The XML of a running domain: its config plus what starting it decided (id, console pty). */
final class LiveXml {

    private LiveXml() {}

    /** The live definition: id, and the pty the console got (as libvirt shows source path and tty). */
    static String of(DomainDefinition def, int id, String consolePath, String consoleType) {
        DomainDefinition live = def.copy();
        Domain m = live.model();
        Devices devs = m.getDevices();
        if ("pty".equals(consoleType) && consolePath != null && devs != null) {
            for (Serial s : devs.getSerials()) {
                if (s.getSources().isEmpty() && "pty".equals(s.getType())) {
                    CharSource src = new CharSource();
                    src.setPath(consolePath);
                    s.addSource(src);
                }
            }
            for (Console c : devs.getConsoles()) {
                if ("pty".equals(c.getType())) {
                    c.setTty(consolePath);
                    if (c.getSources().isEmpty()) {
                        CharSource src = new CharSource();
                        src.setPath(consolePath);
                        c.addSource(src);
                    }
                }
            }
        }
        return live.format(id);
    }
}
