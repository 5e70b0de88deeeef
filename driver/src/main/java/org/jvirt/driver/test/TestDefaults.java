package org.jvirt.driver.test;

import org.jvirt.driver.api.NodeInfo;
import org.jvirt.driver.def.DomainDefinition;

/** The objects test:///default starts with, as libvirt's test driver formats them. */
final class TestDefaults {

    private TestDefaults() { }

    static final String DOMAIN_NAME = "test";
    static final String DOMAIN_UUID = "6695eb01-f6a4-8304-79aa-97f2502e193f";

    /** libvirt's defaultConnXML domain after parsing and normalization (without the id). */
    static final String DOMAIN_XML = """
            <domain type='test'>
              <name>test</name>
              <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
              <memory unit='KiB'>8388608</memory>
              <currentMemory unit='KiB'>2097152</currentMemory>
              <vcpu placement='static'>2</vcpu>
              <os>
                <type arch='i686'>hvm</type>
                <boot dev='hd'/>
              </os>
              <clock offset='utc'/>
              <on_poweroff>destroy</on_poweroff>
              <on_reboot>restart</on_reboot>
              <on_crash>destroy</on_crash>
              <devices>
                <disk type='file' device='disk'>
                  <source file='/guest/diskimage1'/>
                  <target dev='vda' bus='virtio'/>
                  <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
                </disk>
                <interface type='network'>
                  <mac address='aa:bb:cc:dd:ee:ff'/>
                  <source network='default'/>
                  <target dev='testnet0'/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
                </interface>
                <memballoon model='virtio'>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
                </memballoon>
              </devices>
            </domain>
            """;

    static DomainDefinition defaultDomain() {
        return DomainDefinition.lazy(DOMAIN_XML, "test", DOMAIN_NAME, DOMAIN_UUID, 8388608, 2097152, 2);
    }

    /** defaultNodeInfo: i686, 3 GiB, 16 CPUs at 1400 MHz, 2 nodes x 2 sockets x 2 cores x 2 threads. */
    static NodeInfo nodeInfo() {
        return new NodeInfo("i686", 3L * 1024 * 1024, 16, 1400, 2, 2, 2, 2);
    }

    static final int MAX_VCPUS = 32;
    static final String SECURITY_MODEL = "testSecurity";
    static final String SECURITY_LABEL = "libvirt-test";

    /** virConnectGetCapabilities of the default connection. */
    static String capabilities() {
        StringBuilder b = new StringBuilder();
        b.append("<capabilities>\n\n  <host>\n    <cpu>\n      <arch>i686</arch>\n      <features>\n")
                .append("        <pae/>\n        <nonpae/>\n      </features>\n")
                .append("      <pages unit='KiB' size='4'/>\n      <pages unit='KiB' size='8'/>\n")
                .append("      <pages unit='KiB' size='2048'/>\n      <pages unit='KiB' size='1048576'/>\n")
                .append("    </cpu>\n    <power_management/>\n    <iommu support='no'/>\n")
                .append("    <topology>\n      <cells num='2'>\n");
        for (int cell = 0; cell < 2; cell++) {
            long mem = (cell + 1) * 2048L * 1024;
            int pageSize = cell == 1 ? 8 : 4;
            b.append("        <cell id='").append(cell).append("'>\n")
                    .append("          <memory unit='KiB'>").append(mem).append("</memory>\n")
                    .append("          <pages unit='KiB' size='").append(pageSize).append("'>")
                    .append(mem / pageSize).append("</pages>\n")
                    .append("          <pages unit='KiB' size='2048'>0</pages>\n")
                    .append("          <pages unit='KiB' size='1048576'>0</pages>\n")
                    .append("          <cpus num='8'>\n");
            for (int i = 0; i < 8; i++) {
                int id = cell * 8 + i;
                b.append("            <cpu id='").append(id).append("' socket_id='").append(cell)
                        .append("' die_id='0' core_id='").append(i).append("' siblings='").append(id).append("'/>\n");
            }
            b.append("          </cpus>\n        </cell>\n");
        }
        b.append("      </cells>\n    </topology>\n    <secmodel>\n      <model>testSecurity</model>\n")
                .append("      <doi></doi>\n    </secmodel>\n  </host>\n\n");
        for (String osType : new String[] {"hvm", "xen"}) {
            b.append("  <guest>\n    <os_type>").append(osType).append("</os_type>\n")
                    .append("    <arch name='i686'>\n      <wordsize>32</wordsize>\n")
                    .append("      <emulator>/usr/bin/test-hv</emulator>\n      <domain type='test'/>\n")
                    .append("    </arch>\n    <features>\n      <pae/>\n      <nonpae/>\n    </features>\n")
                    .append("  </guest>\n\n");
        }
        return b.append("</capabilities>\n").toString();
    }
}
