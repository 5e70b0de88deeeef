package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DefineDefaults;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.xml.domain.Domain;
import org.junit.jupiter.api.Test;

/** The checker on small definitions, normalized as define normalizes them: no VMM, no KVM. */
class UnsupportedConfigTest {

    private static UnsupportedConfig.Result check(String xml) throws LibvirtException {
        Domain d = DomainDefinition.parse(xml);
        new DefineDefaults("x86_64", UUID::randomUUID).apply(d);
        PcDefaults.apply(d);
        return UnsupportedConfig.check(d);
    }

    /** A bootable domain (the tests' ticker guest) with extra elements in os, top level and devices. */
    private static String domain(String os, String top, String devices) {
        return "<domain type='kvm'><name>t</name><memory unit='MiB'>64</memory><vcpu>2</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type><kernel>/k.elf</kernel>" + os + "</os>" + top
                + "<devices><serial type='pty'><target port='0'/></serial>"
                + "<console type='pty'><target type='serial' port='0'/></console>" + devices + "</devices></domain>";
    }

    @Test
    void whatTheVmmProvidesPassesWithNothingOmitted() throws Exception {
        UnsupportedConfig.Result r = check(domain("<cmdline>console=ttyS0</cmdline><boot dev='hd'/>",
                "<features><acpi/><apic/><pae/></features><cpu mode='host-passthrough' check='none' migratable='on'>"
                        + "<topology sockets='1' dies='1' cores='2' threads='1'/></cpu>"
                        + "<clock offset='localtime'><timer name='pit' tickpolicy='delay'/><timer name='hpet' present='no'/></clock>"
                        + "<on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot><on_crash>restart</on_crash>"
                        + "<pm><suspend-to-mem enabled='no'/><suspend-to-disk enabled='no'/></pm>",
                "<emulator>/usr/bin/qemu-system-x86_64</emulator>"
                        + "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/a.img'/>"
                        + "<target dev='vda' bus='virtio'/><readonly/><address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/></disk>"
                        + "<disk type='block'><driver name='qemu' type='raw' cache='writeback' error_policy='report'/><source dev='/dev/sdz'/><target dev='vdb'/></disk>"
                        + "<controller type='pci' index='0' model='pci-root'/><controller type='usb' model='none'/>"
                        + "<input type='keyboard' bus='ps2'/><memballoon model='none'/><video><model type='none'/></video>"));
        assertEquals(List.of(), r.refused());
        assertEquals(List.of(), r.omitted());
        r.throwIfRefused();
    }

    @Test
    void theDemoDomainNeedsNothingTheVmmLacks() throws Exception {
        java.nio.file.Path demo = java.nio.file.Path.of("..", "examples", "domains", "demo-guest.xml");
        UnsupportedConfig.Result r = check(java.nio.file.Files.readString(demo));
        assertEquals(List.of(), r.refused());
        assertEquals(List.of(), r.omitted());
    }

    @Test
    void qcow2AndRawDisksPass() throws Exception {
        UnsupportedConfig.Result r = check(domain("", "",
                "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/a.qcow2'/><target dev='vda' bus='virtio'/></disk>"
                        + "<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none'/><source file='/b.qcow2'/>"
                        + "<backingStore/><target dev='vdb' bus='virtio'/><readonly/></disk>"
                        + "<disk type='block' device='disk'><driver name='qemu' type='raw'/><source dev='/dev/null'/><target dev='vdc' bus='virtio'/></disk>"));
        assertEquals(List.of(), r.refused());
        assertEquals(List.of("disk 'vdb' driver cache='none'"), r.omitted().stream().map(o -> o.substring(0, o.indexOf(" ("))).toList());
    }

