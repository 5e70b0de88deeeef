package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DefineDefaults;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.xml.domain.Domain;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * PCI placement on jvirt-vmm's command line: the q35 root ports and the virtio disks'
 * {@code <address type='pci'>} of virt-install's XML (../shared/fixtures/virt-install), read
 * back from the XML itself; libvirt's refusals of colliding and impossible addresses, in its
 * words; a q35 disk without an address behind a root port of its own, as libvirt assigns it.
 */
class VmmCommandPciTest {

    @TempDir Path dir;

    private List<String> args(String xml) throws Exception {
        Domain d = DomainDefinition.parse(xml);
        new DefineDefaults("x86_64", UUID::randomUUID).apply(d);
        PcDefaults.apply(d);
        JvirtPaths paths = new JvirtPaths(dir.resolve("etc"), dir.resolve("run"), dir.resolve("log"));
        Files.createDirectories(paths.logDir());
        Path kvm = dir.resolve("kvm"); // VmmCommand only checks that the KVM device is readable and writable
        if (!Files.exists(kvm)) Files.createFile(kvm);
        return VmmCommand.build(DomainDefinition.of(d), paths, false, kvm).args();
    }

    private static List<String> values(List<String> args, String option) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) if (args.get(i).equals(option)) out.add(args.get(i + 1));
        return out;
    }

    private static int hex(String v) {
        return Integer.decode(v);
    }

    @Test
    void virtInstallsRootPortsAndDiskAddressesReachTheVmm() throws Exception {
        Path fixture = Path.of(System.getProperty("jvirt.shared", "../shared"), "fixtures", "virt-install", "import-cloud.defined.xml");
        assumeTrue(Files.exists(fixture), "skipped: no ../shared/fixtures/virt-install beside the clone");
        Path image = Files.createFile(dir.resolve("cloud.qcow2"));
        // what jvirt-vmm refuses is taken out (network, guest agent channel: other work); the PCI layout stays
        String xml = Files.readString(fixture).replaceAll("/var/lib/libvirt/images/cloud.qcow2", image.toString())
                .replaceAll("(?s)<interface .*?</interface>", "").replaceAll("(?s)<channel .*?</channel>", "");
        List<String> args = args(xml);

        // expected, from the XML: each pcie-root-port's index, address, chassis and port; the virtio disk's address
        Document doc = LackingFromXml.parse(xml);
        List<String> controllers = new ArrayList<>(), disks = new ArrayList<>(), rngs = new ArrayList<>();
        for (Element dev : LackingFromXml.children(LackingFromXml.child(doc.getDocumentElement(), "devices"))) {
            Element a = LackingFromXml.child(dev, "address");
            if (dev.getTagName().equals("controller") && dev.getAttribute("model").equals("pcie-root-port")) {
                Element t = LackingFromXml.child(dev, "target");
                controllers.add(String.format("pcie-root-port,index=%s,addr=%02x.%x,chassis=%s,port=0x%x", dev.getAttribute("index"),
                        hex(a.getAttribute("slot")), hex(a.getAttribute("function")), t.getAttribute("chassis"), hex(t.getAttribute("port"))));
            }
            if (dev.getTagName().equals("rng")) {
                rngs.add(String.format("/dev/urandom,addr=%02x:%02x.%x", hex(a.getAttribute("bus")), hex(a.getAttribute("slot")), hex(a.getAttribute("function"))));
            }
            if (dev.getTagName().equals("disk")) {
                disks.add(String.format("%s,format=qcow2,bootindex=1,addr=%02x:%02x.%x", image, hex(a.getAttribute("bus")),
                        hex(a.getAttribute("slot")), hex(a.getAttribute("function"))));
            }
        }
        assertEquals(14, controllers.size());
        assertEquals(controllers, values(args, "--controller"));
        assertEquals(List.of(image + ",format=qcow2,bootindex=1,addr=04:00.0"), disks);
        assertEquals(disks, values(args, "--disk"));
        assertEquals(List.of("/dev/urandom,addr=06:00.0"), rngs);
        assertEquals(rngs, values(args, "--rng"));
        assertEquals(List.of("q35"), values(args, "--machine"));
    }

    /**
     * virt-install's own XML (--print-xml: 14 root ports and the devices, no addresses) placed as
     * libvirtd placed it in the stored definition: each root port's address, chassis and port,
     * and the place of every device libvirt gave one (the primary video at 00:01.0; the network,
     * the USB controller and the virtio-serial controller libvirt adds for the guest agent's
     * channel before the disk, then balloon and rng), for both q35 fixtures.
     */
    @Test
    void virtInstallsDevicesWithoutAddressesArePlacedAsLibvirtdPlacedThem() throws Exception {
        Path dirOf = Path.of(System.getProperty("jvirt.shared", "../shared"), "fixtures", "virt-install");
        assumeTrue(Files.isDirectory(dirOf), "skipped: no ../shared/fixtures/virt-install beside the clone");
        for (String name : List.of("import-cloud", "install-cdrom-vnc")) {
            Domain printed = DomainDefinition.parse(Files.readString(dirOf.resolve(name + ".print.xml")));
            PciPlacement.Plan plan = PciPlacement.of(printed.getDevices(), true);
            List<String> got = new ArrayList<>();
            for (var c : plan.controllers()) got.add(String.format("root port %d at 00:%02x.%x chassis %d port 0x%x", c.index(), c.address().slot(),
                    c.address().function(), c.chassis(), c.port()));
            plan.addresses().forEach((dev, a) -> {
                if (dev instanceof org.jvirt.xml.domain.devices.Controller c && "pci".equals(c.getType())) return;
                String what = dev instanceof String implicit ? implicit // the virtio-serial controller libvirt adds for the channel
                        : label(UnsupportedConfig.nameOf(dev), dev instanceof org.jvirt.xml.domain.devices.Controller c ? c.getType() : null);
                got.add(what + String.format(" at %02x:%02x.%x", a.bus(), a.slot(), a.function()));
            });
            // expected: what libvirtd stored (the .defined.xml), read with the DOM
            List<String> want = new ArrayList<>();
            Document defined = LackingFromXml.parse(Files.readString(dirOf.resolve(name + ".defined.xml")));
            List<String> devicesWithAddresses = new ArrayList<>();
            for (Element dev : LackingFromXml.children(LackingFromXml.child(defined.getDocumentElement(), "devices"))) {
                Element a = LackingFromXml.child(dev, "address");
                if (a == null || !a.getAttribute("type").equals("pci")) continue;
                if (dev.getTagName().equals("controller") && dev.getAttribute("model").equals("pcie-root-port")) {
                    Element t = LackingFromXml.child(dev, "target");
                    want.add(String.format("root port %s at 00:%02x.%x chassis %s port 0x%x", dev.getAttribute("index"), hex(a.getAttribute("slot")),
                            hex(a.getAttribute("function")), t.getAttribute("chassis"), hex(t.getAttribute("port"))));
                } else if (hex(a.getAttribute("bus")) > 0 || dev.getTagName().equals("video")) { // 00:1f.2 is the q35's own
                    devicesWithAddresses.add(label(dev.getTagName(), dev.getTagName().equals("controller") ? dev.getAttribute("type") : null)
                            + String.format(" at %02x:%02x.%x", hex(a.getAttribute("bus")), hex(a.getAttribute("slot")), hex(a.getAttribute("function"))));
                }
            }
            want.addAll(devicesWithAddresses);
            java.util.Collections.sort(want.subList(14, want.size()));
            java.util.Collections.sort(got.subList(Math.min(14, got.size()), got.size()));
            assertEquals(want, got, name);
        }
    }

    private static String label(String tag, String controllerType) {
        return controllerType == null ? tag : tag + " " + controllerType;
    }

    private String domain(String machine, String devices) throws Exception {
        Path kernel = dir.resolve("k.elf");
        if (!Files.exists(kernel)) Files.createFile(kernel);
        for (String n : List.of("a.img", "b.img")) if (!Files.exists(dir.resolve(n))) Files.createFile(dir.resolve(n));
        return "<domain type='kvm'><name>t</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='" + machine + "'>hvm</type><kernel>" + kernel + "</kernel></os><devices>"
                + devices + "</devices></domain>";
    }

    private String disk(String name, String dev, String address) {
        return "<disk type='file' device='disk'><source file='" + dir.resolve(name) + "'/><target dev='" + dev + "' bus='virtio'/>"
                + address + "</disk>";
    }

    private static String pci(int bus, int slot, int fn) {
        return String.format("<address type='pci' domain='0x0000' bus='0x%02x' slot='0x%02x' function='0x%x'/>", bus, slot, fn);
    }

    private static String rootPort(int index, int slot, int fn) {
        return "<controller type='pci' index='" + index + "' model='pcie-root-port'><model name='pcie-root-port'/><target chassis='"
                + index + "' port='0x" + Integer.toHexString(0x10 + index) + "'/>" + pci(0, slot, fn) + "</controller>";
    }

    @Test
    void addressesOnThePcRootBusAreHonouredAndTheRestLeftToTheVmm() throws Exception {
        List<String> args = args(domain("pc", disk("a.img", "vda", pci(0, 5, 0)) + disk("b.img", "vdb", "")));
        assertEquals(List.of(dir.resolve("a.img") + ",addr=00:05.0", dir.resolve("b.img").toString()), values(args, "--disk"));
        assertEquals(List.of(), values(args, "--controller"));
    }

    /**
     * libvirt's inputs reach the VMM: the qemu-xhci at its address with a USB tablet on it, and
     * virtio keyboard, mouse and tablet at the addresses a real libvirtd 9.0 gave them on a pc
     * (00:03.0 the xHCI, then 00:06.0-00:08.0 after balloon and rng; measured by defining the
     * same devices without addresses on qemu:///session), the PS/2 pair not passed (built in).
     */
    @Test
    void usbAndVirtioInputsReachTheVmmAtTheirAddresses() throws Exception {
        List<String> args = args(domain("pc", "<controller type='usb' index='0' model='qemu-xhci'>" + pci(0, 3, 0) + "</controller>"
                + "<input type='tablet' bus='usb'><address type='usb' bus='0' port='1'/></input>"
                + "<input type='keyboard' bus='virtio'>" + pci(0, 6, 0) + "</input>"
                + "<input type='mouse' bus='virtio'>" + pci(0, 7, 0) + "</input>"
                + "<input type='tablet' bus='virtio'>" + pci(0, 8, 0) + "</input>"
                + "<input type='mouse' bus='ps2'/><input type='keyboard' bus='ps2'/>"));
        assertEquals(List.of("qemu-xhci,addr=00:03.0"), values(args, "--usb"));
        assertEquals(List.of("tablet,bus=usb", "keyboard,bus=virtio,addr=00:06.0", "mouse,bus=virtio,addr=00:07.0",
                "tablet,bus=virtio,addr=00:08.0"), values(args, "--input"));
        List<String> none = args(domain("pc", "<input type='mouse' bus='ps2'/><input type='keyboard' bus='ps2'/>"));
        assertEquals(List.of(), values(none, "--usb"));
        // virt-install's controller: ports='15' is libvirt's -device qemu-xhci,p2=15,p3=15
        List<String> ports = args(domain("pc", "<controller type='usb' index='0' model='qemu-xhci' ports='15'>" + pci(0, 3, 0) + "</controller>"
                + "<input type='tablet' bus='usb'><address type='usb' bus='0' port='1'/></input>"));
        assertEquals(List.of("qemu-xhci,addr=00:03.0,ports=15"), values(ports, "--usb"));
        org.jvirt.driver.api.LibvirtException tooMany = assertThrows(org.jvirt.driver.api.LibvirtException.class,
                () -> args(domain("pc", "<controller type='usb' index='0' model='qemu-xhci' ports='16'/><input type='tablet' bus='usb'/>")));
        assertTrue(tooMany.getMessage().contains("'qemu-xhci' controller only supports up to '15' ports"), tooMany.getMessage());
        assertEquals(List.of(), values(none, "--input"));
        LibvirtException e = assertThrows(LibvirtException.class, () -> args(domain("pc",
                "<controller type='usb' index='0' model='piix3-uhci'/><input type='tablet' bus='usb'/><input type='passthrough' bus='virtio'/>")));
        assertEquals("unsupported configuration: jvirt-vmm cannot provide: input type='tablet' (bus usb) on a USB controller model='piix3-uhci'"
                + " (jvirt-vmm's USB controller is model='qemu-xhci'); input type='passthrough' (bus virtio)", e.getMessage());
    }

    /**
     * The balloon reaches the VMM at its address with deflate and the stats period; on the pc one
     * without an address is left to the VMM (its next free slot after the disks and rng, as a
     * disk without one; libvirtd writes an address into the XML it stores); model none passes nothing.
     */
    @Test
    void theBalloonReachesTheVmmAtItsAddress() throws Exception {
        assertEquals(List.of("virtio,addr=00:07.0,deflate-on-oom=on,stats-period=10"), values(args(domain("pc",
                "<memballoon model='virtio' autodeflate='on'>" + pci(0, 7, 0) + "<stats period='10'/></memballoon>")), "--balloon"));
        assertEquals(List.of("virtio"), values(args(domain("pc", "<memballoon model='virtio'/>")), "--balloon"));
        assertEquals(List.of(), values(args(domain("pc", "<memballoon model='none'/>")), "--balloon"));
    }

    /** The rng reaches the VMM at its address; on the pc one without an address is left to the VMM (as the balloon). */
    @Test
    void theRngReachesTheVmmAtItsAddress() throws Exception {
        assertEquals(List.of("/dev/random,addr=00:09.0"), values(args(domain("pc",
                "<rng model='virtio'><backend model='random'>/dev/random</backend>" + pci(0, 9, 0) + "</rng>")), "--rng"));
        assertEquals(List.of("/dev/urandom"), values(args(domain("pc", "<rng model='virtio'><backend model='builtin'/></rng>")), "--rng"));
    }

    @Test
    void aQ35DiskWithoutAnAddressGetsARootPortOfItsOwn() throws Exception {
        List<String> args = args(domain("q35", "<controller type='pci' index='0' model='pcie-root'/>" + rootPort(1, 1, 0)
                + disk("a.img", "vda", pci(1, 0, 0)) + disk("b.img", "vdb", "")));
        assertEquals(List.of("pcie-root-port,index=1,addr=01.0,chassis=1,port=0x11", "pcie-root-port,index=2,addr=01.1,chassis=2,port=0x9"),
                values(args, "--controller"));
        assertEquals(List.of(dir.resolve("a.img") + ",addr=01:00.0", dir.resolve("b.img") + ",addr=02:00.0"), values(args, "--disk"));
    }

    @Test
    void impossibleAddressesAreRefusedInLibvirtsWords() throws Exception {
        String root = "<controller type='pci' index='0' model='pcie-root'/>" + rootPort(1, 2, 0) + rootPort(2, 2, 1);
        String[][] cases = {
                {root + disk("a.img", "vda", pci(0, 2, 1)), "Attempted double use of PCI Address 0000:00:02.1"},
                {root + disk("a.img", "vda", pci(1, 0, 0)) + disk("b.img", "vdb", pci(1, 0, 0)), "Attempted double use of PCI Address 0000:01:00.0"},
                {root + disk("a.img", "vda", pci(0, 0x1f, 0)), "Attempted double use of PCI Address 0000:00:1f.0"},
                {root + disk("a.img", "vda", pci(3, 0, 0)), "Invalid PCI address 0000:03:00.0. Only PCI buses up to 2 are available"},
                {root + disk("a.img", "vda", pci(1, 1, 0)), "Invalid PCI address 0000:01:01.0. slot must be <= 0"},
                {root + disk("a.img", "vda", pci(0, 0, 3)), "Invalid PCI address 0000:00:00.3. slot must be >= 1"},
                {root + disk("a.img", "vda", "<address type='pci' domain='0x0001' bus='0x00' slot='0x05' function='0x0'/>"),
                        "Invalid PCI address 0001:00:05.0. Only PCI domain 0 is available"},
        };
        for (String[] c : cases) {
            LibvirtException e = assertThrows(LibvirtException.class, () -> args(domain("q35", c[0])), c[1]);
            assertEquals(ErrorNumber.VIR_ERR_XML_ERROR, e.code(), e.getMessage());
            assertEquals("XML error: " + c[1], e.getMessage());
        }
        LibvirtException pc = assertThrows(LibvirtException.class, () -> args(domain("pc", disk("a.img", "vda", pci(1, 0, 0)))));
        assertEquals("XML error: Invalid PCI address 0000:01:00.0. Only PCI buses up to 0 are available", pc.getMessage());
    }
}
