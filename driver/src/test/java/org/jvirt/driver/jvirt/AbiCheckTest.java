package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.junit.jupiter.api.Test;

/** libvirt's ABI stability checks for a save image's new XML, in libvirt's words (the strings of libvirt.so 9.0). */
class AbiCheckTest {

    private static final String BASE = "<domain type='kvm'><name>d</name><uuid>6f1c1e52-8d0a-4a57-9b1e-2f9a4c3d7e10</uuid>"
            + "<memory unit='MiB'>64</memory><currentMemory unit='MiB'>64</currentMemory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type><kernel>/k</kernel></os><devices>"
            + "<disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/></disk>"
            + "<serial type='pty'><target port='0'/></serial></devices></domain>";

    private static DomainDefinition def(String xml) throws LibvirtException {
        return DomainDefinition.of(DomainDefinition.parse(xml));
    }

    private static String refused(String changed) throws LibvirtException {
        DomainDefinition src = def(BASE), dst = def(changed);
        return assertThrows(LibvirtException.class, () -> AbiCheck.check(src, dst)).getMessage();
    }

    @Test
    void theSameMachineOnOtherFilesOrAnotherVirtTypePasses() throws Exception {
        AbiCheck.check(def(BASE), def(BASE.replace("/a.img", "/b.qcow2").replace("type='kvm'", "type='qemu'")
                .replace("<name>d</name>", "<name>d</name><title>t</title>")));
    }

    @Test
    void devicesMustMatchInLibvirtsWords() throws Exception {
        String disk = "<disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/></disk>";
        assertEquals("unsupported configuration: Target domain disk count 0 does not match source 1", refused(BASE.replace(disk, "")));
        assertEquals("unsupported configuration: Target disk device cdrom does not match source disk",
                refused(BASE.replace("device='disk'", "device='cdrom'")));
        assertEquals("unsupported configuration: Target disk bus sata does not match source virtio",
                refused(BASE.replace("bus='virtio'", "bus='sata'")));
        assertEquals("unsupported configuration: Target disk vdb does not match source vda", refused(BASE.replace("vda", "vdb")));
        assertEquals("unsupported configuration: Target domain serial port count 0 does not match source 1",
                refused(BASE.replace("<serial type='pty'><target port='0'/></serial>", "")));
        assertEquals("unsupported configuration: Target domain net card count 1 does not match source 0",
                refused(BASE.replace("</devices>", "<interface type='user'/></devices>")));
        assertEquals("unsupported configuration: Target domain uuid 6f1c1e52-8d0a-4a57-9b1e-2f9a4c3d7e11 does not match source "
                + "6f1c1e52-8d0a-4a57-9b1e-2f9a4c3d7e10", refused(BASE.replace("7e10", "7e11").replace("<name>d<", "<name>e<")));
    }
}
