package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.devices.Interface;
import org.junit.jupiter.api.Test;

/** What an interface update may change on a running domain, and how the interface is found. */
class NicLinkChangesTest {

    static final String LIVE = "<interface type='network'><mac address='52:54:00:aa:bb:01'/><source network='default' bridge='virbr0'/>"
            + "<target dev='vnet0'/><model type='virtio'/></interface>";

    @Test
    void foundByMacAndAddressOrLibvirtsError() throws Exception {
        List<Interface> nets = List.of(NicLinkChanges.parse(LIVE));
        assertEquals(0, NicLinkChanges.indexByMac(nets, NicLinkChanges.parse(LIVE.replace("aa:bb:01", "AA:BB:01"))));
        LibvirtException e = assertThrows(LibvirtException.class,
                () -> NicLinkChanges.indexByMac(nets, NicLinkChanges.parse(LIVE.replace("aa:bb:01", "aa:bb:02"))));
        assertEquals("device not found: no device found at address '' matching MAC address '52:54:00:aa:bb:02' and alias ''", e.getMessage());
        String atSlot3 = LIVE.replace("</interface>", "<address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></interface>");
        List<Interface> addressed = List.of(NicLinkChanges.parse(atSlot3));
        assertEquals(0, NicLinkChanges.indexByMac(addressed, NicLinkChanges.parse(atSlot3)));
        LibvirtException elsewhere = assertThrows(LibvirtException.class,
                () -> NicLinkChanges.indexByMac(addressed, NicLinkChanges.parse(atSlot3.replace("0x03", "0x04"))));
        assertEquals("device not found: no device found at address '0000:00:04.0' matching MAC address '52:54:00:aa:bb:01' and alias ''",
                elsewhere.getMessage());
    }

    @Test
    void onlyTheLinkMayChangeLive() throws Exception {
        Interface orig = NicLinkChanges.parse(LIVE);
        assertDoesNotThrow(() -> NicLinkChanges.checkOnlyLinkChanges(orig, NicLinkChanges.parse(LIVE.replace("</interface>", "<link state='down'/></interface>"))));
        assertDoesNotThrow(() -> NicLinkChanges.checkOnlyLinkChanges(orig, NicLinkChanges.parse(LIVE.replace(" bridge='virbr0'", "").replace("<target dev='vnet0'/>", ""))),
                "what the domain's inactive XML says (no tap, no bridge) is the same device");
        assertEquals("Operation not supported: unable to change config on 'network' network type", assertThrows(LibvirtException.class,
                () -> NicLinkChanges.checkOnlyLinkChanges(orig, NicLinkChanges.parse(LIVE.replace("network='default'", "network='other'")))).getMessage());
        assertEquals("Operation not supported: cannot modify network device model from virtio to e1000", assertThrows(LibvirtException.class,
                () -> NicLinkChanges.checkOnlyLinkChanges(orig, NicLinkChanges.parse(LIVE.replace("virtio", "e1000")))).getMessage());
        assertEquals("Operation not supported: cannot modify network device tap name", assertThrows(LibvirtException.class,
                () -> NicLinkChanges.checkOnlyLinkChanges(orig, NicLinkChanges.parse(LIVE.replace("vnet0", "vnet5")))).getMessage());
        assertEquals("Operation not supported: cannot modify virtio network device driver attributes", assertThrows(LibvirtException.class,
                () -> NicLinkChanges.checkOnlyLinkChanges(orig, NicLinkChanges.parse(LIVE.replace("</interface>", "<driver name='qemu' txmode='timer'/></interface>")))).getMessage());
        assertEquals("Operation not supported: unable to change config on 'network' network type: <mtu> cannot change on a running jvirt NIC",
                assertThrows(LibvirtException.class, () -> NicLinkChanges.checkOnlyLinkChanges(orig,
                        NicLinkChanges.parse(LIVE.replace("</interface>", "<mtu size='9000'/></interface>")))).getMessage());
    }

    @Test
    void linkStateIsUpUnlessDown() throws Exception {
        assertEquals("up", NicLinkChanges.linkState(NicLinkChanges.parse(LIVE)));
        assertEquals("down", NicLinkChanges.linkState(NicLinkChanges.parse(LIVE.replace("</interface>", "<link state='down'/></interface>"))));
    }
}