    @Test
    void everyRefusedDeviceIsNamedInOneErrorWithItsTypeAndTarget() throws Exception {
        UnsupportedConfig.Result r = check(domain("", "",
                "<disk type='file' device='disk'><driver name='qemu' type='vmdk' cache='directsync'/><source file='/a.vmdk'/><target dev='vda' bus='virtio'/></disk>"
                        + "<disk type='file' device='disk'><source file='/b.img'/><target dev='vdb' bus='sata'/></disk>"
                        + "<disk type='file' device='cdrom'><target dev='sdc' bus='sata'/><readonly/>"
                        + "<address type='drive' controller='1' bus='0' target='0' unit='0'/></disk>"
                        + "<disk type='network' device='disk'><source protocol='nbd' name='x'/><target dev='vdc'/><serial>S1</serial></disk>"
                        + "<interface type='network'><mac address='52:54:00:12:34:56'/><source network='default'/><model type='e1000'/><bandwidth/></interface>"
                        + "<interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/><driver queues='4'/></interface>"
                        + "<interface type='direct'><mac address='52:54:00:75:fa:59'/></interface>"
                        + "<serial type='pty'><target port='1'/></serial>"
                        + "<console type='pty'><target type='virtio' port='0'/></console>"
                        + "<channel type='unix'><source mode='bind'/><target type='virtio' name='org.example.port.0'/></channel>"
                        + "<input type='tablet' bus='usb'/><graphics type='vnc' port='-1' websocket='5700'/><graphics type='spice'/><video><model type='qxl'/></video>"
                        + "<sound model='ich9'/><watchdog model='i6300esb' action='reset'/>"
                        + "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"
                        + "<rng model='virtio'><backend model='egd' type='tcp'><source mode='connect' host='h' service='1'/></backend></rng>"
                        + "<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='1' slot='0' function='0'/></source></hostdev>"
                        + "<filesystem type='mount'><source dir='/srv'/><target dir='share'/></filesystem>"
                        + "<tpm model='tpm-crb'><backend type='emulator'/></tpm><panic model='isa'/>"
                        + "<parallel type='pty'><target port='0'/></parallel>"));
        // in the order libvirt writes devices (by kind), which is the order the definition keeps
        assertEquals(List.of(
                "disk 'vda' (format vmdk, driver cache='directsync')",
                "disk 'sdc' (SATA address controller='1' bus='0' target='0' unit='0' (one controller, bus 0, units 0-5))",
                "disk 'vdc' (type network, no source file or device)",
                "filesystem type='mount' (target 'share')",
                "interface type='network' (mac 52:54:00:12:34:56: model 'e1000', <bandwidth>)",
                "interface type='bridge' (mac 52:54:00:00:00:01: driver queues='4')",
                "interface type='direct' (mac 52:54:00:75:fa:59)",
                "hostdev type='pci' (mode subsystem)",
                "serial type='pty' (port 1, jvirt-vmm has COM1 only)",
                "parallel type='pty' (port 0)",
                "console type='pty' (target virtio)",
                "channel type='unix' (target virtio 'org.example.port.0')",
                "input type='tablet' (bus usb) on no USB controller (jvirt-vmm's USB controller is model='qemu-xhci')",
                "tpm model='tpm-crb' (backend emulator)",
                "graphics type='vnc' (websocket 5700)",
                "graphics type='spice'",
                "sound model='ich9'",
                "video model='qxl'",
                "watchdog model='i6300esb' (action reset)",
                "rng model='virtio' (backend egd): a second rng",
                "panic model='isa'"), r.refused());
        LibvirtException e = assertThrows(LibvirtException.class, r::throwIfRefused);
        assertEquals(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, e.code());
        assertEquals("unsupported configuration: jvirt-vmm cannot provide: " + String.join("; ", r.refused()), e.getMessage());
    }

    @Test
    void oneVideoOfJvirtsModelsAtThePrimaryAddressIsProvidedAndOtherVideoIsNamed() throws Exception {
        UnsupportedConfig.Result ok = check(domain("", "", "<video><model type='vga' vram='16384' heads='1' primary='yes'/>"
                + "<address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/></video>"));
        assertEquals(List.of(), ok.refused());
        assertEquals(List.of(), check(domain("", "", "<video><model type='bochs' vram='16384' heads='1' primary='yes'/></video>")).refused());
        assertEquals(List.of(), check(domain("", "", "<video><model type='virtio' heads='1' primary='yes'/></video>")).refused());
        UnsupportedConfig.Result r = check(domain("", "", "<video><model type='vga' vram='8192'/></video>"
                + "<video><model type='vga'/></video><video><model type='qxl'/></video>"));
        assertEquals(List.of("video model='vga' (vram 8192 KiB (jvirt's vga has 16384))", "video model='vga' (a second video device)",
                "video model='qxl'"), r.refused());
        assertEquals(List.of("video model='vga' (PCI address other than 00:02.0)"), check(domain("", "",
                "<video><model type='vga'/><address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/></video>")).refused());
        assertEquals(List.of("video model='virtio' (vram 16384 KiB (virtio-vga's is fixed), <acceleration>)"), check(domain("", "",
                "<video><model type='virtio' vram='16384'><acceleration accel3d='yes'/></model></video>")).refused());
    }

