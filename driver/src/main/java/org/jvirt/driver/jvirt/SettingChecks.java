package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.UnsupportedConfig.attr;
import static org.jvirt.driver.jvirt.UnsupportedConfig.nameOf;
import static org.jvirt.driver.jvirt.UnsupportedConfig.quoted;

import java.util.Set;
import org.jvirt.driver.jvirt.UnsupportedConfig.Findings;
import org.jvirt.xml.domain.Clock;
import org.jvirt.xml.domain.Cpu;
import org.jvirt.xml.domain.CpuFeature;
import org.jvirt.xml.domain.CpuTopology;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.Loader;
import org.jvirt.xml.domain.Os;
import org.jvirt.xml.domain.OsType;
import org.jvirt.xml.domain.Timer;
import org.jvirt.xml.domain.Vcpu;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The domain-wide settings against what jvirt-vmm honours: a KVM PC (x86_64, "pc" /
 * "pc-i440fx-*": a PCI host bridge, no PCIe, no Q35 chipset) booted from a direct kernel, with
 * the host's CPUID (host-passthrough; type='qemu': the emulator's qemu64) as 1 socket of N cores, ACPI (S5 only), APIC, an RTC in
 * UTC or local time, the in-kernel PIT, no HPET, power-off ends the VM and reset restarts or
 * ends it.
 */
final class SettingChecks {

    /** Top-level elements that say nothing the VMM must provide, or that are checked below. */
    private static final Set<String> KNOWN = Set.of("name", "uuid", "title", "description", "metadata", "memory",
            "currentMemory", "vcpu", "os", "features", "cpu", "clock", "on_poweroff", "on_reboot", "on_crash",
            "devices", "pm", "sysinfo");
    /** Features jvirt-vmm does not have, so state='off' is what it does. */
    private static final Set<String> ABSENT_FEATURES = Set.of("vmport", "smm", "vmcoreinfo");

    private SettingChecks() { }

    static void check(Domain d, Findings f) {
        boolean emulated = "qemu".equals(d.getType());
        if (emulated && !VirtTypes.accelFor("qemu").implemented()) {
            f.refuse("domain type='qemu' (jvirt's CPU emulator is not available yet: use type='kvm')");
        }
        for (Object child : d.children(Object.class)) {
            String n = nameOf(child);
            if (n.equals("maxMemory")) f.refuse("maxMemory (memory hotplug)");
            else if (n.equals("genid")) f.refuse("genid (VM generation ID device)");
            else if (n.equals("seclabel") && "none".equals(attr(child, "type"))) continue; // no labelling: what jvirt does
            else if (n.equals("sysinfo") && !"smbios".equals(attr(child, "type"))) {
                f.refuse("sysinfo" + quoted("type", attr(child, "type")) + " (QEMU's -fw_cfg entries)");
            }
            else if (!KNOWN.contains(n)) f.refuse("<" + n + ">");
        }
        if (d.getMemory() != null && d.getCurrentMemory() != null && !BalloonDevices.has(d.getDevices())
                && d.getCurrentMemory().kibibytes() < d.getMemory().kibibytes()) {
            f.refuse("currentMemory " + d.getCurrentMemory().kibibytes() + " KiB below memory "
                    + d.getMemory().kibibytes() + " KiB (needs a memory balloon)");
        }
        vcpu(d.getVcpu(), f);
        os(d.getOs(), f);
        if (emulated) emulatedCpu(d.getCpu(), f);
        else cpu(d.getCpu(), f);
        features(d, f);
        clock(d.getClock(), f);
        lifecycle(d, f);
        pm(d, f);
    }

    private static void vcpu(Vcpu v, Findings f) {
        if (v == null) return;
        if (v.getCpuset() != null) f.refuse("vcpu cpuset='" + v.getCpuset() + "' (host CPU pinning)");
        if ("auto".equals(v.getPlacement())) f.refuse("vcpu placement='auto' (host NUMA placement)");
    }

