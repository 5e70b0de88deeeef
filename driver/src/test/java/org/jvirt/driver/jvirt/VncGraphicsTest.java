package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DefineDefaults;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.keycode.Keycodes;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.launch.LaunchSpec;
import org.jvirt.xml.domain.Domain;
import org.junit.jupiter.api.Test;

/**
 * The VNC display's set-up at start, against the protocol jvirt-vmm speaks (its --vnc argument
 * and control commands), without running a VMM: listen addresses and ports as libvirt's qemu
 * driver decides them, the password through set_password and expire_password, and send-key's
 * translation to QEMU's key numbers.
 */
class VncGraphicsTest {

    private static DomainDefinition defined(String devices) throws LibvirtException {
        Domain m = DomainDefinition.parse("<domain type='qemu'><name>g</name><memory>65536</memory><os><type arch='x86_64'>hvm</type>"
                + "</os><devices>" + devices + "</devices></domain>");
        new DefineDefaults("x86_64", java.util.UUID::randomUUID, "vga").apply(m);
        return DomainDefinition.of(m);
    }

    private static DomainDefinition started(String devices, Set<Integer> used) throws LibvirtException {
        DomainDefinition d = defined(devices);
        VncGraphics.prepare(d, used, Path.of("/run/x/domain-g.vnc"), n -> {
            if (!n.equals("default")) throw new LibvirtException(org.jvirt.driver.api.Error.ErrorNumber.VIR_ERR_NO_NETWORK,
                    org.jvirt.driver.api.Error.ErrorDomain.VIR_FROM_NETWORK, "no network with matching name '" + n + "'");
            return "192.168.122.1";
        });
        return DomainDefinition.of(d.model());
    }

    private static String graphicsXml(DomainDefinition d) {
        String x = d.format(1);
        return x.substring(x.indexOf("<graphics"), x.indexOf("</graphics>") + 11).replaceAll("\\n\\s*", "");
    }

    @Test
    void autoportTakesTheFirstPortNoDomainHoldsAndTheDefaultListen() throws Exception {
        int free = VncGraphics.allocate(Set.of());
        DomainDefinition d = started("<graphics type='vnc' autoport='yes'/>", Set.of(free));
        int port = Integer.parseInt(VncGraphics.vnc(d.model().getDevices()).getPort());
        assertTrue(port > free, "a port another domain shows is skipped: " + port);
        assertEquals("<graphics type='vnc' port='" + port + "' autoport='yes' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/>"
                + "</graphics>", graphicsXml(d));
        LaunchSpec.Vnc vnc = VncGraphics.launch(d.model().getDevices());
        List<String> args = LaunchSpec.of(Path.of("/k")).withVnc(vnc).toArgs();
        assertEquals("tcp:127.0.0.1:" + port, args.get(args.indexOf("--vnc") + 1));
        // the config keeps port -1, and a video came with the graphics (QEMU's default on x86: vga)
        String inactive = defined("<graphics type='vnc' autoport='yes'/>").format(-1);
        assertTrue(inactive.contains("<graphics type='vnc' port='-1' autoport='yes'>"), inactive);
        assertTrue(inactive.contains("<model type='vga' vram='16384' heads='1' primary='yes'/>"), inactive);
    }

