package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DefineDefaults;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.vmm.machine.MachineConfig.Accel;
import org.jvirt.xml.domain.Domain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's virt-type decisions: which accelerator, when KVM is required, what capabilities say (no VMM started). */
class VirtTypesTest {

    @TempDir Path dir;

    private static final VirtTypes.Host BOTH = new VirtTypes.Host(true, true, null),
            EMU_ONLY = new VirtTypes.Host(false, true, "missing"),
            KVM_ONLY = new VirtTypes.Host(true, false, null),
            NEITHER = new VirtTypes.Host(false, false, "missing");

    private static final String LIBVIRT_NO_KVM = "unsupported configuration: Domain requires KVM, but it is not available. "
            + "Check that virtualization is enabled in the host BIOS, and host configuration is setup to load the kvm modules.";

    @Test
    void kvmDomainsRunOnKvmAndQemuDomainsOnTheEmulator() {
        assertEquals(Accel.KVM, VirtTypes.accelFor("kvm"));
        assertEquals(Accel.EMU, VirtTypes.accelFor("qemu"));
    }

    @Test
    void theKvmDeviceCountsWhenItOpensReadWrite() throws Exception {
        Path fake = Files.createFile(dir.resolve("kvm"));
        VirtTypes.Host h = VirtTypes.Host.probe(fake);
        assertTrue(h.kvm());
        assertNull(h.kvmProblem());
        assertEquals(Accel.EMU.implemented(), h.emulator());
        VirtTypes.Host none = VirtTypes.Host.probe(dir.resolve("no-such"));
        assertFalse(none.kvm());
        assertEquals("missing", none.kvmProblem());
        if (!"root".equals(System.getProperty("user.name"))) { // root opens anything
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("r--------"));
            VirtTypes.Host ro = VirtTypes.Host.probe(fake);
            assertFalse(ro.kvm());
            assertEquals("Permission denied", ro.kvmProblem());
        }
    }

    @Test
    void aKvmDomainWithoutKvmFailsWithLibvirtsWordsAndNeverFallsBack() throws Exception {
        LibvirtException e = assertThrows(LibvirtException.class, () -> VirtTypes.requireKvmIfAsked("kvm", EMU_ONLY));
        assertEquals(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, e.code());
        assertEquals(LIBVIRT_NO_KVM, e.getMessage());
        LibvirtException denied = assertThrows(LibvirtException.class,
                () -> VirtTypes.requireKvmIfAsked("kvm", new VirtTypes.Host(false, true, "Permission denied")));
        assertTrue(denied.getMessage().startsWith("unsupported configuration: Domain requires KVM, but /dev/kvm cannot be opened (Permission denied)"),
                denied.getMessage());
        VirtTypes.requireKvmIfAsked("kvm", KVM_ONLY);
        VirtTypes.requireKvmIfAsked("qemu", EMU_ONLY);
        VirtTypes.requireKvmIfAsked("qemu", NEITHER); // the emulator's absence is SettingChecks' to report
    }

    private Domain domain(String type, String cpu) throws Exception {
        Path kernel = dir.resolve("k.elf");
        if (!Files.exists(kernel)) Files.createFile(kernel);
        Domain d = DomainDefinition.parse("<domain type='" + type + "'><name>t</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type><kernel>" + kernel + "</kernel></os>" + cpu + "<devices/></domain>");
        new DefineDefaults("x86_64", UUID::randomUUID).apply(d);
        PcDefaults.apply(d);
        return d;
    }

    private List<String> build(String type, VirtTypes.Host host) throws Exception {
        JvirtPaths paths = new JvirtPaths(dir.resolve("etc"), dir.resolve("run"), dir.resolve("log"));
        Files.createDirectories(paths.logDir());
        return VmmCommand.build(DomainDefinition.of(domain(type, "")), paths, false, host).args();
    }

    private static String accelArg(List<String> args) {
        return args.get(args.indexOf("--accel") + 1);
    }

    @Test
    void theVmmCommandCarriesTheAcceleratorOfTheVirtType() throws Exception {
        assertEquals("kvm", accelArg(build("kvm", BOTH)));
        assertEquals("kvm", accelArg(build("kvm", KVM_ONLY)));
        LibvirtException e = assertThrows(LibvirtException.class, () -> build("kvm", EMU_ONLY));
        assertEquals(LIBVIRT_NO_KVM, e.getMessage());
        if (Accel.EMU.implemented()) {
            assertEquals("emu", accelArg(build("qemu", EMU_ONLY)));
            assertEquals("emu", accelArg(build("qemu", BOTH)), "type='qemu' emulates even where KVM is there");
        } else {
            LibvirtException q = assertThrows(LibvirtException.class, () -> build("qemu", BOTH));
            assertEquals("unsupported configuration: jvirt-vmm cannot provide: domain type='qemu' "
                    + "(jvirt's CPU emulator is not available yet: use type='kvm')", q.getMessage());
        }
    }

    private static List<String> refused(Domain d) {
        return UnsupportedConfig.check(d).refused().stream().filter(r -> !r.startsWith("domain type=")).toList();
    }

    @Test
    void anEmulatedDomainHasTheEmulatorsCpuModelsOnly() throws Exception {
        assertEquals(List.of(), refused(domain("qemu", "")));
        assertEquals(List.of(), refused(domain("qemu", "<cpu mode='custom'><model>qemu64</model></cpu>")));
        assertEquals(List.of(), refused(domain("qemu", "<cpu mode='host-model'/>")));
        assertEquals(List.of(), refused(domain("qemu", "<cpu mode='maximum'/>")));
        assertEquals(List.of("cpu mode='host-passthrough' (type='qemu' emulates its own CPU: qemu64, host-model or maximum)"),
                refused(domain("qemu", "<cpu mode='host-passthrough'/>")));
        assertEquals(List.of("cpu model 'Haswell' (type='qemu' emulates qemu64)"),
                refused(domain("qemu", "<cpu mode='custom'><model>Haswell</model></cpu>")));
        // KVM's rules stay: the host's CPU, nothing named
        assertEquals(List.of(), refused(domain("kvm", "<cpu mode='host-passthrough'/>")));
        assertEquals(List.of("cpu mode='host-model' (jvirt-vmm gives the host's CPU: host-passthrough)"),
                refused(domain("kvm", "<cpu mode='host-model'/>")));
    }

    @Test
    void capabilitiesListTheVirtTypesTheHostRunsInOneArch() {
        String both = HostInfo.capabilities("h", BOTH);
        assertTrue(both.contains("    <arch name='x86_64'>\n      <wordsize>64</wordsize>\n      <emulator>jvirt-vmm</emulator>\n"
                + "      <machine maxCpus='255'>pc-i440fx-7.2</machine>\n      <machine canonical='pc-i440fx-7.2' maxCpus='255'>pc</machine>\n"
                + "      <machine maxCpus='255'>pc-q35-7.2</machine>\n      <machine canonical='pc-q35-7.2' maxCpus='255'>q35</machine>\n"
                + "      <domain type='qemu'/>\n      <domain type='kvm'/>\n    </arch>\n"), both);
        assertEquals(1, both.split("<guest>", -1).length - 1, "one guest for both types, as libvirt");
        String emu = HostInfo.capabilities("h", EMU_ONLY);
        assertTrue(emu.contains("<domain type='qemu'/>") && !emu.contains("<domain type='kvm'/>"), emu);
        String kvm = HostInfo.capabilities("h", KVM_ONLY);
        assertTrue(kvm.contains("<domain type='kvm'/>") && !kvm.contains("<domain type='qemu'/>"), kvm);
        assertFalse(HostInfo.capabilities("h", NEITHER).contains("<guest>"));
    }

    @Test
    void domcapabilitiesDefaultsAndRefusalsAreLibvirts() throws Exception {
        String tcg = DomainCapsXml.of(null, null, null, null, "jvirt-vmm", EMU_ONLY);
        assertTrue(tcg.startsWith("<domainCapabilities>\n  <path>jvirt-vmm</path>\n  <domain>qemu</domain>\n"), tcg);
        assertTrue(tcg.contains("  <cpu>\n    <mode name='host-passthrough' supported='no'/>\n"
                + "    <mode name='maximum' supported='yes'>\n      <enum name='maximumMigratable'>\n        <value>off</value>\n"
                + "      </enum>\n    </mode>\n    <mode name='host-model' supported='yes'>\n"
                + "      <model fallback='forbid'>qemu64</model>\n    </mode>\n    <mode name='custom' supported='yes'>\n"
                + "      <model usable='yes' vendor='unknown'>qemu64</model>\n    </mode>\n  </cpu>\n"), tcg);
        assertEquals(tcg, DomainCapsXml.of(null, null, null, "qemu", "jvirt-vmm", BOTH), "qemu is the same where KVM is there too");
        String kvm = DomainCapsXml.of(null, null, null, null, "jvirt-vmm", BOTH);
        assertTrue(kvm.contains("  <domain>kvm</domain>\n") && kvm.contains("<mode name='host-passthrough' supported='yes'>"), kvm);
        LibvirtException noKvm = assertThrows(LibvirtException.class, () -> DomainCapsXml.of(null, null, null, "kvm", "jvirt-vmm", EMU_ONLY));
        assertEquals(ErrorNumber.VIR_ERR_INVALID_ARG, noKvm.code());
        assertEquals("invalid argument: KVM is not supported by 'jvirt-vmm' on this host", noKvm.getMessage());
        LibvirtException named = assertThrows(LibvirtException.class, () -> DomainCapsXml.of("/opt/vmm", null, null, null, "jvirt-vmm", NEITHER));
        assertEquals("invalid argument: KVM is not supported by '/opt/vmm' on this host", named.getMessage());
        LibvirtException noEmu = assertThrows(LibvirtException.class, () -> DomainCapsXml.of(null, null, null, "qemu", "jvirt-vmm", KVM_ONLY));
        assertEquals(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, noEmu.code());
        LibvirtException unknown = assertThrows(LibvirtException.class, () -> DomainCapsXml.of(null, null, null, "xen", "jvirt-vmm", BOTH));
        assertEquals("invalid argument: unknown virttype: xen", unknown.getMessage());
    }

    /** What virt-install and virt-manager read: valid against the installed libvirt's domaincaps.rng, both virt types. */
    @Test
    void domcapabilitiesAreValidForLibvirtsSchema() throws Exception {
        java.nio.file.Path schema = org.jvirt.xml.schema.RelaxNgValidator.defaultSchemaDir().resolve("domaincaps.rng");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(schema), "skipped: no " + schema + " (libvirt0)");
        org.jvirt.xml.schema.RelaxNgValidator v = org.jvirt.xml.schema.RelaxNgValidator.load(schema);
        for (String type : new String[] {"kvm", "qemu"}) {
            for (String machine : new String[] {"pc", "q35"}) {
                String caps = DomainCapsXml.of(null, null, machine, type, "/usr/bin/jvirt-vmm", BOTH);
                assertEquals(java.util.List.of(), v.validate(caps), caps);
                assertTrue(caps.contains("  <machine>" + (machine.equals("pc") ? "pc-i440fx-7.2" : "pc-q35-7.2") + "</machine>\n"), caps);
                assertEquals(machine.equals("pc"), caps.contains("<value>ide</value>"), "the q35 has no IDE: " + caps);
                if (java.nio.file.Files.isRegularFile(java.nio.file.Path.of("/usr/share/qemu/firmware/60-edk2-x86_64.json"))) {
                    // Debian's ovmf: the build without SMM, on both machines (the Secure Boot ones need SMM)
                    assertTrue(caps.contains("    <enum name='firmware'>\n      <value>efi</value>\n    </enum>\n    <loader supported='yes'>\n"
                            + "      <value>/usr/share/OVMF/OVMF_CODE_4M.fd</value>\n      <enum name='type'>\n        <value>rom</value>\n"
                            + "        <value>pflash</value>\n"), caps);
                    assertFalse(caps.contains(".ms.fd") || caps.contains(".secboot.fd"), caps);
                }
            }
        }
        LibvirtException other = assertThrows(LibvirtException.class, () -> DomainCapsXml.of(null, null, "isapc", null, "jvirt-vmm", BOTH));
        assertEquals("invalid argument: the machine 'isapc' is not supported by emulator 'jvirt-vmm'", other.getMessage());
    }
    /** The rng models and backends domcapabilities lists are the ones a start accepts; libvirt's others are refused. */
    @Test
    void domcapabilitiesListTheRngsAStartAccepts() throws Exception {
        String caps = DomainCapsXml.of(null, null, "q35", "qemu", "jvirt-vmm", BOTH);
        String rng = caps.substring(caps.indexOf("    <rng supported='yes'>"), caps.indexOf("    </rng>"));
        List<String> models = enumValues(rng, "model"), backends = enumValues(rng, "backendModel");
        assertEquals(List.of("virtio", "virtio-non-transitional"), models, rng);
        assertEquals(List.of("random", "builtin"), backends, rng);
        for (String model : List.of("virtio", "virtio-transitional", "virtio-non-transitional")) {
            for (String backend : List.of("random", "builtin", "egd")) {
                boolean accepted = UnsupportedConfig.check(domainWithRng(model, backend)).refused().isEmpty();
                assertEquals(models.contains(model) && backends.contains(backend), accepted, model + " with " + backend);
            }
        }
    }

    private static List<String> enumValues(String xml, String name) {
        String e = xml.substring(xml.indexOf("<enum name='" + name + "'>"));
        e = e.substring(0, e.indexOf("</enum>"));
        return java.util.regex.Pattern.compile("<value>([^<]+)</value>").matcher(e).results().map(m -> m.group(1)).toList();
    }

    private static Domain domainWithRng(String model, String backend) throws Exception {
        String source = switch (backend) {
            case "random" -> "<backend model='random'>/dev/urandom</backend>";
            case "egd" -> "<backend model='egd' type='tcp'><source mode='connect' host='h' service='1'/></backend>";
            default -> "<backend model='" + backend + "'/>";
        };
        return DomainDefinition.parse("<domain type='qemu'><name>r</name><memory>65536</memory><os><type machine='q35'>hvm</type>"
                + "<kernel>/k</kernel></os><devices><rng model='" + model + "'>" + source + "</rng></devices></domain>");
    }
}