    private static void os(Os os, Findings f) {
        if (os == null) return; // libvirt's post-parse gives every domain an <os>; a firmware boot, as below
        OsType t = os.getType();
        if (t != null) {
            if (!"hvm".equals(t.trimmed())) f.refuse("os type='" + t.trimmed() + "'");
            if (t.getArch() != null && !t.getArch().equals("x86_64")) f.refuse("os arch='" + t.getArch() + "'");
            String m = t.getMachine();
            if (m != null && !m.equals("pc") && !m.startsWith("pc-i440fx-") && !m.equals("q35") && !m.startsWith("pc-q35-")) {
                f.refuse("os machine='" + m + "' (jvirt-vmm builds QEMU's pc and q35)");
            }
        }
        boolean kernelBoot = os.getKernel() != null && !os.getKernel().isBlank();
        if (os.getFirmware() != null && (kernelBoot || !(os.getFirmware().equals("bios") || os.getFirmware().equals("efi")))) {
            f.refuse("os firmware='" + os.getFirmware() + "'" + (kernelBoot ? " with a direct kernel boot" : ""));
        }
        for (Object child : os.children(Object.class)) {
            String n = nameOf(child);
            switch (n) {
                case "type", "kernel" -> { }
                case "initrd", "cmdline" -> {
                    if (!kernelBoot) f.refuse("os <" + n + "> without a <kernel>");
                }
                case "boot" -> { } // the firmware's boot order (BootIndexes); moot with a direct kernel
                case "loader" -> loader(os.getLoader(), os.getNvram() != null, kernelBoot, f);
                case "nvram", "firmware" -> { } // the loader's variable store; the features asked of firmware='efi' (UefiFirmware)
                case "bios", "bootmenu" -> { } // SeaBIOS's serial console, reboot timeout and boot menu (VmmCommand)
                case "smbios" -> {
                    String mode = SmbiosSettings.mode(os);
                    if (kernelBoot && ("sysinfo".equals(mode) || "host".equals(mode))) {
                        f.refuse("os smbios mode='" + mode + "' with a direct kernel boot (jvirt-vmm gives SMBIOS through the firmware, which a kernel boot does not run)");
                    }
                }
                default -> f.refuse("os <" + n + ">");
            }
        }
    }

    /**
     * A firmware boot runs the BIOS image of a {@code <loader type='rom'>} (or SeaBIOS's
     * bios-256k.bin, QEMU's default for a pc, when there is no loader), or UEFI in flash: a
     * read-only {@code <loader type='pflash'>} with its {@code <nvram>} (two units, as libvirt
     * gives QEMU), or a writable one alone. Secure Boot builds need SMM, which jvirt-vmm has not.
     * With a direct kernel jvirt runs no firmware at all.
     */
    private static void loader(Loader loader, boolean nvram, boolean kernelBoot, Findings f) {
        boolean readOnly = "yes".equals(loader.getReadonly());
        if (kernelBoot) {
            f.refuse("os <loader> with a direct kernel boot (jvirt-vmm boots the kernel without firmware)");
        } else if (loader.getType() != null && !loader.getType().equals("rom") && !loader.getType().equals("pflash")) {
            f.refuse("os loader type='" + loader.getType() + "'");
        } else if ("yes".equals(loader.getSecure())) {
            f.refuse("os loader secure='yes' (Secure Boot firmware needs SMM, which jvirt-vmm does not have)");
        } else if ("pflash".equals(loader.getType()) && readOnly && !nvram) {
            f.refuse("os loader type='pflash' readonly='yes' without <nvram>");
        } else if ("pflash".equals(loader.getType()) && !readOnly && nvram) {
            f.refuse("os <nvram> with a writable pflash loader (its variables are in the loader's own file)");
        } else if (loader.getFormat() != null && !loader.getFormat().equals("raw")) {
            f.refuse("os loader format='" + loader.getFormat() + "'");
        }
    }

    private static void cpu(Cpu cpu, Findings f) {
        if (cpu == null) return;
        String mode = cpu.getMode();
        if (mode != null && !mode.equals("host-passthrough") && !mode.equals("maximum")
                && !(mode.equals("custom") && cpu.getModel() == null)) {
            f.refuse("cpu mode='" + mode + "' (jvirt-vmm gives the host's CPU: host-passthrough)");
        }
        if (cpu.getModel() != null && !"host-passthrough".equals(mode)) f.refuse("cpu model '" + cpu.getModel().trimmed() + "'");
        for (CpuFeature feature : cpu.getFeatures()) {
            f.refuse("cpu feature '" + feature.getName() + "'" + (feature.getPolicy() == null ? "" : " (policy " + feature.getPolicy() + ")"));
        }
        topologyAndChildren(cpu, f);
    }

    /**
     * A type='qemu' domain's CPU is the emulator's one model, which domcapabilities lists as
     * libvirt lists TCG's: qemu64 (custom), host-model (expands to it) and maximum; the host's
     * CPU (host-passthrough) is KVM's alone. Topology and the rest as for KVM.
     */
    private static void emulatedCpu(Cpu cpu, Findings f) {
        if (cpu == null) return;
        String mode = cpu.getMode() == null ? "custom" : cpu.getMode();
        String model = cpu.getModel() == null ? null : cpu.getModel().trimmed();
        switch (mode) {
            case "host-model", "maximum" -> { }
            case "custom" -> {
                if (model != null && !DomainCapsXml.EMULATED_CPU_MODEL.equals(model)) {
                    f.refuse("cpu model '" + model + "' (type='qemu' emulates " + DomainCapsXml.EMULATED_CPU_MODEL + ")");
                }
            }
            default -> f.refuse("cpu mode='" + mode + "' (type='qemu' emulates its own CPU: "
                    + DomainCapsXml.EMULATED_CPU_MODEL + ", host-model or maximum)");
        }
        if (model != null && !"custom".equals(mode)) f.refuse("cpu model '" + model + "' with mode='" + mode + "'");
        for (CpuFeature feature : cpu.getFeatures()) {
            f.refuse("cpu feature '" + feature.getName() + "'" + (feature.getPolicy() == null ? "" : " (policy " + feature.getPolicy() + ")"));
        }
        topologyAndChildren(cpu, f);
    }