    @Test
    void aPortInUseOnTheHostIsSkipped() throws Exception {
        int first = VncGraphics.allocate(Set.of());
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), first));
            assertTrue(VncGraphics.allocate(Set.of()) > first);
        }
    }

    @Test
    void listenAddressesNetworksAndSockets() throws Exception {
        DomainDefinition fixed = started("<graphics type='vnc' port='5907' listen='0.0.0.0' sharePolicy='force-shared' passwd='pw'/>", Set.of());
        assertEquals("<graphics type='vnc' port='5907' autoport='no' listen='0.0.0.0' sharePolicy='force-shared' passwd='pw'>"
                + "<listen type='address' address='0.0.0.0'/></graphics>", graphicsXml(fixed));
        assertEquals("tcp:0.0.0.0:5907,share=force-shared,password=on", VncGraphics.launch(fixed.model().getDevices()).toArg());

        DomainDefinition net = started("<graphics type='vnc' port='5908'><listen type='network' network='default'/></graphics>", Set.of());
        assertEquals("<graphics type='vnc' port='5908' autoport='no' listen='192.168.122.1'>"
                + "<listen type='network' address='192.168.122.1' network='default'/></graphics>", graphicsXml(net));
        assertThrows(LibvirtException.class, () -> started("<graphics type='vnc'><listen type='network' network='x'/></graphics>", Set.of()));

        DomainDefinition sock = started("<graphics type='vnc'><listen type='socket'/></graphics>", Set.of());
        assertEquals("unix:/run/x/domain-g.vnc", VncGraphics.launch(sock.model().getDevices()).toArg());
        assertEquals("<graphics type='vnc'><listen type='socket' socket='/run/x/domain-g.vnc'/></graphics>", graphicsXml(sock));
        DomainDefinition given = started("<graphics type='vnc'><listen type='socket' socket='/tmp/v.sock'/></graphics>", Set.of());
        assertEquals("unix:/tmp/v.sock", VncGraphics.launch(given.model().getDevices()).toArg());
    }

    @Test
    void thePasswordGoesThroughTheControlSocketOnly() throws Exception {
        DomainDefinition d = started("<graphics type='vnc' port='5909' passwd='secret' passwdValidTo='2030-01-01T00:00:00'/>", Set.of());
        assertTrue(VncGraphics.launch(d.model().getDevices()).password());
        String args = String.join(" ", LaunchSpec.of(Path.of("/k")).withVnc(VncGraphics.launch(d.model().getDevices())).toArgs());
        assertTrue(!args.contains("secret"), args);
        long validTo = java.time.Instant.parse("2030-01-01T00:00:00Z").getEpochSecond();
        assertEquals(List.of(new Command.SetPassword("vnc", "secret", "keep"), new Command.ExpirePassword("vnc", Long.toString(validTo))),
                VncGraphics.passwordCommands(d.model().getDevices(), validTo - 10));
        assertEquals(new Command.ExpirePassword("vnc", "now"), VncGraphics.passwordCommands(d.model().getDevices(), validTo).get(1));
        DomainDefinition never = started("<graphics type='vnc' port='5909' passwd='secret'/>", Set.of());
        assertEquals(new Command.ExpirePassword("vnc", "never"), VncGraphics.passwordCommands(never.model().getDevices(), 0).get(1));
        assertEquals(List.of(), VncGraphics.passwordCommands(started("<graphics type='vnc' port='5909'/>", Set.of()).model().getDevices(), 0));
        // and dumpxml leaves it out unless asked for the security info
        assertTrue(!DomainDefinition.formatSecure(d, 1, false).contains("secret"));
        assertTrue(DomainDefinition.formatSecure(d, 1, true).contains("passwd='secret' passwdValidTo='2030-01-01T00:00:00'"));
    }

    @Test
    void whatJvirtVmmCannotShowIsRefused() throws Exception {
        UnsupportedConfig.Findings f = new UnsupportedConfig.Findings();
        for (String g : List.of("<graphics type='spice' autoport='yes'/>", "<graphics type='vnc' websocket='5700'/>",
                "<graphics type='vnc' keymap='de'/>", "<graphics type='vnc' keymap='en-us'/>", "<graphics type='sdl'/>")) {
            DomainDefinition d = defined(g);
            DeviceChecks.check(d.model().getDevices(), false, f);
        }
        DeviceChecks.check(defined("<graphics type='vnc'/><graphics type='vnc'/>").model().getDevices(), false, f);
        assertEquals(List.of("graphics type='spice'", "graphics type='vnc' (websocket 5700)",
                "graphics type='vnc' (keymap 'de' (jvirt-vmm has the en-us map only))", "graphics type='sdl'",
                "graphics type='vnc' (a second VNC display)"), f.refused);
    }

    @Test
    void sendKeyTranslatesEveryCodesetToQemuNumbers() throws Exception {
        assertArrayEquals(new int[] {0x1d, 0x38, 0xd3}, DomainDisplay.toQnum(Keycodes.LINUX,
                new int[] {Keycodes.valueFromString(Keycodes.LINUX, "KEY_LEFTCTRL"), Keycodes.valueFromString(Keycodes.LINUX, "KEY_LEFTALT"),
                        Keycodes.valueFromString(Keycodes.LINUX, "KEY_DELETE")}));
        assertArrayEquals(new int[] {0x1e}, DomainDisplay.toQnum(Keycodes.WIN32, new int[] {Keycodes.valueFromString(Keycodes.WIN32, "VK_A")}));
        assertArrayEquals(new int[] {0x1e}, DomainDisplay.toQnum(Keycodes.codesetFromString("usb"), new int[] {4}));
        assertArrayEquals(new int[] {0x1234}, DomainDisplay.toQnum(Keycodes.QNUM, new int[] {0x1234}), "qnum goes as it is, as libvirt's");
        LibvirtException e = assertThrows(LibvirtException.class, () -> DomainDisplay.toQnum(Keycodes.codesetFromString("xt"), new int[] {1000}));
        assertEquals("internal error: cannot translate keycode 1000 of xt codeset to qnum keycode", e.getMessage());
        assertNull(Keycodes.codesetName(10));
    }
}
