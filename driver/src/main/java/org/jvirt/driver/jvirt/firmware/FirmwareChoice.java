package org.jvirt.driver.jvirt.firmware;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * libvirt's firmware auto-selection (qemuFirmwareFillDomain, 9.0) for {@code <os firmware=...>}:
 * the first descriptor, in {@link FirmwareDescriptors}' order, whose interface, architecture and
 * machine fit the domain and whose features agree with what the domain asks ({@code <loader
 * secure>}, {@code <loader>}'s path and type, {@code <nvram template>}, {@code <firmware><feature
 * enabled name>}). One difference, on purpose: descriptors that need SMM, which jvirt-vmm does
 * not have, are passed over, where libvirt 9.0 picks a Secure Boot build needing SMM for a q35
 * domain and turns SMM on. (Features such as amd-sev say what a build supports, not needs.)
 */
public final class FirmwareChoice {

    /** Features of a descriptor that a jvirt-vmm machine cannot give the firmware. */
    static final Set<String> UNAVAILABLE = Set.of("requires-smm");

    /**
     * What the domain asks.
     *
     * @param firmware       "efi" or "bios" ({@code <os firmware>})
     * @param arch           the os type's arch, e.g. x86_64
     * @param machine        the canonical machine type, e.g. pc-q35-7.2 (descriptors list globs of those)
     * @param loaderPath     {@code <loader>}'s path, or null
     * @param loaderType     {@code <loader type>} ("pflash", "rom"), or null
     * @param secure         {@code <loader secure>}: true, false, or null when not said
     * @param nvramTemplate  {@code <nvram template>}, or null
     * @param features       {@code <firmware><feature name enabled>}: name to enabled
     */
    public record Request(String firmware, String arch, String machine, String loaderPath, String loaderType, Boolean secure,
                          String nvramTemplate, Map<String, Boolean> features) { }

    private FirmwareChoice() { }

    public static Optional<FirmwareDescriptor> choose(List<FirmwareDescriptor> descriptors, Request r) {
        for (FirmwareDescriptor d : descriptors) if (fits(d, r)) return Optional.of(d);
        return Optional.empty();
    }

    static boolean fits(FirmwareDescriptor d, Request r) {
        String iface = "efi".equals(r.firmware()) ? "uefi" : r.firmware();
        if (!d.interfaceTypes().contains(iface)) return false;
        if (d.targets().stream().noneMatch(t -> t.architecture().equals(r.arch()) && anyGlob(t.machines(), r.machine()))) return false;
        if (r.loaderType() != null && !r.loaderType().equals(loaderType(d))) return false;
        if (r.loaderPath() != null && (d.executable() == null || !Path.of(r.loaderPath()).equals(d.executable()))) return false;
        if (r.nvramTemplate() != null && (d.nvramTemplate() == null || !Path.of(r.nvramTemplate()).equals(d.nvramTemplate()))) return false;
        if (r.secure() != null && r.secure() != d.has("secure-boot")) return false;
        for (Map.Entry<String, Boolean> f : r.features().entrySet()) {
            if (f.getValue() != d.has(f.getKey())) return false;
        }
        for (String f : UNAVAILABLE) if (d.has(f)) return false;
        return d.executable() != null;
    }

    /** The {@code <loader type>} a descriptor's mapping is run as: pflash for flash, rom for memory. */
    public static String loaderType(FirmwareDescriptor d) {
        return switch (d.device() == null ? "" : d.device()) {
            case "flash" -> "pflash";
            case "memory" -> "rom";
            default -> d.device();
        };
    }

    private static boolean anyGlob(List<String> globs, String machine) {
        if (machine == null) return false;
        for (String g : globs) {
            if (FileSystems.getDefault().getPathMatcher("glob:" + g).matches(Path.of(machine))) return true;
        }
        return false;
    }
}
