package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.jvirt.driver.def.DefineDefaults;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.xml.domain.Domain;

/**
 * The PS/2 pair libvirt adds to every x86 domain, checked against what a real libvirtd 9.0
 * stored (qemu:///session, Debian 12, by hand on 2026-12-05): the mouse and keyboard appended
 * after the domain's own inputs when missing, a PS/2 input the domain has kept in its place.
 */
class PcDefaultsTest {

    private static List<String> inputs(String devices) throws Exception {
        Domain d = DomainDefinition.parse("<domain type='qemu'><name>t</name><memory unit='MiB'>64</memory>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>" + devices + "</devices></domain>");
        new DefineDefaults("x86_64", UUID::randomUUID).apply(d);
        PcDefaults.apply(d);
        Matcher m = Pattern.compile("<input type='(\\w+)' bus='(\\w+)'").matcher(DomainDefinition.of(d).format(-1));
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) out.add(m.group(1) + " " + m.group(2));
        return out;
    }

    @Test
    void thePs2MouseAndKeyboardFollowTheDomainsOwnInputsAsLibvirtAddsThem() throws Exception {
        // libvirtd: tablet usb, keyboard virtio, mouse virtio, tablet virtio, then mouse ps2, keyboard ps2
        assertEquals(List.of("tablet usb", "keyboard virtio", "mouse virtio", "tablet virtio", "mouse ps2", "keyboard ps2"),
                inputs("<controller type='usb' model='qemu-xhci'/><input type='tablet' bus='usb'/><input type='keyboard' bus='virtio'/>"
                        + "<input type='mouse' bus='virtio'/><input type='tablet' bus='virtio'/>"));
        // libvirtd: keyboard ps2 (the domain's), tablet virtio, mouse ps2
        assertEquals(List.of("keyboard ps2", "tablet virtio", "mouse ps2"), inputs("<input type='keyboard' bus='ps2'/><input type='tablet' bus='virtio'/>"));
        assertEquals(List.of("mouse ps2", "keyboard ps2"), inputs(""));
    }
    private static String storedMachine(String type) throws Exception {
        Domain d = DomainDefinition.parse("<domain type='qemu'><name>t</name><memory unit='MiB'>64</memory><os>" + type + "</os></domain>");
        new DefineDefaults("x86_64", UUID::randomUUID).apply(d);
        PcDefaults.apply(d);
        Matcher m = Pattern.compile("<type arch='x86_64'( machine='[^']*')?>hvm</type>").matcher(DomainDefinition.of(d).format(-1));
        return m.find() ? m.group(1) : "no os type";
    }

    /** What libvirtd 9.0 stored for the same definitions (qemu:///session, by hand on 2026-12-06). */
    @Test
    void theMachineIsStoredUnderItsCanonicalNameAsLibvirtStoresIt() throws Exception {
        assertEquals(" machine='pc-q35-7.2'", storedMachine("<type arch='x86_64' machine='q35'>hvm</type>"));
        assertEquals(" machine='pc-i440fx-7.2'", storedMachine("<type arch='x86_64' machine='pc'>hvm</type>"));
        assertEquals(" machine='pc-i440fx-7.2'", storedMachine("<type arch='x86_64'>hvm</type>"));
        assertEquals(" machine='pc-i440fx-7.2'", storedMachine("<type>hvm</type>"));
        assertEquals(" machine='pc-i440fx-6.2'", storedMachine("<type arch='x86_64' machine='pc-i440fx-6.2'>hvm</type>"));
    }
}