    @Test
    void unsupportedSettingsAreNamedToo() throws Exception {
        String xml = "<domain type='qemu'><name>s</name><memory unit='MiB'>128</memory><currentMemory unit='MiB'>64</currentMemory>"
                + "<maxMemory slots='4' unit='GiB'>4</maxMemory><memtune><hard_limit unit='MiB'>256</hard_limit></memtune>"
                + "<seclabel type='none'/><seclabel type='dynamic' model='selinux'/>"
                + "<vcpu cpuset='0-1'>2</vcpu>"
                + "<os firmware='efi'><type arch='x86_64' machine='pc-q35-7.2'>hvm</type><loader readonly='yes' type='pflash'>/ovmf.fd</loader>"
                + "<boot dev='hd'/><bootmenu enable='yes'/><smbios mode='host'/></os><sysinfo type='fwcfg'><entry name='opt/a'>b</entry></sysinfo>"
                + "<features><acpi/><hyperv mode='custom'><relaxed state='on'/></hyperv><vmport state='off'/><smm state='on'/></features>"
                + "<cpu mode='host-model'><topology sockets='2' cores='1' threads='1'/><feature policy='require' name='vmx'/><numa><cell id='0' cpus='0-1' memory='128' unit='MiB'/></numa></cpu>"
                + "<clock offset='variable' adjustment='3600'><timer name='hpet' present='yes'/><timer name='pit' tickpolicy='discard'/>"
                + "<timer name='kvmclock' present='no'/></clock>"
                + "<on_poweroff>restart</on_poweroff><on_reboot>preserve</on_reboot>"
                + "<pm><suspend-to-mem enabled='yes'/><suspend-to-disk enabled='no'/></pm><devices/></domain>";
        assertEquals(List.of(
                "maxMemory (memory hotplug)",
                "<memtune>",
                "<seclabel>",
                "sysinfo type='fwcfg' (QEMU's -fw_cfg entries)",
                "currentMemory 65536 KiB below memory 131072 KiB (needs a memory balloon)",
                "vcpu cpuset='0-1' (host CPU pinning)",
                "os loader type='pflash' readonly='yes' without <nvram>",
                // host-model is the emulator's own model for type='qemu' (VirtTypesTest has the KVM side)
                "cpu feature 'vmx' (policy require)",
                "cpu topology sockets='2' dies='1' cores='1' threads='1' (jvirt-vmm: 1 socket of single-thread cores)",
                "cpu <numa>",
                "feature <hyperv>",
                "feature <smm> state='on'",
                "clock offset='variable'",
                "clock adjustment='3600'",
                "timer 'hpet'",
                "timer 'pit' (tickpolicy discard)",
                "timer 'kvmclock' (present='no')",
                "on_poweroff='restart'",
                "on_reboot='preserve'",
                "pm suspend-to-mem enabled='yes'"), check(xml).refused());
    }

    @Test
    void whatIsSafeToOmitIsListedNotRefused() throws Exception {
        UnsupportedConfig.Result r = check(domain("", "<clock offset='utc'><timer name='rtc' tickpolicy='catchup'/></clock>",
                "<disk type='block'><driver name='qemu' type='raw' cache='none' io='native'/><source dev='/dev/sdz'/><target dev='vda'/></disk>"
                        + "<disk type='file'><driver name='qemu' type='raw' cache='writethrough'/><source file='/b.img'/><target dev='vdb'/></disk>"
                        + "<controller type='usb' index='0' model='ich9-ehci1'/><controller type='usb' index='0' model='ich9-uhci1'/>"
                        + "<controller type='pci' index='0' model='pci-root'/><controller type='ide' index='0'/>"
                        + "<controller type='virtio-serial'/><input type='mouse' bus='ps2'/><input type='keyboard' bus='ps2'/>"
                        + "<channel type='unix'><source mode='bind'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
                        + "<audio id='1' type='none'/><memballoon model='virtio'><stats period='10'/></memballoon>"));
        assertEquals(List.of("disk 'vdb' (driver cache='writethrough')"), r.refused(), "the guest would see a write cache it did not ask for");
        List<String> heads = r.omitted().stream().map(o -> o.substring(0, o.indexOf(" ("))).toList();
        assertEquals(List.of("timer 'rtc' tickpolicy='catchup'", "controller type='usb' model='ich9-ehci1'",
                "controller type='usb' model='ich9-uhci1'", "controller type='ide'", "controller type='virtio-serial'",
                "disk 'vda' driver cache='none'", "disk 'vda' driver io='native'",
                "channel type='unix'", "audio type='none'"), heads);
        assertTrue(r.omitted().get(1).startsWith("controller type='usb' model='ich9-ehci1' (index 0) ("), r.omitted().get(1));
    }

