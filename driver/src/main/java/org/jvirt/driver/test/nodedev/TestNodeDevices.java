package org.jvirt.driver.test.nodedev;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jvirt.driver.api.Device;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.CheckFlags;
import org.jvirt.driver.spi.NodeDeviceDriver;

/**
 * The test driver's node devices: defaultConnXML's "computer" and three SCSI hosts, with the
 * XML libvirt formats for them. As libvirt 9.0's test driver, listing accepts capability
 * filters only, so virsh's nodedev-list (which always asks for active devices) fails there.
 */
public final class TestNodeDevices implements NodeDeviceDriver {

    private record Dev(String parent, String xml, List<String> caps) { }

    private final Map<String, Dev> devices = new LinkedHashMap<>();

    public TestNodeDevices() {
        devices.put("computer", new Dev(null, "<device>\n  <name>computer</name>\n  <capability type='system'>\n"
                + "    <hardware>\n      <vendor>Libvirt</vendor>\n      <version>Test driver</version>\n"
                + "      <serial>123456</serial>\n      <uuid>11111111-2222-3333-4444-555555555555</uuid>\n"
                + "    </hardware>\n    <firmware>\n      <vendor>Libvirt</vendor>\n      <version>Test Driver</version>\n"
                + "      <release_date>01/22/2007</release_date>\n    </firmware>\n  </capability>\n</device>\n",
                List.of("system")));
        devices.put("scsi_host1", scsiHost("scsi_host1", "computer", 1, 0, "12341234", "43214321", true));
        devices.put("scsi_host2", scsiHost("scsi_host2", "computer", 2, 1, "56785678", "87658765", true));
        devices.put("scsi_host11", scsiHost("scsi_host11", "scsi_host1", 11, 10, "34563456", "43214321", false));
    }

    /** An FC SCSI host as the test driver formats it (its vport counters read 0). */
    private static Dev scsiHost(String name, String parent, int host, int uniqueId, String wwn, String fabric, boolean vports) {
        String xml = "<device>\n  <name>" + name + "</name>\n  <parent>" + parent + "</parent>\n"
                + "  <capability type='scsi_host'>\n    <host>" + host + "</host>\n    <unique_id>" + uniqueId + "</unique_id>\n"
                + "    <capability type='fc_host'>\n      <wwnn>20000000" + wwn + "</wwnn>\n      <wwpn>10000000" + wwn + "</wwpn>\n"
                + "      <fabric_wwn>20000000" + fabric + "</fabric_wwn>\n    </capability>\n"
                + (vports ? "    <capability type='vport_ops'>\n      <max_vports>0</max_vports>\n      <vports>0</vports>\n    </capability>\n" : "")
                + "  </capability>\n</device>\n";
        return new Dev(parent, xml, vports ? List.of("scsi_host", "fc_host", "vports") : List.of("scsi_host", "fc_host"));
    }

    /** The bits of every capability filter (VIR_CONNECT_LIST_NODE_DEVICES_FILTERS_CAP). */
    private static long capMask() {
        return (1L << Device.CAPS.size()) - 1;
    }

    @Override
    public List<String> listAll(int flags) throws LibvirtException {
        CheckFlags.check(flags & 0xffffffffL, capMask(), "testConnectListAllNodeDevices");
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Dev> e : devices.entrySet()) {
            boolean match = flags == 0;
            for (String cap : e.getValue().caps()) match |= (flags & (1 << Device.CAPS.indexOf(cap))) != 0;
            if (match) out.add(e.getKey());
        }
        return out;
    }

    @Override
    public int numOfDevices(String cap, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testNodeNumOfDevices");
        return (int) devices.values().stream().filter(d -> cap == null || d.caps().contains(cap)).count();
    }

    @Override
    public String lookupByName(String name) throws LibvirtException {
        if (devices.containsKey(name)) return name;
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_NODE_DEVICE, ErrorDomain.VIR_FROM_TEST,
                "no node device with matching name '" + name + "'");
    }

    @Override
    public String getXMLDesc(String name, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testNodeDeviceGetXMLDesc");
        return devices.get(lookupByName(name)).xml();
    }

    /** Every device of the test driver is active and persistent (autostart is not served). */
    @Override
    public boolean isActive(String name) throws LibvirtException {
        lookupByName(name);
        return true;
    }

    @Override
    public boolean isPersistent(String name) throws LibvirtException {
        lookupByName(name);
        return true;
    }

    @Override
    public String getParent(String name) throws LibvirtException {
        String parent = devices.get(lookupByName(name)).parent();
        if (parent == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "no parent for this device");
        }
        return parent;
    }
}
