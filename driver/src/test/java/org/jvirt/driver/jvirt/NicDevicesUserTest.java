package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.vmm.protocol.launch.LaunchSpec;
import org.jvirt.vmm.protocol.launch.PciAddress;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.domain.devices.Devices;
import org.junit.jupiter.api.Test;

/**
 * {@code <interface type='user'>} on a jvirt URI: passt with or without {@code <backend type='passt'/>}
 * (no slirp), passt's children accepted, another backend or model refused; each becomes a
 * {@code --nic stream} on the socket of the passt started for it under libvirt's alias netN.
 */
class NicDevicesUserTest {

    private static Devices devices(String ifaces) throws Exception {
        return DomainXml.parse("<domain type='qemu'><name>u</name><memory>65536</memory><os><type>hvm</type></os><devices>"
                + ifaces + "</devices></domain>").getDevices();
    }

    @Test
    void userInterfacesArePasstsWithOrWithoutTheBackend() throws Exception {
        Devices d = devices("<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/><backend type='passt'/>"
                + "<portForward proto='tcp'><range start='2222' to='22'/></portForward><ip address='10.0.2.15' prefix='24'/><mtu size='1400'/></interface>"
                + "<interface type='user'><mac address='52:54:00:00:00:02'/><model type='virtio'/></interface>"
                + "<interface type='user'><mac address='52:54:00:00:00:03'/><model type='virtio'/><backend type='vde'/></interface>"
                + "<interface type='user'><mac address='52:54:00:00:00:04'/><model type='e1000'/></interface>");
        UnsupportedConfig.Findings f = new UnsupportedConfig.Findings();
        d.getInterfaces().forEach(i -> NicDevices.check(i, f));
        assertEquals(List.of("interface type='user' (mac 52:54:00:00:00:03: backend type='vde')",
                "interface type='user' (mac 52:54:00:00:00:04: model 'e1000')"), f.refused);

        Devices ok = devices("<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/><backend type='passt'/></interface>"
                + "<interface type='user'><mac address='52:54:00:00:00:02'/><model type='virtio'/></interface>");
        List<String> started = new ArrayList<>();
        List<LaunchSpec.Nic> nics = NicDevices.resolve(ok, List.of(PciAddress.parse("00:03.0"), PciAddress.parse("00:04.0")),
                net -> { throw new AssertionError(); }, Path.of("/nonexistent"), (i, alias) -> {
                    started.add(alias + " " + i.getMac().getAddress());
                    return Path.of("/run/p/" + alias + ".socket");
                });
        assertEquals(List.of("net0 52:54:00:00:00:01", "net1 52:54:00:00:00:02"), started);
        assertEquals(List.of(LaunchSpec.Nic.stream(Path.of("/run/p/net0.socket"), "52:54:00:00:00:01").withAddress(PciAddress.parse("00:03.0")),
                LaunchSpec.Nic.stream(Path.of("/run/p/net1.socket"), "52:54:00:00:00:02").withAddress(PciAddress.parse("00:04.0"))), nics);
    }
}