    @Test
    void aVirtioBalloonIsProvidedAndLetsCurrentMemoryBeBelowMemory() throws Exception {
        String below = "<memory unit='KiB'>131072</memory><currentMemory unit='KiB'>65536</currentMemory>";
        String mib = "<memory unit='MiB'>64</memory>";
        String xml = domain("", "", "<memballoon model='virtio'><stats period='10'/></memballoon>").replace(mib, below);
        assertTrue(xml.contains(below), xml);
        UnsupportedConfig.Result r = check(xml);
        assertEquals(List.of(), r.refused());
        assertTrue(r.omitted().stream().noneMatch(o -> o.startsWith("memballoon")), r.omitted().toString());
        assertEquals(List.of("memballoon model='xen'"), check(domain("", "", "<memballoon model='xen'/>")).refused());
        assertEquals(List.of("memballoon model='virtio' with free page reporting"),
                check(domain("", "", "<memballoon model='virtio' freePageReporting='on'/>")).refused());
        assertEquals(List.of("memballoon model='virtio' with stats period '-3'"),
                check(domain("", "", "<memballoon model='virtio'><stats period='-3'/></memballoon>")).refused());
        assertEquals(List.of("currentMemory 65536 KiB below memory 131072 KiB (needs a memory balloon)"),
                check(domain("", "", "<memballoon model='none'/>").replace(mib, below)).refused());
    }

    @Test
    void pciControllersAreGroupedByModelWithLibvirtsIndexes() throws Exception {
        StringBuilder ports = new StringBuilder("<controller type='pci' model='pcie-root'/>");
        for (int i = 0; i < 5; i++) ports.append("<controller type='pci' model='pcie-root-port'/>");
        ports.append("<controller type='pci' index='9' model='pcie-root-port'/><controller type='pci' index='7' model='pci-bridge'/>");
        assertEquals(List.of("controller type='pci' model='pcie-root' (index 0)", "controller type='pci' model='pcie-root-port' (index 1-5,9)",
                "controller type='pci' model='pci-bridge' (index 7)"), check(domain("", "", ports.toString())).refused());
    }

    @Test
    void comOneIsOnePortWhateverDeviceAsksForIt() throws Exception {
        assertEquals(List.of("serial type='tcp' (port 0, type tcp)", "serial type='pty' (port 0, COM1 is taken)",
                        "serial type='file' (port 0, COM1 is taken, no source path)"),
                check(domain("", "", "").replace("<serial type='pty'><target port='0'/></serial>",
                        "<serial type='tcp'><source mode='bind' host='0' service='4444'/><target port='0'/></serial>"
                                + "<serial type='pty'><target port='0'/></serial><serial type='file'><target port='0'/></serial>")).refused());
        assertEquals(List.of("serial type='pty' (port 0, log file '/var/log/s.log')"),
                check(domain("", "", "").replace("<target port='0'/></serial>", "<log file='/var/log/s.log'/><target port='0'/></serial>")).refused());
        assertEquals(List.of(), check(domain("", "", "").replace("<serial type='pty'><target port='0'/></serial>", "")).refused(),
                "a console of target serial port 0 alone is COM1");
        assertEquals(List.of("console type='pty' (COM1 is taken)"),
                check(domain("", "", "<console type='pty'/>").replace("<serial type='pty'><target port='0'/></serial>", "")).refused());
        assertEquals(List.of("serial type='unix' (port 0, source mode connect)"),
                check(domain("", "", "").replace("<serial type='pty'><target port='0'/></serial>",
                        "<serial type='unix'><source mode='connect' path='/tmp/s'/><target port='0'/></serial>")).refused());
    }
}