    private static void topologyAndChildren(Cpu cpu, Findings f) {
        CpuTopology t = cpu.getTopology();
        if (t != null && !(one(t.getSockets()) && one(t.getDies()) && one(t.attribute("clusters")) && one(t.getThreads()))) {
            f.refuse("cpu topology" + quoted("sockets", t.getSockets()) + quoted("dies", t.getDies())
                    + quoted("clusters", t.attribute("clusters")) + quoted("cores", t.getCores()) + quoted("threads", t.getThreads())
                    + " (jvirt-vmm: 1 socket of single-thread cores)");
        }
        for (Object child : cpu.children(Object.class)) {
            String n = nameOf(child);
            if (!Set.of("model", "topology", "feature").contains(n)) f.refuse("cpu <" + n + ">");
        }
    }

    private static boolean one(String count) {
        return count == null || count.trim().equals("1");
    }

    private static void features(Domain d, Findings f) {
        if (d.getFeatures() == null) return;
        for (Object child : d.getFeatures().children(Object.class)) {
            String n = nameOf(child);
            boolean provided = switch (n) {
                case "acpi", "pae" -> true;
                case "apic" -> attr(child, "eoi") == null;
                case "ioapic" -> attr(child, "driver") == null || "kvm".equals(attr(child, "driver"));
                default -> ABSENT_FEATURES.contains(n) && "off".equals(attr(child, "state"));
            };
            if (!provided) f.refuse("feature <" + n + ">" + quoted("state", attr(child, "state")));
        }
    }

    private static void clock(Clock c, Findings f) {
        if (c == null) return;
        // the RTC runs in the VMM's time zone: VmmCommand gives it TZ=UTC for offset='utc'
        String offset = c.getOffset() == null ? "utc" : c.getOffset();
        if (!offset.equals("utc") && !offset.equals("localtime")) f.refuse("clock offset='" + offset + "'");
        for (String a : new String[] {"adjustment", "basis", "timezone", "start"}) {
            if (c.attribute(a) != null) f.refuse("clock " + a + "='" + c.attribute(a) + "'");
        }
        for (Timer t : c.getTimers()) timer(t, f);
    }

    private static void timer(Timer t, Findings f) {
        String name = t.getName();
        boolean absent = "no".equals(t.getPresent());
        boolean provided = switch (name == null ? "" : name) {
            case "rtc" -> !absent && t.getFrequency() == null && t.getMode() == null;
            case "pit" -> !absent && (t.getTickpolicy() == null || t.getTickpolicy().equals("delay"));
            case "hpet" -> absent;
            case "kvmclock" -> !absent;
            default -> false;
        };
        if (!provided) {
            f.refuse("timer '" + name + "'" + (absent ? " (present='no')" : t.getTickpolicy() != null ? " (tickpolicy " + t.getTickpolicy() + ")" : ""));
        } else if (name.equals("rtc") && (t.getTickpolicy() != null || t.getTrack() != null)) {
            f.omit("timer 'rtc'" + quoted("tickpolicy", t.getTickpolicy()) + quoted("track", t.getTrack()),
                    "jvirt-vmm's RTC raises no periodic interrupts, so there are no ticks to lose or catch up");
        }
    }

    private static void lifecycle(Domain d, Findings f) {
        String onPoweroff = d.getOnPoweroff();
        if (onPoweroff != null && !onPoweroff.equals("destroy")) f.refuse("on_poweroff='" + onPoweroff + "'");
        String onReboot = d.getOnReboot();
        if (onReboot != null && !onReboot.equals("restart") && !onReboot.equals("destroy")) f.refuse("on_reboot='" + onReboot + "'");
        // on_crash: an x86 guest reports a crash only through a <panic> device, which is refused
        // below as any unknown device is: as with libvirt's qemu driver, it never fires without one.
    }

    private static void pm(Domain d, Findings f) {
        for (Element pm : d.unknownChildren()) {
            if (!"pm".equals(nameOf(pm))) continue;
            for (Node n = pm.getFirstChild(); n != null; n = n.getNextSibling()) {
                // jvirt-vmm's ACPI offers S5 only: a guest cannot suspend, which enabled='no' asks for
                if (n instanceof Element e && !"no".equals(e.getAttribute("enabled"))) {
                    f.refuse("pm " + nameOf(e) + quoted("enabled", e.hasAttribute("enabled") ? e.getAttribute("enabled") : null));
                }
            }
        }
    }
}
